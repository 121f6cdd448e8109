using System.Globalization;

namespace MarketSim.Model.Output;

/// <summary>
/// How every value is written, so that the same run gives the same bytes on any machine: invariant culture, a fixed
/// number format, ISO dates and '\n' line ends.
/// </summary>
public static class CsvFormat
{
    /// <summary>Up to six decimals, no exponent, no thousands separator.</summary>
    public const string NumberFormat = "0.######";
    /// <summary>
    /// Shares (unmet share, share of GDP) are small fractions: 0.11% of GDP would keep only two digits under NumberFormat,
    /// and one day's loss a single one, so they get ten decimals.
    /// </summary>
    public const string ShareFormat = "0.##########";
    public const string DateFormat = "yyyy-MM-dd";
    public const string NewLine = "\n";

    public static string Number(double value) => Format(value, NumberFormat);

    public static string Share(double value) => Format(value, ShareFormat);

    static string Format(double value, string format)
    {
        // A second line of defence behind the scenario's bounds: readers (spreadsheets, the report) take an empty cell
        // as "no value"; "NaN" or "∞" would be read as text or poison sums.
        if (!double.IsFinite(value)) return "";
        var s = value.ToString(format, CultureInfo.InvariantCulture);
        // Tiny negatives (float noise such as -1e-12) and -0.0 would print as "-0": one zero keeps files comparable.
        return s == "-0" ? "0" : s;
    }

    /// <summary>
    /// An RFC 4180 cell: neutralised (<see cref="Neutralise"/>), then quoted when it holds a comma, quote or line break
    /// (names typed by people, for one). Every CSV file MarketSim writes goes through this (or, for a run's tables written
    /// by CsvHelper, through <see cref="Neutralise"/> and CsvHelper's own RFC 4180 quoting).
    /// </summary>
    public static string Quote(string cell)
    {
        cell = Neutralise(cell);
        return cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>
    /// CSV injection defence as OWASP recommends: a text cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab
    /// or a carriage return would be read by a spreadsheet as a formula (or hides one), so it is prefixed with a single
    /// quote, which spreadsheets show as text. A number such as <c>-1.5</c>, <c>+3</c> or <c>-2e-7</c> is left as it is.
    /// </summary>
    public static string Neutralise(string cell)
    {
        if (cell.Length == 0) return cell;
        return cell[0] switch
        {
            '=' or '@' or '\t' or '\r' => "'" + cell,
            '+' or '-' when !IsNumber(cell) => "'" + cell,
            _ => cell,
        };
    }

    /// <summary>A plain decimal number: optional sign, digits with an optional fraction, optional exponent.</summary>
    static bool IsNumber(string s)
    {
        int i = 0, n = s.Length;
        if (i < n && s[i] is '+' or '-') i++;
        int digits = 0;
        while (i < n && char.IsAsciiDigit(s[i])) { i++; digits++; }
        if (i < n && s[i] == '.') { i++; while (i < n && char.IsAsciiDigit(s[i])) { i++; digits++; } }
        if (digits == 0) return false;
        if (i < n && s[i] is 'e' or 'E')
        {
            i++;
            if (i < n && s[i] is '+' or '-') i++;
            int exp = 0;
            while (i < n && char.IsAsciiDigit(s[i])) { i++; exp++; }
            if (exp == 0) return false;
        }
        return i == n;
    }

    /// <summary>One CSV line of cells, quoted as needed, ending in <see cref="NewLine"/>.</summary>
    public static string Line(IEnumerable<string> cells) => string.Join(',', cells.Select(Quote)) + NewLine;

    public static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);
}
