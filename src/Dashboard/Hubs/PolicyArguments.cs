using System.Text.Json;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Hubs;

/// <summary>
/// Checks a live policy before it reaches the session grain, by the rules scenario files are held to
/// (<see cref="PolicyRules"/>): ids, ticks, quantities, shares, references, the shared id space. What depends on the
/// timeline (replacing a policy of another kind) is checked in the grain (PolicyTimeline.Validate), which owns it. Every
/// error names the argument and field, and throws before anything changes.
/// </summary>
public static class PolicyArguments
{
    public static readonly string Kinds = "export_control, tariff, price_floor, stockpile, capacity_project";

    /// <summary>Reads a policy object; "$kind" picks the type.</summary>
    public static PolicySpec Parse(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error("policy", "must be an object with a \"$kind\"");
        if (!json.TryGetProperty("$kind", out var kind) || kind.ValueKind != JsonValueKind.String)
            throw Error("policy.$kind", $"missing; one of {Kinds}");
        try
        {
            return json.Deserialize<PolicySpec>(HubJson.PolicyOptions) ?? throw Error("policy", "is null");
        }
        catch (JsonException e) when (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            throw Error("policy" + e.Path?.TrimStart('$'), $"is not a field of {ErrorLimits.Short(kind.GetString() ?? "")} policies (live policies name fields in camelCase: approvalRate, delayMinDays, endUse, …)");
        }
        catch (JsonException e) when (MissingFields(e) is { Count: > 0 } missing)
        {
            // A required field left out: name it (the kind itself is fine).
            throw Error("policy." + missing[0], missing.Count == 1 ? "is required" : $"is required (so are {string.Join(", ", missing.Skip(1))})");
        }
        catch (JsonException e) when (e.Message.Contains("discriminator", StringComparison.OrdinalIgnoreCase) || e.Path is "$" or null)
        {
            throw Error("policy.$kind", $"\"{ErrorLimits.Short(kind.GetString() ?? "")}\" is not one of {Kinds} ({Short(e)})");
        }
        catch (JsonException e)
        {
            throw Error("policy" + e.Path?.TrimStart('$'), Short(e));
        }
        catch (NotSupportedException e)
        {
            throw Error("policy", e.Message);
        }
    }

    static string Short(JsonException e) => e.Message.Split(" Path:")[0];

    /// <summary>The fields System.Text.Json names in "... was missing required properties including: 'a', 'b'.", or none.</summary>
    static List<string> MissingFields(JsonException e)
    {
        var at = e.Message.IndexOf("missing required properties", StringComparison.Ordinal);
        if (at < 0) return [];
        return System.Text.RegularExpressions.Regex.Matches(e.Message[at..].Split(" Path:")[0], "'([^']+)'").Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>Expands "group:NAME" in commodity lists by the loader's rule (<see cref="CommodityGroups"/>); an unknown group
    /// is the caller's error, "policy.commodities: unknown commodity group …", before anything changes.</summary>
    public static PolicySpec ExpandGroups(ScenarioSpec world, PolicySpec p)
    {
        var groups = Contexts.GetValue(world, PolicyContext.For).Groups;
        IReadOnlyList<string> Expand(IReadOnlyList<string?>? ids)
        {
            // JSON lets a client send null for a list or an item; this runs before Validate, so it names them itself.
            if (ids is null) throw Error("policy.commodities", "is null; give a list of commodity ids (or group:NAME)");
            for (var i = 0; i < ids.Count; i++)
                if (ids[i] is null) throw Error($"policy.commodities[{i}]", "is null; give a commodity id (or group:NAME)");
            return CommodityGroups.Expand(ids.Select(id => (id!, 0)), groups, (message, _) => throw Error("policy.commodities", message));
        }
        return p switch
        {
            ExportControl e => e with { Commodities = Expand(e.Commodities) },
            Tariff t => t with { Commodities = Expand(t.Commodities) },
            _ => p,
        };
    }

    // One context per world (a session's scenario never changes): sets of ids and groups built once, not on every call.
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ScenarioSpec, PolicyContext> Contexts = new();

    /// <summary>
    /// Holds a live policy to <see cref="PolicyRules"/>, the rules the scenario loader applies to a file's policies: the
    /// first problem becomes the caller's error, "policy.field: what is wrong", before anything changes.
    /// </summary>
    public static void Validate(ScenarioSpec world, PolicySpec p)
    {
        var context = Contexts.GetValue(world, PolicyContext.For);
        if (PolicyRules.Check(p, context) is [var first, ..]) throw Error("policy." + first.Field, first.Message);
    }

    public static HubException Error(string argument, string message) => new($"{argument}: {message}");
}
