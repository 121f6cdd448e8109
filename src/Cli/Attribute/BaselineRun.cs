using MarketSim.Model.Attribution;
using MarketSim.Model.Output;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Cli.Attribution;

/// <summary>
/// `marketsim run FILE --baseline OTHER.yaml | --baseline-without a,b`: the run's counterfactual, run with the same seed and
/// horizon on the same engine, and vs_baseline.csv (<see cref="BaselineComparison"/>).
/// </summary>
public static class BaselineRun
{
    /// <summary>The baseline's world and how it is described, checked before any simulation time is spent; null and an
    /// error already printed on stderr when it cannot be used; (null, null) when the run names no baseline.</summary>
    public static (ScenarioSpec? World, string? Description, bool Failed) Resolve(RunOptions options, ScenarioSpec world)
    {
        if (options.BaselineWithout is { } ids)
        {
            if (Counterfactual.Unknown(world, ids) is [_, ..] unknown)
            {
                var known = Counterfactual.PolicyIds(world);
                Console.Error.WriteLine($"marketsim run: error: --baseline-without: no policy {string.Join(", ", unknown.Select(u => $"\"{u}\""))} in {options.File} " +
                    $"(policies: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
                return (null, null, true);
            }
            return (Counterfactual.Without(world, ids), $"{options.File} without {string.Join(", ", ids)}", false);
        }
        if (options.Baseline is { } file)
        {
            var loaded = ScenarioLoader.LoadFile(file);
            if (!loaded.Ok)
            {
                ScenarioErrors.Print(Console.Error, file, loaded.Errors);
                return (null, null, true);
            }
            // Said before any time is spent, and again with the results: a baseline of another world measures more than policies.
            var differences = WorldDifferences.Between(world, loaded.Spec!);
            if (differences.Count == 0) return (loaded.Spec!, file, false);
            var warning = $"{file} is not the same world as {options.File} ({string.Join("; ", differences)}), so every difference " +
                          "mixes the policies' effect with the worlds'; to measure policies alone use --baseline-without";
            Console.Error.WriteLine($"marketsim run: warning: {warning}");
            return (loaded.Spec!, $"{file}, NOT THE SAME WORLD: {string.Join("; ", differences)}", false);
        }
        return (null, null, false);
    }

    /// <summary>
    /// Runs the baseline (same seed, same number of days) and writes vs_baseline.csv through <paramref name="open"/>. The
    /// baseline runs on the reference runner whatever the run's engine: the grains give the same frames byte for byte (tested),
    /// and a second silo in the same process would only cost time.
    /// </summary>
    public static IReadOnlyList<BaselineRow> Compare(ScenarioSpec world, IReadOnlyList<Frame> frames, ScenarioSpec baseline,
        ulong seed, int days, Func<string, TextWriter> open, CancellationToken cancel)
    {
        var rows = BaselineComparison.Compare(OutcomeAccumulator.Compute(world, frames), OutcomeAccumulator.Simulate(baseline, seed, days, cancel));
        using (var w = open(BaselineComparison.FileName)) w.Write(BaselineComparison.ToCsv(rows));
        return rows;
    }

    /// <summary>The money differences that are not zero, one line per country.</summary>
    public static void Print(TextWriter w, string description, IReadOnlyList<BaselineRow> rows, string currency)
    {
        w.WriteLine($"  against the baseline ({description}), run − baseline, {currency}:");
        string[] shown = ["cumulative_loss", "fiscal_cost", "export_revenue", "export_rent"];
        foreach (var country in rows.Select(r => r.Country).Distinct())
        {
            var parts = rows.Where(r => r.Country == country && shown.Contains(r.Metric) && r.Difference is { } d && d != 0)
                .Select(r => $"{r.Metric.Replace('_', ' ')} {Signed(r.Difference!.Value)}").ToList();
            if (parts.Count > 0) w.WriteLine($"    {country}: {string.Join(", ", parts)}");
        }
        w.WriteLine($"  wrote {BaselineComparison.FileName}");
    }

    static string Signed(double v) => (v > 0 ? "+" : "") + CsvFormat.Number(v);
}
