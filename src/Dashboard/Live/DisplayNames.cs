using MarketSim.Dashboard.Hubs;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Live;

/// <summary>
/// What a page writes for a scenario's ids: the names and units the scenario gives (countries' and commodities' `name`,
/// commodities' `unit`), the id itself when the scenario has none.
/// </summary>
public static class DisplayNames
{
    public static string CountryName(this SessionInfo info, string? id) =>
        info.Countries.FirstOrDefault(c => c.Id == id)?.Name is { Length: > 0 } name ? name : id ?? "";

    public static string CommodityName(this SessionInfo info, string? id) =>
        info.Commodities.FirstOrDefault(c => c.Id == id)?.Name is { Length: > 0 } name ? name : id ?? "";

    /// <summary>The commodity's quantity unit ("t", "t REO"); "unit" when the scenario gives none.</summary>
    public static string CommodityUnit(this SessionInfo info, string? id) =>
        info.Commodities.FirstOrDefault(c => c.Id == id)?.Unit is { Length: > 0 } unit ? unit : "unit";

    /// <summary>A name up to its parenthesis ("Australia" for "Australia (Lynas incl. Malaysia plant)"): where a line has no room
    /// for the scenario's note (the projector's rows, a student's news).</summary>
    public static string Short(string name) => name.IndexOf(" (", StringComparison.Ordinal) is > 0 and var at ? name[..at] : name;

    /// <summary>"Japan (JP)": a name with the id a user types in forms; the id alone when they are the same.</summary>
    public static string CountryWithId(this SessionInfo info, string id)
    {
        var name = info.CountryName(id);
        return name == id ? id : $"{name} ({id})";
    }

    /// <summary>A price segment as a legend names it: "in China" for one that lists its countries, "outside China" for the one
    /// that takes the rest, "world" when there is only one (a review read the legend's "china" and "world" as ids, which they
    /// are: the scenario's segment ids stay in prices.csv).</summary>
    public static string MarketName(this SessionInfo info, string id) =>
        info.Markets.FirstOrDefault(m => m.Id == id)?.Name is { Length: > 0 } name ? name : id;

    public static IReadOnlyList<MarketInfo> Markets(ScenarioSpec world)
    {
        string Names(IEnumerable<string> ids) => string.Join(", ", ids.Select(id =>
            world.Countries.FirstOrDefault(c => c.Id == id)?.Name is { Length: > 0 } n ? n : id));
        var listed = world.Segments.SelectMany(s => s.Countries).Distinct().ToList();
        return world.Segments.Select(s => new MarketInfo(s.Id,
            world.Segments.Count == 1 ? "world"
            : s.Countries.Count > 0 ? "in " + Names(s.Countries)
            : "outside " + Names(listed))).ToList();
    }
}
