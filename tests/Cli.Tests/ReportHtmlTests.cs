namespace MarketSim.Cli.Tests;

/// <summary>report.html encodes every value that comes from a batch's files: ids, labels, names, the currency.</summary>
public class ReportHtmlTests
{
    [Fact]
    public void Runs_still_short_at_the_horizon_count_as_the_longest_in_the_median_days_to_recover()
    {
        // Three variants of three runs: 198 days, never, never (the median run never recovered; the report read 198 before
        // Dec 2026, the median of the runs that did); never, 76, 68 (median 76; it read 72); 10, 20, 30 (median 20).
        using var dir = new TempDir();
        File.WriteAllText(dir["manifest.json"], """
            {
              "experiment": "recovery", "description": "censored medians",
              "variants": [ { "variant": 1, "label": "long" }, { "variant": 2, "label": "short" }, { "variant": 3, "label": "all" } ],
              "repetitions": 3, "master_seed": 1, "seeds": "independent", "days": 2, "start_date": "2026-01-01",
              "scenario_file": "x.yaml", "version": "test", "status": "finished", "currency": "USD", "format": "csv"
            }
            """);
        var rows = new[] { (1, "198"), (1, ""), (1, ""), (2, ""), (2, "76"), (2, "68"), (3, "10"), (3, "20"), (3, "30") };
        File.WriteAllText(dir["runs.csv"], "run_id,variant,case,repetition,seed,loss_JP,days_to_recover_JP\n" +
            string.Concat(rows.Select((r, i) => $"{i + 1},{r.Item1},,{i % 3 + 1},{i + 1},5,{r.Item2}\n")));
        File.WriteAllText(dir["series.csv"], "run_id,tick,date,metric,key,value\n" +
            string.Concat(rows.Select((_, i) => $"{i + 1},0,2026-01-01,loss,JP,0\n{i + 1},1,2026-01-02,loss,JP,5\n")));

        var r = CliProcess.Run(dir.Path, "report", dir.Path, "--no-png");
        Assert.True(r.ExitCode == 0, r.All);
        var html = File.ReadAllText(dir["report.html"]);
        Assert.Contains("<td>not recovered (2)</td>", html);
        Assert.Contains("<td>76 (1)</td>", html);
        Assert.Contains("<td>20</td>", html);
    }

    const string GoodManifest = """
        { "experiment": "e", "description": "", "variants": [ { "variant": 1, "label": "a" } ], "repetitions": 1, "master_seed": 1,
          "seeds": "common", "days": 2, "start_date": "2026-01-01", "scenario_file": "x.yaml", "version": "test", "status": "finished",
          "currency": "USD", "format": "csv" }
        """;
    const string GoodRuns = "run_id,variant,case,repetition,seed,loss_JP\n1,1,,1,1,5\n";
    const string GoodSeries = "run_id,tick,date,metric,key,value\n1,0,2026-01-01,loss,JP,0\n1,1,2026-01-02,loss,JP,5\n";

    [Theory]
    [InlineData("manifest", "{ \"experiment\": \"e\", \"variants\": [", "manifest.json:1:", "not readable as JSON")]
    [InlineData("manifest", "[1, 2]", "manifest.json", "is not a JSON object")]
    [InlineData("manifest", "{ \"experiment\": \"e\", \"format\": \"csv\" }", "manifest.json", "has no 'variants' list")]
    [InlineData("manifest", "{ \"format\": \"csv\", \"variants\": [ { \"variant\": \"one\" } ] }", "manifest.json", "variants[0]: has no whole-number 'variant'")]
    [InlineData("runs", "", "runs.csv", "is empty (no header)")]
    [InlineData("runs", "run_id,variant\nx,1\n", "runs.csv:2", "run_id: 'x' is not a whole number")]
    [InlineData("runs", "run_id,variant\n1,1\n1,1\n", "runs.csv:3", "run_id 1 appears twice (first at line 2)")]
    [InlineData("manifest", "{ \"experiment\": [1], \"format\": \"csv\", \"variants\": [ { \"variant\": 1 } ] }", "manifest.json", "'experiment' is not text")]
    [InlineData("manifest", "{ \"format\": \"csv\", \"parameters\": [ 1 ], \"variants\": [ { \"variant\": 1 } ] }", "manifest.json", "parameters[0]: has no text 'name'")]
    [InlineData("runs", "run_id,variant,case,repetition,seed,loss_JP\n1,1,,1,1,5\n2,1,,2\n", "runs.csv:3", "has 4 cells, the header 6")]
    [InlineData("runs", "run_id,variant,case,repetition,seed,loss_JP\n1,1,,1,1,abc\n", "runs.csv:2", "loss_JP: 'abc' is not a number")]
    [InlineData("runs", "run_id,variant,case,repetition,seed,loss_JP,peak_price_dy\n1,1,,1,1,5,1e\n", "runs.csv:2", "peak_price_dy: '1e' is not a number")]
    [InlineData("series", "run_id,tick,date,metric,key,value\n1,0,2026-01-01,loss,JP,abc\n", "series.csv:2", "value: 'abc' is not a number")]
    [InlineData("series", "run_id,tick,date,metric,key,value\n99999999999,0,2026-01-01,loss,JP,1\n", "series.csv:2", "run_id: '99999999999' is not a whole number")]
    public void A_damaged_batch_is_refused_by_file_line_and_field_not_with_a_crash(string part, string text, string where, string what)
    {
        // Each used to end in an unhandled exception with a stack trace (exit 134): a hand-edited or cut-short batch (a review).
        using var dir = new TempDir();
        File.WriteAllText(dir["manifest.json"], part == "manifest" ? text : GoodManifest);
        File.WriteAllText(dir["runs.csv"], part == "runs" ? text : GoodRuns);
        File.WriteAllText(dir["series.csv"], part == "series" ? text : GoodSeries);
        var r = CliProcess.Run(dir.Path, "report", dir.Path, "--no-png");
        Assert.True(r.ExitCode == 1, r.All);
        Assert.Contains(where, r.StdErr);
        Assert.Contains(what, r.StdErr);
        Assert.DoesNotContain("   at ", r.All);
        Assert.False(File.Exists(dir["report.html"]));
    }

    [Fact]
    public void A_long_run_is_charted_every_kth_day_and_on_its_last()
    {
        // 4,001 days: every 3rd day and the last (a 100-year batch's series took 1.6 GB to read and made a 64 MB report).
        using var dir = new TempDir();
        File.WriteAllText(dir["manifest.json"], GoodManifest.Replace("\"days\": 2", "\"days\": 4001"));
        File.WriteAllText(dir["runs.csv"], GoodRuns);
        var start = new DateOnly(2026, 1, 1);
        File.WriteAllText(dir["series.csv"], "run_id,tick,date,metric,key,value\n" +
            string.Concat(Enumerable.Range(0, 4001).Select(t => $"1,{t},{start.AddDays(t):yyyy-MM-dd},loss,JP,{t}\n")));
        var r = CliProcess.Run(dir.Path, "report", dir.Path, "--no-png");
        Assert.True(r.ExitCode == 0, r.All);
        var html = File.ReadAllText(dir["report.html"]);
        Assert.Contains($"\"{start.AddDays(3):yyyy-MM-dd}\"", html);
        Assert.Contains($"\"{start.AddDays(4000):yyyy-MM-dd}\"", html);
        Assert.DoesNotContain($"\"{start.AddDays(1):yyyy-MM-dd}\"", html);
        Assert.DoesNotContain($"\"{start.AddDays(3998):yyyy-MM-dd}\"", html);
    }

    [Fact]
    public void Ids_and_labels_with_html_in_them_are_encoded_in_report_html()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["manifest.json"], """
            {
              "experiment": "<script>alert('experiment')</script>",
              "description": "<img src=x onerror=alert('description')>",
              "variants": [ { "variant": 1, "label": "<script>alert('label')</script>" } ],
              "repetitions": 1, "master_seed": 1, "seeds": "common", "days": 2, "start_date": "2026-01-01",
              "scenario_file": "/tmp/<b>scenario</b>.yaml", "version": "test", "status": "finished",
              "currency": "<i>USD</i>", "format": "csv"
            }
            """);
        File.WriteAllText(dir["runs.csv"],
            "run_id,variant,case,repetition,seed,loss_<b>X</b>,loss_gdp_share_<b>X</b>,peak_price_</script><script>alert(2)</script>\n" +
            "1,1,,1,1,5,0.1,3\n");
        File.WriteAllText(dir["series.csv"],
            "run_id,tick,date,metric,key,value\n" +
            "1,0,2026-01-01,loss,<b>X</b>,0\n1,1,2026-01-02,loss,<b>X</b>,5\n" +
            "1,0,2026-01-01,price,world/</script><script>alert(2)</script>,1\n1,1,2026-01-02,price,world/</script><script>alert(2)</script>,3\n");

        var r = CliProcess.Run(dir.Path, "report", dir.Path, "--no-png");
        Assert.True(r.ExitCode == 0, r.All);
        var html = File.ReadAllText(dir["report.html"]);
        foreach (var raw in new[] { "<script>alert", "</script><script>", "<img src=x", "<b>X</b>", "<i>USD</i>", "<b>scenario</b>" })
            Assert.DoesNotContain(raw, html);
        Assert.Contains("&lt;script&gt;alert(&#39;experiment&#39;)&lt;/script&gt;", html); // title and heading
        Assert.Contains("&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;", html);      // the summary table
        Assert.Contains("loss &lt;b&gt;X&lt;/b&gt;<br>", html);                            // a column heading
    }
}
