using MarketSim.Experiments;
using MarketSim.Model.Scenario;
using Parquet;
using Parquet.Schema;

namespace MarketSim.Cli.Batch;

/// <summary>
/// The batch tables as Parquet (Parquet.Net): the same columns as the CSV files. Text columns are strings (dates
/// yyyy-MM-dd), ids and ticks int32, the seed int64, metrics float64 (runs: nullable, null where the CSV cell is empty).
/// </summary>
public static class ParquetTables
{
    /// <summary>One column: its field and its values (int[], long[], string[], double[] or double?[]).</summary>
    public sealed record Column(DataField Field, Array Values);

    public static ParquetSchema RunsSchema(BatchLayout layout) => new(
    [
        new DataField<int>("run_id"), new DataField<int>("variant"), new DataField<string>("case"),
        .. layout.ParameterNames.Select(n => (Field)new DataField<string>(n)),
        new DataField<int>("repetition"), new DataField<long>("seed"),
        .. layout.Metrics.Select(m => (Field)new DataField<double?>(m.Name)),
    ]);

    public static readonly ParquetSchema SeriesSchema = new(
        new DataField<int>("run_id"), new DataField<int>("tick"), new DataField<string>("date"), new DataField<string>("metric"),
        new DataField<string>("key"), new DataField<double>("value"));

    public static List<Column> RunsColumns(BatchLayout layout, IReadOnlyList<RunResult> rows)
    {
        var schema = RunsSchema(layout).GetDataFields();
        var cols = new List<Column>
        {
            new(schema[0], rows.Select(r => r.Run.RunId).ToArray()),
            new(schema[1], rows.Select(r => r.Run.Variant.Index).ToArray()),
            // Text typed by people, made safe for spreadsheets as runs.csv makes it (CsvFormat.Neutralise): a table read from
            // Parquet into a spreadsheet re-armed "=HYPERLINK(…)" as a case name (a Dec 2026 review).
            new(schema[2], rows.Select(r => Model.Output.CsvFormat.Neutralise(r.Run.Variant.Case)).ToArray()),
        };
        int k = 3;
        foreach (var n in layout.ParameterNames) cols.Add(new(schema[k++], rows.Select(r => Model.Output.CsvFormat.Neutralise(r.Run.Variant.Values[n])).ToArray()));
        cols.Add(new(schema[k++], rows.Select(r => r.Run.Repetition).ToArray()));
        cols.Add(new(schema[k++], rows.Select(r => (long)r.Run.Seed).ToArray()));
        for (int m = 0; m < layout.Metrics.Count; m++)
        {
            var mi = m;
            cols.Add(new(schema[k++], rows.Select(r => r.Summary[mi]).ToArray()));
        }
        return cols;
    }

    public static List<Column> SeriesColumns(RunResult r)
    {
        var f = SeriesSchema.GetDataFields();
        var s = r.Series;
        return
        [
            new(f[0], Enumerable.Repeat(r.Run.RunId, s.Count).ToArray()),
            new(f[1], s.Select(p => p.Tick).ToArray()),
            new(f[2], s.Select(p => Model.Output.CsvFormat.Date(p.Date)).ToArray()),
            new(f[3], s.Select(p => p.Metric).ToArray()),
            new(f[4], s.Select(p => p.Key).ToArray()),
            new(f[5], s.Select(p => p.Value).ToArray()),
        ];
    }

    /// <summary>Writes one file with one row group per entry of <paramref name="groups"/>.</summary>
    public static async Task WriteAsync(string path, ParquetSchema schema, IEnumerable<List<Column>> groups)
    {
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        foreach (var g in groups)
        {
            using var rg = writer.CreateRowGroup();
            foreach (var c in g) await WriteColumn(rg, c);
        }
    }

    static Task WriteColumn(ParquetRowGroupWriter rg, Column c) => c.Values switch
    {
        int[] a => rg.WriteAsync<int>(c.Field, a.AsMemory()),
        long[] a => rg.WriteAsync<long>(c.Field, a.AsMemory()),
        double[] a => rg.WriteAsync<double>(c.Field, a.AsMemory()),
        double?[] a => rg.WriteAsync<double>(c.Field, new ReadOnlyMemory<double?>(a)),
        string[] a => rg.WriteAsync(c.Field, a),
        _ => throw new NotSupportedException(c.Values.GetType().Name),
    };

    /// <summary>Every row group of a file, each as its columns in schema order; a file Parquet.Net cannot read is refused by
    /// name (its own message, "not a parquet file, head: …", named no file).</summary>
    public static async Task<List<List<Column>>> ReadAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try { return await ReadAsync(stream); }
        // Anything the parser throws on a file that opened is the file's doing (it throws IOException, Parquet's and Thrift's
        // own exceptions, overflows, out-of-range indices…).
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new BatchException($"{path}: not readable as Parquet ({e.Message}); the file is damaged");
        }
    }

    static async Task<List<List<Column>>> ReadAsync(Stream stream)
    {
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        var groups = new List<List<Column>>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            var n = checked((int)rg.RowCount);
            var cols = new List<Column>();
            foreach (var f in fields)
            {
                Array values;
                if (f.ClrType == typeof(int)) { var a = new int[n]; await rg.ReadAsync<int>(f, a.AsMemory()); values = a; }
                else if (f.ClrType == typeof(long)) { var a = new long[n]; await rg.ReadAsync<long>(f, a.AsMemory()); values = a; }
                else if (f.ClrType == typeof(double) && f.IsNullable) { var a = new double?[n]; await rg.ReadAsync<double>(f, a.AsMemory()); values = a; }
                else if (f.ClrType == typeof(double)) { var a = new double[n]; await rg.ReadAsync<double>(f, a.AsMemory()); values = a; }
                else if (f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>)) { var a = new string?[n]; await rg.ReadAsync(f, a.AsMemory()); values = a; }
                else throw new NotSupportedException($"column {f.Name} of type {f.ClrType.Name}");
                cols.Add(new Column(f, values));
            }
            groups.Add(cols);
        }
        return groups;
    }

    /// <summary>A row group's rows as CSV-formatted cells (the report reads both formats through this).</summary>
    public static IEnumerable<string[]> Rows(List<Column> group, IReadOnlyList<MarketSim.Experiments.ColumnKind?> kinds)
    {
        var n = group.Count == 0 ? 0 : group[0].Values.Length;
        for (int i = 0; i < n; i++)
        {
            var row = new string[group.Count];
            for (int c = 0; c < group.Count; c++)
            {
                var v = group[c].Values.GetValue(i);
                row[c] = v switch
                {
                    null => "",
                    string s => s,
                    int x => x.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    long x => x.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    double d => BatchLayout.Format(d, kinds.ElementAtOrDefault(c) ?? MarketSim.Experiments.ColumnKind.Number),
                    _ => v.ToString() ?? "",
                };
            }
            yield return row;
        }
    }
}

/// <summary>
/// runs.parquet and series.parquet. A Parquet file is only readable once its footer is written, so each finished run is
/// first written as two small part files under .parts/ (series first, then runs; each to a temporary name and renamed, so
/// a part is either whole or absent); Complete() merges them in run-id order (one row group per run in series.parquet)
/// and removes .parts/. A run is finished when its runs part exists.
/// </summary>
public sealed class ParquetBatchSink(string dir, BatchLayout layout) : IBatchSink
{
    string Parts => Path.Combine(dir, ".parts");
    string RunsPart(int id) => Path.Combine(Parts, $"runs-{id:D7}.parquet");
    string SeriesPart(int id) => Path.Combine(Parts, $"series-{id:D7}.parquet");

    public IReadOnlySet<int> Open(bool resume)
    {
        var finished = new HashSet<int>();
        var runsFile = Path.Combine(dir, BatchLayout.RunsParquet);
        if (resume && !Directory.Exists(Parts) && File.Exists(runsFile))
        {
            // A batch that already completed: every run is in the merged file. Checked as runs.csv is (CsvBatchSink.Open): another
            // experiment's runs.parquet, or series.parquet under this name, was taken for finished runs before Dec 2026.
            foreach (var g in ParquetTables.ReadAsync(runsFile).GetAwaiter().GetResult())
            {
                CheckColumns(runsFile, g);
                foreach (var id in (int[])g[0].Values)
                    if (id < 1 || id > layout.Plan.Runs.Count || !finished.Add(id))
                        throw new BatchException($"{runsFile}: run_id {id} {(finished.Contains(id) ? "appears twice" : $"is not one of this experiment's runs (1 to {layout.Plan.Runs.Count})")}; " +
                            "the file is damaged or not this batch's; move it away, or start a new batch in another --out");
            }
            if (finished.Count != layout.Plan.Runs.Count)
                throw new BatchException($"{runsFile}: holds {finished.Count} of this experiment's {layout.Plan.Runs.Count} runs, where a finished batch holds all; " +
                    "the file is damaged or not this batch's; move it away, or start a new batch in another --out");
            return finished;
        }
        if (!resume && Directory.Exists(Parts)) Directory.Delete(Parts, recursive: true);
        Directory.CreateDirectory(Parts);
        foreach (var f in Directory.GetFiles(Parts, "*.tmp")) File.Delete(f);
        for (int id = 1; id <= layout.Plan.Runs.Count; id++)
        {
            if (File.Exists(RunsPart(id)) && File.Exists(SeriesPart(id))) finished.Add(id);
            else { File.Delete(RunsPart(id)); File.Delete(SeriesPart(id)); }
        }
        return finished;
    }

    /// <summary>Refuses a row group whose columns (names and types) are not this experiment's, naming the first that differs.</summary>
    void CheckColumns(string file, List<ParquetTables.Column> group)
    {
        var want = ParquetTables.RunsSchema(layout).GetDataFields();
        for (int i = 0; i < Math.Max(want.Length, group.Count); i++)
        {
            var has = i < group.Count ? group[i].Field : null;
            if (has is not null && i < want.Length && has.Name == want[i].Name && has.ClrType == want[i].ClrType) continue;
            var what = has is null ? $"has no column {i + 1} ('{want[i].Name}')"
                : i >= want.Length ? $"has a column {i + 1} ('{ErrorLimits.Short(has.Name)}') past this experiment's {want.Length}"
                : has.Name != want[i].Name ? $"has '{ErrorLimits.Short(has.Name)}' as column {i + 1}, where this experiment has '{want[i].Name}'"
                : $"column {i + 1} ('{want[i].Name}') is not of the type this experiment writes";
            throw new BatchException($"{file}: {what}: it was written by a different experiment or is not a runs table; " +
                "move it away, or start a new batch in another --out");
        }
    }

    public void Append(RunResult result)
    {
        var id = result.Run.RunId;
        WritePart(SeriesPart(id), ParquetTables.SeriesSchema, ParquetTables.SeriesColumns(result));
        WritePart(RunsPart(id), ParquetTables.RunsSchema(layout), ParquetTables.RunsColumns(layout, [result]));
    }

    static void WritePart(string path, ParquetSchema schema, List<ParquetTables.Column> columns)
    {
        var tmp = path + ".tmp";
        try
        {
            ParquetTables.WriteAsync(tmp, schema, [columns]).GetAwaiter().GetResult();
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    public void Complete()
    {
        if (!Directory.Exists(Parts)) return; // already merged
        var ids = layout.Plan.Runs.Select(r => r.RunId).Where(id => File.Exists(RunsPart(id))).ToList();
        // runs: one row group with every run, in run-id order.
        var runGroups = ids.Select(id => ParquetTables.ReadAsync(RunsPart(id)).GetAwaiter().GetResult()[0]).ToList();
        var merged = runGroups.Count == 0 ? [] : Enumerable.Range(0, runGroups[0].Count).Select(c =>
        {
            var parts = runGroups.Select(g => g[c].Values).ToList();
            var all = Array.CreateInstance(parts[0].GetType().GetElementType()!, parts.Sum(p => p.Length));
            int at = 0;
            foreach (var p in parts) { Array.Copy(p, 0, all, at, p.Length); at += p.Length; }
            return new ParquetTables.Column(runGroups[0][c].Field, all);
        }).ToList();
        var runsTmp = Path.Combine(dir, BatchLayout.RunsParquet + ".tmp");
        ParquetTables.WriteAsync(runsTmp, ParquetTables.RunsSchema(layout), [merged]).GetAwaiter().GetResult();
        // series: one row group per run, read lazily so only one run's rows are in memory at a time.
        var seriesTmp = Path.Combine(dir, BatchLayout.SeriesParquet + ".tmp");
        ParquetTables.WriteAsync(seriesTmp, ParquetTables.SeriesSchema,
            ids.Select(id => ParquetTables.ReadAsync(SeriesPart(id)).GetAwaiter().GetResult()[0]).Where(g => g[0].Values.Length > 0)).GetAwaiter().GetResult();
        File.Move(runsTmp, Path.Combine(dir, BatchLayout.RunsParquet), overwrite: true);
        File.Move(seriesTmp, Path.Combine(dir, BatchLayout.SeriesParquet), overwrite: true);
        Directory.Delete(Parts, recursive: true);
    }

    public void Dispose() { }
}
