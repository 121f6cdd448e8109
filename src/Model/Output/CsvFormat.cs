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
        var s = value.ToString(format, CultureInfo.InvariantCulture);
        // Tiny negatives (float noise such as -1e-12) and -0.0 would print as "-0": one zero keeps files comparable.
        return s == "-0" ? "0" : s;
    }

    /// <summary>An RFC 4180 cell: quoted when it holds a comma, quote or line break (names typed by people, for one).</summary>
    public static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"") + "\"";

    /// <summary>One CSV line of cells, quoted as needed, ending in <see cref="NewLine"/>.</summary>
    public static string Line(IEnumerable<string> cells) => string.Join(',', cells.Select(Quote)) + NewLine;

    public static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Date(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);
}
