using System.Text;

namespace MarketSim.Cli.Batch;

/// <summary>RFC 4180 lines for the batch tables (writing as every table does, <see cref="Model.Output.CsvFormat"/>) and reading them back.</summary>
public static class Csv
{
    public static string Line(IEnumerable<string> cells) => Model.Output.CsvFormat.Line(cells);

    public static string Quote(string cell) => Model.Output.CsvFormat.Quote(cell);

    public static List<string> Split(string line)
    {
        var cells = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        cells.Add(sb.ToString());
        return cells;
    }
}
