using MarketSim.Model.Scenario;

namespace MarketSim.Experiments;

/// <summary>How often a run's series are recorded.</summary>
/// <param name="Every">Record ticks t with t % Every == 0, and always the last tick. 0 = the last tick only ("final").</param>
public sealed record RecordingSpec(int Every)
{
    public bool Records(int tick, int lastTick) => tick == lastTick || (Every > 0 && tick % Every == 0);
    public override string ToString() => Every == 0 ? "final" : Every.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Which metrics a batch records. Country and commodity filters apply to series and to runs.csv columns; null = all.</summary>
public sealed record MetricsSpec(IReadOnlyList<string> Series, RecordingSpec Recording, IReadOnlyList<string>? Countries, IReadOnlyList<string>? Commodities)
{
    /// <summary>Every series metric a batch can record (see docs/SCENARIOS.md, "Experiment files").</summary>
    public static readonly IReadOnlyList<string> Known = ["price", "loss", "loss_gdp_share", "unmet_share", "fiscal"];
    public static readonly IReadOnlyList<string> Default = ["price", "loss"];
}

/// <summary>One varied parameter: a column name, a path into the scenario and, for a grid, its values (text, as written).</summary>
public sealed record ParameterSpec(string Name, ParameterPath Path, IReadOnlyList<string> Values, int Line, int Column)
{
    public bool IsGrid => Values.Count > 0;
}

/// <summary>A named case: values for parameters that are not on the grid.</summary>
public sealed record CaseSpec(string Name, IReadOnlyDictionary<string, string> Set);

/// <summary>
/// One distinct scenario of a batch: a case and a grid point. Its repetitions differ only in their seed.
/// </summary>
/// <param name="Index">1-based, in expansion order (cases, then the grid with the last parameter varying fastest).</param>
/// <param name="Values">Parameter name → value as text, for every parameter (those not set by the variant: empty).</param>
public sealed record Variant(int Index, string Case, IReadOnlyDictionary<string, string> Values, ScenarioSpec Scenario)
{
    /// <summary>"case: a=1, b=2" (or "a=1, b=2" when the experiment has no cases), used as the report's label.</summary>
    public string Label(IEnumerable<string> parameterNames)
    {
        var parts = string.Join(", ", parameterNames.Where(n => Values.TryGetValue(n, out var v) && v.Length > 0).Select(n => $"{n}={Values[n]}"));
        return Case.Length == 0 ? (parts.Length == 0 ? "base" : parts) : (parts.Length == 0 ? Case : $"{Case}: {parts}");
    }
}

/// <summary>One run of a batch: a variant and a repetition. Run ids are 1..N in expansion order (variant, then repetition).</summary>
public sealed record RunSpec(int RunId, Variant Variant, int Repetition, ulong Seed);

/// <summary>A validated experiment, expanded: every variant's scenario loaded and checked, every run with its seed.</summary>
public sealed record ExperimentPlan
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required string ExperimentFile { get; init; }
    public required string ScenarioFile { get; init; }
    public required int Days { get; init; }
    public required ulong MasterSeed { get; init; }
    public required int Repetitions { get; init; }
    /// <summary>True: repetition r has the same seed in every variant (common random numbers).</summary>
    public required bool CommonSeeds { get; init; }
    public required IReadOnlyList<ParameterSpec> Parameters { get; init; }
    public required bool HasCases { get; init; }
    public required MetricsSpec Metrics { get; init; }
    public required IReadOnlyList<Variant> Variants { get; init; }
    public required IReadOnlyList<RunSpec> Runs { get; init; }

    public IEnumerable<string> ParameterNames => Parameters.Select(p => p.Name);
}
