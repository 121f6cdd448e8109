namespace MarketSim.Cli.Tests;

/// <summary>report.html encodes every value that comes from a batch's files: ids, labels, names, the currency.</summary>
public class ReportHtmlTests
{
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
