using System.Globalization;

namespace MarketSim.Cli.Batch;

public enum BatchFormat { Csv, Parquet }

/// <summary>The parsed `batch` command line.</summary>
public sealed record BatchOptions(string File, string OutDir, int Parallel, bool Resume, BatchFormat Format, bool Yes)
{
    /// <summary>--cluster REDIS: run on that cluster as a client (null: MarketSim__Cluster__Redis, else an in-process silo).</summary>
    public string? Cluster { get; init; }

    /// <summary>--checkpoint-every N: ticks between a session's checkpoints; null = the default for where the runs go
    /// (<see cref="DefaultCheckpointEvery"/>).</summary>
    public int? CheckpointEvery { get; init; }

    /// <summary>
    /// In process nothing survives the silo, so checkpoints buy nothing and cost time: none (0: only tick 0). On a cluster a
    /// session resumes from its last checkpoint after a silo dies: every 30 ticks, as a session's default.
    /// </summary>
    public static int DefaultCheckpointEvery(bool cluster) => cluster ? MarketSim.Grains.Interfaces.SessionSettings.Default.CheckpointEvery : 0;

    /// <summary>One run per core: two per core gave no more runs per minute (bench/RESULTS-batch.md) and hold twice the memory.</summary>
    public static int DefaultParallel => Math.Max(1, Environment.ProcessorCount);

    public static (BatchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? file = null, outDir = null, cluster = null;
        int? parallel = null, checkpointEvery = null;
        bool resume = false, yes = false;
        var format = BatchFormat.Csv;
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                if (a.StartsWith('-') && a != "-") return (null, $"unknown option '{a}'");
                if (file is not null) return (null, $"unexpected argument '{a}' (batch takes one FILE; the experiment is '{file}')");
                file = a;
                continue;
            }
            var eq = a.IndexOf('=');
            var name = eq < 0 ? a : a[..eq];
            string? value = eq < 0 ? null : a[(eq + 1)..];
            switch (name)
            {
                case "--resume": if (value is not null) return (null, "--resume takes no value"); resume = true; continue;
                case "--yes": if (value is not null) return (null, "--yes takes no value"); yes = true; continue;
                case "--out" or "--parallel" or "--format" or "--cluster" or "--checkpoint-every": break;
                default: return (null, $"unknown option '{name}' (options: --out, --parallel, --resume, --format, --yes, --cluster, --checkpoint-every)");
            }
            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) return (null, $"option {name} needs a value");
                value = args[++i];
            }
            switch (name)
            {
                case "--out":
                    if (value.Length == 0) return (null, "--out needs a directory");
                    outDir = value;
                    break;
                case "--parallel":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 1 || p > 1024)
                        return (null, $"--parallel must be a whole number from 1 to 1024; got '{value}'");
                    parallel = p;
                    break;
                case "--cluster":
                    if (value.Length == 0) return (null, "--cluster needs the Redis address of the cluster, e.g. 127.0.0.1:6379");
                    cluster = value;
                    break;
                case "--checkpoint-every":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c > 100_000)
                        return (null, $"--checkpoint-every must be a whole number of ticks from 0 (none after tick 0) to 100000; got '{value}'");
                    checkpointEvery = c;
                    break;
                case "--format":
                    format = value switch { "csv" => BatchFormat.Csv, "parquet" => BatchFormat.Parquet, _ => (BatchFormat)(-1) };
                    if ((int)format < 0) return (null, $"--format must be 'csv' or 'parquet'; got '{value}'");
                    break;
            }
        }
        if (file is null) return (null, "missing the experiment FILE to run");
        if (outDir is null) return (null, "missing --out DIR (where runs.csv, series.csv and the manifest go)");
        return (new BatchOptions(file, outDir, parallel ?? DefaultParallel, resume, format, yes) { Cluster = cluster, CheckpointEvery = checkpointEvery }, null);
    }
}
