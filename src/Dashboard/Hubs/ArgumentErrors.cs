using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using MarketSim.Model.Scenario;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace MarketSim.Dashboard.Hubs;

/// <summary>
/// The hubs' JSON protocol, with one change: arguments of the wrong type (<c>Step</c> with 1.5 ticks, a classroom
/// decision whose value is "abc") fail before any hub method or filter runs, and SignalR then answered only "Failed to
/// invoke 'Step' due to an error on the server." Here such a failure carries a <see cref="HubException"/> naming the
/// argument and what it must be, which SignalR passes on to the caller after that sentence. Nothing else is changed.
/// </summary>
public sealed class ArgumentErrors(IHubProtocol inner, params Type[] hubs) : IHubProtocol
{
    // Hub method name → its parameters; the binder gives the types, reflection the names.
    readonly ILookup<string, ParameterInfo[]> _methods = hubs
        .SelectMany(h => h.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .ToLookup(m => m.Name, m => m.GetParameters());

    public string Name => inner.Name;
    public int Version => inner.Version;
    public TransferFormat TransferFormat => inner.TransferFormat;
    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);
    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var before = input;
        try
        {
            if (!inner.TryParseMessage(ref input, binder, out message)) return false;
        }
        catch (Exception e) when ((e is JsonException or InvalidDataException) && Unreadable(before, e) is { } answer)
        {
            (input, message) = answer;
            return true;
        }
        if (message is InvocationBindingFailureMessage failure)
        {
            var why = Describe(before.Slice(0, input.Start), failure.Target, binder);
            message = new InvocationBindingFailureMessage(failure.InvocationId, failure.Target, ExceptionDispatchInfo.Capture(new HubException(why)));
        }
        return true;
    }

    /// <summary>
    /// A call the JSON protocol cannot read at all (arguments nested deeper than its 64 levels, "arguments" not a list) closed
    /// the caller's whole connection, a student's seat with it, saying only "Connection closed with an error" (a review,
    /// Dec 2026). Where the call's target can be read it is answered as that call's error instead, and the connection stays;
    /// null where it cannot (then the connection closes, as before).
    /// </summary>
    static (ReadOnlySequence<byte> Remaining, HubMessage Message)? Unreadable(ReadOnlySequence<byte> input, Exception e)
    {
        if (input.PositionOf((byte)0x1e) is not { } end) return null; // the JSON protocol's record separator
        var record = input.Slice(0, end).ToArray();
        string? id = null, target = null;
        try
        {
            // Deep enough for any message that fits the hub's size limit: only the top level is read, the rest skipped.
            var reader = new Utf8JsonReader(record, new JsonReaderOptions { MaxDepth = record.Length + 1 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read()) return null;
                if (name == "invocationId" && reader.TokenType == JsonTokenType.String) id = reader.GetString();
                else if (name == "target" && reader.TokenType == JsonTokenType.String) target = reader.GetString();
                else reader.Skip();
            }
        }
        catch (JsonException) { return null; }
        if (target is null) return null;
        var why = e is InvalidDataException && e.InnerException is null
            ? $"arguments: {ErrorLimits.Short(e.Message)}"
            : "arguments: not readable (nested more than 64 levels deep, or not valid JSON)";
        var failure = new InvocationBindingFailureMessage(id, target, ExceptionDispatchInfo.Capture(new HubException(why)));
        return (input.Slice(input.GetPosition(1, end)), failure);
    }

    /// <summary>"ticks: must be a whole number, got 1.5": the first argument that does not read as its parameter's type.</summary>
    string Describe(ReadOnlySequence<byte> raw, string target, IInvocationBinder binder)
    {
        const string Fallback = "an argument is not of the type the method takes";
        // A name no hub has: answered as an error of that call (the binder would throw, and an exception here closes the
        // caller's whole connection: its subscriptions, a student's seat).
        if (!_methods.Contains(target)) return $"there is no hub method {ErrorLimits.Short(target)}";
        try
        {
            var types = binder.GetParameterTypes(target);
            var names = _methods[target].FirstOrDefault(p => p.Select(x => x.ParameterType).SequenceEqual(types))?.Select(p => p.Name ?? "?").ToList();
            if (names is null) return Fallback;
            var bytes = raw.ToArray().AsSpan();
            if (bytes.Length > 0 && bytes[^1] == 0x1e) bytes = bytes[..^1]; // the JSON protocol's record separator
            using var doc = JsonDocument.Parse(bytes.ToArray());
            if (!doc.RootElement.TryGetProperty("arguments", out var args) || args.ValueKind != JsonValueKind.Array) return Fallback;
            if (args.GetArrayLength() != types.Count)
                return $"{target} takes {types.Count} arguments ({string.Join(", ", names)}), got {args.GetArrayLength()}";
            for (var i = 0; i < types.Count; i++)
            {
                var arg = args[i];
                try { arg.Deserialize(types[i], HubJson.ArgumentOptions); }
                catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
                {
                    var path = e is JsonException { Path: { Length: > 1 } p } ? p[1..].TrimStart('.') : ""; // "$.x" → "x", "$[0].x" → "[0].x"
                    var message = e.Message.Split(" Path:")[0];
                    // A field the type does not have, or one it needs left out (HubJson.Strict), said so; else the type.
                    var what = message.Contains("could not be mapped", StringComparison.Ordinal) ? "is not a field it takes"
                        : message.IndexOf("missing required properties including: ", StringComparison.Ordinal) is var at and >= 0
                            ? "is missing " + message[(at + "missing required properties including: ".Length)..].TrimEnd('.')
                        : $"is not of the right type ({message})";
                    return path.Length == 0 && what.StartsWith("is not of", StringComparison.Ordinal)
                        ? $"{names[i]}: must be {Kind(types[i])}, got {ErrorLimits.Short(arg.GetRawText())}"
                        : $"{names[i]}{(path.Length == 0 || path.StartsWith('[') ? "" : ".")}{path}: {what}";
                }
            }
            return Fallback;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or HubException)
        {
            return e is HubException ? $"{ErrorLimits.Short(target)}: {e.Message}" : Fallback;
        }
    }

    static string Kind(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(int) || t == typeof(long) || t == typeof(uint) || t == typeof(ulong)) return "a whole number";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return "a number";
        if (t == typeof(string)) return "text";
        if (t == typeof(bool)) return "true or false";
        if (t.IsArray || (t.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(t))) return "a list";
        return "an object";
    }
}
