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

    /// <summary>For a live policy: a field the policy does not have is an error, not ignored (a policy written with the files'
    /// names, approval_rate for approvalRate, would otherwise apply its defaults while looking set).</summary>
    public static readonly JsonSerializerOptions PolicyOptions = new(Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        return o;
    }
}
