using System.Globalization;
using CsvHelper;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Output;

/// <summary>
/// Writes a run as tidy CSV: one file per table (<see cref="CsvTables.FileNames"/>), one row per observation. Pure: it
/// writes to the TextWriters it is given and touches no file system, so the caller decides where bytes go (files, memory).
/// </summary>
public static class CsvExport
{
    // RFC 4180 quoting, but '\n' line ends: the same bytes on every OS. Cells arrive as formatted text (CsvFormat).
    static readonly CsvWriterOptions Options = new() { NewLine = CsvFormat.NewLine, FormatProvider = CultureInfo.InvariantCulture };

    /// <summary>
    /// Streams the frames once into every table, then writes summary.csv. <paramref name="open"/> is called once per file
    /// name before the first frame is read; the writers are flushed and disposed here. Returns the summary rows.
    /// </summary>
    public static IReadOnlyList<CountrySummary> WriteAll(ScenarioSpec world, IEnumerable<Frame> frames, Func<string, TextWriter> open)
    {
        var writers = new List<(CsvTable Table, CsvWriter Csv)>();
        CsvWriter? summaryCsv = null;
        try
        {
            foreach (var t in CsvTables.PerTick)
            {
                var csv = CsvWriter.Create(open(t.FileName), Options, leaveOpen: false);
                writers.Add((t, csv));
                WriteRow(csv, t.Header);
            }
            summaryCsv = CsvWriter.Create(open(CsvTables.SummaryFileName), Options, leaveOpen: false);

            var acc = new RunSummary.Accumulator(world);
            foreach (var frame in frames)
            {
                foreach (var (table, csv) in writers)
                    foreach (var row in table.Rows(frame)) WriteRow(csv, row);
                acc.Add(frame);
            }

            var summary = acc.Build();
            WriteSummary(summaryCsv, world.Currency, summary);
            return summary;
        }
        finally
        {
            foreach (var (_, csv) in writers) csv.Dispose();
            summaryCsv?.Dispose();
        }
    }

    /// <summary>The whole run as file name → file text, for tests and in-memory use.</summary>
    public static SortedDictionary<string, string> ToStrings(ScenarioSpec world, IEnumerable<Frame> frames)
    {
        var buffers = new Dictionary<string, StringWriter>();
        WriteAll(world, frames, name => buffers[name] = new StringWriter(CultureInfo.InvariantCulture) { NewLine = CsvFormat.NewLine });
        return new SortedDictionary<string, string>(buffers.ToDictionary(b => b.Key, b => b.Value.ToString()), StringComparer.Ordinal);
    }

    /// <summary>summary.csv: one row per country; see <see cref="CountrySummary"/> for what each column means.</summary>
    public static void WriteSummary(CsvWriter csv, string currency, IEnumerable<CountrySummary> rows)
    {
        WriteRow(csv, CsvTables.SummaryHeader);
        foreach (var r in rows)
            WriteRow(csv, [r.Country, CsvFormat.Number(r.Gdp), CsvFormat.Number(r.CumulativeLoss), CsvFormat.Share(r.LossGdpShare),
                CsvFormat.Share(r.PeakUnmetShare), CsvFormat.Integer(r.ShortageDays), CsvFormat.Number(r.FiscalCost),
                CsvFormat.Number(r.IndirectLoss), CsvFormat.Share(r.IndirectGdpShare), currency]);
    }

    /// <summary>Cells are neutralised as every MarketSim CSV is (<see cref="CsvFormat.Neutralise"/>); CsvHelper quotes them.</summary>
    static void WriteRow(CsvWriter csv, IReadOnlyList<string> cells)
    {
        var row = new string[cells.Count];
        for (int i = 0; i < row.Length; i++) row[i] = CsvFormat.Neutralise(cells[i]);
        csv.WriteRecord(row);
    }
}
