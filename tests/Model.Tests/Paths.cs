namespace MarketSim.Model.Tests;

public static class Paths
{
    /// <summary>The folder holding MarketSim.sln, found by walking up from the test binaries.</summary>
    public static string RepoRoot { get; } = Find();

    static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "MarketSim.sln"))) return d.FullName;
        throw new InvalidOperationException("MarketSim.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Scenario(string name) => Path.Combine(RepoRoot, "scenarios", name);
}
