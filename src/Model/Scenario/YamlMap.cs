using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenario;

/// <summary>Collects located errors while a scenario is read.</summary>
internal sealed class ErrorSink(string file)
{
    /// <summary>Errors kept; more are only counted (a 4 MB file can hold 500,000 mistakes, each message up to a kilobyte).</summary>
    public const int MaxKept = 10_000;
    public string File { get; } = file;
    public List<ScenarioError> Errors { get; } = new();
    /// <summary>Errors found beyond <see cref="MaxKept"/>: counted, not kept.</summary>
    public long Omitted { get; private set; }
    /// <summary>
    /// When set (tests only), every key a getter asks for, per mapping path as written (<c>producers[2].thrift.dy_oxide</c>):
    /// the fields the reader knows in that context, whether or not the file has them.
    /// </summary>
    public Dictionary<string, HashSet<string>>? Asked { get; init; }

    public void Add(YamlNode? node, string field, string message)
    {
        if (Errors.Count >= MaxKept) { Omitted++; return; }
        Errors.Add(new ScenarioError(File, node is null ? 0 : (int)node.Start.Line, node is null ? 0 : (int)node.Start.Column, field, message));
    }
}

/// <summary>
/// A YAML mapping read field by field. Every getter records an error at the offending node (or at the mapping, for a missing
/// field) and returns null, so one pass reports every mistake; fields nobody asked for are reported as unknown (typos).
/// </summary>
internal sealed class YamlMap(YamlMappingNode node, string path, ErrorSink sink)
{
    readonly HashSet<string> _used = new(StringComparer.Ordinal);
    public YamlMappingNode Node { get; } = node;
    public string Path { get; } = path;
    public ErrorSink Sink { get; } = sink;

    string F(string key) => Path.Length == 0 ? key : Path + "." + key;

    public bool Has(string key) => Find(key) is not null;

    // Built on first use: looking a key up must not scan a mapping of 200,000 keys once per key (a quadratic stall).
    Dictionary<string, YamlNode>? _index;

    YamlNode? Find(string key)
    {
        _used.Add(key);
        if (Sink.Asked is { } asked) (asked.TryGetValue(Path, out var keys) ? keys : asked[Path] = new(StringComparer.Ordinal)).Add(key);
        if (_index is null)
        {
            _index = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (k, v) in Node.Children)
                if (k is YamlScalarNode s && s.Value is not null) _index.TryAdd(s.Value, v); // the first of equal keys, as before
        }
        return _index.GetValueOrDefault(key);
    }

    public void Error(string key, string message) => Sink.Add(Find(key) ?? Node, F(key), message);

    public string? Str(string key, bool required = true, string? fallback = null)
    {
        var n = Find(key);
        if (n is null) { if (required) Sink.Add(Node, F(key), "is required"); return fallback; }
        if (n is YamlScalarNode s && !string.IsNullOrWhiteSpace(s.Value))
        {
            var text = s.Value!.Trim();
            // Every id a file defines is an "id" field: each is checked where it is defined (references to it then match).
            if (key == "id" && IdRules.Problem(text) is { } problem) Sink.Add(n, F(key), problem);
            return text;
        }
        Sink.Add(n, F(key), "must be a non-empty text value");
        return fallback;
    }

    /// <summary>Free text (a name, a sector, a unit; or prose), held to <see cref="TextRules"/> where the file gives it.</summary>
    public string? Text(string key, bool required = true, string? fallback = null, bool prose = false)
    {
        var text = Str(key, required, fallback);
        if (text is not null && Has(key) && TextRules.Problem(text, prose) is { } problem) Sink.Add(Find(key), F(key), problem);
        return text;
    }

    /// <summary>A list of free text (commodity groups, sectors), each item held to <see cref="TextRules"/>.</summary>
    public List<(string Value, YamlNode Node)> TextList(string key)
    {
        var list = StrList(key);
        foreach (var (v, n) in list)
            if (TextRules.Problem(v) is { } problem) Sink.Add(n, F(key), problem);
        return list;
    }

    /// <summary>
    /// Bounds for a number the reader gave none: every quantity is at most <see cref="QuantityLimits.MaxQuantity"/> in
    /// size, so no product of a few of them overflows a double, and every field counted in days (<c>days</c>,
    /// <c>*_days</c>, <c>horizon</c>) at most <see cref="QuantityLimits.MaxDays"/>, so tick arithmetic stays in an int.
    /// </summary>
    static (double Min, double Max) Bounds(string key, double min, double max)
    {
        var days = QuantityLimits.IsDays(key);
        if (double.IsPositiveInfinity(max)) max = days ? QuantityLimits.MaxDays : QuantityLimits.MaxQuantity;
        if (double.IsNegativeInfinity(min)) min = days ? -QuantityLimits.MaxDays : -QuantityLimits.MaxQuantity;
        return (min, max);
    }

    /// <param name="positive">Zero is refused too (the value divides).</param>
    public double? Num(string key, bool required = true, double? fallback = null, double min = double.NegativeInfinity, double max = double.PositiveInfinity,
        bool positive = false)
    {
        var openEnded = double.IsPositiveInfinity(max);
        (min, max) = Bounds(key, min, max);
        var n = Find(key);
        if (n is null) { if (required) Sink.Add(Node, F(key), "is required"); return fallback; }
        if (n is not YamlScalarNode s || !double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || double.IsNaN(v) || double.IsInfinity(v))
        {
            Sink.Add(n, F(key), $"must be a number, got '{(n as YamlScalarNode)?.Value ?? n.NodeType.ToString()}'");
            return fallback;
        }
        if (v < min || v > max)
        {
            var range = !openEnded ? $"between {Fmt(min)} and {Fmt(max)}" : v < min ? $"at least {Fmt(min)}" : $"at most {Fmt(max)}";
            Sink.Add(n, F(key), $"must be {range}, got {s.Value}");
            return fallback;
        }
        if (positive && v <= 0) { Sink.Add(n, F(key), $"must be greater than 0, got {s.Value}"); return fallback; }
        return v;
    }

    static string Fmt(double x) => Math.Abs(x) >= 1e9 ? x.ToString("0.###e0", CultureInfo.InvariantCulture) : x.ToString(CultureInfo.InvariantCulture);

    public int? Int(string key, bool required = true, int? fallback = null, int min = int.MinValue, int max = int.MaxValue)
    {
        if (QuantityLimits.IsDays(key)) max = Math.Min(max, QuantityLimits.MaxDays);
        var n = Find(key);
        if (n is null) { if (required) Sink.Add(Node, F(key), "is required"); return fallback; }
        if (n is not YamlScalarNode s || !int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v))
        {
            Sink.Add(n, F(key), $"must be a whole number, got '{(n as YamlScalarNode)?.Value}'");
            return fallback;
        }
        if (v < min) { Sink.Add(n, F(key), $"must be at least {min}, got {v}"); return fallback; }
        if (v > max) { Sink.Add(n, F(key), $"must be at most {max}, got {v}"); return fallback; }
        return v;
    }

    public bool Bool(string key, bool fallback = false)
    {
        var n = Find(key);
        if (n is null) return fallback;
        if (n is YamlScalarNode s && bool.TryParse(s.Value, out var b)) return b;
        Sink.Add(n, F(key), "must be true or false");
        return fallback;
    }

    public DateOnly? Date(string key)
    {
        var n = Find(key);
        if (n is null) { Sink.Add(Node, F(key), "is required"); return null; }
        if (n is YamlScalarNode s && DateOnly.TryParseExact(s.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        Sink.Add(n, F(key), $"must be a date yyyy-MM-dd, got '{(n as YamlScalarNode)?.Value}'");
        return null;
    }

    /// <summary>A tick given as a day number or as a calendar date on or after the start date.</summary>
    public int? Tick(string key, DateOnly? start, bool required)
    {
        var n = Find(key);
        if (n is null) { if (required) Sink.Add(Node, F(key), "is required"); return null; }
        if (n is YamlScalarNode s)
        {
            if (int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t)) return t;
            if (start is not null && DateOnly.TryParseExact(s.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                return d.DayNumber - start.Value.DayNumber;
        }
        Sink.Add(n, F(key), $"must be a day number or a date yyyy-MM-dd, got '{(n as YamlScalarNode)?.Value}'");
        return null;
    }

    public List<(string Value, YamlNode Node)> StrList(string key, bool required = false)
    {
        var n = Find(key);
        var list = new List<(string, YamlNode)>();
        if (n is null) { if (required) Sink.Add(Node, F(key), "is required"); return list; }
        if (n is YamlScalarNode one && !string.IsNullOrWhiteSpace(one.Value)) { list.Add((one.Value!.Trim(), one)); return list; }
        if (n is not YamlSequenceNode seq) { Sink.Add(n, F(key), "must be a list"); return list; }
        foreach (var item in seq.Children)
        {
            if (item is YamlScalarNode s && !string.IsNullOrWhiteSpace(s.Value)) list.Add((s.Value!.Trim(), s));
            else Sink.Add(item, F(key), "items must be text values");
        }
        return list;
    }

    public YamlMap? Sub(string key, bool required = false)
    {
        var n = Find(key);
        if (n is null) { if (required) Sink.Add(Node, F(key), "is required"); return null; }
        if (n is YamlMappingNode m) return new YamlMap(m, F(key), Sink);
        Sink.Add(n, F(key), "must be a mapping of fields");
        return null;
    }

    public List<YamlMap> Items(string key, bool required = false)
    {
        var n = Find(key);
        var list = new List<YamlMap>();
        if (n is null) { if (required) Sink.Add(Node, F(key), "is required"); return list; }
        if (n is not YamlSequenceNode seq) { Sink.Add(n, F(key), "must be a list"); return list; }
        for (int i = 0; i < seq.Children.Count; i++)
        {
            if (seq.Children[i] is YamlMappingNode m) list.Add(new YamlMap(m, $"{F(key)}[{i}]", Sink));
            else Sink.Add(seq.Children[i], $"{F(key)}[{i}]", "must be a mapping of fields");
        }
        return list;
    }

    /// <summary>A mapping of name → number, such as a bill of materials.</summary>
    public List<(string Key, double Value, YamlNode Node)> NumberMap(string key, double min = 0)
    {
        var n = Find(key);
        var list = new List<(string, double, YamlNode)>();
        if (n is null) return list;
        if (n is not YamlMappingNode m) { Sink.Add(n, F(key), "must be a mapping of name: number"); return list; }
        foreach (var (k, v) in m.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (v is YamlScalarNode s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) && !double.IsInfinity(d))
            {
                if (d < min) Sink.Add(v, $"{F(key)}.{name}", $"must be at least {min.ToString(CultureInfo.InvariantCulture)}, got {s.Value}");
                else if (d > QuantityLimits.MaxQuantity) Sink.Add(v, $"{F(key)}.{name}", $"must be at most {Fmt(QuantityLimits.MaxQuantity)}, got {s.Value}");
                else list.Add((name, d, k));
            }
            else Sink.Add(v, $"{F(key)}.{name}", "must be a number");
        }
        return list;
    }

    /// <summary>Reports fields that no getter asked for: usually a typo.</summary>
    public void RejectUnknown()
    {
        foreach (var (k, _) in Node.Children)
            if (k is YamlScalarNode s && s.Value is not null && !_used.Contains(s.Value))
                Sink.Add(k, F(s.Value), "is not a known field");
    }
}
