using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MarketSim.Cli.Tests;

/// <summary>
/// The projects' structure as docs/ARCHITECTURE.md states it (issue 14, item 3): the "Projects" table names exactly each
/// project's project references, Orleans is hosted through src/Hosting only (one in-process silo, one free-port helper),
/// and no bench compiles a test's source file.
/// </summary>
public sealed partial class ProjectStructureTests
{
    static string Root => CliProcess.RepoRoot;

    static IEnumerable<string> Projects(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));

    /// <summary>A project's short name as the table writes it: src's without "MarketSim.", bench's in full, tests' without "MarketSim.".</summary>
    static string Short(string csproj)
    {
        var name = Path.GetFileNameWithoutExtension(csproj);
        return name.StartsWith("MarketSim.Bench", StringComparison.Ordinal) ? name : name["MarketSim.".Length..];
    }

    static SortedSet<string> References(string csproj) => new(XDocument.Load(csproj).Descendants("ProjectReference")
        .Select(r => Short(r.Attribute("Include")!.Value.Replace('\\', '/'))), StringComparer.Ordinal);

    /// <summary>The "Projects" table: folder → its "depends on" cell.</summary>
    static Dictionary<string, string> Table()
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "ARCHITECTURE.md"));
        var section = doc[doc.IndexOf("## Projects", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return section.Split('\n').Where(l => l.StartsWith("| src/", StringComparison.Ordinal) || l.StartsWith("| bench/", StringComparison.Ordinal) || l.StartsWith("| tests/", StringComparison.Ordinal))
            .Select(l => l.Split('|')).ToDictionary(c => c[1].Trim(), c => c[3].Trim());
    }

    static readonly string[] SrcProjects = ["Model", "Classrooms", "Experiments", "Grains", "Hosting", "Silo", "Cli", "Dashboard"];

    [Fact]
    public void The_architecture_table_names_each_src_projects_references_exactly()
    {
        var table = Table();
        foreach (var csproj in Projects("src"))
        {
            var folder = "src/" + Path.GetFileName(Path.GetDirectoryName(csproj));
            Assert.True(table.ContainsKey(folder), $"docs/ARCHITECTURE.md's Projects table has no row for {folder}");
            // Project names in the cell before any parenthesis (which lists packages, not projects).
            var cell = table[folder].Split('(')[0];
            var documented = new SortedSet<string>(Words().Matches(cell).Select(m => m.Value).Where(SrcProjects.Contains), StringComparer.Ordinal);
            Assert.True(References(csproj).SetEquals(documented),
                $"{folder}: the table says [{string.Join(", ", documented)}], the project references [{string.Join(", ", References(csproj))}]");
        }
    }

    [Theory]
    [InlineData("bench")]
    [InlineData("tests")]
    public void The_architecture_table_names_each_bench_and_test_projects_references_exactly(string folder)
    {
        // "Name: A, B; Name: C" in the row's last cell.
        var documented = Table()[folder + "/"].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split(':', 2)).ToDictionary(e => e[0].Trim(),
                e => new SortedSet<string>(e[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal));
        var projects = Projects(folder).ToList();
        Assert.Equal(projects.Select(Short).Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        foreach (var csproj in projects)
            Assert.True(References(csproj).SetEquals(documented[Short(csproj)]),
                $"{Short(csproj)}: the table says [{string.Join(", ", documented[Short(csproj)])}], the project references [{string.Join(", ", References(csproj))}]");
    }

    [Fact]
    public void No_bench_compiles_a_tests_source_file()
    {
        foreach (var csproj in Projects("bench"))
            foreach (var include in XDocument.Load(csproj).Descendants("Compile").Select(c => c.Attribute("Include")?.Value ?? ""))
                Assert.DoesNotContain("tests", include.Replace('\\', '/').Split('/'));
    }

    [Fact]
    public void Orleans_is_hosted_and_free_ports_found_in_src_Hosting_only()
    {
        // Whoever clusters a silo on localhost or looks for a free port outside src/Hosting has made a second copy.
        var outside = new[] { "src", "bench", "tests" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => !f.StartsWith(Path.Combine(Root, "src", "Hosting") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Where(f => f != Path.Combine(Root, "tests", "Cli.Tests", "ProjectStructureTests.cs"))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("UseLocalhostClustering(", StringComparison.Ordinal) || FreePort().IsMatch(text)))
            .Select(f => Path.GetRelativePath(Root, f)).ToList();
        Assert.Empty(outside);
    }

    [GeneratedRegex(@"TcpListener\(\s*(System\.Net\.)?IPAddress\.(Loopback|Any)\s*,\s*0\s*\)")]
    private static partial Regex FreePort();

    [GeneratedRegex(@"[A-Za-z]+")]
    private static partial Regex Words();
}
