using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenario;

/// <summary>What an id may look like: checked wherever a scenario defines one (every mapping's <c>id</c> field).</summary>
public static class IdRules
{
    /// <summary>Ids longer than this are refused (they end up in file names, CSV cells and messages).</summary>
    public const int MaxLength = 100;

    /// <summary>Null if the (trimmed) id is acceptable, else why not, in the user's words.</summary>
    public static string? Problem(string id)
    {
        if (id.Length > MaxLength) return $"must be at most {MaxLength} characters long, got {id.Length}";
        for (int i = 0; i < id.Length; i++)
            if (IsControl(id[i]))
                return $"must not contain control characters such as line breaks or tabs (U+{(int)id[i]:X4} at position {i + 1})";
        if (char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]))
            return "must not start or end with a space (\"JP \" and \"JP\" would look alike and be two ids)";
        if (id[0] is '=' or '+' or '-' or '@')
            return $"must not start with '{id[0]}' (spreadsheets read such a cell as a formula)";
        return null;
    }

    /// <summary>Control and format characters, line and paragraph separators, lone surrogates.</summary>
    public static bool IsControl(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}

/// <summary>Checks that need the whole file: one id space for everything fills are routed by, and the calendar horizon.</summary>
internal sealed partial class ScenarioReader
{
    /// <summary>
    /// Countries, producers, manufacturer groups, expanded manufacturer firms (<c>group/firm</c>) and policies share one set
    /// of ids: fills, stockpile releases and losses are routed by id, so a producer named like a country would take the
    /// country's deliveries (the run then fails with no location). Every repeat is reported at the repeated id, naming the
    /// first use. A policy id may repeat only as later versions of one policy (checked in <see cref="Versions"/>).
    /// </summary>
    void CheckIdSpace(YamlMap root, List<YamlMap> producerMaps, List<YamlMap> manufacturerMaps, List<YamlMap> policyMaps)
    {
        var first = new Dictionary<string, (string Kind, YamlNode Node)>(StringComparer.Ordinal);
        // Ids are case-sensitive, so "JP" and "jp" would be two countries (or a producer named like a country): a typo that
        // no other check catches (a review, Dec 2026). The first spelling of each id, by its letters alone.
        var spelling = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        // Countries defined twice are reported by ReadCountry; here they only claim their id.
        foreach (var (node, index) in RawItems(root.Node, "countries"))
            if (IdNode(node) is { } id && Trim(id) is { } v && first.TryAdd(v, ("a country", id))) LookAlike(id, v, $"countries[{index}].id");

        for (int i = 0; i < producerMaps.Count; i++)
            Claim(producerMaps[i].Node, "a producer", producerMaps[i].Path + ".id");
        for (int i = 0; i < manufacturerMaps.Count; i++)
        {
            var m = manufacturerMaps[i];
            var group = IdNode(m.Node);
            Claim(m.Node, "a manufacturer group", m.Path + ".id");
            if (group is null || Trim(group) is not { } gid) continue;
            foreach (var (firm, index) in RawItems(m.Node, "firms"))
                if (IdNode(firm) is { } fid && Trim(fid) is { } f)
                    Claim(firm, "a manufacturer firm", $"{m.Path}.firms[{index}].id", $"{gid}/{f}");
        }
        // Policies: only against the other kinds (a repeated policy id is a version, judged by Versions).
        var policyIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in policyMaps)
            if (IdNode(p.Node) is { } id && Trim(id) is { } v && policyIds.Add(v) && first.TryGetValue(v, out var earlier))
                sink.Add(id, p.Path + ".id", $"policy id '{ErrorLimits.Short(v)}' is already the id of {Describe(earlier)}; {Shared}");

        void Claim(YamlMappingNode map, string kind, string field, string? expanded = null)
        {
            if (IdNode(map) is not { } id || Trim(id) is not { } v) return;
            var key = expanded ?? v;
            if (first.TryAdd(key, (kind, id))) { LookAlike(id, key, field); return; }
            var earlier = first[key];
            var what = expanded is null ? $"id '{ErrorLimits.Short(key)}'" : $"firm id '{ErrorLimits.Short(key)}' (group/firm)";
            sink.Add(id, field, $"{what} is used more than once: it is already the id of {Describe(earlier)}; {Shared}");
        }

        void LookAlike(YamlNode node, string id, string field)
        {
            if (spelling.TryAdd(id, id)) return;
            var other = spelling[id];
            sink.Add(node, field, $"id '{ErrorLimits.Short(id)}' differs from '{ErrorLimits.Short(other)}', the id of {Describe(first[other])}, only in "
                + "letter case: ids are case-sensitive, so these are two different ids; spell them alike or rename one");
        }
    }

    const string Shared = "countries, producers, manufacturer groups and firms, and policies share one set of ids";

    static string Describe((string Kind, YamlNode Node) e) => $"{e.Kind} (line {e.Node.Start.Line})";

    static string? Trim(YamlScalarNode s) => string.IsNullOrWhiteSpace(s.Value) ? null : s.Value.Trim();

    static YamlScalarNode? IdNode(YamlNode node) =>
        node is YamlMappingNode m ? m.Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == "id").Value as YamlScalarNode : null;

    /// <summary>The mapping items of a list field, with their index, without reporting anything (the readers do).</summary>
    static IEnumerable<(YamlMappingNode Node, int Index)> RawItems(YamlMappingNode parent, string key)
    {
        if (parent.Children.FirstOrDefault(c => (c.Key as YamlScalarNode)?.Value == key).Value is not YamlSequenceNode seq) yield break;
        for (int i = 0; i < seq.Children.Count; i++)
            if (seq.Children[i] is YamlMappingNode m) yield return (m, i);
    }

    /// <summary>Every tick's date must exist: start_date + days within the calendar .NET can represent (9999-12-31).</summary>
    void CheckHorizon(YamlMap root)
    {
        if (_start is not { } start) return;
        var last = DateOnly.MaxValue.DayNumber - start.DayNumber;
        if (_days > last)
            root.Error("days", $"{_days} days from {start:yyyy-MM-dd} ends after {DateOnly.MaxValue:yyyy-MM-dd}, the last date that can be represented; at most {last} days from this start_date");
    }
}
