using System.Globalization;
using System.Text;
using MarketSim.Experiments;

namespace MarketSim.Cli.Batch;

/// <summary>
/// runs.csv and series.csv, appended as runs finish. A run's series rows are written first, then its runs.csv row, each as
/// whole lines followed by a flush; a failed write is cut back to the last whole run, so the files are always valid CSV and
/// a run is finished exactly when its row is in runs.csv. Complete() sorts both files by run id (series rows keep their
/// order within a run: tick, then metric as listed, then key), so a resumed batch ends with the same bytes as an
/// uninterrupted one.
/// </summary>
public sealed class CsvBatchSink(string dir, BatchLayout layout) : IBatchSink
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    FileStream? _runs, _series;
    string RunsPath => Path.Combine(dir, BatchLayout.RunsCsv);
    string SeriesPath => Path.Combine(dir, BatchLayout.SeriesCsv);

    public IReadOnlySet<int> Open(bool resume)
    {
        var finished = new HashSet<int>();
        var header = Csv.Line(layout.RunsHeader);
        if (resume && File.Exists(RunsPath))
        {
            var text = File.ReadAllText(RunsPath, Utf8);
            if (!text.StartsWith(header, StringComparison.Ordinal))
                throw new BatchException($"{BatchLayout.RunsCsv} in '{dir}' has other columns than this experiment's; it was written by a different experiment");
            var kept = new StringBuilder(header);
            var width = layout.RunsHeader.Count;
            foreach (var line in WholeLines(text[header.Length..]))
            {
                var cells = Csv.Split(line);
                if (cells.Count != width || !int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    || id < 1 || id > layout.Plan.Runs.Count || !finished.Add(id)) continue;
                kept.Append(line).Append('\n');
            }
            Replace(RunsPath, kept.ToString());
            // Series rows of runs without a runs.csv row (cut off by a kill) are dropped; they will be written again.
            var tmp = SeriesPath + ".tmp";
            using (var w = new StreamWriter(tmp, false, Utf8))
            {
                w.Write(Csv.Line(BatchLayout.SeriesHeader));
                if (File.Exists(SeriesPath))
                {
                    var seriesText = File.ReadAllText(SeriesPath, Utf8);
                    var first = seriesText.IndexOf('\n');
                    foreach (var line in first < 0 ? [] : WholeLines(seriesText[(first + 1)..]))
                        if (RunIdOf(line) is int id && finished.Contains(id)) { w.Write(line); w.Write('\n'); }
                }
            }
            File.Move(tmp, SeriesPath, overwrite: true);
        }
        else
        {
            Replace(RunsPath, header);
            Replace(SeriesPath, Csv.Line(BatchLayout.SeriesHeader));
        }
        _runs = new FileStream(RunsPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _series = new FileStream(SeriesPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        return finished;
    }

    /// <summary>Lines ended by '\n'; a last line without one was cut off mid-write and is left out.</summary>
    static IEnumerable<string> WholeLines(string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { if (i > start) yield return text[start..i]; start = i + 1; }
    }

    static int? RunIdOf(string line)
    {
        var comma = line.IndexOf(',');
        return comma > 0 && int.TryParse(line.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    static void Replace(string path, string content)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, content, Utf8);
        File.Move(tmp, path, overwrite: true);
    }

    public void Append(RunResult result)
    {
        var series = new StringBuilder();
        foreach (var cells in BatchLayout.SeriesCells(result)) series.Append(Csv.Line(cells));
        Write(_series!, Utf8.GetBytes(series.ToString()));
        Write(_runs!, Utf8.GetBytes(Csv.Line(layout.RunCells(result))));
    }

    /// <summary>Writes whole lines and flushes; on failure (a full disk) cuts the file back so no partial line stays.</summary>
    static void Write(FileStream f, byte[] bytes)
    {
        var before = f.Length;
        try
        {
            f.Write(bytes);
            f.Flush(flushToDisk: false);
        }
        catch (IOException)
        {
            try { f.SetLength(before); } catch (IOException) { }
            throw;
        }
    }

    public void Complete()
    {
        Close();
        // runs.csv: small, sorted in memory.
        var text = File.ReadAllText(RunsPath, Utf8);
        var nl = text.IndexOf('\n');
        var rows = WholeLines(text[(nl + 1)..]).OrderBy(l => RunIdOf(l) ?? int.MaxValue).ToList();
        Replace(RunsPath, text[..(nl + 1)] + string.Concat(rows.Select(r => r + "\n")));

        // series.csv: possibly large; index each run's block of lines (contiguous: one Append each) and copy in run order.
        var blocks = new Dictionary<int, List<(long Offset, long Length)>>();
        long headerLength;
        using (var input = new FileStream(SeriesPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            headerLength = ScanLines(input, (offset, length, id) =>
            {
                if (!blocks.TryGetValue(id, out var list)) blocks[id] = list = new();
                if (list.Count > 0 && list[^1].Offset + list[^1].Length == offset) list[^1] = (list[^1].Offset, list[^1].Length + length);
                else list.Add((offset, length));
            });
            var tmp = SeriesPath + ".tmp";
            using (var output = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Copy(input, output, 0, headerLength);
                foreach (var id in blocks.Keys.Order())
                    foreach (var (o, l) in blocks[id]) Copy(input, output, o, l);
            }
            input.Dispose();
            File.Move(tmp, SeriesPath, overwrite: true);
        }
    }

    /// <summary>Calls back once per data line with its byte offset, length (incl. '\n') and run id; returns the header's length.</summary>
    static long ScanLines(FileStream input, Action<long, long, int> onLine)
    {
        var buffer = new byte[1 << 16];
        long offset = 0, lineStart = 0, headerLength = -1;
        var id = 0;
        var inId = true;
        int read;
        input.Position = 0;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < read; i++, offset++)
            {
                var b = buffer[i];
                if (b == (byte)'\n')
                {
                    if (headerLength < 0) headerLength = offset + 1;
                    else onLine(lineStart, offset + 1 - lineStart, id);
                    lineStart = offset + 1;
                    id = 0;
                    inId = true;
                }
                else if (inId)
                {
                    if (b >= (byte)'0' && b <= (byte)'9') id = id * 10 + (b - '0');
                    else inId = false;
                }
            }
        }
        return Math.Max(0, headerLength);
    }

    static void Copy(FileStream input, FileStream output, long offset, long length)
    {
        var buffer = new byte[1 << 16];
        input.Position = offset;
        while (length > 0)
        {
            var n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (n <= 0) throw new IOException("series.csv changed while it was being sorted");
            output.Write(buffer, 0, n);
            length -= n;
        }
    }

    void Close()
    {
        _runs?.Dispose(); _runs = null;
        _series?.Dispose(); _series = null;
    }

    public void Dispose() => Close();
}

/// <summary>A batch cannot start or continue; the message says why and what to do.</summary>
public sealed class BatchException(string message) : Exception(message);
