using MarketSim.Model.Policies;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MarketSim.Model.Scenario;

/// <summary>
/// Reads a scenario from YAML and validates all of it. Every mistake is reported with file, line, column and field; a file
/// with any error yields no scenario, so nothing ever runs from an invalid file. docs/SCENARIOS.md documents the format.
/// </summary>
public static class ScenarioLoader
{
    public static ScenarioLoadResult LoadFile(string path)
    {
        if (!File.Exists(path)) return new(null, [new ScenarioError(path, 0, 0, "", "file not found")]);
        return LoadText(File.ReadAllText(path), path);
    }

    /// <summary>Loads a scenario or throws ScenarioException with every error.</summary>
    public static ScenarioSpec LoadOrThrow(string path)
    {
        var r = LoadFile(path);
        return r.Ok ? r.Spec! : throw new ScenarioException(r.Errors);
    }

    public static ScenarioLoadResult LoadText(string yaml, string fileName = "<scenario>")
    {
        var sink = new ErrorSink(fileName);
        YamlMappingNode root;
        var parser = new Parser(new StringReader(yaml));
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode m)
                return new(null, [new ScenarioError(fileName, 1, 1, "", "the file must be a YAML mapping of scenario fields")]);
            root = m;
        }
        catch (YamlException e)
        {
            return new(null, [new ScenarioError(fileName, (int)e.Start.Line, (int)e.Start.Column, "", "malformed YAML: " + (e.InnerException?.Message ?? e.Message))]);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports an unclosed [ or { this way; the parser's position is where it gave up.
            var at = parser.Current?.Start;
            return new(null, [new ScenarioError(fileName, (int)(at?.Line ?? 0), (int)(at?.Column ?? 0), "", "malformed YAML (unclosed bracket or brace?): " + e.Message)]);
        }
        var spec = new ScenarioReader(sink).Read(new YamlMap(root, "", sink));
        return sink.Errors.Count > 0 ? new(null, sink.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList()) : new(spec, []);
    }
}
