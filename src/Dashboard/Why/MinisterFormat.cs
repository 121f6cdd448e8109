using System.Globalization;

namespace MarketSim.Dashboard.Why;

/// <summary>
/// Numbers as a minister reads them: three significant digits and a word for the scale ("1.64 bn USD", "512,000 USD"),
/// shares as percent with one decimal ("69.4 %"), a real minus sign. Invariant culture, whatever the server's.
/// </summary>
public static class MinisterFormat
{
    public const string Minus = "\u2212";
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    static readonly (double Unit, string Word)[] Scales = [(1e12, "tn"), (1e9, "bn"), (1e6, "m")];

    public static string Money(double value, string currency) => $"{Number(value)} {currency}";

    /// <summary>A difference: "+1.64 bn USD", "−20.1 m USD", "0 USD".</summary>
    public static string Signed(double value, string currency)
    {
        var n = Number(value);
        return (value > 0 && n != "0" ? "+" : "") + n + " " + currency;
    }

    /// <summary>A share (0.694) as "69.4 %" (<paramref name="decimals"/> after the point).</summary>
    public static string Percent(double share, int decimals = 1) => Fixed(share * 100, "0." + new string('0', decimals)) + " %";

    /// <summary>A share to three significant digits, however small: a loss of 0.000164 % of GDP is not "0.00 %".</summary>
    public static string SmallPercent(double share) => Significant(share * 100) + " %";

    /// <summary>A difference of shares in percentage points, three significant digits: "+1.25 pp", "−0.4 pp".</summary>
    public static string Points(double share)
    {
        var s = Significant(share * 100);
        return (share > 0 && !Zero(s) ? "+" : "") + s + " pp";
    }

    static string Significant(double x)
    {
        var decimals = x == 0 || !double.IsFinite(x) ? 1 : Math.Clamp(2 - (int)Math.Floor(Math.Log10(Math.Abs(x))), 1, 6);
        return Fixed(x, "0.0" + new string('#', decimals - 1));
    }

    static string Fixed(double value, string format)
    {
        if (!double.IsFinite(value)) return "–";
        var s = value.ToString(format, Inv);
        return Zero(s) ? s.TrimStart('-') : s.Replace("-", Minus, StringComparison.Ordinal);
    }

    static bool Zero(string s) => s.TrimStart('-').All(ch => ch is '0' or '.');

    static string Number(double value)
    {
        if (!double.IsFinite(value)) return "–";
        var a = Math.Abs(value);
        string body = Math.Round(a).ToString("#,0", Inv);
        foreach (var (unit, word) in Scales)
        {
            if (a < unit * 0.9995) continue;
            var x = a / unit;
            body = x.ToString(x < 9.995 ? "0.00" : x < 99.95 ? "0.0" : "#,0", Inv) + " " + word;
            break;
        }
        if (body is "" or "0") return "0";
        return (value < 0 ? Minus : "") + body;
    }
}
