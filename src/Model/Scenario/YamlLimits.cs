using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenario;

/// <summary>
/// The limits every YAML input (scenario and experiment files, uploads) is held to before YamlDotNet builds a node tree,
/// so that no file can crash or stall the process that reads it: YamlDotNet builds its tree recursively (a deeply nested
/// file or a value that contains itself through an alias overflows the stack, which no catch survives) and hashes complex
/// keys by walking them (an alias bomb keeps a core busy for minutes). One streaming pass over the parser's events checks
/// size, nesting depth, node count and alias use and refuses the file at the first breach with a located error.
/// docs/SCENARIOS.md ("Limits") lists them.
/// </summary>
public static class YamlLimits
{
    /// <summary>At most this many characters are read (4 MB of plain text: a world of 20,000 countries is well under 2 MB).</summary>
    public const int MaxChars = 4 * 1024 * 1024;
    /// <summary>Lists and mappings nested deeper than this are refused (scenarios need fewer than 8 levels).</summary>
    public const int MaxDepth = 64;
    /// <summary>At most this many nodes (text values, lists, mappings), counting each alias as every node of what it names.</summary>
    public const int MaxNodes = 500_000;

    /// <summary>
    /// Reads a file of at most <see cref="MaxChars"/> characters without reading more than that (a huge file or a device
    /// never fills memory). Returns null with a located error if the file is missing, too long or not UTF-8.
    /// </summary>
    public static string? ReadFile(string path, out ScenarioError? error)
    {
        error = null;
        if (!File.Exists(path)) { error = new ScenarioError(path, 0, 0, "", "file not found"); return null; }
        try
        {
            // Bytes first, at most what MaxChars characters can take in UTF-8 (and a few to see that there is more), read in
            // chunks: a pipe or a device has no length to ask.
            const int Limit = 4 * MaxChars + 4;
            using var stream = File.OpenRead(path);
            using var bytes = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int n;
            while (bytes.Length < Limit && (n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, Limit - bytes.Length))) > 0) bytes.Write(chunk, 0, n);
            var more = bytes.Length >= Limit;
            var text = DecodeUtf8(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), path, more, out error);
            if (text is null) return null;
            error = TooLong(text, path);
            return error is null ? text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            error = new ScenarioError(path, 0, 0, "", $"cannot read the file: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// UTF-8 bytes as text, strictly: a byte order mark is dropped, and a byte that is not UTF-8 is an error at its line and
    /// column (it became a replacement character, and a file with one in its name validated: a review, Dec 2026). Files and
    /// the dashboard's uploads are read through it. <paramref name="more"/>: the bytes are a file's first part only (a
    /// character cut at their end is not an error).
    /// </summary>
    public static string? DecodeUtf8(ReadOnlySpan<byte> bytes, string file, bool more, out ScenarioError? error)
    {
        error = null;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        var chars = new char[bytes.Length];
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false, isFinalBlock: !more);
        if (status == System.Buffers.OperationStatus.InvalidData || (status == System.Buffers.OperationStatus.NeedMoreData && !more))
        {
            var text = new string(chars, 0, written);
            var (line, column) = Position(text, text.Length);
            // The start of a character the bytes end in the middle of reads as invalid in the last block too.
            var cut = status == System.Buffers.OperationStatus.NeedMoreData
                || System.Text.Rune.DecodeFromUtf8(bytes[read..], out _, out _) == System.Buffers.OperationStatus.NeedMoreData;
            error = new ScenarioError(file, line, column, "", cut
                ? "the file ends inside a UTF-8 character; save it as UTF-8"
                : $"the file is not UTF-8 text (byte 0x{bytes[read]:X2} here); save it as UTF-8");
            return null;
        }
        return new string(chars, 0, written);
    }

    static ScenarioError? TooLong(string text, string file)
    {
        if (text.Length <= MaxChars) return null;
        var (line, column) = Position(text, MaxChars);
        return new ScenarioError(file, line, column, "",
            $"the file is longer than {MaxChars.ToString("N0", CultureInfo.InvariantCulture)} characters (4 MB), the most that is read; it is cut off here");
    }

    /// <summary>1-based line and column of a character index.</summary>
    static (int Line, int Column) Position(string text, int index)
    {
        int line = 1, lineStart = 0;
        for (int i = 0; i < index && i < text.Length; i++)
            if (text[i] == '\n') { line++; lineStart = i + 1; }
        return (line, index - lineStart + 1);
    }

    /// <summary>
    /// The one place YAML text becomes a node tree: checks the limits in a streaming pass first, then loads. Returns the
    /// root mapping of the first document, or null with one located error (<paramref name="what"/> names the file's kind
    /// in the message: "scenario", "experiment").
    /// </summary>
    public static YamlMappingNode? LoadMapping(string yaml, string file, string what, out ScenarioError? error)
    {
        error = Check(yaml, file);
        if (error is not null) return null;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode m)
            {
                error = new ScenarioError(file, 1, 1, "", $"the file must be a YAML mapping of {what} fields");
                return null;
            }
            return m;
        }
        catch (YamlException e)
        {
            error = Malformed(file, e);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet reports an unclosed [ or { this way; the parser's position is where it gave up.
            var at = parser.Current?.Start;
            error = new ScenarioError(file, (int)(at?.Line ?? 0), (int)(at?.Column ?? 0), "", UnclosedMessage);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Anything else the library throws on strange input (a duplicate key is an ArgumentException) is the file's fault.
            var at = parser.Current?.Start;
            error = new ScenarioError(file, (int)(at?.Line ?? 0), (int)(at?.Column ?? 0), "", "malformed YAML: " + e.Message);
        }
        return null;
    }

    /// <summary>YamlDotNet reports an unclosed [ or { with a .NET message about its own state; the user gets what to fix.</summary>
    const string UnclosedMessage = "malformed YAML: a list '[' or a mapping '{' opened before here is not closed (a missing ']' or '}', or a comma where a new line was meant)";

    static ScenarioError Malformed(string file, YamlException e) =>
        new(file, (int)e.Start.Line, (int)e.Start.Column, "", "malformed YAML: " + (e.InnerException?.Message ?? e.Message));

    sealed class Open(bool mapping, string? anchor, long expandedAtStart)
    {
        public bool Mapping { get; } = mapping;
        public string? Anchor { get; } = anchor;
        public long ExpandedAtStart { get; } = expandedAtStart;
        /// <summary>In a mapping, whether the next node is a key (keys and values alternate).</summary>
        public bool ExpectKey { get; set; } = true;
    }

    sealed class Anchor(Mark at, bool collection)
    {
        public Mark At { get; } = at;
        public bool Collection { get; } = collection;
        /// <summary>Nodes in the anchored value, aliases expanded; null while the value is still open.</summary>
        public long? Size { get; set; }
    }

    /// <summary>
    /// The streaming pass: null if the text keeps every limit, else the first breach, located. Also refuses what the readers
    /// never need and YamlDotNet handles badly: lists or mappings as mapping keys, anchors defined twice, aliases to an
    /// anchor not defined before them or to a value that is still open (a value containing itself), and more than one
    /// document in a file.
    /// </summary>
    public static ScenarioError? Check(string yaml, string file)
    {
        if (TooLong(yaml, file) is { } tooLong) return tooLong;
        var parser = new Parser(new StringReader(yaml));
        var open = new List<Open>();
        var anchors = new Dictionary<string, Anchor>(StringComparer.Ordinal);
        long nodes = 0, expanded = 0;
        int documents = 0;
        ScenarioError At(ParsingEvent e, string message) => new(file, (int)e.Start.Line, (int)e.Start.Column, "", message);
        try
        {
            while (parser.MoveNext())
            {
                var ev = parser.Current!;
                if (ev is DocumentStart && ++documents > 1)
                    return At(ev, "a second YAML document (---) starts here; the file must hold one document");
                if (ev is MappingEnd or SequenceEnd)
                {
                    var closed = open[^1];
                    open.RemoveAt(open.Count - 1);
                    if (closed.Anchor is not null) anchors[closed.Anchor].Size = expanded - closed.ExpandedAtStart;
                    Done();
                    continue;
                }
                if (ev is not (NodeEvent or AnchorAlias)) continue;

                var isKey = open.Count > 0 && open[^1].Mapping && open[^1].ExpectKey;
                if (++nodes > MaxNodes)
                    return At(ev, $"the file has more than {MaxNodes.ToString("N0", CultureInfo.InvariantCulture)} YAML nodes (text values, lists and mappings), the most that is read");
                if (ev is AnchorAlias alias)
                {
                    var name = alias.Value.Value;
                    if (!anchors.TryGetValue(name, out var target))
                        return At(ev, $"alias *{name} refers to no anchor &{name} defined before it");
                    if (target.Size is null)
                        return At(ev, $"alias *{name} is inside the value anchored &{name} (line {target.At.Line}): a value cannot contain itself");
                    if (isKey && target.Collection)
                        return At(ev, $"a mapping key must be a plain text value; *{name} names a list or mapping");
                    if (expanded + target.Size.Value > MaxNodes)
                        return At(ev, $"aliases expand the file to more than {MaxNodes.ToString("N0", CultureInfo.InvariantCulture)} YAML nodes (each alias counts as every node of the value it names), the most that is read");
                    expanded += target.Size.Value;
                    Done();
                    continue;
                }
                var node = (NodeEvent)ev;
                // YAML features the readers would take for something else: a tag was ignored (!!int "x" read as text), a
                // merge key read as a field named "<<" (so the fields it merged were "missing"), ~ or null as the text "~".
                if (!node.Tag.IsEmpty)
                    return At(ev, $"YAML tags ({node.Tag.Value}) are not read: write the plain value without its tag");
                if (node is Scalar { Style: ScalarStyle.Plain } plain)
                {
                    if (isKey && plain.Value == "<<")
                        return At(ev, "merge keys (<<) are not supported: write the fields out in full");
                    if (!isKey && plain.Value is "~" or "null" or "Null" or "NULL")
                        return At(ev, $"'{plain.Value}' (YAML's empty value) is not a value here: give the field a value, or leave it out");
                }
                var anchor = node.Anchor.IsEmpty ? null : node.Anchor.Value;
                if (anchor is not null && anchors.TryGetValue(anchor, out var earlier))
                    return At(ev, $"anchor &{anchor} is defined twice (first at line {earlier.At.Line}); give each anchor its own name");

                switch (node)
                {
                    case Scalar:
                        if (anchor is not null) anchors[anchor] = new Anchor(ev.Start, collection: false) { Size = 1 };
                        if (++expanded > MaxNodes)
                            return At(ev, $"aliases expand the file to more than {MaxNodes.ToString("N0", CultureInfo.InvariantCulture)} YAML nodes, the most that is read");
                        Done();
                        break;
                    default: // MappingStart, SequenceStart
                        if (isKey) return At(ev, "a mapping key must be a plain text value, not a list or mapping");
                        if (open.Count >= MaxDepth)
                            return At(ev, $"lists and mappings are nested more than {MaxDepth} levels deep here, the most that is read");
                        if (anchor is not null) anchors[anchor] = new Anchor(ev.Start, collection: true);
                        if (++expanded > MaxNodes)
                            return At(ev, $"aliases expand the file to more than {MaxNodes.ToString("N0", CultureInfo.InvariantCulture)} YAML nodes, the most that is read");
                        open.Add(new Open(node is MappingStart, anchor, expanded - 1));
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            return Malformed(file, e);
        }
        catch (InvalidOperationException)
        {
            var at = parser.Current?.Start;
            return new ScenarioError(file, (int)(at?.Line ?? 0), (int)(at?.Column ?? 0), "", UnclosedMessage);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var at = parser.Current?.Start;
            return new ScenarioError(file, (int)(at?.Line ?? 0), (int)(at?.Column ?? 0), "", "malformed YAML: " + e.Message);
        }
        return null;

        // A whole node (a text value, an alias or a closed list or mapping) was read: in a mapping, keys and values alternate.
        void Done()
        {
            if (open.Count > 0 && open[^1].Mapping) open[^1].ExpectKey = !open[^1].ExpectKey;
        }
    }
}

/// <summary>
/// Upper bounds on the values a file may give (docs/SCENARIOS.md, "Limits"): large enough for any real world, small enough
/// that no product of a few values overflows a double (1.8e308) and no tick arithmetic overflows an int.
/// </summary>
public static class QuantityLimits
{
    /// <summary>Largest magnitude of any quantity, price, money amount or factor without a tighter range (a quadrillion).</summary>
    public const double MaxQuantity = 1e15;
    /// <summary>Largest horizon and any other field counted in days: 100 years.</summary>
    public const int MaxDays = 36_500;
    /// <summary>How far before the start date a policy may start (the spin-up, ScenarioSpec.SpinUpDays): three years. Longer
    /// than the slowest memory of the shipped scenarios (`risk_memory_days`, 730), so an earlier start would move the state on
    /// day 0 little; a bound on the days stepped before output begins (a year mistyped, 2015 for 2025, is refused, not run).</summary>
    public const int MaxSpinUpDays = 1096;

    /// <summary>Fields counted in days: <c>days</c>, <c>horizon</c> and every <c>*_days</c> field.</summary>
    public static bool IsDays(string key) => key is "days" or "horizon" || key.EndsWith("_days", StringComparison.Ordinal);
}
