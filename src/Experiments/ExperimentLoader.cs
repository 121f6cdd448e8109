using System.Globalization;
using MarketSim.Model.Scenario;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Experiments;

/// <summary>Either a validated, expanded experiment or every error found (located like scenario errors); never both.</summary>
public sealed record ExperimentLoadResult(ExperimentPlan? Plan, IReadOnlyList<ScenarioError> Errors)
{
    public bool Ok => Plan is not null && Errors.Count == 0;
}

/// <summary>
/// Reads an experiment file (docs/SCENARIOS.md, "Experiment files"), loads its base scenario, expands cases × grid ×
/// repetitions and checks every variant's scenario with the scenario loader's own rules before anything runs. Errors are
/// located at file:line:column: in the experiment file where the mistake is there (a bad path, an empty range, a value the
/// scenario rejects), in the scenario file otherwise. Pure apart from reading the two files.
/// </summary>
public static class ExperimentLoader
{
    /// <summary>Batches larger than this need an explicit confirmation (<c>marketsim batch --yes</c>).</summary>
    public const int DefaultMaxRuns = 1000;

    static readonly string[] FixedColumns = ["run_id", "variant", "case", "repetition", "seed"];

    /// <param name="maxRuns">More runs than this is an error (null: no limit).</param>
    public static ExperimentLoadResult LoadFile(string path, int? maxRuns = DefaultMaxRuns)
    {
        var text = YamlLimits.ReadFile(path, out var error);
        if (text is null) return Fail(error!);
        return LoadText(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!, maxRuns);
    }

    static ExperimentLoadResult Fail(params ScenarioError[] e) => new(null, e);

    /// <summary>Every tree is built through <see cref="YamlLimits"/>, as the scenario loader's are.</summary>
    static YamlMappingNode? Parse(string text, string file, string what, out ScenarioError? error) =>
        YamlLimits.LoadMapping(text, file, what, out error);

    /// <param name="baseDirectory">The scenario path is relative to this (the experiment file's folder).</param>
    public static ExperimentLoadResult LoadText(string yaml, string fileName, string baseDirectory, int? maxRuns = DefaultMaxRuns)
    {
        try
        {
            return Load(yaml, fileName, baseDirectory, maxRuns);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in a check must not take the batch down with it: report it, located at the file.
            return Fail(new ScenarioError(fileName, 1, 1, "", $"the experiment could not be checked ({e.GetType().Name}: {e.Message}); please report this"));
        }
    }

    /// <summary>Variants one batch may hold, --yes or not (each is a scenario checked and kept before the first run).</summary>
    public const long MaxVariants = 20_000;

    /// <summary>Runs one batch may hold, --yes or not (each is planned and listed in the manifest before the first starts).</summary>
    public const long MaxRuns = 100_000;

    /// <summary>Parameters one experiment may vary (each is a column of runs.csv; checking a variant takes time in their square).</summary>
    public const int MaxParameters = 100;

    /// <summary>Case names and parameter values are written into runs.csv cells: no line breaks or other control characters.</summary>
    static string? CellProblem(string text)
    {
        if (text.Length > TextRules.MaxLength) return $"must be at most {TextRules.MaxLength} characters long, got {text.Length}: it is written into a cell of runs.csv";
        for (int i = 0; i < text.Length; i++)
            if (IdRules.IsControl(text[i]))
                return $"must not contain control characters such as line breaks or tabs (U+{(int)text[i]:X4} at position {i + 1}): it is written into a cell of runs.csv";
        return null;
    }

    static ExperimentLoadResult Load(string yaml, string fileName, string baseDirectory, int? maxRuns)
    {
        var root = Parse(yaml, fileName, "experiment", out var parseError);
        if (root is null) return Fail(parseError!);
        var sink = new ErrorSink(fileName);
        var map = new YamlMap(root, "", sink);

        var name = map.Text("name");
        var description = map.Text("description", required: false, fallback: "", prose: true)!;
        var scenarioRel = map.Str("scenario");
        var horizon = map.Int("horizon", required: false, min: 1);
        var masterSeed = ReadSeed(map, "master_seed");
        var repetitions = map.Int("repetitions", required: false, fallback: 1, min: 1) ?? 1;
        var samples = map.Int("samples", required: false, fallback: null, min: 2);
        // Without `seeds:` an experiment with priors draws each sample's seed on its own, so its 5–95% band covers the random
        // draws (licence approvals) as well as the priors; common seeds would give every sample the same draws, and a band
        // conditional on them (Japan's cut-off loss: one value where independent seeds give $0.4–2.7 bn). Sweeps without
        // priors keep common seeds by default: their variants are compared under the same draws.
        var seedsMode = map.Str("seeds", required: false, fallback: samples is not null ? "independent" : "common");
        if (seedsMode is not ("common" or "independent")) map.Error("seeds", $"must be 'common' or 'independent', got '{seedsMode}'");
        var addPolicies = map.Items("add_policies");
        var parameterMaps = map.Items("parameters");
        // Experiments vary a handful; 50,000 parameters (a 3 MB file) took 36 to 111 s before any answer (a review, Dec 2026).
        if (parameterMaps.Count > MaxParameters)
        {
            map.Error("parameters", $"has {parameterMaps.Count} parameters, more than the {MaxParameters} an experiment may vary (each is a column of runs.csv); split it into several experiments");
            return new(null, Sorted(sink.Errors, sink.Omitted));
        }
        var caseMaps = map.Items("cases");
        var metricsMap = map.Sub("metrics");

        // The base scenario: its own errors are reported as they are, in its own file.
        string? scenarioText = null, scenarioPath = null;
        if (scenarioRel is not null)
        {
            scenarioPath = Path.IsPathRooted(scenarioRel) ? scenarioRel : Path.GetFullPath(Path.Combine(baseDirectory, scenarioRel));
            if (!File.Exists(scenarioPath)) map.Error("scenario", $"scenario file '{scenarioRel}' not found (looked for {scenarioPath}; the path is relative to the experiment file)");
            else
            {
                var baseLoad = ScenarioLoader.LoadFile(scenarioPath);
                if (!baseLoad.Ok)
                {
                    map.Error("scenario", $"the scenario '{scenarioRel}' is invalid ({baseLoad.Errors.Count} errors below)");
                    return new(null, ErrorLimits.Cap(sink.Errors.Concat(baseLoad.Errors)));
                }
                scenarioText = YamlLimits.ReadFile(scenarioPath, out var readError);
                if (scenarioText is null) return Fail(readError!);
            }
        }

        // The base tree (scenario + added policies + horizon) is what paths are resolved against.
        YamlMappingNode? baseTree = null;
        if (scenarioText is not null)
        {
            baseTree = Parse(scenarioText, scenarioPath!, "scenario", out var treeError);
            if (baseTree is null) return Fail(treeError!);
            Prepare(baseTree, root, horizon);
            foreach (var p in addPolicies) p.Str("id"); // the scenario loader checks the rest, per variant
        }

        var baseWorld = baseTree is null ? null : ScenarioLoader.LoadText(scenarioText!, scenarioPath!).Spec;
        var metrics = ReadMetrics(metricsMap, baseWorld);
        // A parameter named like a column of runs.csv would repeat it: the report read the wrong value and Parquet failed.
        var columns = FixedColumns.ToHashSet(StringComparer.Ordinal);
        if (baseWorld is not null && metrics is not null) columns.UnionWith(RunMetrics.Columns(baseWorld, metrics).Select(c => c.Name));

        // Parameters.
        var priors = new Dictionary<string, (Prior Prior, YamlMap Map)>(StringComparer.Ordinal);
        var parameters = new List<ParameterSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var baseValues = new Dictionary<string, string>(StringComparer.Ordinal);
        var valueNodes = new Dictionary<string, List<YamlNode>>(StringComparer.Ordinal);
        var withValues = new HashSet<string>(StringComparer.Ordinal);
        var byPath = new Dictionary<string, string>(StringComparer.Ordinal); // a path's text → the parameter varying it
        long gridSoFar = 1; // the grid's size over the parameters read so far: a lower bound of the variants
        foreach (var pm in parameterMaps)
        {
            var pathText = pm.Str("path");
            var pname = pm.Str("name", required: false, fallback: pathText);
            ParameterPath? path = null;
            if (pathText is not null)
            {
                path = ParameterPath.Parse(pathText, out var syntax);
                if (path is null) pm.Error("path", $"'{ErrorLimits.Short(pathText)}' is not a parameter path: {syntax}");
                // A batch runs every variant over one horizon and derives every run's seed (from master_seed and the repetition):
                // a parameter on either was accepted and then not used (a review, Dec 2026), so its column named values no run had.
                else if (pathText.Trim() == "days")
                { pm.Error("path", "'days' is the horizon, which a batch runs for every variant alike (the scenario's, or --days): vary it in separate experiments"); path = null; }
                else if (pathText.Trim() == "seed")
                { pm.Error("path", "'seed': a batch derives each run's seed from master_seed and its repetition; use repetitions to vary it"); path = null; }
                // Two parameters on one path: the last set wins, and runs.csv labelled runs with the other's values (a review, Dec 2026).
                else if (byPath.TryGetValue(path.ToString(), out var first))
                { pm.Error("path", $"'{ErrorLimits.Short(pathText)}' is already varied by parameter '{first}': a run would be labelled with values it did not use"); path = null; }
                else if (baseTree is not null)
                {
                    var target = path.Resolve(baseTree, out var missing);
                    if (target is not null) baseValues[pname ?? pathText] = BaseValue(target);
                    else { pm.Error("path", $"'{pathText}' does not exist in the scenario: {missing}"); path = null; }
                }
                if (path is not null) byPath.TryAdd(path.ToString(), pname ?? pathText);
            }
            if (pname is not null)
            {
                // A name is a header cell of runs.csv: held to the id rules, as "=p" was written '=p and lost by the report.
                if (IdRules.Problem(pname) is { } problem) pm.Error("name", problem);
                else if (columns.Contains(pname)) pm.Error("name", $"'{pname}' is a column of runs.csv (fixed or a metric); choose another name");
                else if (pname.IndexOfAny([',', '"', '\n', '\r']) >= 0) pm.Error("name", "must not contain commas, quotes or line breaks");
                else if (!names.Add(pname)) pm.Error("name", $"parameter '{pname}' is defined twice");
            }
            if (pm.Has("values") || pm.Has("range") || pm.Has("prior")) withValues.Add(pname ?? "");
            var prior = pm.Has("prior") ? ReadPrior(pm, path?.IsToggle == true) : null;
            if (prior is not null && pname is not null) priors[pname] = (prior, pm);
            List<YamlNode> nodes = [];
            var values = prior is null ? ReadValues(pm, path?.IsToggle == true, out nodes) : [];
            // Refused as soon as the grid alone is too large, before the next parameter's values are made: 100 parameters of a
            // million values each were 10⁸ strings, gigabytes, before the size check below (a review, Dec 2026).
            gridSoFar = Saturating(gridSoFar, Math.Max(1, values.Count));
            if (gridSoFar > MaxVariants)
                return Fail(new ScenarioError(fileName, (int)pm.Node.Start.Line, (int)pm.Node.Start.Column, $"parameters[{pname ?? pathText}]",
                    $"the experiment expands to {Count(gridSoFar)} variants or more (the grid up to this parameter), too many to run in one batch (at most {Count(MaxVariants)}: each is a whole scenario checked and held before the first run); split it into several experiments"));
            pm.RejectUnknown();
            if (path is not null && pname is not null)
            {
                parameters.Add(new ParameterSpec(pname, path, values, (int)pm.Node.Start.Line, (int)pm.Node.Start.Column));
                valueNodes[pname] = nodes;
            }
        }

        // Cases: each sets parameters that are not on the grid.
        var cases = new List<(CaseSpec Case, Dictionary<string, YamlNode> Nodes)>();
        var byName = new Dictionary<string, ParameterSpec>(StringComparer.Ordinal);
        foreach (var p in parameters) byName.TryAdd(p.Name, p);
        // Names and paths of every parameter entry, valid or not: a case setting an invalid one is not reported twice.
        var declared = parameterMaps.Select(pm => (pm.Node.Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value is "name" or "path").Value as YamlScalarNode)?.Value)
            .Where(v => v is not null).ToHashSet(StringComparer.Ordinal);
        var caseNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cm in caseMaps)
        {
            var cname = cm.Str("name");
            if (cname is not null && CellProblem(cname) is { } badName) cm.Error("name", badName);
            if (cname is not null && !caseNames.Add(cname)) cm.Error("name", $"case '{cname}' is defined twice");
            var set = new Dictionary<string, string>(StringComparer.Ordinal);
            var nodes = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            var setMap = cm.Sub("set");
            if (setMap is not null)
            {
                foreach (var (k, v) in setMap.Node.Children)
                {
                    var key = (k as YamlScalarNode)?.Value ?? "";
                    var field = $"{setMap.Path}.{key}";
                    var p = byName.GetValueOrDefault(key);
                    if (p is null)
                    {
                        if (!declared.Contains(key))
                            sink.Add(k, field, $"'{key}' is not a parameter (parameters: {(names.Count == 0 ? "none" : ErrorLimits.Known(names))})");
                        continue;
                    }
                    if (p.IsGrid) { sink.Add(k, field, $"parameter '{key}' has values on the grid; a case may only set parameters without values or range"); continue; }
                    if (v is not YamlScalarNode s || string.IsNullOrWhiteSpace(s.Value)) { sink.Add(v, field, "must be a single value"); continue; }
                    if (p.Path.IsToggle && ParameterPath.ParseSwitch(s.Value!) is null) { sink.Add(v, field, $"'{p.Path}' switches a list item: use on or off, got '{s.Value}'"); continue; }
                    if (CellProblem(s.Value!.Trim()) is { } badValue) { sink.Add(v, field, badValue); continue; }
                    set[key] = s.Value!.Trim();
                    nodes[key] = v;
                }
            }
            cm.RejectUnknown();
            if (cname is not null) cases.Add((new CaseSpec(cname, set), nodes));
        }
        foreach (var p in parameters.Where(p => !withValues.Contains(p.Name) && cases.Count == 0))
            sink.Errors.Add(new ScenarioError(fileName, p.Line, p.Column, $"parameters[{p.Name}]", "needs values or range (or define cases that set it)"));

        map.RejectUnknown();

        if (priors.Count > 0 && samples is null) map.Error("samples", "is required when a parameter has a prior: how many Latin-hypercube samples to draw (at least 2)");
        if (priors.Count == 0 && samples is not null) map.Error("samples", "applies to parameters with a prior; none has one");
        foreach (var (pn, (_, pmap)) in priors)
            if (pmap.Has("values") || pmap.Has("range")) pmap.Error("prior", $"parameter '{pn}' has values or a range too: give one of values, range or prior");
        if (sink.Errors.Count > 0) return new(null, Sorted(sink.Errors, sink.Omitted));

        // Size before expansion, so a million-run typo fails at once.
        var grid = parameters.Where(p => p.IsGrid).ToList();
        var sampleCount = priors.Count == 0 ? 1 : samples ?? 0;
        long variantCount = Math.Max(1, cases.Count) * (long)sampleCount;
        foreach (var p in grid) variantCount = Saturating(variantCount, p.Values.Count);
        var runCount = Saturating(variantCount, repetitions);
        // Even with --yes (and so before the check --yes lifts): every variant is a whole scenario, read, checked and kept before the first run (a million of them
        // took 90 s and 1.5 GB without a line of output, still growing, in a Dec 2026 review).
        if (variantCount > MaxVariants)
            return Fail(new ScenarioError(fileName, (int)root.Start.Line, (int)root.Start.Column, "",
                $"the experiment expands to {Count(variantCount)} variants, too many to run in one batch (at most {Count(MaxVariants)}: each is a whole scenario checked and held before the first run); split it into several experiments"));
        // Even with --yes: the plan and the manifest hold every run (≈2 KB each: a million runs took 2.2 GB and a 114 MB manifest
        // before the first finished, and 50 million repetitions ended in "Out of memory", exit 134, in a Dec 2026 review).
        if (runCount > MaxRuns)
        {
            var at = root.Children.TryGetValue(new YamlScalarNode("repetitions"), out var rep) ? rep : root;
            return Fail(new ScenarioError(fileName, (int)at.Start.Line, (int)at.Start.Column, "repetitions",
                $"the experiment expands to {Count(runCount)} runs ({Count(variantCount)} variants × {repetitions} repetitions), too many for one batch (at most {Count(MaxRuns)}, --yes or not: every run is planned and listed in manifest.json before the first starts); lower repetitions or split the experiment"));
        }
        if (maxRuns is not null && runCount > maxRuns)
            return Fail(new ScenarioError(fileName, (int)root.Start.Line, (int)root.Start.Column, "",
                $"the experiment expands to {Count(runCount)} runs ({Count(variantCount)} variants × {repetitions} repetitions), more than {maxRuns}; pass --yes to run them anyway"));


        // Priors: `samples` Latin-hypercube draws of every parameter with a prior, crossed with the cases and the grid.
        var sampled = parameters.Where(p => priors.ContainsKey(p.Name)).Select(p => (P: p, Values: LatinHypercube.Sample(masterSeed, p.Name, sampleCount, priors[p.Name].Prior)
            .Select(LatinHypercube.Format).ToList())).ToList();

        // Expand and check every variant with the scenario loader.
        var variants = new List<Variant>();
        var errors = new List<ScenarioError>();
        long checkedVariants = 0;
        var caseList = cases.Count == 0 ? [(new CaseSpec("", new Dictionary<string, string>()), new Dictionary<string, YamlNode>())] : cases;
        foreach (var (c, caseNodes) in caseList)
        {
            foreach (var point in GridPoints(grid))
            for (int sample = 0; sample < sampleCount; sample++)
            {
                // Enough to fix first: the rest are not built (each variant costs a full read of the scenario).
                if (errors.Count >= ErrorSink.MaxKept) break;
                checkedVariants++;
                var assigned = new List<(ParameterSpec P, string Value, YamlNode? Node)>();
                foreach (var (k, v) in c.Set) assigned.Add((parameters.First(p => p.Name == k), v, caseNodes[k]));
                for (int g = 0; g < grid.Count; g++) assigned.Add((grid[g], grid[g].Values[point[g]], valueNodes[grid[g].Name].ElementAtOrDefault(point[g]) ?? valueNodes[grid[g].Name].FirstOrDefault()));
                foreach (var (sp, sv) in sampled) assigned.Add((sp, sv[sample], priors[sp.Name].Map.Node));
                var values = parameters.ToDictionary(p => p.Name, p => assigned.FirstOrDefault(a => a.P == p).Value ?? baseValues.GetValueOrDefault(p.Name, ""), StringComparer.Ordinal);
                var spec = LoadVariant(scenarioText!, scenarioPath!, yaml, fileName, horizon, assigned, c.Name, errors);
                if (spec is not null) variants.Add(new Variant(variants.Count + 1, c.Name, values, spec));
            }
        }
        // runs.csv has one column per country and commodity of the first variant (RunMetrics.Columns), the same for every row: a
        // variant that renamed, added or dropped a country or commodity shifted its values under other countries' headers
        // (a review, Dec 2026).
        if (errors.Count == 0 && variants.Count > 1)
        {
            var firstColumns = RunMetrics.Columns(variants[0].Scenario, metrics!).Select(c => c.Name).ToList();
            foreach (var v in variants.Skip(1))
            {
                var own = RunMetrics.Columns(v.Scenario, metrics!).Select(c => c.Name).ToList();
                if (own.SequenceEqual(firstColumns)) continue;
                var differ = own.Except(firstColumns).Concat(firstColumns.Except(own)).Take(3);
                errors.Add(new ScenarioError(fileName, (int)root.Start.Line, (int)root.Start.Column, "",
                    $"variant {v.Index}{(v.Case.Length > 0 ? $" (case '{v.Case}')" : "")} has other countries or commodities than variant 1 " +
                    $"(columns {string.Join(", ", differ)}): runs.csv has the same columns for every run; vary them in separate experiments"));
                break;
            }
        }
        if (errors.Count > 0)
        {
            if (checkedVariants < variantCount)
                errors.Add(new ScenarioError(fileName, (int)root.Start.Line, (int)root.Start.Column, "",
                    $"checking stopped after {checkedVariants} of {variantCount} variants: too many errors; fix these first"));
            return new(null, Sorted(errors.Distinct().ToList()));
        }

        var common = seedsMode != "independent";
        var runs = new List<RunSpec>();
        foreach (var v in variants)
            for (int r = 0; r < repetitions; r++)
                runs.Add(new RunSpec(runs.Count + 1, v, r + 1, SeedDerivation.ForRun(masterSeed, common, v.Index, r)));

        return new(new ExperimentPlan
        {
            Name = name!, Description = description, ExperimentFile = fileName, ScenarioFile = scenarioPath!,
            Days = variants[0].Scenario.Days, MasterSeed = masterSeed, Repetitions = repetitions, CommonSeeds = common,
            Parameters = parameters, HasCases = cases.Count > 0, Metrics = metrics!, Variants = variants, Runs = runs,
        }, []);

        ulong ReadSeed(YamlMap m, string key)
        {
            if (!m.Has(key)) return 0;
            var text = m.Str(key, required: false);
            if (text is not null && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s)) return s;
            m.Error(key, $"must be a whole number from 0 to {ulong.MaxValue}, got '{text}'");
            return 0;
        }
    }

    /// <summary>
    /// a × b for counts (≥ 0), stopping at long.MaxValue: four ranges of 65,536 values multiply to 2^64, which wraps to 0
    /// runs and passed every size check.
    /// </summary>
    static long Saturating(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    static string Count(long n) => n == long.MaxValue ? $"more than {long.MaxValue - 1}" : n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The experiment file's errors first, then by file, line and column; capped (<see cref="ErrorLimits"/>).</summary>
    static IReadOnlyList<ScenarioError> Sorted(IEnumerable<ScenarioError> errors, long omitted = 0) =>
        ErrorLimits.Cap(errors.OrderBy(e => e.File == errors.First().File ? 0 : 1).ThenBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column), omitted);

    /// <summary>Adds the experiment's policies to the scenario tree and sets its horizon.</summary>
    static void Prepare(YamlMappingNode scenario, YamlMappingNode experiment, int? horizon)
    {
        if (horizon is not null) SetField(scenario, "days", horizon.Value.ToString(CultureInfo.InvariantCulture));
        if (Child(experiment, "add_policies") is not YamlSequenceNode added || added.Children.Count == 0) return;
        if (Child(scenario, "policies") is not YamlSequenceNode policies)
        {
            policies = new YamlSequenceNode();
            SetNode(scenario, "policies", policies);
        }
        foreach (var p in added.Children) policies.Children.Add(p);
    }

    static YamlNode? Child(YamlMappingNode m, string key) =>
        m.Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == key).Value;

    static void SetField(YamlMappingNode m, string key, string value) => SetNode(m, key, new YamlScalarNode(value));

    static void SetNode(YamlMappingNode m, string key, YamlNode value)
    {
        var k = m.Children.Keys.FirstOrDefault(c => (c as YamlScalarNode)?.Value == key);
        m.Children[k ?? new YamlScalarNode(key)] = value;
    }

    static string BaseValue(ParameterPath.Target t)
    {
        if (t.List is not null) return "on";
        var v = Child(t.Mapping!, t.Key!);
        return v is YamlScalarNode s ? s.Value ?? "" : "";
    }

    /// <summary>prior: {dist: uniform, min, max} | {dist: triangular, min, mode, max} | {dist: lognormal, median, sigma, min, max}.</summary>
    static Prior? ReadPrior(YamlMap pm, bool toggle)
    {
        var m = pm.Sub("prior");
        if (m is null) return null;
        if (toggle) { pm.Error("prior", "this path switches a list item: give values: [off, on]"); return null; }
        var dist = m.Str("dist");
        var min = m.Num("min");
        var max = m.Num("max");
        double? mode = dist == "triangular" ? m.Num("mode") : null;
        double? median = dist == "lognormal" ? m.Num("median", min: 1e-300) : null;
        double? sigma = dist == "lognormal" ? m.Num("sigma", min: 1e-9) : null;
        m.RejectUnknown();
        if (dist is not ("uniform" or "triangular" or "lognormal")) { m.Error("dist", $"unknown distribution '{dist}' (uniform, triangular, lognormal)"); return null; }
        if (min is null || max is null || (dist == "triangular" && mode is null) || (dist == "lognormal" && (median is null || sigma is null))) return null;
        if (min >= max) { m.Error("max", $"must be greater than min ({min})"); return null; }
        if (mode is { } c && (c < min || c > max)) { m.Error("mode", $"must lie between min ({min}) and max ({max})"); return null; }
        if (dist == "lognormal" && min <= 0) { m.Error("min", "a log-normal prior needs min > 0"); return null; }
        return new Prior(dist, min.Value, max.Value, mode, median, sigma);
    }

    static List<string> ReadValues(YamlMap pm, bool toggle, out List<YamlNode> nodes)
    {
        nodes = new List<YamlNode>();
        var values = new List<string>();
        var hasValues = pm.Has("values");
        var hasRange = pm.Has("range");
        if (hasValues && hasRange) { pm.Error("range", "give either values or range, not both"); return values; }
        if (hasValues)
        {
            var list = pm.StrList("values");
            if (list.Count == 0 && !pm.Sink.Errors.Any(e => e.Field == pm.Path + ".values")) pm.Error("values", "is empty: give at least one value");
            foreach (var (v, node) in list)
            {
                if (toggle && ParameterPath.ParseSwitch(v) is null) { pm.Sink.Add(node, pm.Path + ".values", $"this path switches a list item: values are on or off, got '{v}'"); continue; }
                if (CellProblem(v) is { } bad) { pm.Sink.Add(node, pm.Path + ".values", bad); continue; }
                values.Add(v);
                nodes.Add(node);
            }
            var dup = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (dup is not null) pm.Error("values", $"value '{dup.Key}' is listed twice");
        }
        else if (hasRange)
        {
            var r = pm.Sub("range");
            if (r is null) return values;
            if (toggle) { pm.Error("range", "this path switches a list item: give values: [off, on]"); return values; }
            var from = r.Num("from");
            var to = r.Num("to");
            var hasStep = r.Has("step");
            var hasCount = r.Has("count");
            if (hasStep == hasCount) { r.Error(hasStep ? "count" : "step", "give either step or count"); r.RejectUnknown(); return values; }
            double? step = hasStep ? r.Num("step") : null;
            int? count = hasCount ? r.Int("count") : null;
            r.RejectUnknown();
            if (from is null || to is null || (hasStep && step is null) || (hasCount && count is null)) return values;
            if (from > to) { r.Error("to", $"empty range: from {Fmt(from.Value)} is greater than to {Fmt(to.Value)}"); return values; }
            long n;
            if (hasStep)
            {
                if (step <= 0) { r.Error("step", $"must be greater than 0, got {Fmt(step!.Value)}"); return values; }
                // Counted as a double first: 2e30 steps cast to a long wrapped and gave one value without a word.
                var steps = Math.Floor((to.Value - from.Value) / step!.Value + 1e-9) + 1;
                if (!(steps <= 1_000_000)) { pm.Error("range", $"gives {Fmt(steps)} values; at most 1000000 per parameter"); return values; }
                n = (long)steps;
            }
            else
            {
                if (count < 1) { r.Error("count", $"empty range: count must be at least 1, got {count}"); return values; }
                n = count!.Value;
            }
            if (n > 1_000_000) { pm.Error("range", $"gives {n} values; at most 1000000 per parameter"); return values; }
            var whole = IsWhole(from.Value) && IsWhole(to.Value) && (!hasStep || IsWhole(step!.Value))
                && (hasStep || n == 1 || IsWhole((to.Value - from.Value) / (n - 1)));
            for (long i = 0; i < n; i++)
            {
                var v = hasStep ? from.Value + i * step!.Value : (n == 1 ? from.Value : from.Value + (to.Value - from.Value) * i / (n - 1));
                values.Add(whole ? ((long)Math.Round(v)).ToString(CultureInfo.InvariantCulture) : Fmt(v));
                nodes.Add(r.Node);
            }
            // Values are written with 12 significant digits: a finer step would give variants that look (and are) the same.
            var same = values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (same is not null) pm.Error("range", $"gives the value '{same.Key}' more than once: the step is finer than the 12 significant digits values are written with");
        }
        return values;
    }

    static bool IsWhole(double v) => Math.Abs(v) < 9e15 && v == Math.Floor(v);
    static string Fmt(double v) => v.ToString("G12", CultureInfo.InvariantCulture);

    static MetricsSpec? ReadMetrics(YamlMap? m, ScenarioSpec? world)
    {
        if (m is null) return new MetricsSpec(MetricsSpec.Default, new RecordingSpec(1), null, null);
        var series = MetricsSpec.Default.ToList();
        if (m.Has("series"))
        {
            series = new List<string>();
            foreach (var (v, node) in m.StrList("series"))
            {
                if (!MetricsSpec.Known.Contains(v)) m.Sink.Add(node, m.Path + ".series", $"unknown metric '{v}' (metrics: {string.Join(", ", MetricsSpec.Known)})");
                else if (!series.Contains(v)) series.Add(v);
            }
        }
        var every = 1;
        if (m.Has("every"))
        {
            var text = m.Str("every");
            if (text == "final") every = 0;
            else if (text is not null && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var e) && e >= 1) every = e;
            else if (text is not null) m.Error("every", $"must be a whole number of ticks (1 = every tick) or 'final', got '{text}'");
        }
        List<string>? countries = null, commodities = null;
        if (m.Has("countries"))
        {
            countries = new();
            var known = world?.Countries.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var (v, node) in m.StrList("countries"))
                if (known is not null && !known.Contains(v)) m.Sink.Add(node, m.Path + ".countries", $"unknown country '{v}' (countries: {ErrorLimits.Known(known)})");
                else countries.Add(v);
        }
        if (m.Has("commodities"))
        {
            commodities = new();
            var known = world?.Commodities.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var (v, node) in m.StrList("commodities"))
                if (known is not null && !known.Contains(v)) m.Sink.Add(node, m.Path + ".commodities", $"unknown commodity '{v}' (commodities: {ErrorLimits.Known(known)})");
                else commodities.Add(v);
        }
        m.RejectUnknown();
        return new MetricsSpec(series, new RecordingSpec(every), countries, commodities);
    }

    /// <summary>Every grid point as indices into each parameter's values, the last parameter varying fastest.</summary>
    static IEnumerable<int[]> GridPoints(IReadOnlyList<ParameterSpec> grid)
    {
        var idx = new int[grid.Count];
        while (true)
        {
            yield return (int[])idx.Clone();
            int k = grid.Count - 1;
            while (k >= 0 && ++idx[k] == grid[k].Values.Count) { idx[k] = 0; k--; }
            if (k < 0) yield break;
        }
    }

    /// <summary>Builds one variant's scenario from fresh trees and reads it with the scenario loader; errors are relocated.</summary>
    static ScenarioSpec? LoadVariant(string scenarioText, string scenarioFile, string experimentText, string experimentFile, int? horizon,
        List<(ParameterSpec P, string Value, YamlNode? Node)> assigned, string caseName, List<ScenarioError> errors)
    {
        var tree = Parse(scenarioText, scenarioFile, "scenario", out _)!;
        var experiment = Parse(experimentText, experimentFile, "experiment", out _)!;
        var added = (Child(experiment, "add_policies") as YamlSequenceNode)?.Children.ToList() ?? [];
        Prepare(tree, experiment, horizon);

        var sets = new List<(YamlMappingNode Map, string Key, ParameterSpec P, string Value, YamlNode? Node)>();
        var removals = new List<(YamlSequenceNode List, YamlNode Item)>();
        foreach (var (p, value, node) in assigned)
        {
            var t = p.Path.Resolve(tree, out _)!; // resolved against the base tree already
            if (t.List is not null) { if (ParameterPath.ParseSwitch(value) == false) removals.Add((t.List, t.ItemNode!)); }
            else { ParameterPath.Set(t, value); sets.Add((t.Mapping!, t.Key!, p, value, node)); }
        }
        foreach (var (list, item) in removals) list.Children.Remove(item);

        var paths = new Dictionary<YamlNode, string>(ReferenceEqualityComparer.Instance);
        Walk(tree, "", paths);
        var sink = new ErrorSink(scenarioFile);
        var spec = new ScenarioReader(sink).Read(new YamlMap(tree, "", sink));
        if (sink.Errors.Count == 0) return spec;

        var where = caseName.Length > 0 ? $" (case '{caseName}')" : "";
        var addedPaths = added.Select(a => paths.GetValueOrDefault(a)).Where(a => a is not null).Select(a => a!).ToList();
        foreach (var e in sink.Errors)
        {
            var set = sets.FirstOrDefault(s => paths.TryGetValue(s.Map, out var mp) && Within(e.Field, mp.Length == 0 ? s.Key : mp + "." + s.Key));
            if (set.P is not null)
            {
                var n = set.Node;
                errors.Add(new ScenarioError(experimentFile, (int)(n?.Start.Line ?? set.P.Line), (int)(n?.Start.Column ?? set.P.Column), $"parameters[{set.P.Name}]",
                    $"{set.P.Path} = {set.Value}{where}: {e.Field}: {e.Message}"));
            }
            else if (addedPaths.FirstOrDefault(a => Within(e.Field, a)) is { } ap)
                errors.Add(e with { File = experimentFile, Field = $"add_policies[{added.FindIndex(x => paths.GetValueOrDefault(x) == ap)}]" + e.Field[ap.Length..] });
            else if (e.Field == "days" && horizon is not null)
                errors.Add(e with { File = experimentFile, Line = 0, Column = 0, Field = "horizon" });
            else
                errors.Add(e with { Message = e.Message + (assigned.Count > 0 ? $" (in the variant {string.Join(", ", assigned.Select(a => $"{a.P.Name}={a.Value}"))}{where})" : "") });
        }
        return null;
    }

    static bool Within(string field, string prefix) =>
        field == prefix || field.StartsWith(prefix + ".", StringComparison.Ordinal) || field.StartsWith(prefix + "[", StringComparison.Ordinal);

    /// <summary>The loader's field paths: keys joined by dots, list items by 0-based index.</summary>
    static void Walk(YamlNode node, string path, Dictionary<YamlNode, string> paths)
    {
        paths[node] = path;
        switch (node)
        {
            case YamlMappingNode m:
                foreach (var (k, v) in m.Children)
                    if (k is YamlScalarNode s) Walk(v, path.Length == 0 ? s.Value! : path + "." + s.Value, paths);
                break;
            case YamlSequenceNode q:
                for (int i = 0; i < q.Children.Count; i++) Walk(q.Children[i], $"{path}[{i}]", paths);
                break;
        }
    }
}
