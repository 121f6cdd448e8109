using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Hosting;

/// <summary>A shipped scenario file, checked at startup.</summary>
public sealed record ShippedScenario(string FileName, string Path, string Name, string Description, int Days, ulong Seed);

/// <summary>
/// The shipped scenarios/ folder. Found from configuration (<c>MarketSim:ScenariosPath</c>), else by walking up from the
/// content root and then from the binaries, so `dotnet run`, tests and a published copy all find the repository's files.
/// </summary>
public sealed class ScenarioCatalog
{
    public const string DefaultFile = "china-japan-2026.yaml";

    public string? Folder { get; }
    public IReadOnlyList<ShippedScenario> Scenarios { get; }

    public ScenarioCatalog(IConfiguration config, IWebHostEnvironment env)
    {
        Folder = config["MarketSim:ScenariosPath"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, env.ContentRootPath)
            : FindUp(env.ContentRootPath) ?? FindUp(AppContext.BaseDirectory);
        Scenarios = Folder is null || !Directory.Exists(Folder) ? [] : Directory.GetFiles(Folder, "*.yaml")
            .Order(StringComparer.Ordinal)
            .Select(p => (Path: p, Result: ScenarioLoader.LoadFile(p)))
            .Where(x => x.Result.Ok)
            .Select(x => new ShippedScenario(System.IO.Path.GetFileName(x.Path), x.Path, x.Result.Spec!.Name, x.Result.Spec.Description,
                x.Result.Spec.Days, x.Result.Spec.Seed))
            .ToList();
    }

    static string? FindUp(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "scenarios");
            if (File.Exists(Path.Combine(candidate, DefaultFile))) return candidate;
        }
        return null;
    }

    public ShippedScenario? Find(string fileName) => Scenarios.FirstOrDefault(s => s.FileName == fileName);
}
