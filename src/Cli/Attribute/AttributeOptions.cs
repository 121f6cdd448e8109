using System.Globalization;

namespace MarketSim.Cli.Attribution;

/// <summary>The parsed `attribute` command line. Null Days, Seed, Samples: the scenario's days and seed; exact when possible.</summary>
public sealed record AttributeOptions(string File, string OutDir)
{
    public const string DefaultOutDir = "results";
    public const int MaxSamples = 100_000;

    public IReadOnlyList<string>? Policies { get; init; }
    public IReadOnlyList<(string Name, IReadOnlyList<string> Ids)> Groups { get; init; } = [];
    public int? Samples { get; init; }
    public ulong? Seed { get; init; }
    /// <summary>Seeds to average over (seed, seed + 1, …): 1 = the one seed.</summary>
    public int Seeds { get; init; } = 1;
    public const int MaxSeeds = 100;
    public int? Days { get; init; }
    public int Parallel { get; init; } = DefaultParallel;
    /// <summary>Countries whose table is printed (null: every country with something to split). The CSV has them all.</summary>
    public IReadOnlyList<string>? Countries { get; init; }

    public static int DefaultParallel => Math.Max(1, Environment.ProcessorCount);

    static readonly string[] Names = ["--policies", "--groups", "--samples", "--seed", "--seeds", "--days", "--out", "--parallel", "--country"];

    /// <summary>Parses `FILE [--policies a,b] [--groups g=a+b,h=c] [--samples N] [--seed S] [--seeds K] [--days N] [--out DIR]
    /// [--parallel N] [--country C,D]`; `--opt value` and `--opt=value` both work; --groups may be repeated.</summary>
    public static (AttributeOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? file = null, outDir = null;
        List<string>? policies = null, countries = null;
        var groups = new List<(string, IReadOnlyList<string>)>();
        int? samples = null, days = null, parallel = null;
        var seeds = 1;
        ulong? seed = null;

        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a == "--")
            {
                if (a.StartsWith('-') && a != "-") return (null, $"unknown option '{a}'");
                if (file is not null) return (null, $"unexpected argument '{a}' (attribute takes one FILE; the scenario is '{file}')");
                file = a;
                continue;
            }
            var eq = a.IndexOf('=');
            var name = eq < 0 ? a : a[..eq];
            string? value = eq < 0 ? null : a[(eq + 1)..];
            if (!Names.Contains(name)) return (null, $"unknown option '{name}' (options: {string.Join(", ", Names)})");
            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) return (null, $"option {name} needs a value");
                value = args[++i];
            }
            static List<string> List(string v) => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            switch (name)
            {
                case "--policies":
                    policies ??= [];
                    policies.AddRange(List(value));
                    if (policies.Count == 0) return (null, "--policies needs policy ids, e.g. --policies cn-ban,jp-stockpile");
                    break;
                case "--country":
                    countries ??= [];
                    countries.AddRange(List(value));
                    break;
                case "--groups":
                    foreach (var g in List(value))
                    {
                        var at = g.IndexOf('=');
                        if (at <= 0) return (null, $"--groups: '{g}' is not name=id+id (e.g. china=cn-ban+cn-quota)");
                        var ids = g[(at + 1)..].Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                        if (ids.Length == 0) return (null, $"--groups: group '{g[..at]}' names no policy");
                        groups.Add((g[..at].Trim(), ids));
                    }
                    break;
                case "--samples":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 2 || n > MaxSamples)
                        return (null, $"--samples must be a whole number of permutations from 2 to {MaxSamples}; got '{value}'");
                    samples = n;
                    break;
                case "--seed":
                    if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
                        return (null, $"--seed must be a whole number from 0 to {ulong.MaxValue}; got '{value}'");
                    seed = s;
                    break;
                case "--seeds":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1 || k > MaxSeeds)
                        return (null, $"--seeds must be a whole number of seeds from 1 to {MaxSeeds}; got '{value}'");
                    seeds = k;
                    break;
                case "--days":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d < 1 || d > Model.Scenario.QuantityLimits.MaxDays)
                        return (null, $"--days must be a whole number of days from 1 to {Model.Scenario.QuantityLimits.MaxDays}; got '{value}'");
                    days = d;
                    break;
                case "--parallel":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 1 || p > 1024)
                        return (null, $"--parallel must be a whole number of runs at a time from 1 to 1024; got '{value}'");
                    parallel = p;
                    break;
                case "--out":
                    if (value.Length == 0) return (null, "--out needs a directory");
                    outDir = value;
                    break;
            }
        }
        if (file is null) return (null, "missing the scenario FILE to attribute");
        return (new AttributeOptions(file, outDir ?? DefaultOutDir)
        {
            Policies = policies, Groups = groups, Samples = samples, Seed = seed, Seeds = seeds, Days = days, Parallel = parallel ?? DefaultParallel, Countries = countries,
        }, null);
    }
}
