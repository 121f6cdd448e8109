using MarketSim.Model.Scenario;

namespace MarketSim.Cli;

/// <summary>Prints the loader's located errors the way compilers do (file:line:column: field: message), so editors can jump to them.</summary>
public static class ScenarioErrors
{
    public static void Print(TextWriter w, string file, IReadOnlyList<ScenarioError> errors)
    {
        foreach (var e in errors)
        {
            var at = e.Line > 0 ? $"{e.File}:{e.Line}:{e.Column}" : e.File;
            w.WriteLine(e.Field.Length > 0 ? $"{at}: error: {e.Field}: {e.Message}" : $"{at}: error: {e.Message}");
        }
        var total = ErrorLimits.Total(errors); // a capped list ends with "N more errors not shown"
        w.WriteLine($"{file}: {total} error{(total == 1 ? "" : "s")}; nothing was run.");
    }
}
