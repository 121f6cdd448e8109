using System.Globalization;

namespace MarketSim.Cli;

public enum EngineKind { Reference, Orleans }

/// <summary>The parsed `run` command line. Days and Seed are null when not given: the scenario's own values apply.</summary>
public sealed record RunOptions(string File, int? Days, ulong? Seed, string OutDir, EngineKind Engine)
{
    public const string DefaultOutDir = "results";

    /// <summary>--cluster REDIS: run on that cluster as a client (null: MarketSim__Cluster__Redis, else an in-process silo).</summary>
    public string? Cluster { get; init; }
    /// <summary>--baseline FILE: the counterfactual scenario to compare the run with (same seed and horizon).</summary>
    public string? Baseline { get; init; }
    /// <summary>--baseline-without a,b: the counterfactual is the same scenario without these policies.</summary>
    public IReadOnlyList<string>? BaselineWithout { get; init; }
    /// <summary>Orleans grains are the product; the reference runner is the yardstick they must match byte for byte.</summary>
    public const EngineKind DefaultEngine = EngineKind.Orleans;

    /// <summary>Parses `FILE [--days N] [--seed S] [--out DIR] [--engine E]`; both `--opt value` and `--opt=value` work.</summary>
    public static (RunOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? file = null, outDir = null, cluster = null, baseline = null;
        IReadOnlyList<string>? without = null;
        int? days = null;
        ulong? seed = null;
        EngineKind? engine = null;

        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                if (a.StartsWith('-') && a != "-") return (null, $"unknown option '{a}'");
                if (file is not null) return (null, $"unexpected argument '{a}' (run takes one FILE; the scenario is '{file}')");
                file = a;
                continue;
            }
            var eq = a.IndexOf('=');
            var name = eq < 0 ? a : a[..eq];
            string? value = eq < 0 ? null : a[(eq + 1)..];
            if (name is not ("--days" or "--seed" or "--out" or "--engine" or "--cluster" or "--baseline" or "--baseline-without"))
                return (null, $"unknown option '{name}' (options: --days, --seed, --out, --engine, --cluster, --baseline, --baseline-without)");
            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) return (null, $"option {name} needs a value");
                value = args[++i];
            }
            switch (name)
            {
                case "--days":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d < 1)
                        return (null, $"--days must be a whole number of days, at least 1; got '{value}'");
                    if (d > Model.Scenario.QuantityLimits.MaxDays)
                        return (null, $"--days must be at most {Model.Scenario.QuantityLimits.MaxDays} (100 years); got '{value}'");
                    days = d;
                    break;
                case "--seed":
                    if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
                        return (null, $"--seed must be a whole number from 0 to {ulong.MaxValue}; got '{value}'");
                    seed = s;
                    break;
                case "--out":
                    if (value.Length == 0) return (null, "--out needs a directory");
                    outDir = value;
                    break;
                case "--cluster":
                    if (value.Length == 0) return (null, "--cluster needs the Redis address of the cluster, e.g. 127.0.0.1:6379");
                    cluster = value;
                    break;
                case "--baseline":
                    if (value.Length == 0) return (null, "--baseline needs the scenario FILE to compare with");
                    baseline = value;
                    break;
                case "--baseline-without":
                    var ids = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    if (ids.Length == 0) return (null, "--baseline-without needs policy ids, e.g. --baseline-without cn-ban,cn-quota");
                    without = ids;
                    break;
                case "--engine":
                    engine = value switch { "reference" => EngineKind.Reference, "orleans" => EngineKind.Orleans, _ => null };
                    if (engine is null) return (null, $"--engine must be 'orleans' or 'reference'; got '{value}'");
                    break;
            }
        }
        if (file is null) return (null, "missing the scenario FILE to run");
        if (cluster is not null && engine == EngineKind.Reference) return (null, "--cluster runs on Orleans grains; it cannot be combined with --engine reference");
        if (baseline is not null && without is not null) return (null, "--baseline and --baseline-without name two different baselines; give one");
        return (new RunOptions(file, days, seed, outDir ?? DefaultOutDir, engine ?? DefaultEngine) { Cluster = cluster, Baseline = baseline, BaselineWithout = without }, null);
    }
}
