using MarketSim.Experiments;

namespace MarketSim.Model.Tests.Experiments;

public class RunMetricsTests
{
    [Fact]
    public void Summary_and_series_follow_the_recording_interval_and_agree_with_run_summary()
    {
        var plan = ExperimentLoader.LoadText($"""
            name: t
            scenario: {Paths.Scenario("japan-cutoff-3m.yaml").Replace('\\', '/')}
            horizon: 40
            parameters:
              - name: cutoff_days
                path: policies[cn-cutoff-jp].end
                values: [20]
            metrics: {"{"}series: [price, loss, fiscal], every: 7, countries: [JP], commodities: [dy_oxide]{"}"}
            """, "exp.yaml", Paths.RepoRoot).Plan!;
        var run = plan.Runs[0];
        var frames = new ReferenceRunner(run.Variant.Scenario, run.Seed).Run(40).ToList();
        var r = RunMetrics.Compute(run, frames, plan.Metrics);

        Assert.Equal([0, 7, 14, 21, 28, 35, 39], r.Series.Select(p => p.Tick).Distinct());
        Assert.Equal(["price", "loss", "fiscal"], r.Series.Select(p => p.Metric).Distinct());
        Assert.All(r.Series.Where(p => p.Metric == "price"), p => Assert.EndsWith("/dy_oxide", p.Key));
        Assert.All(r.Series.Where(p => p.Metric != "price"), p => Assert.Equal("JP", p.Key));

        var cols = RunMetrics.Columns(run.Variant.Scenario, plan.Metrics).Select(c => c.Name).ToList();
        Assert.Equal(["loss_JP", "loss_gdp_share_JP", "peak_unmet_share_JP", "shortage_days_JP", "days_to_recover_JP", "fiscal_cost_JP", "indirect_loss_JP", "value_added_JP", "peak_price_dy_oxide"], cols);
        var jp = MarketSim.Model.Output.RunSummary.Compute(run.Variant.Scenario, frames).Single(s => s.Country == "JP");
        Assert.Equal(jp.CumulativeLoss, r.Summary[0]);
        Assert.Equal(jp.ShortageDays, r.Summary[3]);
        Assert.Equal(jp.IndirectLoss, r.Summary[6]);
        // Value added made over the run: the daily rows of value_added.csv (Made) summed up.
        var made = frames.SelectMany(f => f.ValueAdded).Where(v => v.Country == "JP").Sum(v => v.Made);
        Assert.True(made > 0 && Math.Abs(made - r.Summary[7]!.Value) <= 1e-9 * made, $"value added {r.Summary[7]} against {made} made");
        Assert.Equal(frames.SelectMany(f => f.Prices).Where(p => p.Commodity == "dy_oxide").Max(p => p.Price), r.Summary[8]);

        var final = plan.Metrics with { Recording = new RecordingSpec(0) };
        Assert.Equal([39], RunMetrics.Compute(run, frames, final).Series.Select(p => p.Tick).Distinct());
    }
}
