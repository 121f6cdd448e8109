using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace MarketSim.Model.Agents;

/// <summary>
/// Where material comes from, carried in the lot key of every stock, offer, fill and shipment (docs/MODEL.md, "Origin").
/// A key names up to three things:
/// <list type="bullet">
/// <item><b>origin</b>: the country where the material was first produced, inherited through each producer's primary input
/// (`origin_from`). flows.csv reports it; without content tracking the re-export clause and tariffs read it too.</item>
/// <item><b>customs origin</b>: the country of the last producer that transformed it (the last substantial transformation, as
/// customs rules read origin). Tariffs by origin use it.</item>
/// <item><b>content</b>: shares of its value by country, propagated through every bill of materials at reference prices (each
/// producer adds its own value added). A re-export clause with a de-minimis threshold reads it.</item>
/// </list>
/// A plain country code ("CN") is material of that origin, customs origin and content. A full key is
/// "origin|customs|C1=s1,C2=s2" with shares in ordinal country order. Content is kept for the countries a rule can read (the
/// exporters of the scenario's export controls); the rest folds into "other". Shares are rounded (1% steps, 0.1% steps below
/// 1%, rounded down so no share is lifted over a threshold; under 0.1% folds into "other"), and lots of one content class merge
/// in a stock, so a stock holds a few lots.
/// </summary>
public static class Provenance
{
    public const string Other = "other";
    static readonly ConcurrentDictionary<string, Parsed> Cache = new(StringComparer.Ordinal);

    public sealed record Parsed(string Origin, string Customs, IReadOnlyDictionary<string, double> Content);

    public static Parsed Parse(string key) => Cache.GetOrAdd(key, static k =>
    {
        var parts = k.Split('|');
        if (parts.Length < 3) return new Parsed(k, k, new Dictionary<string, double>(StringComparer.Ordinal) { [k] = 1 });
        var content = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var item in parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=');
            content[item[..eq]] = double.Parse(item[(eq + 1)..], CultureInfo.InvariantCulture);
        }
        return new Parsed(parts[0], parts[1], content);
    });

    public static string Origin(string key) => key.IndexOf('|') < 0 ? key : Parse(key).Origin;
    public static string Customs(string key) => key.IndexOf('|') < 0 ? key : Parse(key).Customs;

    /// <summary>The share of the material's value that comes from a country.</summary>
    public static double ContentShare(string key, string country) =>
        key.IndexOf('|') < 0 ? (key == country ? 1 : 0) : Parse(key).Content.GetValueOrDefault(country);

    /// <summary>
    /// The key of a producer's output: origin from its primary input, customs origin its own country, content the value-weighted
    /// mix of the inputs it used (each input's quantity × its reference price) plus its own value added.
    /// </summary>
    /// <param name="used">Per input lot consumed: its key, quantity and reference price per unit.</param>
    /// <param name="outputValue">Reference value of the output made (main output and co-products).</param>
    /// <param name="tracked">Countries whose content is kept (the exporters of the scenario's export controls, the only ones a
    /// rule reads); every other country's share folds into "other". Null keeps every country.</param>
    public static string Make(string origin, string producerCountry, IEnumerable<(string Key, double Quantity, double Price)> used, double outputValue,
        IReadOnlyCollection<string>? tracked = null)
    {
        string Name(string c) => tracked is null || tracked.Contains(c) ? c : Other;
        // Value by country, each summed in the order the lots come (a few countries: a list searched, not a map).
        var content = Shares.Rent();
        double inputs = 0;
        foreach (var (key, q, price) in used)
        {
            var v = q * price;
            if (v <= 0) continue;
            inputs += v;
            foreach (var (c, s) in Parse(key).Content) content.Add(Name(c), v * s);
        }
        var total = Math.Max(outputValue, inputs);
        if (total <= 0) { Shares.Return(content); return producerCountry; }
        content.Add(Name(producerCountry), total - inputs);
        content.DivideBy(total);
        var key1 = Compose(origin, producerCountry, content);
        Shares.Return(content);
        return key1;
    }

    // Content classes: lots whose shares fall in the same class for every country merge in a stock (Stock.Add). The edges include
    // the thresholds rules use (0.1%: China's October 2025 rule; 25%: the US de-minimis rule; 50%), so a merge never moves material
    // across a threshold of those.
    static readonly double[] ClassEdges = [0.001, 0.01, 0.1, 0.25, 0.5, 1.0001];
    static readonly ConcurrentDictionary<string, string> Classes = new(StringComparer.Ordinal);

    /// <summary>The lot's merge class: origin, customs origin and each country's content class.</summary>
    public static string ClassOf(string key) => key.IndexOf('|') < 0 ? key : Classes.GetOrAdd(key, static k =>
    {
        var p = Parse(k);
        var sb = new StringBuilder(p.Origin).Append('|').Append(p.Customs).Append('|');
        foreach (var (c, sh) in p.Content.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            var i = 0;
            while (i < ClassEdges.Length - 1 && sh >= ClassEdges[i]) i++;
            sb.Append(c).Append(':').Append(i).Append(',');
        }
        return sb.ToString();
    });

    /// <summary>The key of qa of lot a mixed with qb of lot b (content weighted by quantity: one commodity, one unit value).</summary>
    public static string Mix(string a, double qa, string b, double qb)
    {
        var pa = Parse(a);
        var pb = Parse(b);
        var content = Shares.Rent();
        var t = qa + qb;
        foreach (var (c, sh) in pa.Content) content.Add(c, sh * qa / t);
        foreach (var (c, sh) in pb.Content) content.Add(c, sh * qb / t);
        var key = Compose(pa.Origin, pa.Customs, content);
        Shares.Return(content);
        return key;
    }

    /// <summary>A key from its parts, shares rounded; a pure single-country key when all three agree.</summary>
    public static string Compose(string origin, string customs, IReadOnlyDictionary<string, double> shares)
    {
        var list = Shares.Rent();
        foreach (var (c, s) in shares) list.Add(c, s);
        var key = Compose(origin, customs, list);
        Shares.Return(list);
        return key;
    }

    static string Compose(string origin, string customs, Shares shares)
    {
        shares.SortByCountry();
        var rounded = Shares.Rent();
        double kept = 0;
        for (int i = 0; i < shares.Count; i++)
        {
            var (c, s) = shares[i];
            if (c == Other) continue;
            // Rounded down, so rounding never lifts a share over a threshold a rule reads (0.1%, 25%, 50%); 1e-9 absorbs float noise.
            var r = s >= 0.01 ? Math.Floor(s * 100 + 1e-9) / 100 : Math.Floor(s * 1000 + 1e-9) / 1000;
            if (r <= 0) continue;
            rounded.Add(c, r);
            kept += r;
        }
        var other = Math.Round(1 - kept, 3);
        if (other >= 0.0005) { rounded.Add(Other, other); rounded.SortByCountry(); }
        // Pure material of one country, or of untracked countries only: the plain key (its content is its origin).
        if (rounded.Count == 1 && (rounded[0].Country == origin || rounded[0].Country == Other) && origin == customs)
        {
            Shares.Return(rounded);
            return origin;
        }
        var sb = (_text ??= new StringBuilder()).Clear().Append(origin).Append('|').Append(customs).Append('|');
        for (int i = 0; i < rounded.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(rounded[i].Country).Append('=').Append(ShareText(rounded[i].Share));
        }
        Shares.Return(rounded);
        return Intern(sb);
    }

    /// <summary>A rounded share as a key writes it ("0.###"), formatted once per value: shares come in 1% and 0.1% steps, so
    /// there are few, and formatting them was ≈1% of the default year's CPU samples (Dec 2026). Keyed by the bits, so −0 and
    /// 0 (equal as doubles, written apart) would not share a text.</summary>
    static string ShareText(double share) =>
        ShareTexts.GetOrAdd(BitConverter.DoubleToInt64Bits(share), static bits => BitConverter.Int64BitsToDouble(bits).ToString("0.###", CultureInfo.InvariantCulture));
    static readonly ConcurrentDictionary<long, string> ShareTexts = new();

    [ThreadStatic] static StringBuilder? _text;
    [ThreadStatic] static char[]? _chars;
    static readonly ConcurrentDictionary<string, string> Keys = new(StringComparer.Ordinal);
    static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KeysBySpan = Keys.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>One string per key: a producer makes the same few keys every tick, and every stock, pipeline and market compares
    /// them; as fresh strings each comparison read them through (a CPU sample of the default year, Dec 2026: 6% of its time in
    /// string comparison), as one instance it is a reference check. Keys hold shares in 1% steps (0.1% below 1%), so they
    /// are few, and Parse's cache keeps each one already.</summary>
    static string Intern(StringBuilder sb)
    {
        var chars = _chars is { } c && c.Length >= sb.Length ? c : _chars = new char[Math.Max(64, sb.Length)];
        sb.CopyTo(0, chars, sb.Length);
        var span = chars.AsSpan(0, sb.Length);
        if (KeysBySpan.TryGetValue(span, out var key)) return key;
        var s = span.ToString();
        return Keys.GetOrAdd(s, s);
    }

    /// <summary>
    /// Shares by country in a small list (a key names a few countries): <see cref="Add"/> sums into a country's entry in the
    /// order the parts come, as a map's += did; <see cref="SortByCountry"/> puts them in ordinal country order. Instances are
    /// reused per thread: these run for every lot a producer makes or a stock mixes.
    /// </summary>
    sealed class Shares
    {
        readonly List<(string Country, double Share)> _items = new(8);
        [ThreadStatic] static Stack<Shares>? _free;

        public static Shares Rent() => (_free ??= new()).TryPop(out var s) ? s : new Shares();
        public static void Return(Shares s) { s._items.Clear(); _free!.Push(s); }

        public int Count => _items.Count;
        public (string Country, double Share) this[int i] => _items[i];

        public void Add(string country, double value)
        {
            for (int i = 0; i < _items.Count; i++)
                if (_items[i].Country == country) { _items[i] = (country, _items[i].Share + value); return; }
            _items.Add((country, 0 + value)); // a map's first += adds to 0: the same sum
        }

        public void DivideBy(double total)
        {
            for (int i = 0; i < _items.Count; i++) _items[i] = (_items[i].Country, _items[i].Share / total);
        }

        public void SortByCountry()
        {
            if (_items.Count > 1) _items.Sort(static (x, y) => string.CompareOrdinal(x.Country, y.Country));
        }
    }
}
