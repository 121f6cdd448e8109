using System.Globalization;
using System.Text.Json.Nodes;
using MarketSim.Cli.Batch;
using MarketSim.Experiments;

namespace MarketSim.Cli.Report;

/// <summary>A finished batch directory read back: manifest, runs table and the chosen series, in either format.</summary>
public sealed class BatchData
{
    public required JsonObject Manifest { get; init; }
    public required IReadOnlyList<string> RunsHeader { get; init; }
    public required IReadOnlyList<string[]> Runs { get; init; }
    /// <summary>metric → key → variant → tick → values over the repetitions.</summary>
    public required Dictionary<string, SortedDictionary<string, Dictionary<int, SortedDictionary<int, List<double>>>>> Series { get; init; }
    public required Dictionary<int, string> Dates { get; init; }

    public static readonly string[] ChartMetrics = ["price", "loss"];

    /// <summary>Ticks a chart shows at most (about): a longer run is shown every k-th tick and at its last.</summary>
    public const int MaxChartTicks = 2000;

    public static async Task<BatchData> ReadAsync(string dir)
    {
        var manifest = Batch.Manifest.Read(dir) ?? throw new BatchException($"'{dir}' has no {BatchLayout.Manifest}: it is not a batch directory (marketsim batch FILE --out DIR)");
        CheckManifest(Path.Combine(dir, BatchLayout.Manifest), manifest);
        var parquet = (string?)manifest["format"] == "parquet";
        List<string> header;
        List<string[]> runs;
        List<int>? lineOf = null; // runs.csv: each row's line
        if (parquet)
        {
            var runsFile = Path.Combine(dir, BatchLayout.RunsParquet);
            if (!File.Exists(runsFile)) throw new BatchException($"'{dir}' has no {BatchLayout.RunsParquet}; finish the batch first (marketsim batch FILE --out DIR --resume)");
            var groups = await ParquetTables.ReadAsync(runsFile);
            header = groups.Count == 0 ? [] : groups[0].Select(c => c.Field.Name).ToList();
            var kinds = header.Select(h => (ColumnKind?)(h.Contains("share") ? ColumnKind.Share : h.StartsWith("shortage_days_") || h.StartsWith("days_to_recover_") ? ColumnKind.Integer : ColumnKind.Number)).ToList();
            runs = groups.SelectMany(g => ParquetTables.Rows(g, kinds)).ToList();
        }
        else
        {
            var runsFile = Path.Combine(dir, BatchLayout.RunsCsv);
            if (!File.Exists(runsFile)) throw new BatchException($"'{dir}' has no {BatchLayout.RunsCsv}");
            var lines = File.ReadAllLines(runsFile);
            if (lines.Length == 0) throw new BatchException($"{runsFile}: is empty (no header); the batch's runs table is damaged");
            header = Csv.Split(lines[0]);
            // Each row with its line in the file (blank lines skipped, still counted), for the places errors name.
            var rows = lines.Select((l, i) => (Line: i + 1, Text: l)).Skip(1).Where(x => x.Text.Length > 0).ToList();
            runs = rows.Select(x => Csv.Split(x.Text).ToArray()).ToList();
            lineOf = rows.Select(x => x.Line).ToList();
        }
        var runsName = parquet ? BatchLayout.RunsParquet : BatchLayout.RunsCsv;
        var variantOf = VariantsOf(Path.Combine(dir, runsName), header, runs, lineOf);

        var series = new Dictionary<string, SortedDictionary<string, Dictionary<int, SortedDictionary<int, List<double>>>>>();
        var dates = new Dictionary<int, string>();
        // The charts show at most about MaxChartTicks ticks a run: every k-th tick of a longer run, and its last. A 100-year
        // batch's 207 MB series took 1.6 GB to read whole and made a 64 MB report (a Dec 2026 review).
        var days = manifest["days"] is JsonValue d && d.TryGetValue<int>(out var n) && n > 0 ? n : 0;
        var every = Math.Max(1, (days + MaxChartTicks - 1) / MaxChartTicks);
        void Add(int run, int tick, string date, string metric, string key, double value)
        {
            if (tick % every != 0 && tick != days - 1) return;
            if (!ChartMetrics.Contains(metric) || !variantOf.TryGetValue(run, out var v)) return;
            if (!series.TryGetValue(metric, out var byKey)) series[metric] = byKey = new(StringComparer.Ordinal);
            if (!byKey.TryGetValue(key, out var byVariant)) byKey[key] = byVariant = new();
            if (!byVariant.TryGetValue(v, out var byTick)) byVariant[v] = byTick = new();
            if (!byTick.TryGetValue(tick, out var values)) byTick[tick] = values = new();
            values.Add(value);
            dates.TryAdd(tick, date);
        }
        if (parquet)
        {
            var file = Path.Combine(dir, BatchLayout.SeriesParquet);
            if (File.Exists(file))
                foreach (var g in await ParquetTables.ReadAsync(file))
                {
                    if (g.Count < 6 || g[0].Values is not int[] ids || g[1].Values is not int[] ticks || g[2].Values is not string[] ds
                        || g[3].Values is not string[] ms || g[4].Values is not string[] ks || g[5].Values is not double[] vs)
                        throw new BatchException($"{file}: its columns are not run_id, tick, date, metric, key, value as a batch writes them; the batch's output is damaged");
                    for (int i = 0; i < ids.Length; i++) Add(ids[i], ticks[i], ds[i], ms[i], ks[i], vs[i]);
                }
        }
        else
        {
            var file = Path.Combine(dir, BatchLayout.SeriesCsv);
            var lineNo = 1;
            if (File.Exists(file))
                foreach (var line in File.ReadLines(file).Skip(1))
                {
                    lineNo++;
                    if (line.Length == 0) continue;
                    var c = Csv.Split(line);
                    if (c.Count != 6) throw new BatchException($"{file}:{lineNo}: has {c.Count} cells, the header 6; the batch's output is damaged");
                    Add(Whole(file, lineNo, "run_id", c[0]), Whole(file, lineNo, "tick", c[1]), c[2], c[3], c[4], Number(file, lineNo.ToString(CultureInfo.InvariantCulture), "value", c[5]));
                }
        }
        return new BatchData { Manifest = manifest, RunsHeader = header, Runs = runs, Series = series, Dates = dates };
    }

    /// <summary>The manifest fields the report shows as text.</summary>
    static readonly string[] TextFields = ["experiment", "description", "seeds", "start_date", "scenario_file", "version", "status", "currency", "format"];

    /// <summary>Refuses, by field, a manifest whose fields the report reads are of another kind ("experiment" as a list crashed it).</summary>
    static void CheckManifest(string file, JsonObject manifest)
    {
        foreach (var f in TextFields)
            if (manifest[f] is { } node && !(node is JsonValue v && v.TryGetValue<string>(out _)))
                throw new BatchException($"{file}: '{f}' is not text; the batch's manifest is damaged");
        if (manifest["parameters"] is { } ps)
        {
            if (ps is not JsonArray list) throw new BatchException($"{file}: 'parameters' is not a list; the batch's manifest is damaged");
            for (int i = 0; i < list.Count; i++)
                if (!(list[i] is JsonObject p && p["name"] is JsonValue name && name.TryGetValue<string>(out _)))
                    throw new BatchException($"{file}: parameters[{i}]: has no text 'name'; the batch's manifest is damaged");
        }
    }

    /// <summary>Summary columns the report reads as numbers (RunMetrics.Columns); their cells are numbers or empty.</summary>
    static readonly string[] NumberColumns = ["loss_", "indirect_loss_", "peak_unmet_share_", "shortage_days_", "days_to_recover_", "fiscal_cost_", "value_added_", "peak_price_"];

    /// <summary>run id → variant from the runs table; a row that cannot be read is refused with its place (a hand-edited or
    /// damaged batch crashed the report with a stack trace before Dec 2026): every row has the header's cells, and every
    /// summary column holds numbers.</summary>
    static Dictionary<int, int> VariantsOf(string file, List<string> header, List<string[]> runs, List<int>? lineOf)
    {
        var parquet = lineOf is null;
        var iRun = header.IndexOf("run_id");
        var iVariant = header.IndexOf("variant");
        if (iRun < 0 || iVariant < 0) throw new BatchException($"{file}: has no '{(iRun < 0 ? "run_id" : "variant")}' column; the batch's runs table is damaged");
        var numbers = Enumerable.Range(0, header.Count).Where(c => NumberColumns.Any(p => header[c].StartsWith(p, StringComparison.Ordinal))).ToList();
        var variantOf = new Dictionary<int, int>();
        var firstAt = new Dictionary<int, int>();
        for (int i = 0; i < runs.Count; i++)
        {
            var at = lineOf?[i] ?? i + 1; // a CSV line, or a Parquet row
            var r = runs[i];
            if (r.Length != header.Count)
                throw new BatchException($"{file}:{Where(parquet, at)}: has {r.Length} cells, the header {header.Count}; the batch's runs table is damaged");
            var run = Whole(file, at, "run_id", r[iRun], parquet);
            if (!firstAt.TryAdd(run, at))
                throw new BatchException($"{file}:{Where(parquet, at)}: run_id {run} appears twice (first at {(parquet ? "" : "line ")}{Where(parquet, firstAt[run])}); the batch's runs table is damaged");
            variantOf[run] = Whole(file, at, "variant", r[iVariant], parquet);
            foreach (var c in numbers)
                if (r[c].Length > 0) Number(file, Where(parquet, at), header[c], r[c]);
        }
        return variantOf;
    }

    static string Where(bool parquet, int at) => parquet ? $"row {at}" : at.ToString(CultureInfo.InvariantCulture);

    static int Whole(string file, int at, string field, string text, bool parquet = false) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new BatchException($"{file}:{Where(parquet, at)}: {field}: '{Cut(text)}' is not a whole number; the batch's output is damaged");

    static double Number(string file, string at, string field, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new BatchException($"{file}:{at}: {field}: '{Cut(text)}' is not a number; the batch's output is damaged");

    static string Cut(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>Linear-interpolation quantile (type 7) of sorted values.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
