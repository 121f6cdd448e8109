using MarketSim.Model.Output;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Attribution;

/// <summary>One row of attribution.csv. Player "total" is v(N) − v(∅), the sum of the players' values.</summary>
/// <param name="Share">Value / total (null when the total is 0).</param>
/// <param name="StdErr">Sampling standard error of the value (0 when exact; NaN when it cannot be estimated).</param>
public sealed record AttributionRow(string Country, string Metric, string Player, double? Share, double Value, double StdErr);

/// <summary>The split of every country's metrics among the players, with the worlds with none and with all of them on.</summary>
/// <param name="Runs">Counterfactual runs made (distinct coalitions).</param>
/// <param name="Permutations">Permutations sampled (0 when exact).</param>
public sealed record AttributionResult(
    AttributionGame Game,
    bool Exact,
    int Runs,
    int Permutations,
    IReadOnlyList<string> Countries,
    IReadOnlyList<AttributionRow> Rows,
    IReadOnlyDictionary<(string Country, string Metric), (double None, double All)> Ends)
{
    /// <summary>Seeds the split is the mean over (1: one run per coalition).</summary>
    public int Seeds { get; init; } = 1;
}

/// <summary>
/// Attribution of each country's outcome to the policies by Shapley decomposition over counterfactual runs (docs/MODEL.md,
/// "Counterfactuals and attribution"). The worth of a coalition S is the metric in the run with only S's policies (and the
/// background) in force, the same seed and horizon; the empty coalition is the run with none of the players' policies.
/// </summary>
public static class PolicyAttribution
{
    /// <summary>The metrics split: per country, in this order. value_added is value added made at reference prices, every stage:
    /// its fall is the direct loss counted the other way, producers whose exports a policy blocked included (their unsold
    /// output is no "loss" in the loss metric, which counts output lost for want of inputs). tariff_revenue stands beside
    /// extra_input_cost: a country's own tariff raises its buyers' input cost mostly by the duty its state collects, so the cost
    /// alone made a tariff look like a pure loss to the country that levies it.</summary>
    public static readonly IReadOnlyList<string> Metrics = ["loss", "fiscal_cost", "export_revenue", "export_rent", "indirect_loss", "extra_input_cost", "value_added", "tariff_revenue"];
    /// <summary>Exact (2ⁿ runs) up to this many players; sampled permutations beyond.</summary>
    public const int MaxExact = 8;
    public const int DefaultSamples = 200;
    public const string FileName = "attribution.csv";
    public static readonly IReadOnlyList<string> Header = ["country", "metric", "policy", "share", "value", "stderr"];

    static double[] Vector(IReadOnlyList<CountryOutcome> outcomes)
    {
        var v = new double[outcomes.Count * Metrics.Count];
        for (int c = 0; c < outcomes.Count; c++)
        {
            var o = outcomes[c];
            v[c * Metrics.Count + 0] = o.Loss;
            v[c * Metrics.Count + 1] = o.FiscalCost;
            v[c * Metrics.Count + 2] = o.ExportRevenue;
            v[c * Metrics.Count + 3] = o.ExportRent;
            v[c * Metrics.Count + 4] = o.IndirectLoss;
            v[c * Metrics.Count + 5] = o.ExtraInputCost;
            v[c * Metrics.Count + 6] = o.ValueAdded;
            v[c * Metrics.Count + 7] = o.TariffRevenue;
        }
        return v;
    }

    /// <summary>
    /// Runs every coalition needed on the reference runner, <paramref name="parallel"/> at a time, and splits. Exact when there
    /// are at most <see cref="MaxExact"/> players and no <paramref name="samples"/>; else that many permutations (default
    /// <see cref="DefaultSamples"/>) drawn from <paramref name="seed"/>. The result depends on nothing but the arguments.
    /// </summary>
    /// <param name="progress">Receives the number of runs finished so far (from several threads).</param>
    /// <param name="scheduler">Where the runs go (default: the thread pool). A web host that must keep its pool for its
    /// requests gives threads of its own.</param>
    /// <param name="seeds">Runs every coalition with seeds <paramref name="seed"/> … seed + seeds − 1 and splits their mean (Shapley
    /// values are linear in the worths, so this is the mean of the per-seed splits); the standard error then includes the
    /// spread across seeds (licence draws make single-seed splits move by more than their own size).</param>
    public static AttributionResult Run(ScenarioSpec world, AttributionGame game, ulong seed, int days, int? samples, int parallel,
        IProgress<int>? progress = null, CancellationToken cancel = default, TaskScheduler? scheduler = null, int seeds = 1)
    {
        var n = game.Count;
        var exact = samples is null && n <= MaxExact;
        IReadOnlyList<int[]> permutations = exact ? [] : Shapley.SamplePermutations(n, samples ?? DefaultSamples, seed);
        var coalitions = exact ? Shapley.AllCoalitions(n).ToList() : Shapley.CoalitionsOf(permutations);
        seeds = Math.Max(1, seeds);

        Counterfactual.Prime(world);
        var worths = new double[seeds][][];
        for (int k = 0; k < seeds; k++) worths[k] = new double[coalitions.Count][];
        var countries = world.Countries.Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        int done = 0;
        // Each run writes only its own slot, so the result does not depend on which thread ran what, or when.
        Parallel.For(0, seeds * coalitions.Count, new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = cancel, TaskScheduler = scheduler ?? TaskScheduler.Default,
        }, r =>
        {
            var (k, i) = Math.DivRem(r, coalitions.Count);
            worths[k][i] = Vector(OutcomeAccumulator.Simulate(game.World(world, coalitions[i]), seed + (ulong)k, days, cancel));
            progress?.Report(Interlocked.Increment(ref done));
        });

        var index = new Dictionary<ulong, int>();
        for (int i = 0; i < coalitions.Count; i++) index[coalitions[i]] = i;
        (double[][] Value, double[][] Err) Split(double[][] w)
        {
            if (!exact) return Shapley.Sampled(n, permutations, m => w[index[m]]);
            var v = Shapley.Exact(n, w);
            return (v, v.Select(x => new double[x.Length]).ToArray());
        }
        var perSeed = worths.Select(Split).ToArray();
        var size = perSeed[0].Value[0].Length;
        // Every seed's split uses the same permutations, so their sampling errors are not independent and do not shrink with
        // the number of seeds: the sampling error of the mean is that of the split of the mean worths (Shapley values are
        // linear in the worths), over the one set of permutations. Error² = spread across seeds / seeds + that error². Before
        // Dec 2026 the sampling term was Σ per-seed error² / seeds², as if each seed had drawn its own permutations: with 100
        // seeds the sampling error read ten times too small (found by a review).
        var pooled = seeds == 1 ? perSeed[0] : Split(Enumerable.Range(0, coalitions.Count).Select(Mean).ToArray());
        var value = new double[n][];
        var err = new double[n][];
        for (int p = 0; p < n; p++)
        {
            value[p] = new double[size];
            err[p] = new double[size];
            for (int j = 0; j < size; j++)
            {
                var (mean, seedErr) = AcrossSeeds(perSeed.Select(x => x.Value[p][j]).ToArray());
                var sampling = pooled.Err[p][j];
                value[p][j] = mean;
                err[p][j] = seeds == 1 ? sampling : Math.Sqrt(seedErr * seedErr + sampling * sampling);
            }
        }

        double[] Mean(int coalition)
        {
            var m = new double[size];
            foreach (var w in worths) for (int j = 0; j < size; j++) m[j] += w[coalition][j] / seeds;
            return m;
        }
        var none = Mean(index[0]);
        var all = Mean(index[game.Grand]);
        var rows = new List<AttributionRow>();
        var ends = new Dictionary<(string, string), (double, double)>();
        for (int c = 0; c < countries.Count; c++)
            for (int m = 0; m < Metrics.Count; m++)
            {
                var j = c * Metrics.Count + m;
                var total = all[j] - none[j];
                ends[(countries[c], Metrics[m])] = (none[j], all[j]);
                for (int p = 0; p < n; p++)
                    rows.Add(new AttributionRow(countries[c], Metrics[m], game.Players[p].Name, total != 0 ? value[p][j] / total : null, value[p][j], err[p][j]));
                rows.Add(new AttributionRow(countries[c], Metrics[m], "total", total != 0 ? 1 : null, total, SeedError(j)));
            }
        return new AttributionResult(game, exact, coalitions.Count * seeds, permutations.Count, countries, rows, ends) { Seeds = seeds };

        // The total's standard error across seeds (0 with one seed: all − none is then exact).
        double SeedError(int j) => AcrossSeeds(worths.Select(w => w[index[game.Grand]][j] - w[index[0]][j]).ToArray()).Error;
    }

    /// <summary>The mean of one value per seed and its standard error, s/√K (0 for one seed).</summary>
    static (double Mean, double Error) AcrossSeeds(double[] values)
    {
        double mean = 0;
        foreach (var v in values) mean += v;
        mean /= values.Length;
        if (values.Length == 1) return (mean, 0);
        double spread = 0;
        foreach (var v in values) spread += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(spread / (values.Length - 1) / values.Length));
    }

    /// <summary>The whole of attribution.csv.</summary>
    public static string ToCsv(IEnumerable<AttributionRow> rows)
    {
        var sb = new System.Text.StringBuilder(CsvFormat.Line(Header));
        foreach (var r in rows)
            sb.Append(CsvFormat.Line([r.Country, r.Metric, r.Player, r.Share is { } s ? CsvFormat.Share(s) : "", CsvFormat.Number(r.Value),
                double.IsNaN(r.StdErr) ? "" : CsvFormat.Number(r.StdErr)]));
        return sb.ToString();
    }
}
