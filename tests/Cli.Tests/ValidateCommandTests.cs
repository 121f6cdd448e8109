using System.Text.RegularExpressions;

namespace MarketSim.Cli.Tests;

public class ValidateCommandTests
{
    static int LineOf(string file, string text) =>
        Array.FindIndex(File.ReadAllLines(file), l => l.Contains(text, StringComparison.Ordinal)) + 1;

    [Fact]
    public void A_valid_scenario_is_reported_ok_with_exit_code_0()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "validate", CliProcess.Fixture("small.yaml"));
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("ok", r.StdOut);
        Assert.Contains("cli-test-small", r.StdOut);
    }

    [Fact]
    public void A_control_whose_exporter_shares_its_segment_with_free_sellers_gets_a_note_and_the_shipped_scenarios_none()
    {
        // The baseline puts Australia in the world segment with India and the US, which make NdPr too: an Australian ban on
        // China leaves one world price for the three (docs/MODEL.md, known limitations). China has a segment of its own.
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "au-ban.yaml");
        File.WriteAllText(file, File.ReadAllText(Path.Combine(CliProcess.RepoRoot, "scenarios", "baseline.yaml")).TrimEnd() + "\n"
            + "  - {id: au-ban-cn, type: export_control, exporter: AU, commodities: [ndpr_oxide], destinations: [CN], mode: ban, start: 0}\n");
        var r = CliProcess.Run(dir.Path, "validate", file);
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains($"{file}: note: policy 'au-ban-cn': AU shares the price segment 'world' with IN, US", r.StdOut);
        foreach (var shipped in Directory.GetFiles(Path.Combine(CliProcess.RepoRoot, "scenarios"), "*.yaml"))
        {
            var s = CliProcess.Run(dir.Path, "validate", shipped);
            Assert.True(s.ExitCode == 0 && !s.StdOut.Contains("note:"), s.All);
        }
    }

    [Fact]
    public void An_invalid_scenario_lists_every_error_with_file_and_line_and_exits_1()
    {
        using var dir = new TempDir();
        var file = CliProcess.Fixture("invalid.yaml");
        var r = CliProcess.Run(dir.Path, "validate", file);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{file}:{LineOf(file, "capacity: -5")}:", r.StdErr);
        Assert.Contains("producers[0].capacity", r.StdErr);
        Assert.Contains($"{file}:{LineOf(file, "country: XX")}:", r.StdErr);
        Assert.Contains("unknown country 'XX'", r.StdErr);
        Assert.Contains($"{file}:{LineOf(file, "start: 400")}:", r.StdErr);
        Assert.Contains("policies[0].start", r.StdErr);
        Assert.Contains("3 errors", r.StdErr);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_the_file()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "validate", "no-such-scenario.yaml");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no-such-scenario.yaml", r.StdErr);
        Assert.Contains("not found", r.StdErr);
    }

    [Fact]
    public void Malformed_yaml_is_located()
    {
        using var dir = new TempDir();
        var file = dir["broken.yaml"];
        File.WriteAllText(file, "name: broken\ncountries: [CN\n  - id: JP\n");
        var r = CliProcess.Run(dir.Path, "validate", file);
        Assert.Equal(1, r.ExitCode);
        Assert.Matches(@"broken\.yaml:\d+:\d+: error: ", r.StdErr);
    }

    /// <summary>Every shipped scenario must validate; the list grows as scenarios/ does. A missing or empty scenarios/ fails.</summary>
    [Fact]
    public void Every_shipped_scenario_validates()
    {
        using var dir = new TempDir();
        var scenarios = Path.Combine(CliProcess.RepoRoot, "scenarios");
        Assert.True(Directory.Exists(scenarios), $"the shipped scenarios are missing: no folder {scenarios}");
        var files = Directory.GetFiles(scenarios, "*.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 5, $"expected the five shipped scenarios in {scenarios}, found {files.Count}");
        foreach (var f in files)
        {
            var r = CliProcess.Run(dir.Path, "validate", f);
            Assert.True(r.ExitCode == 0, $"{f}:\n{r.All}");
            var name = Path.GetFileNameWithoutExtension(f);
            Assert.Matches($@"^{Regex.Escape(f)}: ok: '{Regex.Escape(name)}', \d+ countries, \d+ commodities, \d+ producers, \d+ manufacturer firms, ", r.StdOut);
        }
    }
}
