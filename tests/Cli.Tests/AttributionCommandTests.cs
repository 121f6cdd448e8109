using System.Globalization;
using MarketSim.Model.Output;

namespace MarketSim.Cli.Tests;

/// <summary>`run --baseline` / `--baseline-without` (vs_baseline.csv) and `attribute` (attribution.csv), checked against
/// explicit runs of the scenario and of its counterfactuals.</summary>
public class AttributionCommandTests
{
    static string Fixture => CliProcess.Fixture("attribution.yaml");
    static readonly string[] Removed = ["cn-ban-jp", "cn-licence-oxide"];
    static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    static List<string[]> Rows(string file) => File.ReadAllLines(file).Skip(1).Select(l => l.Split(',')).ToList();

    /// <summary>The fixture's text without the lines of these policies: the baseline as a user would write it by hand.</summary>
    static string WithoutPolicies(string dir, params string[] ids)
    {
        var path = Path.Combine(dir, "baseline.yaml");
        File.WriteAllLines(path, File.ReadAllLines(Fixture).Where(l => !ids.Any(id => l.Contains($"{{id: {id},", StringComparison.Ordinal))));
        return path;
    }

    static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.All);

    /// <summary>What vs_baseline.csv should say of one run, computed here from its summary.csv, flows.csv and rents.csv.</summary>
    static Dictionary<(string Country, string Metric, string Commodity), (string Text, double Value)> Expected(string dir,
        Dictionary<(string, string, string), (double Lo, double Hi)>? peakBounds = null)
    {
        var e = new Dictionary<(string, string, string), (string, double)>();
        foreach (var s in Rows(Path.Combine(dir, "summary.csv")))
        {
            // country,gdp,cumulative_loss,loss_gdp_share,peak_unmet_share,shortage_days,fiscal_cost,indirect_loss,indirect_gdp_share,currency
            e[(s[0], "cumulative_loss", "")] = (s[2], D(s[2]));
            e[(s[0], "loss_gdp_share", "")] = (s[3], D(s[3]));
            e[(s[0], "peak_unmet_share", "")] = (s[4], D(s[4]));
            e[(s[0], "shortage_days", "")] = (s[5], D(s[5]));
            e[(s[0], "fiscal_cost", "")] = (s[6], D(s[6]));
            e[(s[0], "indirect_loss", "")] = (s[7], D(s[7]));
            e[(s[0], "tariff_revenue", "")] = ("", 0);
            e[(s[0], "extra_input_cost", "")] = ("", 0);
            e[(s[0], "floor_subsidy", "")] = ("", 0);
            e[(s[0], "export_revenue", "")] = ("", 0);
            e[(s[0], "export_rent", "")] = ("", 0);
            e[(s[0], "value_added", "")] = ("", 0);
        }
        // flows.csv: tick,date,origin,exporter,destination,commodity,quantity,value,duty
        var perTick = new Dictionary<(string Tick, string Dest, string Commodity), (double Q, double V, int Rows)>();
        foreach (var f in Rows(Path.Combine(dir, "flows.csv")).Where(f => f[3] != f[4]))
        {
            var k = (f[3], "export_revenue", "");
            e[k] = ("", e[k].Item2 + D(f[7]));
            var (q, v, n) = perTick.GetValueOrDefault((f[0], f[4], f[5]));
            perTick[(f[0], f[4], f[5])] = (q + D(f[6]), v + D(f[7]), n + 1);
        }
        foreach (var ((_, dest, commodity), (q, v, n)) in perTick.Where(x => x.Value.Q > 0))
        {
            var k = (dest, "peak_import_price", commodity);
            e[k] = ("", Math.Max(e.TryGetValue(k, out var old) ? old.Item2 : double.MinValue, v / q));
            // Quantities and values are written to six decimals, so a tick's unit value is known from the files only within
            // what rounding each of its n rows by half a millionth allows; a tick of a few millionths of a tonne leaves it wide.
            if (peakBounds is null) continue;
            var r = n * 5e-7;
            var (lo, hi) = ((v - r) / (q + r), q - r > 0 ? (v + r) / (q - r) : double.PositiveInfinity);
            peakBounds[k] = peakBounds.TryGetValue(k, out var b) ? (Math.Max(b.Lo, lo), Math.Max(b.Hi, hi)) : (lo, hi);
        }
        // value_added.csv: tick,date,country,sector,value_added,cumulative
        foreach (var v in Rows(Path.Combine(dir, "value_added.csv")))
        {
            var k = (v[2], "value_added", "");
            e[k] = ("", e[k].Item2 + D(v[4]));
        }
        // accounts.csv: tick,date,country,export_revenue,export_rent,tariff_revenue,input_cost,extra_input_cost,floor_subsidy
        foreach (var a in Rows(Path.Combine(dir, "accounts.csv")))
        {
            e[(a[2], "tariff_revenue", "")] = ("", e[(a[2], "tariff_revenue", "")].Item2 + D(a[5]));
            e[(a[2], "extra_input_cost", "")] = ("", e[(a[2], "extra_input_cost", "")].Item2 + D(a[7]));
            e[(a[2], "floor_subsidy", "")] = ("", e[(a[2], "floor_subsidy", "")].Item2 + D(a[8]));
        }
        // rents.csv: tick,date,exporter,commodity,holder,quantity,rent
        foreach (var r in Rows(Path.Combine(dir, "rents.csv")))
        {
            var k = (r[2], "export_rent", "");
            e[k] = ("", e[k].Item2 + D(r[6]));
        }
        return e;
    }

    [Fact]
    public void vs_baseline_is_the_difference_of_two_explicit_runs()
    {
        using var dir = new TempDir();
        Ok(CliProcess.Run(dir.Path, "run", Fixture, "--engine", "reference", "--baseline-without", string.Join(",", Removed), "--out", "cmp"));
        Ok(CliProcess.Run(dir.Path, "run", Fixture, "--engine", "reference", "--out", "run"));
        Ok(CliProcess.Run(dir.Path, "run", WithoutPolicies(dir.Path, Removed), "--engine", "reference", "--out", "base"));

        var runPeaks = new Dictionary<(string, string, string), (double Lo, double Hi)>();
        var basePeaks = new Dictionary<(string, string, string), (double Lo, double Hi)>();
        var run = Expected(dir["run"], runPeaks);
        var baseline = Expected(dir["base"], basePeaks);
        var lines = File.ReadAllLines(dir["cmp/vs_baseline.csv"]);
        Assert.Equal("country,metric,commodity,run,baseline,difference", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(run.Keys.Union(baseline.Keys).Order().ToList(), rows.Select(r => (r[0], r[1], r[2])).Order().ToList());

        static void Check(string cell, (string Text, double Value)? expected, string what, (double Lo, double Hi)? bounds = null)
        {
            if (expected is null) { Assert.True(cell == "", $"{what}: expected an empty cell, got '{cell}'"); return; }
            var (text, value) = expected.Value;
            if (text != "") Assert.True(cell == text, $"{what}: '{cell}' but the summary says '{text}'");
            else if (bounds is { } b)
                Assert.True(D(cell) >= b.Lo * (1 - 1e-9) && D(cell) <= b.Hi * (1 + 1e-9), $"{what}: {cell} but the files give {b.Lo}–{b.Hi}");
            // Sums of cells rounded to six decimals in flows.csv and rents.csv: a few millionths per row.
            else Assert.True(Math.Abs(D(cell) - value) <= 1e-4 + Math.Abs(value) * 1e-3, $"{what}: {cell} but the files give {value}");
        }
        foreach (var r in rows)
        {
            var k = (r[0], r[1], r[2]);
            var what = string.Join("/", r[..3]);
            Check(r[3], run.TryGetValue(k, out var x) ? x : null, what + " run", runPeaks.TryGetValue(k, out var rb) ? rb : null);
            Check(r[4], baseline.TryGetValue(k, out var y) ? y : null, what + " baseline", basePeaks.TryGetValue(k, out var bb) ? bb : null);
            if (r[3] == "" || r[4] == "") Assert.Equal("", r[5]);
            else Assert.True(Math.Abs(D(r[5]) - (D(r[3]) - D(r[4]))) <= 2e-6 + Math.Abs(D(r[3])) * 1e-12, $"{what}: difference {r[5]}");
        }
        // The comparison shows what the fixture was built to show: the ban costs Japan and China's exporters.
        Assert.True(D(rows.Single(r => r[0] == "JP" && r[1] == "cumulative_loss")[5]) > 0);
        Assert.True(D(rows.Single(r => r[0] == "CN" && r[1] == "export_revenue")[5]) < 0);
        Assert.True(D(rows.Single(r => r[0] == "CN" && r[1] == "export_rent")[5]) > 0);

        // The run's own files are those of a run without a baseline.
        foreach (var f in Directory.GetFiles(dir["run"]).Select(Path.GetFileName))
            Assert.True(File.ReadAllBytes(dir["run/" + f]).AsSpan().SequenceEqual(File.ReadAllBytes(dir["cmp/" + f])), $"{f} differs");
    }

    [Fact]
    public void vs_baseline_shows_a_floors_recipients_beside_its_payers()
    {
        // A Japanese floor on oxide from outside China (twice the reference): Australia's mine is topped up, Japan pays.
        using var dir = new TempDir();
        var withFloor = Path.Combine(dir.Path, "floor.yaml");
        File.WriteAllLines(withFloor, File.ReadAllLines(Fixture).Append(
            "  - {id: jp-floor, type: price_floor, club: [JP], excluded: [CN], floors: {oxide: 120000}, start: 0}"));
        Ok(CliProcess.Run(dir.Path, "run", withFloor, "--engine", "reference", "--baseline-without", "jp-floor", "--out", "cmp"));
        var rows = File.ReadAllLines(dir["cmp/vs_baseline.csv"]).Skip(1).Select(l => l.Split(',')).ToList();
        double Difference(string country, string metric) => D(rows.Single(r => r[0] == country && r[1] == metric)[5]);
        // accounts.csv: tick,date,country,export_revenue,export_rent,tariff_revenue,input_cost,extra_input_cost,floor_subsidy
        var paid = Rows(dir["cmp/accounts.csv"]).Where(a => a[2] == "AU").Sum(a => D(a[8]));
        Assert.True(paid > 0, "the test needs a floor that pays");
        Assert.Equal(paid, Difference("AU", "floor_subsidy"), paid * 1e-9);
        Assert.Equal(Difference("JP", "fiscal_cost"), Difference("AU", "floor_subsidy"), paid * 1e-6);
        Assert.Equal(0, Difference("JP", "floor_subsidy"));
    }

    [Fact]
    public void A_baseline_file_and_the_same_scenario_without_policies_give_the_same_bytes_on_either_engine()
    {
        using var dir = new TempDir();
        var baselineFile = WithoutPolicies(dir.Path, Removed);
        Ok(CliProcess.Run(dir.Path, "run", Fixture, "--engine", "reference", "--baseline-without", string.Join(",", Removed), "--out", "a"));
        var r = CliProcess.Run(dir.Path, "run", Fixture, "--baseline", baselineFile, "--out", "b");   // default engine: orleans
        Ok(r);
        Assert.Contains($"wrote {CsvTables.FileNames.Count + 1} files", r.StdOut); // the run's tables and vs_baseline.csv
        Assert.Contains("against the baseline", r.StdOut);
        Assert.Equal(File.ReadAllText(dir["a/vs_baseline.csv"]), File.ReadAllText(dir["b/vs_baseline.csv"]));
        Assert.DoesNotContain("NOT THE SAME WORLD", r.StdOut);
        Assert.DoesNotContain("warning", r.StdErr);
    }

    [Fact]
    public void A_baseline_of_another_world_is_named_as_such_with_what_differs()
    {
        // The same policies off, but Australia's mine has ten times the capacity: the comparison mixes that in, and says so.
        using var dir = new TempDir();
        var other = Path.Combine(dir.Path, "other.yaml");
        File.WriteAllText(other, File.ReadAllText(WithoutPolicies(dir.Path, Removed))
            .Replace("{id: au-mine, country: AU, output: oxide, capacity: 0.1,", "{id: au-mine, country: AU, output: oxide, capacity: 1,"));
        var r = CliProcess.Run(dir.Path, "run", Fixture, "--engine", "reference", "--baseline", other, "--out", "b");
        Ok(r);
        Assert.Contains("warning", r.StdErr);
        Assert.Contains("producers that differ: au-mine", r.StdErr);
        Assert.Contains("--baseline-without", r.StdErr);
        Assert.Contains("NOT THE SAME WORLD: producers that differ: au-mine", r.StdOut);
        Assert.True(File.Exists(dir["b/vs_baseline.csv"]));
    }

    [Fact]
    public void Baseline_mistakes_are_explained_and_a_stale_comparison_is_removed()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "run", Fixture, "--engine", "reference", "--baseline-without", "cn-ban-jp,ghost");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no policy \"ghost\"", r.StdErr);
        Assert.Contains("cn-licence-oxide", r.StdErr);

        r = CliProcess.Run(dir.Path, "run", Fixture, "--baseline", Fixture, "--baseline-without", "cn-ban-jp");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("give one", r.StdErr);

        r = CliProcess.Run(dir.Path, "run", Fixture, "--baseline", CliProcess.Fixture("invalid.yaml"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("invalid.yaml", r.StdErr);

        Ok(CliProcess.Run(dir.Path, "run", Fixture, "--engine", "reference", "--baseline-without", "cn-ban-jp", "--days", "30", "--out", "o"));
        Assert.True(File.Exists(dir["o/vs_baseline.csv"]));
        Ok(CliProcess.Run(dir.Path, "run", Fixture, "--engine", "reference", "--days", "30", "--out", "o"));
        Assert.False(File.Exists(dir["o/vs_baseline.csv"]), "a comparison from an earlier run must not stay beside this one");
    }

    static List<string[]> Attribution(string file) => Rows(file);

    [Fact]
    public void Attribute_shares_add_up_to_all_on_minus_none_as_explicit_runs_give_it()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "attribute", Fixture, "--out", "attr");
        Ok(r);
        Assert.Contains("5 players, exact Shapley values over all 32 coalitions", r.StdOut);
        Assert.Contains("JP (USD)", r.StdOut);
        Assert.Equal("country,metric,policy,share,value,stderr", File.ReadLines(dir["attr/attribution.csv"]).First());
        var rows = Attribution(dir["attr/attribution.csv"]);
        string[] players = ["cn-ban-jp", "jp-tariff", "jp-stockpile", "cn-licence-oxide", "au-tariff"];

        // all on minus none, from two explicit runs: the scenario against itself without every policy.
        Ok(CliProcess.Run(dir.Path, "run", Fixture, "--engine", "reference", "--baseline-without", string.Join(",", players), "--out", "ends"));
        var ends = Rows(dir["ends/vs_baseline.csv"]).Where(x => x[2] == "").ToDictionary(x => (x[0], x[1]), x => D(x[5]));
        var metricOf = new Dictionary<string, string>
        {
            ["loss"] = "cumulative_loss", ["fiscal_cost"] = "fiscal_cost", ["export_revenue"] = "export_revenue", ["export_rent"] = "export_rent",
            ["indirect_loss"] = "indirect_loss", ["extra_input_cost"] = "extra_input_cost", ["value_added"] = "value_added",
            ["tariff_revenue"] = "tariff_revenue",
        };

        foreach (var g in rows.GroupBy(x => (Country: x[0], Metric: x[1])))
        {
            Assert.Equal([.. players, "total"], g.Select(x => x[2]));
            var total = D(g.Single(x => x[2] == "total")[4]);
            Assert.True(Math.Abs(total - ends[(g.Key.Country, metricOf[g.Key.Metric])]) <= 2e-6, $"{g.Key}: total {total}");
            var sum = g.Where(x => x[2] != "total").Sum(x => D(x[4]));
            Assert.True(Math.Abs(sum - total) <= 5e-6, $"{g.Key}: shares sum to {sum}, total {total}");
            Assert.All(g, x => Assert.Equal("0", x[5]));                       // exact: no sampling error
            Assert.Equal("0", g.Single(x => x[2] == "au-tariff")[4]);          // a dummy gets nothing
            if (total != 0)
                Assert.True(Math.Abs(g.Where(x => x[2] != "total").Sum(x => D(x[3])) - 1) <= 1e-8, $"{g.Key}: shares");
        }
        Assert.True(D(rows.Single(x => x[0] == "JP" && x[1] == "loss" && x[2] == "cn-ban-jp")[4]) > 0);
    }

    [Fact]
    public void Attribute_gives_the_same_bytes_whatever_the_parallelism_and_samples_with_errors()
    {
        using var dir = new TempDir();
        Ok(CliProcess.Run(dir.Path, "attribute", Fixture, "--days", "40", "--parallel", "1", "--out", "one"));
        Ok(CliProcess.Run(dir.Path, "attribute", Fixture, "--days", "40", "--parallel", "3", "--out", "three"));
        Assert.Equal(File.ReadAllText(dir["one/attribution.csv"]), File.ReadAllText(dir["three/attribution.csv"]));

        var r = CliProcess.Run(dir.Path, "attribute", Fixture, "--samples", "5", "--groups", "china=cn-ban-jp+cn-licence-oxide",
            "--country", "JP", "--out", "sampled");
        Ok(r);
        Assert.Contains("estimated from 5 sampled permutations", r.StdOut);
        Assert.Contains("player china = cn-ban-jp + cn-licence-oxide", r.StdOut);
        Assert.Contains("JP (USD)", r.StdOut);
        Assert.DoesNotContain("CN (USD)", r.StdOut);
        var rows = Attribution(dir["sampled/attribution.csv"]);
        Assert.Equal(["china", "jp-tariff", "jp-stockpile", "au-tariff", "total"], rows.Where(x => x[0] == "JP" && x[1] == "loss").Select(x => x[2]));
        Assert.Contains(rows, x => x[2] != "total" && x[5] != "" && D(x[5]) > 0);   // some sampling error is reported
        foreach (var g in rows.GroupBy(x => (x[0], x[1])))
            Assert.True(Math.Abs(g.Where(x => x[2] != "total").Sum(x => D(x[4])) - D(g.Single(x => x[2] == "total")[4])) <= 5e-6);
    }

    [Fact]
    public void Attribute_command_line_mistakes()
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, "attribute", Fixture, "--samples", "1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--samples", r.StdErr);

        r = CliProcess.Run(dir.Path, "attribute", Fixture, "--policies", "cn-ban-jp,ghost");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no policy \"ghost\"", r.StdErr);

        r = CliProcess.Run(dir.Path, "attribute", Fixture, "--groups", "g=cn-ban-jp", "--policies", "cn-ban-jp");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("two players", r.StdErr);

        r = CliProcess.Run(dir.Path, "attribute", Fixture, "--country", "XX");
        Assert.Equal(2, r.ExitCode);

        r = CliProcess.Run(dir.Path, "attribute", CliProcess.Fixture("invalid.yaml"));
        Assert.Equal(1, r.ExitCode);

        r = CliProcess.Run(dir.Path, "help", "attribute");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("marketsim attribute FILE", r.StdOut);
        Assert.Contains("v(all) - v(none)", r.StdOut);
        Assert.Contains("marketsim attribute FILE", CliProcess.Run(dir.Path, "--help").StdOut);
    }
}
