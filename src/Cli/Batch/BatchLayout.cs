using System.Globalization;
using MarketSim.Experiments;
using MarketSim.Model.Output;

namespace MarketSim.Cli.Batch;

/// <summary>The columns of runs.csv and series.csv for one experiment, and how a run's values become cells.</summary>
public sealed class BatchLayout(ExperimentPlan plan)
{
    public const string RunsCsv = "runs.csv";
    public const string SeriesCsv = "series.csv";
    public const string RunsParquet = "runs.parquet";
    public const string SeriesParquet = "series.parquet";
    public const string Manifest = "manifest.json";
    public const string ExperimentCopy = "experiment.yaml";
    public const string ScenarioCopy = "scenario.yaml";

    public static readonly IReadOnlyList<string> SeriesHeader = ["run_id", "tick", "date", "metric", "key", "value"];

    public ExperimentPlan Plan { get; } = plan;
    public IReadOnlyList<MetricColumn> Metrics { get; } = RunMetrics.Columns(plan.Variants[0].Scenario, plan.Metrics);
    public IReadOnlyList<string> ParameterNames { get; } = plan.Parameters.Select(p => p.Name).ToList();

    public IReadOnlyList<string> RunsHeader =>
        ["run_id", "variant", "case", .. ParameterNames, "repetition", "seed", .. Metrics.Select(m => m.Name)];

    static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static string Format(double? v, ColumnKind kind) => v is null ? "" : kind switch
    {
        ColumnKind.Share => CsvFormat.Share(v.Value),
        ColumnKind.Integer => I((long)v.Value),
        _ => CsvFormat.Number(v.Value),
    };

    public static ColumnKind SeriesKind(string metric) => metric is "loss_gdp_share" or "unmet_share" ? ColumnKind.Share : ColumnKind.Number;

    public string[] RunCells(RunResult r) =>
    [
        I(r.Run.RunId), I(r.Run.Variant.Index), r.Run.Variant.Case,
        .. ParameterNames.Select(n => r.Run.Variant.Values[n]),
        I(r.Run.Repetition), r.Run.Seed.ToString(CultureInfo.InvariantCulture),
        .. r.Summary.Select((v, i) => Format(v, Metrics[i].Kind)),
    ];

    public static IEnumerable<string[]> SeriesCells(RunResult r)
    {
        var id = I(r.Run.RunId);
        foreach (var p in r.Series)
            yield return [id, I(p.Tick), CsvFormat.Date(p.Date), p.Metric, p.Key, Format(p.Value, SeriesKind(p.Metric))];
    }
}

/// <summary>Where finished runs go. Append is called by one thread at a time; a run counts as finished once Append returns.</summary>
public interface IBatchSink : IDisposable
{
    /// <summary>Creates the files, or with <paramref name="resume"/> repairs them and returns the runs already finished.</summary>
    IReadOnlySet<int> Open(bool resume);
    void Append(RunResult result);
    /// <summary>All runs finished: the final files, rows sorted by run id.</summary>
    void Complete();
}
