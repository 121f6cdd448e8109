using MarketSim.Model.Simulation;

namespace MarketSim.Model.Classrooms;

/// <summary>
/// A country's result so far. Rank 1 is the smallest production loss as a share of GDP; fiscal cost breaks ties.
/// Market share: the country's share of the value of all cross-border shipments. Shortage: unmet over required input, all ticks.
/// </summary>
public sealed record ScoreRow(int Rank, string Country, double Loss, double GdpShare, double FiscalCost, double MarketShare, double Shortage);

public static class Scoreboard
{
    public static IReadOnlyList<ScoreRow> Build(IReadOnlyList<string> countries, IReadOnlyList<Frame> frames)
    {
        var exports = new Dictionary<string, double>(StringComparer.Ordinal);
        var required = new Dictionary<string, double>(StringComparer.Ordinal);
        var unmet = new Dictionary<string, double>(StringComparer.Ordinal);
        double crossBorder = 0;
        foreach (var f in frames)
        {
            foreach (var fl in f.Flows)
                if (fl.Exporter != fl.Destination)
                {
                    crossBorder += fl.Value;
                    exports[fl.Exporter] = exports.GetValueOrDefault(fl.Exporter) + fl.Value;
                }
            foreach (var s in f.Shortages)
            {
                required[s.Country] = required.GetValueOrDefault(s.Country) + s.Required;
                unmet[s.Country] = unmet.GetValueOrDefault(s.Country) + s.Unmet;
            }
        }
        var last = frames.Count > 0 ? frames[^1] : null;
        var rows = countries.Select(c => new ScoreRow(0, c,
                last?.Losses.Where(l => l.Country == c).Sum(l => l.Cumulative) ?? 0,
                last?.Losses.Where(l => l.Country == c).Sum(l => l.GdpShare) ?? 0,
                last?.Fiscal.Where(x => x.Country == c).Sum(x => x.Cumulative) ?? 0,
                crossBorder > 0 ? exports.GetValueOrDefault(c) / crossBorder : 0,
                required.GetValueOrDefault(c) > 0 ? unmet.GetValueOrDefault(c) / required[c] : 0))
            .OrderBy(r => r.GdpShare).ThenBy(r => r.FiscalCost).ThenBy(r => r.Country, StringComparer.Ordinal).ToList();
        return rows.Select((r, i) => r with { Rank = i + 1 }).ToList();
    }
}
