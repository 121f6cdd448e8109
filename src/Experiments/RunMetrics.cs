using MarketSim.Model.Output;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Experiments;

public enum ColumnKind { Number, Share, Integer }

/// <summary>A summary column of runs.csv: its name and how its value is written.</summary>
public sealed record MetricColumn(string Name, ColumnKind Kind);

/// <summary>One observation of series.csv (without the run id).</summary>
public sealed record SeriesPoint(int Tick, DateOnly Date, string Metric, string Key, double Value);

/// <summary>What a batch keeps of one run: the summary values (null = not applicable) and the recorded series.</summary>
public sealed record RunResult(RunSpec Run, IReadOnlyList<double?> Summary, IReadOnlyList<SeriesPoint> Series);

/// <summary>
/// Reduces a run's frames to a row of runs.csv and its series.csv rows. Pure and deterministic: sums in the frames' sorted
/// row order, so the same frames give the same numbers. Definitions are in docs/SCENARIOS.md ("Experiment files").
/// </summary>
public static class RunMetrics
{
    static IEnumerable<string> Countries(ScenarioSpec world, MetricsSpec m) =>
        world.Countries.Select(c => c.Id).Where(c => m.Countries is null || m.Countries.Contains(c)).Order(StringComparer.Ordinal);

    static IEnumerable<string> Commodities(ScenarioSpec world, MetricsSpec m) =>
        world.Commodities.Select(c => c.Id).Where(c => m.Commodities is null || m.Commodities.Contains(c)).Order(StringComparer.Ordinal);

    /// <summary>The summary columns, per country then per commodity, ordered by id (ordinal).</summary>
    public static IReadOnlyList<MetricColumn> Columns(ScenarioSpec world, MetricsSpec m)
    {
        var cols = new List<MetricColumn>();
        foreach (var c in Countries(world, m))
        {
            cols.Add(new($"loss_{c}", ColumnKind.Number));
            cols.Add(new($"loss_gdp_share_{c}", ColumnKind.Share));
            cols.Add(new($"peak_unmet_share_{c}", ColumnKind.Share));
            cols.Add(new($"shortage_days_{c}", ColumnKind.Integer));
            cols.Add(new($"days_to_recover_{c}", ColumnKind.Integer));
            cols.Add(new($"fiscal_cost_{c}", ColumnKind.Number));
            cols.Add(new($"indirect_loss_{c}", ColumnKind.Number));
            // Value added made over the run, every stage: the side a blocked exporter loses on (its unsold output is no loss in
            // loss_C, which counts output lost for want of inputs), so a sweep can weigh what a control costs the state using it.
            cols.Add(new($"value_added_{c}", ColumnKind.Number));
        }
        foreach (var c in Commodities(world, m)) cols.Add(new($"peak_price_{c}", ColumnKind.Number));
        return cols;
    }

    public static RunResult Compute(RunSpec run, IReadOnlyList<Frame> frames, MetricsSpec m)
    {
        var world = run.Variant.Scenario;
        var summary = RunSummary.Compute(world, frames).ToDictionary(s => s.Country, StringComparer.Ordinal);
        var countries = Countries(world, m).ToList();
        var commodities = Commodities(world, m).ToList();
        var countrySet = countries.ToHashSet(StringComparer.Ordinal);
        var commoditySet = commodities.ToHashSet(StringComparer.Ordinal);
        var gdp = world.Countries.ToDictionary(c => c.Id, c => c.Gdp, StringComparer.Ordinal);

        var firstShort = new Dictionary<string, int>(StringComparer.Ordinal);
        var lastShort = new Dictionary<string, int>(StringComparer.Ordinal);
        var peakPrice = new Dictionary<string, double>(StringComparer.Ordinal);
        var series = new List<SeriesPoint>();
        var lastTick = frames.Count == 0 ? -1 : frames[^1].Tick;

        foreach (var f in frames)
        {
            foreach (var p in f.Prices)
                peakPrice[p.Commodity] = Math.Max(peakPrice.GetValueOrDefault(p.Commodity, double.MinValue), p.Price);

            // Country-level unmet share per commodity, and the worst commodity (as summary.csv).
            var unmet = FrameMetrics.UnmetShares(f.Shortages);
            foreach (var (c, share) in FrameMetrics.WorstUnmetShare(unmet))
                if (share > RunSummary.ShortageThreshold)
                {
                    firstShort.TryAdd(c, f.Tick);
                    lastShort[c] = f.Tick;
                }

            if (!m.Recording.Records(f.Tick, lastTick)) continue;
            foreach (var metric in m.Series)
            {
                switch (metric)
                {
                    case "price":
                        foreach (var p in f.Prices.Where(p => commoditySet.Contains(p.Commodity)))
                            series.Add(new(f.Tick, f.Date, metric, $"{p.Market}/{p.Commodity}", p.Price));
                        break;
                    case "loss":
                    case "loss_gdp_share":
                        var cum = new SortedDictionary<string, double>(StringComparer.Ordinal);
                        foreach (var l in f.Losses.Where(l => countrySet.Contains(l.Country))) cum[l.Country] = cum.GetValueOrDefault(l.Country) + l.Cumulative;
                        foreach (var (c, v) in cum)
                            series.Add(new(f.Tick, f.Date, metric, c, metric == "loss" ? v : (gdp[c] > 0 ? v / gdp[c] : 0)));
                        break;
                    case "unmet_share":
                        foreach (var (c, k, share) in unmet.Where(x => countrySet.Contains(x.Country) && commoditySet.Contains(x.Commodity)).OrderBy(x => (x.Country, x.Commodity)))
                            series.Add(new(f.Tick, f.Date, metric, $"{c}/{k}", share));
                        break;
                    case "fiscal":
                        foreach (var x in f.Fiscal.Where(x => countrySet.Contains(x.Country)))
                            series.Add(new(f.Tick, f.Date, metric, x.Country, x.Cumulative));
                        break;
                }
            }
        }

        var values = new List<double?>();
        foreach (var c in countries)
        {
            var s = summary[c];
            values.Add(s.CumulativeLoss);
            values.Add(s.LossGdpShare);
            values.Add(s.PeakUnmetShare);
            values.Add(s.ShortageDays);
            values.Add(DaysToRecover(firstShort, lastShort, c, lastTick));
            values.Add(s.FiscalCost);
            values.Add(s.IndirectLoss);
            double made = 0;
            if (frames.Count > 0) foreach (var v in frames[^1].ValueAdded) if (v.Country == c) made += v.Cumulative;
            values.Add(made);
        }
        foreach (var c in commodities) values.Add(peakPrice.TryGetValue(c, out var pp) ? pp : null);
        return new RunResult(run, values, series);
    }

    /// <summary>
    /// Days from the first shortage day to the first day after the last one (0 without any shortage); null when the country
    /// is still short on the last tick (it has not recovered within the horizon).
    /// </summary>
    static double? DaysToRecover(Dictionary<string, int> first, Dictionary<string, int> last, string c, int lastTick)
    {
        if (!first.TryGetValue(c, out var f)) return 0;
        var l = last[c];
        return l == lastTick ? null : l + 1 - f;
    }
}
