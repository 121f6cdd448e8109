namespace MarketSim.Cli.Tests;

public class RunCommandTests
{
    static readonly Dictionary<string, string> Headers = new()
    {
        ["prices.csv"] = "tick,date,market,commodity,price",
        ["flows.csv"] = "tick,date,origin,exporter,destination,commodity,quantity,value,duty",
        ["shortages.csv"] = "tick,date,country,sector,commodity,required,unmet,share",
        ["losses.csv"] = "tick,date,country,sector,loss,cumulative,gdp_share",
        ["lead_times.csv"] = "tick,date,destination,commodity,quantity,days,waited",
        ["fiscal.csv"] = "tick,date,country,cost,cumulative",
        ["cover.csv"] = "tick,date,country,sector,commodity,days",
        ["rents.csv"] = "tick,date,exporter,commodity,holder,quantity,rent",
        ["content.csv"] = "tick,date,destination,commodity,country,quantity,share,reached",
        ["value_added.csv"] = "tick,date,country,sector,value_added,cumulative",
        ["indirect.csv"] = "tick,date,country,sector,multiplier,indirect,cumulative,gdp_share",
        ["accounts.csv"] = "tick,date,country,export_revenue,export_rent,tariff_revenue,input_cost,extra_input_cost,floor_subsidy",
        ["events.csv"] = "tick,date,event",
        ["summary.csv"] = "country,gdp,cumulative_loss,loss_gdp_share,peak_unmet_share,shortage_days,fiscal_cost,indirect_loss,indirect_gdp_share,currency",
    };

    static string Small => CliProcess.Fixture("small.yaml");

    [Fact]
    public void A_cluster_whose_Redis_does_not_answer_is_one_clear_line_at_once_not_a_minute_and_two_stack_traces()
    {
        // Port 1 refuses at once; before Dec 2026 the command said nothing for ≈60 s, then printed the host's "fail" log and a
        // second stack trace after its error line.
        using var dir = new TempDir();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = CliProcess.Run(dir.Path, "run", Small, "--days", "5", "--out", "results", "--cluster", "127.0.0.1:1");
        Assert.True(r.ExitCode == 1, r.All);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{clock.Elapsed.TotalSeconds:0} s");
        Assert.Contains("connecting to the cluster at Redis 127.0.0.1:1", r.StdErr);
        Assert.Contains("marketsim run: error: cannot reach Redis at 127.0.0.1:1 (no answer", r.StdErr);
        Assert.Contains("check that Redis is running there", r.StdErr);
        Assert.DoesNotContain("   at ", r.All);
        Assert.DoesNotContain("fail:", r.All);
        Assert.False(Directory.Exists(dir["results"]));
    }

    [Fact]
    public void Run_writes_every_table_with_the_exact_header_columns()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "run", Small, "--days", "90", "--seed", "7", "--out", "results", "--engine", "reference");
        Assert.True(r.ExitCode == 0, r.All);

        var files = Directory.GetFiles(dir["results"]).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Headers.Keys.Order(StringComparer.Ordinal).ToList(), files);
        foreach (var (file, header) in Headers)
            Assert.Equal(header, File.ReadLines(Path.Combine(dir["results"], file)).First());

        // Ticks 0..89 with calendar dates from the scenario's start date.
        var prices = File.ReadAllLines(dir["results/prices.csv"]).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal("0", prices[0][0]);
        Assert.Equal("2026-01-01", prices[0][1]);
        Assert.Equal("89", prices[^1][0]);
        Assert.Equal("2026-03-31", prices[^1][1]);

        var summary = File.ReadAllLines(dir["results/summary.csv"]).Skip(1).ToList();
        Assert.Equal(["CN", "JP"], summary.Select(l => l.Split(',')[0]));
        Assert.All(summary, l => Assert.EndsWith(",USD", l));
        Assert.DoesNotContain('\r', File.ReadAllText(dir["results/summary.csv"]));
    }

    [Fact]
    public void The_same_seed_twice_gives_byte_identical_files()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliProcess.Run(dir.Path, "run", Small, "--seed", "7", "--out", "a", "--engine", "reference").ExitCode);
        Assert.Equal(0, CliProcess.Run(dir.Path, "run", Small, "--seed", "7", "--out", "b", "--engine", "reference").ExitCode);
        foreach (var file in Headers.Keys)
            Assert.True(File.ReadAllBytes(Path.Combine(dir["a"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir["b"], file))), $"{file} differs");
    }

    [Fact]
    public void The_orleans_engine_and_the_reference_runner_write_byte_identical_files()
    {
        using var dir = new TempDir();
        var o = CliProcess.Run(dir.Path, "run", Small, "--seed", "7", "--out", "orleans", "--engine", "orleans");
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Equal(0, CliProcess.Run(dir.Path, "run", Small, "--seed", "7", "--out", "reference", "--engine", "reference").ExitCode);
        foreach (var file in Headers.Keys)
            Assert.True(File.ReadAllBytes(Path.Combine(dir["orleans"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir["reference"], file))), $"{file} differs");
    }

    /// <summary>The default engine is orleans; days and seed default to the scenario's.</summary>
    [Fact]
    public void Defaults_come_from_the_scenario_days_and_seed()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "run", Small, "--out", "results");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("120 days", r.StdOut);
        Assert.Contains("seed 11", r.StdOut);
        Assert.Contains("engine orleans", r.StdOut);
        Assert.Equal("119", File.ReadAllLines(dir["results/prices.csv"])[^1].Split(',')[0]);
    }

    [Fact]
    public void The_export_ban_shows_up_as_an_event_a_shortage_and_a_loss()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliProcess.Run(dir.Path, "run", Small, "--out", "results", "--engine", "reference").ExitCode);
        Assert.Contains("30,2026-01-31,start cn-ban-jp", File.ReadAllText(dir["results/events.csv"]));
        var jp = File.ReadAllLines(dir["results/summary.csv"]).Single(l => l.StartsWith("JP,")).Split(',');
        Assert.True(double.Parse(jp[2], System.Globalization.CultureInfo.InvariantCulture) > 0, "JP should lose output after the ban");
        Assert.True(int.Parse(jp[5]) > 0, "JP should have shortage days after the ban");
    }

    [Fact]
    public void Redirected_output_has_no_progress_bar()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "run", Small, "--out", "results");
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain('\u001b', r.All);
        Assert.DoesNotContain("%", r.StdOut.Split('\n')[0]);
    }

    [Fact]
    public void An_invalid_scenario_writes_nothing()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "run", CliProcess.Fixture("invalid.yaml"), "--out", "results");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("invalid.yaml:", r.StdErr);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void A_rerun_replaces_the_files_of_an_earlier_run_and_leaves_no_staging_directory()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliProcess.Run(dir.Path, "run", Small, "--days", "10", "--out", "results", "--engine", "reference").ExitCode);
        Assert.Equal(0, CliProcess.Run(dir.Path, "run", Small, "--days", "20", "--out", "results", "--engine", "reference").ExitCode);
        Assert.Equal("19", File.ReadAllLines(dir["results/prices.csv"])[^1].Split(',')[0]);
        Assert.Equal(["results"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void An_output_path_that_is_a_file_is_a_clear_error()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["taken"], "not a directory");
        var r = CliProcess.Run(dir.Path, "run", Small, "--out", "taken", "--engine", "reference");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot write the output directory 'taken'", r.StdErr);
        Assert.Equal("not a directory", File.ReadAllText(dir["taken"]));
        Assert.Equal(["taken"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("batch")]
    public void A_cluster_setting_of_the_wrong_type_is_an_error_in_words_not_a_stack_trace(string command)
    {
        // A review (Dec 2026): MarketSim__Cluster__JoinTimeoutSeconds=30s failed to bind, with a stack trace (batch) or as
        // "the simulation failed" with one (run).
        using var dir = new TempDir();
        var env = new Dictionary<string, string> { ["MarketSim__Cluster__JoinTimeoutSeconds"] = "30s" };
        var r = command == "run"
            ? CliProcess.RunWith(env, dir.Path, "run", Path.Combine(CliProcess.RepoRoot, "scenarios", "baseline.yaml"), "--engine", "orleans", "--days", "5", "--out", dir["out"])
            : CliProcess.RunWith(env, dir.Path, "batch", Path.Combine(CliProcess.RepoRoot, "experiments", "quick-sweep.yaml"), "--out", dir["out"]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"marketsim {command}: error: the cluster settings in the environment (MarketSim__Cluster__*) cannot be read", r.StdErr);
        Assert.Contains("JoinTimeoutSeconds", r.StdErr);
        Assert.DoesNotContain("   at ", r.All);
        Assert.False(Directory.Exists(dir["out"]));
    }
}
