using MarketSim.Model.Simulation;

namespace MarketSim.Model.Output;

/// <summary>
/// The measures read off a frame, computed once for every consumer (the session's stockpile trigger, summary.csv, the
/// experiment metrics, the dashboard's tiles), as an agent-based model keeps data collection apart from its rules. Sums run
/// in the frame's row order (country, sector, commodity), so every consumer gets the same bits.
/// </summary>
public static class FrameMetrics
{
    /// <summary>
    /// A country's unmet share of each commodity: Σ unmet / Σ required over its sectors (0 where nothing is required), in the
    /// order the (country, commodity) pairs first appear among the rows.
    /// </summary>
    public static List<(string Country, string Commodity, double Share)> UnmetShares(IReadOnlyList<ShortageRow> rows)
    {
        var index = new Dictionary<(string, string), int>();
        var sums = new List<(string Country, string Commodity, double Required, double Unmet)>();
        foreach (var s in rows)
        {
            if (index.TryGetValue((s.Country, s.Commodity), out var i))
                sums[i] = (s.Country, s.Commodity, sums[i].Required + s.Required, sums[i].Unmet + s.Unmet);
            else
            {
                index[(s.Country, s.Commodity)] = sums.Count;
                sums.Add((s.Country, s.Commodity, 0 + s.Required, 0 + s.Unmet));
            }
        }
        return sums.Select(x => (x.Country, x.Commodity, x.Required > 0 ? x.Unmet / x.Required : 0)).ToList();
    }

    /// <summary>Each country's largest unmet share over its commodities on this tick (the summary's "peak" and "shortage day").</summary>
    public static Dictionary<string, double> WorstUnmetShare(IReadOnlyList<ShortageRow> rows) => WorstUnmetShare(UnmetShares(rows));

    public static Dictionary<string, double> WorstUnmetShare(IEnumerable<(string Country, string Commodity, double Share)> shares)
    {
        var worst = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (country, _, share) in shares) worst[country] = Math.Max(worst.GetValueOrDefault(country), share);
        return worst;
    }

    /// <summary>One country's unmet share of one commodity (0 when it requires none).</summary>
    public static double UnmetShare(IReadOnlyList<ShortageRow> rows, string country, string commodity)
    {
        foreach (var (c, k, share) in UnmetShares(rows))
            if (c == country && k == commodity) return share;
        return 0;
    }

    /// <summary>A country's production loss so far, all sectors (losses.csv's cumulative column summed).</summary>
    public static double CumulativeLoss(Frame f, string country)
    {
        double loss = 0;
        foreach (var l in f.Losses)
            if (l.Country == country) loss += l.Cumulative;
        return loss;
    }
}
