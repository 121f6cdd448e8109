using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MarketSim.Model.Policies;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Dashboard.Export;

/// <summary>
/// A session's timeline as a scenario file that replays it: the YAML the session was created from, comments and all, with
/// its top-level <c>seed</c> and <c>policies</c> replaced by the session's seed and whole timeline (live changes included,
/// as ticks). Loading it and running to the same tick gives the same frames. A file the line rewrite cannot handle is
/// written out again from its tree, without comments.
/// </summary>
public static partial class TimelineYaml
{
    public static string Write(string originalYaml, ulong seed, IEnumerable<PolicySpec> timeline, string? note = null)
    {
        var policies = timeline.ToList();
        var text = Rewrite(originalYaml, seed, policies, note);
        // The line rewrite keeps comments but understands only a block mapping written from the first column: a file that
        // starts with "---", is written in flow style (JSON) or whose rewrite changed anything but seed and policies is
        // rebuilt from its tree (comments lost).
        return Replays(text, originalYaml, seed, policies.Count) ? text : Rebuild(originalYaml, seed, policies, note);
    }

    static List<string> Block(IEnumerable<PolicySpec> timeline, string? note)
    {
        var block = new List<string> { "policies:" };
        if (note is not null) block.Add("  # " + note);
        block.AddRange(timeline.Select(p => "  - " + Policy(p)));
        if (block.Count == 1) block[0] = "policies: []";
        return block;
    }

    /// <summary>True if the text is one YAML mapping with exactly one seed (the given one), one list of this many policies,
    /// and everything else as in the original, key for key and value for value: a rewrite that lost a section (a quoted key
    /// after the policies, read as part of them, was dropped) must not pass for the session's world.</summary>
    static bool Replays(string yaml, string originalYaml, ulong seed, int count)
    {
        try
        {
            if (Root(yaml) is not { } root || Root(originalYaml) is not { } original) return false;
            var keys = root.Children.Keys.Select(k => (k as YamlScalarNode)?.Value).ToList();
            return keys.Count(k => k == "seed") == 1 && keys.Count(k => k == "policies") == 1
                && root.Children[new YamlScalarNode("seed")] is YamlScalarNode s && s.Value == seed.ToString(CultureInfo.InvariantCulture)
                && root.Children[new YamlScalarNode("policies")] is YamlSequenceNode p && p.Children.Count == count
                && Canonical(root, "seed", "policies") == Canonical(original, "seed", "policies");
        }
        catch (Exception e) when (e is YamlException or ArgumentException) // malformed, or a key twice
        {
            return false;
        }
    }

    static YamlMappingNode? Root(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 1 ? stream.Documents[0].RootNode as YamlMappingNode : null;
    }

    /// <summary>A mapping's content but the given top-level keys, as one string: scalars by value (JSON-quoted), in order.</summary>
    static string Canonical(YamlMappingNode root, params string[] except)
    {
        var sb = new StringBuilder();
        void Write(YamlNode n)
        {
            switch (n)
            {
                case YamlScalarNode sc: sb.Append(JsonSerializer.Serialize(sc.Value)); break;
                case YamlSequenceNode seq:
                    sb.Append('[');
                    foreach (var c in seq.Children) { Write(c); sb.Append(','); }
                    sb.Append(']');
                    break;
                case YamlMappingNode m:
                    sb.Append('{');
                    foreach (var (k, v) in m.Children) { Write(k); sb.Append(':'); Write(v); sb.Append(','); }
                    sb.Append('}');
                    break;
                default: sb.Append('?'); break;
            }
        }
        foreach (var (k, v) in root.Children)
        {
            if (k is YamlScalarNode { Value: { } key } && except.Contains(key)) continue;
            Write(k); sb.Append(':'); Write(v); sb.Append(',');
        }
        return sb.ToString();
    }

    /// <summary>The uploaded file's tree with seed and policies set, written out as YAML (the session loaded it, so it parses).</summary>
    static string Rebuild(string originalYaml, ulong seed, List<PolicySpec> policies, string? note)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(originalYaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        root.Style = YamlDotNet.Core.Events.MappingStyle.Block;
        var block = new YamlStream();
        block.Load(new StringReader(string.Join("\n", Block(policies, null))));
        Set(root, "seed", new YamlScalarNode(seed.ToString(CultureInfo.InvariantCulture)));
        Set(root, "policies", ((YamlMappingNode)block.Documents[0].RootNode).Children.Values.Single());
        var w = new StringWriter { NewLine = "\n" };
        if (note is not null) w.Write("# " + note + "\n");
        stream.Save(w, assignAnchors: false);
        return w.ToString().Replace("\r\n", "\n");
    }

    static void Set(YamlMappingNode m, string key, YamlNode value)
    {
        var k = m.Children.Keys.FirstOrDefault(c => (c as YamlScalarNode)?.Value == key);
        m.Children[k ?? new YamlScalarNode(key)] = value;
    }

    static string Rewrite(string originalYaml, ulong seed, List<PolicySpec> timeline, string? note)
    {
        var lines = originalYaml.Replace("\r\n", "\n").Split('\n').ToList();
        var seedLine = $"seed: {seed.ToString(CultureInfo.InvariantCulture)}";
        var s = lines.FindIndex(l => SeedKey().IsMatch(l));
        if (s >= 0) lines[s] = seedLine; else lines.Insert(0, seedLine);

        var block = Block(timeline, note);

        var start = lines.FindIndex(l => l.StartsWith("policies:", StringComparison.Ordinal));
        if (start < 0) { lines.AddRange(block); return string.Join("\n", lines) + "\n"; }
        var end = start + 1;
        // The block runs to the next line written from the first column that is not blank, a comment or one of its own
        // entries ("- " there): the next top-level key, quoted ("\"producers\":") or explicit ("? x") as well as plain.
        while (end < lines.Count && !EndsBlock(lines[end])) end++;
        lines.RemoveRange(start, end - start);
        lines.InsertRange(start, block);
        return string.Join("\n", lines).TrimEnd('\n') + "\n";
    }

    /// <summary>One policy as a YAML flow mapping, fields as in docs/SCENARIOS.md; only the fields its mode allows.</summary>
    public static string Policy(PolicySpec p)
    {
        var f = new List<(string, string)> { ("id", S(p.Id)), ("type", p.Kind), ("start", I(p.Start)) };
        if (p.End is { } end) f.Add(("end", I(end)));
        switch (p)
        {
            case ExportControl e:
                if (e.Announced is { } announced) f.Add(("announced", I(announced)));
                f.Add(("exporter", S(e.Exporter)));
                f.Add(("commodities", L(e.Commodities)));
                f.Add(("destinations", L(e.Destinations)));
                f.Add(("end_use", e.EndUse.ToString().ToLowerInvariant()));
                f.Add(("mode", e.Mode.ToString().ToLowerInvariant()));
                f.Add(("re_export", e.ReExport ? "true" : "false"));
                f.Add(("rent_to", e.RentToState ? "state" : "exporter"));
                if (e.DeMinimis is { } dm) f.Add(("de_minimis", N(dm)));
                if (e.EndUsers.Count > 0) f.Add(("end_users", L(e.EndUsers)));
                if (e.Sectors.Count > 0) f.Add(("sectors", L(e.Sectors)));
                if (e.Mode == ControlMode.Quota) { f.Add(("quota", N(e.QuotaQuantity))); f.Add(("quota_period_days", I(e.QuotaPeriodDays))); }
                if (e.Mode == ControlMode.License)
                {
                    f.Add(("approval_rate", N(e.ApprovalRate)));
                    f.Add(("delay_min_days", N(e.DelayMinDays)));
                    f.Add(("delay_max_days", N(e.DelayMaxDays)));
                    f.Add(("applications", I(e.Applications)));
                    if (e.RefusedCarryover != 1) f.Add(("refused_carryover", N(e.RefusedCarryover)));
                }
                break;
            case Tariff t:
                f.Add(("importer", S(t.Importer)));
                f.Add(("commodities", L(t.Commodities)));
                f.Add(("origins", L(t.Origins)));
                f.Add(("rate", N(t.Rate)));
                break;
            case PriceFloor pf:
                f.Add(("floors", "{" + string.Join(", ", pf.Floors.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{S(x.Key)}: {N(x.Value)}")) + "}"));
                f.Add(("club", L(pf.Club)));
                f.Add(("excluded", L(pf.Excluded)));
                break;
            case Stockpile st:
                f.Add(("country", S(st.Country)));
                f.Add(("commodity", S(st.Commodity)));
                f.Add(("size", N(st.Size)));
                f.Add(("initial", N(st.Initial)));
                f.Add(("release_unmet_share", N(st.ReleaseShortageShare)));
                f.Add(("release_price_factor", N(st.ReleasePriceFactor)));
                f.Add(("max_release_per_day", N(st.MaxReleasePerDay)));
                f.Add(("refill_price_factor", N(st.RefillPriceFactor)));
                f.Add(("refill_per_day", N(st.RefillPerDay)));
                f.Add(("release_on_control", st.ReleaseOnControl ? "true" : "false"));
                f.Add(("carrying_cost", N(st.CarryingCost)));
                break;
            case CapacityProject c:
                f.Add(("producer", S(c.Producer)));
                f.Add(("added_capacity", N(c.AddedCapacity)));
                f.Add(("lead_time_days", I(c.LeadTimeDays)));
                f.Add(("cost", N(c.Cost)));
                if (c.Payer is not null) f.Add(("payer", S(c.Payer)));
                break;
        }
        return "{" + string.Join(", ", f.Select(x => $"{x.Item1}: {x.Item2}")) + "}";
    }

    // Double-quoted YAML scalars accept JSON string escapes.
    static string S(string s) => JsonSerializer.Serialize(s);
    static string L(IEnumerable<string> xs) => "[" + string.Join(", ", xs.Select(S)) + "]";
    static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    // "R" round-trips doubles exactly, so the replay sees the same numbers.
    static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^seed\s*:")]
    private static partial Regex SeedKey();

    static bool EndsBlock(string line) =>
        line.Length > 0 && !char.IsWhiteSpace(line[0]) && line[0] != '#' && !(line[0] == '-' && (line.Length == 1 || line[1] == ' '));
}
