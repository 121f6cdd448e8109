using MarketSim.Dashboard.Hubs;

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

    /// <summary>"Japan (JP)": a name with the id a user types in forms; the id alone when they are the same.</summary>
    public static string CountryWithId(this SessionInfo info, string id)
    {
        var name = info.CountryName(id);
        return name == id ? id : $"{name} ({id})";
    }
}
