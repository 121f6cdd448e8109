using System.Globalization;
using MarketSim.Model.Scenario;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Experiments;

/// <summary>
/// A path into a scenario's YAML: fields separated by dots, list items selected by id or 0-based index in brackets:
/// <c>demand.elasticity</c>, <c>policies[cn-cutoff-jp].end</c>, <c>producers[au-sep-lree].reserved_share</c>,
/// <c>manufacturers[jp-auto].firms[a].cover_days</c>. A path that ends on a list item (<c>policies[g7-floor]</c>) switches
/// that item on or off: its values are <c>on</c>/<c>off</c> (or <c>true</c>/<c>false</c>).
/// </summary>
public sealed class ParameterPath
{
    public abstract record Step;
    public sealed record Field(string Name) : Step;
    public sealed record Item(string Selector) : Step;

    public string Text { get; }
    public IReadOnlyList<Step> Steps { get; }
    /// <summary>The path ends on a list item: values switch it on or off.</summary>
    public bool IsToggle => Steps[^1] is Item;

    ParameterPath(string text, IReadOnlyList<Step> steps) { Text = text; Steps = steps; }

    public override string ToString() => Text;

    /// <summary>The longest path read, in characters and in steps (a scenario's fields nest a few levels deep, and its ids have
    /// at most 100 characters). A path of 50,000 steps took 54 s and 5 GB, and one of 200,000 over two minutes without a word,
    /// building every step's name from the one before and then as many nested mappings (a review, Dec 2026).</summary>
    public const int MaxLength = 1_000, MaxSteps = YamlLimits.MaxDepth;

    /// <summary>Parses the syntax only; whether the path exists in a scenario is <see cref="Resolve"/>'s business.</summary>
    public static ParameterPath? Parse(string text, out string? error)
    {
        error = null;
        if (text.Length > MaxLength) { error = $"it has {text.Length} characters, more than the {MaxLength} a path may have"; return null; }
        var steps = new List<Step>();
        int i = 0;
        bool expectName = true;
        while (i < text.Length)
        {
            if (text[i] == '[')
            {
                var close = text.IndexOf(']', i + 1);
                if (close < 0) { error = $"unclosed '[' at position {i + 1}"; return null; }
                var sel = text[(i + 1)..close].Trim();
                if (sel.Length == 0) { error = $"empty [] at position {i + 1}"; return null; }
                if (steps.Count == 0 || expectName) { error = $"'[{sel}]' must follow a field name"; return null; }
                steps.Add(new Item(sel));
                i = close + 1;
                if (i < text.Length && text[i] is not ('.' or '[')) { error = $"expected '.' or '[' after ']' at position {i + 1}"; return null; }
                continue;
            }
            if (text[i] == '.')
            {
                if (expectName) { error = $"empty field name at position {i + 1}"; return null; }
                expectName = true;
                i++;
                continue;
            }
            int j = i;
            while (j < text.Length && text[j] is not ('.' or '[' or ']')) j++;
            if (j < text.Length && text[j] == ']') { error = $"unexpected ']' at position {j + 1}"; return null; }
            var name = text[i..j].Trim();
            if (name.Length == 0 || !expectName) { error = $"empty field name at position {i + 1}"; return null; }
            steps.Add(new Field(name));
            expectName = false;
            i = j;
        }
        if (steps.Count == 0) { error = "is empty"; return null; }
        if (steps.Count > MaxSteps) { error = $"it has {steps.Count} steps, more than the {MaxSteps} a path may have"; return null; }
        if (expectName) { error = "ends with '.'"; return null; }
        return new ParameterPath(text, steps);
    }

    /// <summary>Where a path lands in one YAML tree: a field of a mapping (which may not be there yet) or an item of a list.</summary>
    public sealed record Target(YamlMappingNode? Mapping, string? Key, YamlSequenceNode? List, YamlNode? ItemNode);

    /// <summary>
    /// Follows the path in <paramref name="root"/>. Missing intermediate mappings are created (so <c>demand.elasticity</c> works
    /// in a scenario without <c>demand</c>); a missing last field is allowed (the scenario loader decides whether it is a
    /// known field); a missing list or list item is an error naming what exists.
    /// </summary>
    public Target? Resolve(YamlMappingNode root, out string? error)
    {
        error = null;
        YamlNode current = root;
        var walked = "";
        for (int s = 0; s < Steps.Count; s++)
        {
            var last = s == Steps.Count - 1;
            switch (Steps[s])
            {
                case Field f:
                {
                    if (current is not YamlMappingNode map) { error = $"'{walked}' is not a mapping of fields, so it has no field '{f.Name}'"; return null; }
                    var child = Get(map, f.Name);
                    walked = walked.Length == 0 ? f.Name : walked + "." + f.Name;
                    if (last) return new Target(map, f.Name, null, null);
                    if (child is null)
                    {
                        if (Steps[s + 1] is Item) { error = $"the scenario has no list '{walked}'"; return null; }
                        child = new YamlMappingNode();
                        map.Children[new YamlScalarNode(f.Name)] = child;
                    }
                    current = child;
                    break;
                }
                case Item it:
                {
                    if (current is not YamlSequenceNode seq) { error = $"'{walked}' is not a list"; return null; }
                    var item = FindItem(seq, it.Selector);
                    if (item is null)
                    {
                        var ids = seq.Children.Select(IdOf).Where(x => x is not null).ToList();
                        error = $"'{walked}' has no item '{it.Selector}' ({(ids.Count == 0 ? $"{seq.Children.Count} items, select by index 0..{seq.Children.Count - 1}" : "ids: " + ErrorLimits.InOrder(ids!))})";
                        return null;
                    }
                    walked += $"[{it.Selector}]";
                    if (last) return new Target(null, null, seq, item);
                    current = item;
                    break;
                }
            }
        }
        error = "is empty";
        return null;
    }

    static YamlNode? Get(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
            if (k is YamlScalarNode s && s.Value == key) return v;
        return null;
    }

    internal static string? IdOf(YamlNode item) =>
        item is YamlMappingNode m && Get(m, "id") is YamlScalarNode s ? s.Value : null;

    static YamlNode? FindItem(YamlSequenceNode seq, string selector)
    {
        foreach (var c in seq.Children)
            if (IdOf(c) == selector) return c;
        if (int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < seq.Children.Count) return seq.Children[i];
        return null;
    }

    /// <summary>Sets a field to a scalar value, replacing what was there (value text as written in the experiment file).</summary>
    public static void Set(Target t, string value)
    {
        var map = t.Mapping!;
        foreach (var (k, _) in map.Children.ToList())
            if (k is YamlScalarNode s && s.Value == t.Key) { map.Children[k] = new YamlScalarNode(value); return; }
        map.Children[new YamlScalarNode(t.Key!)] = new YamlScalarNode(value);
    }

    /// <summary>The toggle's values: on/true include the item, off/false remove it.</summary>
    public static bool? ParseSwitch(string value) => value.Trim().ToLowerInvariant() switch
    {
        "on" or "true" or "include" => true,
        "off" or "false" or "exclude" => false,
        _ => null,
    };
}
