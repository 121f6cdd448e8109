using MarketSim.Model.Policies;

namespace MarketSim.Model.Scenario;

/// <summary>
/// Reads a scenario from YAML and validates all of it. Every mistake is reported with file, line, column and field; a file
/// with any error yields no scenario, so nothing ever runs from an invalid file. docs/SCENARIOS.md documents the format.
/// </summary>
public static class ScenarioLoader
{
    public static ScenarioLoadResult LoadFile(string path)
    {
        var text = YamlLimits.ReadFile(path, out var error);
        return text is null ? new(null, [error!]) : LoadText(text, path);
    }

    /// <summary>Loads a scenario or throws ScenarioException with every error.</summary>
    public static ScenarioSpec LoadOrThrow(string path)
    {
        var r = LoadFile(path);
        return r.Ok ? r.Spec! : throw new ScenarioException(r.Errors);
    }

    /// <summary>Reads scenario YAML held to <see cref="YamlLimits"/>; errors are sorted by position and capped (<see cref="ErrorLimits"/>).</summary>
    public static ScenarioLoadResult LoadText(string yaml, string fileName = "<scenario>") => Load(yaml, fileName, null);

    /// <summary>
    /// Loads like <see cref="LoadText"/> and also returns the keys the reader asked for in each mapping (path → keys): the
    /// fields it knows there. Tests compare them with the field tables of docs/SCENARIOS.md.
    /// </summary>
    internal static (ScenarioLoadResult Result, Dictionary<string, HashSet<string>> Asked) LoadRecordingFields(string yaml, string fileName = "<scenario>")
    {
        var asked = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        return (Load(yaml, fileName, asked), asked);
    }

    static ScenarioLoadResult Load(string yaml, string fileName, Dictionary<string, HashSet<string>>? asked)
    {
        var root = YamlLimits.LoadMapping(yaml, fileName, "scenario", out var error);
        if (root is null) return new(null, [error!]);
        var sink = new ErrorSink(fileName) { Asked = asked };
        ScenarioSpec? spec;
        try
        {
            spec = new ScenarioReader(sink).Read(new YamlMap(root, "", sink));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in a check must not take the process down with it: report it, located at the file.
            return new(null, [new ScenarioError(fileName, 1, 1, "", $"the scenario could not be checked ({e.GetType().Name}: {e.Message}); please report this")]);
        }
        return sink.Errors.Count > 0 ? new(null, ErrorLimits.Cap(sink.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column), sink.Omitted)) : new(spec, []);
    }
}
