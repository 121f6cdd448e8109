using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace MarketSim.Cli.Tests;

/// <summary>
/// The hostile corpus (Fixtures/hostile/*.yaml, each naming its expected error on its second line as
/// <c># expect: LINE:COLUMN: fragment</c>) and a few generated files too big to keep in the repository: every one is refused
/// by <c>marketsim validate</c> run as a process with exit code 1 (not a crash: 134 was a stack overflow), a located error,
/// in a few seconds. Before the hardening, some killed the process, one kept a core busy for 84 s, and the rest validated
/// and then crashed, wedged or poisoned a run.
/// </summary>
public partial class HostileFileTests
{
    /// <summary>Refusing a file takes about 0.3 s here; the bound is loose because the two cores are shared.</summary>
    // A guard against stalls, not a speed target (the alias bomb held a core for 84 s before): speed belongs in bench/, and a
    // loaded 2-core CI machine can take several seconds to start a process.
    static readonly TimeSpan Quick = TimeSpan.FromSeconds(45);

    static string HostileDir => CliProcess.Fixture("hostile");

    public static TheoryData<string> Corpus()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(HostileDir, "*.yaml").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [GeneratedRegex(@"^# expect: (\d+):(\d+): (.+)$", RegexOptions.Multiline)]
    private static partial Regex Expect();

    static (CliResult Result, TimeSpan Elapsed) Validate(string file)
    {
        using var dir = new TempDir();
        var sw = Stopwatch.StartNew();
        var r = CliProcess.Run(dir.Path, "validate", file);
        return (r, sw.Elapsed);
    }

    static void AssertRefused(CliResult r, TimeSpan elapsed, string file, int line, int column, string fragment)
    {
        Assert.True(r.ExitCode == 1, $"exit code {r.ExitCode} (134 = crashed):\n{r.All}");
        Assert.True(elapsed < Quick, $"took {elapsed}");
        Assert.Empty(r.StdOut);
        var at = $"{file}:{line}:{column}: error: ";
        var first = r.StdErr.Split('\n').FirstOrDefault(l => l.StartsWith(at, StringComparison.Ordinal));
        Assert.True(first is not null, $"no error at {line}:{column}:\n{r.StdErr}");
        Assert.Contains(fragment, first);
        Assert.Contains("nothing was run", r.StdErr);
    }

    [Fact]
    public void The_corpus_covers_at_least_25_kinds_each_with_its_expectation()
    {
        var files = Directory.GetFiles(HostileDir, "*.yaml");
        Assert.True(files.Length >= 25, $"{files.Length} files");
        Assert.All(files, f => Assert.Matches(Expect(), File.ReadAllText(f)));
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Validate_refuses_a_hostile_file_with_a_located_error_quickly(string name)
    {
        var file = Path.Combine(HostileDir, name);
        var m = Expect().Match(File.ReadAllText(file));
        Assert.True(m.Success, $"{name} has no '# expect: LINE:COLUMN: fragment' line");
        var (r, elapsed) = Validate(file);
        AssertRefused(r, elapsed, file, int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), m.Groups[3].Value.TrimEnd('\r'));
    }

    // Generated: too big to keep in the repository.

    [Theory]
    [InlineData("[", 67)]       // the 65th level: root mapping + 64
    [InlineData("{a: ", 256)]
    public void Two_hundred_thousand_nested_brackets_are_refused(string opener, int column)
    {
        using var dir = new TempDir();
        var file = dir["deep.yaml"];
        File.WriteAllText(file, "name: x\nc: " + string.Concat(Enumerable.Repeat(opener, 200_000)) + "\n");
        var (r, elapsed) = Validate(file);
        AssertRefused(r, elapsed, file, 2, column, "nested more than 64 levels");
    }

    [Fact]
    public void A_file_over_4_MB_is_refused_where_it_is_cut_off()
    {
        using var dir = new TempDir();
        var file = dir["huge.yaml"];
        using (var w = new StreamWriter(file))
        {
            w.Write("name: x\n");
            for (int i = 0; i < 60_000; i++) w.Write($"# {new string('x', 98)}\n"); // 6 MB of comment lines
        }
        var (r, elapsed) = Validate(file);
        const int limit = 4 * 1024 * 1024, before = 8, lineLength = 101; // "name: x\n", then 101-character lines
        AssertRefused(r, elapsed, file, 2 + (limit - before) / lineLength, (limit - before) % lineLength + 1, "longer than 4,194,304 characters");
    }

    [Fact]
    public void More_than_500000_nodes_are_refused()
    {
        using var dir = new TempDir();
        var file = dir["nodes.yaml"];
        File.WriteAllText(file, "name: x\nc: [" + string.Join(",", Enumerable.Repeat("1", 600_000)) + "]\n");
        var (r, elapsed) = Validate(file);
        Assert.True(r.ExitCode == 1, r.All);
        Assert.True(elapsed < Quick, $"took {elapsed}");
        Assert.Matches($@"{Regex.Escape(file)}:2:\d+: error: the file has more than 500,000 YAML nodes", r.StdErr);
    }

    [Fact]
    public void Two_thousand_unknown_ids_among_twenty_thousand_countries_give_100_errors_and_a_count()
    {
        using var dir = new TempDir();
        var file = dir["amplify.yaml"];
        var sb = new StringBuilder("name: amp\nstart_date: 2025-01-01\ndays: 10\ncurrency: USD\ncountries:\n");
        for (int i = 0; i < 20_000; i++) sb.Append($"  - {{id: C{i}, gdp: 1}}\n");
        sb.Append("commodities:\n  - {id: ore, reference_price: 1, initial_origin: C0}\nsegments:\n  - id: s\n    countries:\n");
        for (int i = 0; i < 2000; i++) sb.Append($"      - X{i}\n");
        sb.Append("  - id: rest\n");
        File.WriteAllText(file, sb.ToString());
        var (r, elapsed) = Validate(file);
        Assert.True(r.ExitCode == 1, r.All);
        Assert.True(elapsed < Quick, $"took {elapsed}");
        var lines = r.StdErr.TrimEnd('\n').Split('\n');
        Assert.Equal(100 + 2, lines.Length);
        Assert.StartsWith($"{file}:20011:9: error: segments[0].countries: unknown country 'X0' (countries: C0, C1, C10, C100,", lines[0]);
        Assert.EndsWith("… and 19980 more)", lines[0]);
        Assert.Equal($"{file}: error: 1900 more errors not shown", lines[^2]);
        Assert.Equal($"{file}: 2000 errors; nothing was run.", lines[^1]);
        Assert.True(r.StdErr.Length < 50_000, $"{r.StdErr.Length} characters of errors");
    }

    // The other commands read files through the same loaders.

    [Theory]
    [InlineData("alias-self-key.yaml", 4, 3)]
    [InlineData("alias-bomb.yaml", 9, 42)]
    [InlineData("deep-block.yaml", 68, 127)]
    public void Batch_refuses_a_hostile_experiment_file_the_same_way(string name, int line, int column)
    {
        using var dir = new TempDir();
        var file = Path.Combine(HostileDir, name);
        var sw = Stopwatch.StartNew();
        var r = CliProcess.Run(dir.Path, "batch", file, "--out", dir["out"]);
        Assert.True(r.ExitCode == 1, $"exit code {r.ExitCode}:\n{r.All}");
        Assert.True(sw.Elapsed < Quick, $"took {sw.Elapsed}");
        Assert.Contains($"{file}:{line}:{column}: error: ", r.StdErr);
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void Batch_refuses_an_experiment_whose_scenario_is_hostile()
    {
        using var dir = new TempDir();
        var scenario = Path.Combine(HostileDir, "producer-country-id.yaml");
        var experiment = dir["exp.yaml"];
        File.WriteAllText(experiment, $"name: e\nscenario: {scenario}\n");
        var r = CliProcess.Run(dir.Path, "batch", experiment, "--out", dir["out"]);
        Assert.True(r.ExitCode == 1, r.All);
        Assert.Contains($"{scenario}:27:9: error: producers[0].id: id 'JP' is used more than once", r.StdErr);
    }

    [Fact]
    public void Run_refuses_a_days_override_that_leaves_the_calendar()
    {
        using var dir = new TempDir();
        var file = dir["late.yaml"];
        File.WriteAllText(file, File.ReadAllText(CliProcess.Fixture("small.yaml")).Replace("start_date: 2026-01-01", "start_date: 9999-12-01")
            .Replace("days: 120", "days: 30").Replace("    start: 30\n", "    start: 10\n"));
        Assert.Equal(0, CliProcess.Run(dir.Path, "validate", file).ExitCode);
        var r = CliProcess.Run(dir.Path, "run", file, "--days", "100", "--out", dir["out"]);
        Assert.True(r.ExitCode == 1, r.All);
        Assert.Contains("--days 100 from 9999-12-01 ends after 9999-12-31", r.StdErr);
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Theory]
    [InlineData("alias-self-value.yaml", 4, 14)]
    [InlineData("capacity-1e308.yaml", 30, 15)]
    public void Run_refuses_a_hostile_scenario_the_same_way(string name, int line, int column)
    {
        using var dir = new TempDir();
        var file = Path.Combine(HostileDir, name);
        var r = CliProcess.Run(dir.Path, "run", file, "--out", dir["out"]);
        Assert.True(r.ExitCode == 1, $"exit code {r.ExitCode}:\n{r.All}");
        Assert.Contains($"{file}:{line}:{column}: error: ", r.StdErr);
    }
}
