using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarketSim.Dashboard.Hubs;

/// <summary>The hub's JSON settings, shared by the server and the dashboard's own hub clients.</summary>
public static class HubJson
{
    public static void Configure(JsonSerializerOptions o)
    {
        // A frame can hold NaN/∞ (a degenerate value must reach the chart, not break the connection).
        o.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        // Outside clients need not put "$kind" first in a policy object.
        o.AllowOutOfOrderMetadataProperties = true;
        // "ban", "license", "military": the words the scenario files use, and only those (a number such as 7 is no mode).
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>
    /// For what clients send the hubs (the server's binding of hub arguments): a field the argument's type does not have, or a
    /// field its constructor needs left out, is an error naming it. Ignored and defaulted before, a classroom decision with
    /// its value misspelt was a value of 0 (an export ban), and classroom settings misspelt ran with the defaults (a review,
    /// Dec 2026). Not for the dashboard's own clients, which read what the server sends.
    /// </summary>
    public static void Strict(JsonSerializerOptions o)
    {
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.RespectRequiredConstructorParameters = true;
    }

    /// <summary>The options the server binds hub arguments with (<see cref="Strict"/>).</summary>
    public static readonly JsonSerializerOptions ArgumentOptions = CreateStrict();

    /// <summary>For a live policy: a field the policy does not have is an error, not ignored (a policy written with the files'
    /// names, approval_rate for approvalRate, would otherwise apply its defaults while looking set).</summary>
    public static readonly JsonSerializerOptions PolicyOptions = new(Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    static JsonSerializerOptions CreateStrict()
    {
        var o = Create();
        Strict(o);
        return o;
    }

    static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        return o;
    }
}
