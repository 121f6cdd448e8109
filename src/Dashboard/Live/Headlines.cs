using MarketSim.Dashboard.Hubs;
using MarketSim.Model.Simulation;
using MarketSim.Model.Output;

namespace MarketSim.Dashboard.Live;

/// <param name="FocusCountry">The country whose GDP loss is headlined (Japan when the scenario has it).</param>
/// <param name="FocusLoss">Its cumulative production loss so far, in the scenario's currency.</param>
/// <param name="FocusLossGdpShare">That loss as a share of its annual GDP.</param>
/// <param name="LargestShortage">The highest unmet share of the latest tick, and where; null when none.</param>
/// <param name="FiscalCost">Cumulative fiscal cost of floors, stockpiles and capacity, all countries.</param>
public sealed record Headline(DateOnly? Date, int Tick, string FocusCountry, double FocusLoss, double FocusLossGdpShare,
    ShortageRow? LargestShortage, double FiscalCost, string Currency);
// Numbers are written with MarketSim.Dashboard.Why.MinisterFormat, the one format of every page.

/// <summary>The numbers of the headline tiles, computed from the frames alone (the compare view diffs them).</summary>
public static class Headlines
{
    public static Headline Of(SessionSeries series, string? focusCountry = null) => At(series, series.NextTick - 1, focusCountry);

    /// <summary>The headlines on one tick (the compare view reads every session on the same day); none before tick 0.</summary>
    public static Headline At(SessionSeries series, int tick, string? focusCountry = null)
    {
        var info = series.Info;
        var focus = focusCountry ?? (info.Countries.Any(c => c.Id == "JP") ? "JP" : info.Countries.FirstOrDefault()?.Id ?? "");
        var latest = tick >= 0 && tick < series.Frames.Count ? series.Frames[tick] : null;
        if (latest is null) return new Headline(null, 0, focus, 0, 0, null, 0, info.Currency);
        var loss = FrameMetrics.CumulativeLoss(latest, focus);
        var gdp = info.Countries.FirstOrDefault(c => c.Id == focus)?.Gdp ?? 0;
        var largest = latest.Shortages.Where(s => s.Unmet > 0).OrderByDescending(s => s.Share).ThenBy(s => s.Country, StringComparer.Ordinal)
            .ThenBy(s => s.Sector, StringComparer.Ordinal).ThenBy(s => s.Commodity, StringComparer.Ordinal).FirstOrDefault();
        var fiscal = latest.Fiscal.Sum(f => f.Cumulative);
        return new Headline(latest.Date, latest.Tick, focus, loss, gdp > 0 ? loss / gdp : 0, largest, fiscal, info.Currency);
    }

    /// <summary>A country's unmet share of one commodity on one tick: Σ unmet / Σ required over its sectors (as summary.csv).</summary>
    public static double UnmetShare(Frame f, string country, string commodity) => FrameMetrics.UnmetShare(f.Shortages, country, commodity);
}
