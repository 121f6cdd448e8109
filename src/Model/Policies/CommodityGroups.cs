using MarketSim.Model.Scenario;

namespace MarketSim.Model.Policies;

/// <summary>
/// "group:NAME" in a policy's commodity list stands for every commodity that lists NAME in its <c>groups</c>. One rule for
/// the scenario loader and the hubs: the group's members in the scenario's order, duplicates dropped, an unknown group an
/// error that names the groups there are.
/// </summary>
public static class CommodityGroups
{
    public const string Prefix = "group:";

    /// <summary>Group name → its commodities, in the order the scenario lists them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Of(IEnumerable<CommoditySpec> commodities)
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var c in commodities)
            foreach (var g in c.Groups)
                (groups.TryGetValue(g, out var l) ? l : groups[g] = new()).Add(c.Id);
        return groups.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// The list with every group replaced by its members, duplicates dropped (first place kept). An unknown group is
    /// reported to <paramref name="unknown"/> with the message to show, and left out.
    /// </summary>
    public static List<string> Expand<T>(IEnumerable<(string Id, T Where)> ids, IReadOnlyDictionary<string, IReadOnlyList<string>> groups, Action<string, T> unknown)
    {
        var list = new List<string>();
        foreach (var (id, where) in ids)
        {
            if (!id.StartsWith(Prefix, StringComparison.Ordinal)) { list.Add(id); continue; }
            var name = id[Prefix.Length..];
            if (groups.TryGetValue(name, out var members)) list.AddRange(members);
            else unknown($"unknown commodity group '{ErrorLimits.Short(name)}' (groups: {ErrorLimits.Known(groups.Keys)})", where);
        }
        return list.Distinct().ToList();
    }
}
