using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace MarketSim.Model.Scenario;

/// <summary>
/// Keeps error reports small whatever the input: at most <see cref="MaxErrors"/> errors, then one line saying how many more
/// there were; messages and fields cut to a bounded length; lists of known ids in messages shortened. A file that names an
/// unknown id 2,000 times among 20,000 countries thus yields a few kilobytes of errors, not hundreds of megabytes.
/// </summary>
public static partial class ErrorLimits
{
    public const int MaxErrors = 100;
    /// <summary>Ids listed in a message ("countries: ...") before "… and N more".</summary>
    public const int MaxListed = 20;
    public const int MaxMessageLength = 500;
    public const int MaxFieldLength = 200;
    const int MaxListedIdLength = 40;

    [GeneratedRegex(@"^(\d+) more errors? not shown$")]
    private static partial Regex MoreRegex();

    // Readers name the same growing set of known ids in every "unknown id" error: 2,000 such errors among 20,000 countries
    // must not sort the 20,000 ids 2,000 times. A collection is remembered with its count (sets of ids only grow).
    static readonly ConditionalWeakTable<object, Tuple<int, string>> Memo = new();

    /// <summary>"a, b, c" or "a, b, … and 180 more", in ordinal order, each id cut to a readable length.</summary>
    public static string Known(IEnumerable<string> ids)
    {
        if (ids is not IReadOnlyCollection<string> c) return List(ids);
        if (Memo.TryGetValue(c, out var m) && m.Item1 == c.Count) return m.Item2;
        var text = List(c);
        Memo.AddOrUpdate(c, Tuple.Create(c.Count, text));
        return text;
    }

    /// <summary>Like <see cref="Known"/> but in the given order (ids as they appear in a file).</summary>
    public static string InOrder(IEnumerable<string> ids) => List(ids, sort: false);

    static string List(IEnumerable<string> ids, bool sort = true)
    {
        var sorted = sort ? ids.Order(StringComparer.Ordinal).ToList() : ids.ToList();
        var shown = string.Join(", ", sorted.Take(MaxListed).Select(Short));
        return sorted.Count > MaxListed ? $"{shown}, … and {sorted.Count - MaxListed} more" : shown;
    }

    /// <summary>A value quoted in a message, cut to a readable length.</summary>
    public static string Short(string s) => s.Length <= MaxListedIdLength ? s : s[..MaxListedIdLength] + "…";

    /// <summary>
    /// The first <see cref="MaxErrors"/> errors in the given order, each cut to a bounded length, then (if any were left
    /// out) one more error, located at the file, "N more errors not shown". Capping a capped list keeps the true total.
    /// </summary>
    /// <param name="alsoOmitted">Errors found but never kept (counted by the reader), added to the "more" line.</param>
    public static IReadOnlyList<ScenarioError> Cap(IEnumerable<ScenarioError> errors, long alsoOmitted = 0)
    {
        var real = new List<ScenarioError>();
        long omitted = alsoOmitted;
        string? file = null;
        foreach (var e in errors)
        {
            file ??= e.File;
            if (Omitted(e) is { } n) { omitted += n; continue; }
            if (real.Count < MaxErrors) real.Add(Cut(e));
            else omitted++;
        }
        if (omitted > 0 && file is not null) real.Add(new ScenarioError(file, 0, 0, "", $"{omitted} more error{(omitted == 1 ? "" : "s")} not shown"));
        return real;
    }

    /// <summary>Every error, counting those a "N more errors not shown" line stands for.</summary>
    public static long Total(IEnumerable<ScenarioError> errors) => errors.Sum(e => Omitted(e) ?? 1);

    static long? Omitted(ScenarioError e) =>
        e.Line == 0 && e.Field.Length == 0 && MoreRegex().Match(e.Message) is { Success: true } m
            ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    static ScenarioError Cut(ScenarioError e) =>
        e.Message.Length <= MaxMessageLength && e.Field.Length <= MaxFieldLength ? e
            : e with { Message = Truncate(e.Message, MaxMessageLength), Field = Truncate(e.Field, MaxFieldLength) };

    static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
