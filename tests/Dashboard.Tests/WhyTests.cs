using MarketSim.Dashboard.Why;
using MarketSim.Model.Attribution;
using MarketSim.Model.Policies;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// The "Why" panel's computations on the running app (<see cref="WhyService"/>): the split of the session's loss so far
/// among the policies of its timeline as it stands, live changes included, and the refusals that keep the host's CPU for
/// the live sessions. Small shipped scenario (japan-cutoff-3m: four policies, 16 runs).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class WhyTests(DashboardApp app)
{
    WhyService Why => app.Services.GetRequiredService<WhyService>();

    [Fact]
    public async Task The_split_adds_up_and_its_all_on_world_is_the_session_as_run_live_changes_included()
    {
        var s = await app.NewSessionAsync("japan-cutoff-3m.yaml");
        await s.Runner.CatchUpAsync(40);
        // Mid-run: Japan's Dy stockpile ends and a tariff starts; the split must see the timeline as it now stands.
        await s.Grain.RemovePolicyAsync("jp-stockpile-dy");
        await s.Grain.SetPolicyAsync(new Tariff { Id = "jp-tariff-ndpr", Start = 40, Importer = "JP", Commodities = ["ndpr_oxide"], Rate = 0.5 });
        await s.Runner.CatchUpAsync(100);

        var progress = new WhyProgress();
        var why = await Why.AttributeAsync(s.Id, progress, CancellationToken.None);

        Assert.Equal(100, why.Days);
        Assert.Equal(["jp-stockpile-dy", "jp-stockpile-tb", "jp-stockpile-ndpr", "cn-cutoff-jp", "jp-tariff-ndpr"], why.Plan.Players.Select(p => p.Label));
        Assert.Null(why.Plan.Grouping);
        Assert.Equal((32, 32, 32), (why.Result.Runs, progress.Total, progress.Done));
        Assert.True(why.Result.Exact);

        // "With all" is the session itself: the reference runner on the grain's timeline gives the grains' frames.
        var frames = (await s.Grain.GetFramesAsync(0)).Value.Where(f => f.Tick < 100).ToList();
        var asRun = OutcomeAccumulator.Compute(why.World, frames);
        foreach (var o in asRun)
        {
            Assert.Equal(o.Loss, why.Result.Ends[(o.Country, "loss")].All);
            Assert.Equal(o.FiscalCost, why.Result.Ends[(o.Country, "fiscal_cost")].All);
            Assert.Equal(o.ExportRevenue, why.Result.Ends[(o.Country, "export_revenue")].All);
        }
        Assert.True(why.Total("JP", "loss").Value > 0, "Japan loses something in the first 100 days of the cut-off");
        foreach (var country in why.Result.Countries)
            foreach (var metric in PolicyAttribution.Metrics)
            {
                var parts = Enumerable.Range(0, why.Plan.Players.Count).Sum(i => why.Row(country, metric, i).Value);
                var total = why.Total(country, metric).Value;
                Assert.True(Math.Abs(parts - total) <= 1e-6 * Math.Max(1, Math.Abs(total)), $"{country} {metric}: Σ shares {parts} ≠ total {total}");
            }

        // Compared with all of them off: the same two worlds, as the session ran and with none.
        var compared = await Why.CompareAsync(s.Id, why.Plan.Players.SelectMany(p => p.PolicyIds).ToList(), CancellationToken.None);
        var jpLoss = compared.Rows.Single(r => r.Country == "JP" && r.Metric == "cumulative_loss");
        Assert.Equal(why.Result.Ends[("JP", "loss")].All, jpLoss.Run);
        Assert.Equal(why.Result.Ends[("JP", "loss")].None, jpLoss.Baseline);
        Assert.Contains(compared.Rows, r => r.Country == "JP" && r.Metric == "value_added" && r.Difference < 0);
    }

    [Fact]
    public async Task A_second_attribution_is_refused_politely_and_cancelling_frees_the_place()
    {
        var a = await app.NewSessionAsync("japan-cutoff-3m.yaml");
        var b = await app.NewSessionAsync("japan-cutoff-3m.yaml");
        await a.Runner.CatchUpAsync(200);
        await b.Runner.CatchUpAsync(30);

        using var cancel = new CancellationTokenSource();
        var progress = new WhyProgress();
        var first = Why.AttributeAsync(a.Id, progress, cancel.Token);
        while (progress.Total == 0 && !first.IsCompleted) await Task.Delay(10);
        Assert.False(first.IsCompleted, "16 runs of 200 days take seconds");

        var same = await Assert.ThrowsAsync<WhyException>(() => Why.AttributeAsync(a.Id, new WhyProgress(), CancellationToken.None));
        Assert.Contains("already computing an attribution", same.Message);
        var other = await Assert.ThrowsAsync<WhyException>(() => Why.AttributeAsync(b.Id, new WhyProgress(), CancellationToken.None));
        Assert.Contains("The server is busy", other.Message);
        Assert.Contains("MaxAttributions = 1", other.Message);
        // A comparison is one run: it has places of its own.
        var compared = await Why.CompareAsync(b.Id, ["cn-cutoff-jp"], CancellationToken.None);
        Assert.Equal(30, compared.Days);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.True(progress.Done < progress.Total, $"cancelled after {progress.Done} of {progress.Total} runs");
        Assert.Equal(0, Why.Gate.Running(WhyKind.Attribution));
        var again = await Why.AttributeAsync(b.Id, new WhyProgress(), CancellationToken.None);
        Assert.Equal(30, again.Days);
    }

    [Fact]
    public async Task Nothing_to_split_before_the_first_day()
    {
        var s = await app.NewSessionAsync("japan-cutoff-3m.yaml");
        var e = await Assert.ThrowsAsync<WhyException>(() => Why.AttributeAsync(s.Id, new WhyProgress(), CancellationToken.None));
        Assert.Contains("Nothing has run yet", e.Message);
        Assert.Equal(0, Why.Gate.Running(WhyKind.Attribution));
    }
}
