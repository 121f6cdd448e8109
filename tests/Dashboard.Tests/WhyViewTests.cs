using MarketSim.Dashboard.Why;
using MarketSim.Model.Attribution;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Tests;

/// <summary>The plain parts of the "Why" panel: who the players are, and numbers as a minister reads them.</summary>
public sealed class WhyViewTests
{
    static ScenarioSpec Shipped(string file) => ScenarioLoader.LoadOrThrow(Path.Combine(Paths.RepoRoot, "scenarios", file));

    [Fact]
    public void Each_started_policy_is_a_player_and_later_ones_stay_out()
    {
        // japan-2010 at day 200: only the 2010 quotas (from 2010-07-01) and the projects that start at 0 have started.
        var (plan, error) = WhyPlan.For(Shipped("japan-2010.yaml"), 200);
        Assert.Null(error);
        Assert.Null(plan!.Grouping);
        Assert.Equal(["cn-quota-h2-2010-ndpr", "cn-quota-h2-2010-dy", "cn-quota-h2-2010-tb", "us-mountain-pass-restart"],
            plan.Players.Where(p => p.Label.StartsWith("cn-", StringComparison.Ordinal) || p.Label.StartsWith("us-", StringComparison.Ordinal)).Select(p => p.Label));
        Assert.Contains("cn-halt-jp-2010", plan.NotStarted);
        Assert.Equal(plan.NotStarted, plan.Game.Background);
        Assert.Equal(1 << plan.Players.Count, plan.Runs);
    }

    [Fact]
    public void More_than_eight_policies_are_grouped_so_the_split_stays_exact()
    {
        var world = Shipped("japan-2010.yaml");
        var (plan, _) = WhyPlan.For(world, world.Days);
        Assert.True(Counterfactual.PolicyIds(world).Count > PolicyAttribution.MaxExact);
        Assert.InRange(plan!.Players.Count, 2, PolicyAttribution.MaxExact);
        Assert.StartsWith($"{Counterfactual.PolicyIds(world).Count} policies, grouped by country and kind", plan.Grouping);
        // Every policy is in exactly one player; the quotas of China are one of them.
        Assert.Equal(Counterfactual.PolicyIds(world).Order(), plan.Players.SelectMany(p => p.PolicyIds).Order());
        var quotas = plan.Players.Single(p => p.Label.EndsWith("export quotas", StringComparison.Ordinal));
        Assert.Equal(15, quotas.PolicyIds.Count);
        Assert.StartsWith("15 policies: cn-quota-h2-2010-ndpr", quotas.Description);
        Assert.Equal(plan.Players.Select(p => p.PolicyIds), plan.Game.Players.Select(p => p.PolicyIds));
    }

    [Fact]
    public void Nothing_to_split_is_said_in_words()
    {
        var world = Shipped("baseline.yaml");
        Assert.Equal("The session has no policies to split the loss among.", WhyPlan.For(world with { Policies = [] }, 10).Error);
        var later = world with { Policies = world.Policies.Select(p => p with { Start = 50 }).ToList() };
        Assert.Equal("No policy of the session has started yet: nothing to split.", WhyPlan.For(later, 50).Error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_parallel_loop_given_dedicated_threads_stays_on_them(int count)
    {
        var names = new System.Collections.Concurrent.ConcurrentBag<string?>();
        var pool = new System.Collections.Concurrent.ConcurrentBag<bool>();
        using (var threads = new DedicatedThreads(count, "why-test"))
            await Task.Factory.StartNew(() => Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = count, TaskScheduler = threads }, _ =>
            {
                names.Add(Thread.CurrentThread.Name);
                pool.Add(Thread.CurrentThread.IsThreadPoolThread);
                Thread.Sleep(5);
            }), CancellationToken.None, TaskCreationOptions.None, threads);
        Assert.Equal(40, names.Count);
        Assert.All(names, n => Assert.StartsWith("why-test ", n));
        Assert.DoesNotContain(true, pool);
        Assert.InRange(names.Distinct().Count(), 1, count);
    }

    [Theory]
    [InlineData(1.6412e9, "1.64 bn USD")]
    [InlineData(-20.06e6, "−20.1 m USD")]
    [InlineData(512_345, "512,345 USD")]
    [InlineData(999_700, "1.00 m USD")]
    [InlineData(123.4e9, "123 bn USD")]
    [InlineData(0.4, "0 USD")]
    [InlineData(-0.4, "0 USD")]
    public void Money_reads_as_a_minister_reads_it(double value, string shown) => Assert.Equal(shown, MinisterFormat.Money(value, "USD"));

    [Fact]
    public void Shares_and_differences_carry_their_sign()
    {
        Assert.Equal("69.4 %", MinisterFormat.Percent(0.6943));
        Assert.Equal("−103.1 %", MinisterFormat.Percent(-1.0312));
        Assert.Equal("0.0 %", MinisterFormat.Percent(-0.00001));
        Assert.Equal("0.11 %", MinisterFormat.Percent(0.0011, 2));
        Assert.Equal("0.000164 %", MinisterFormat.SmallPercent(1.642e-6));
        Assert.Equal("100.0 %", MinisterFormat.SmallPercent(1));
        Assert.Equal("12.3 %", MinisterFormat.SmallPercent(0.12345));
        Assert.Equal("+1.64 bn USD", MinisterFormat.Signed(1.64e9, "USD"));
        Assert.Equal("−5.00 m USD", MinisterFormat.Signed(-5e6, "USD"));
        Assert.Equal("0 USD", MinisterFormat.Signed(0.2, "USD"));
        Assert.Equal("+1.25 pp", MinisterFormat.Points(0.0125));
        Assert.Equal("−0.4 pp", MinisterFormat.Points(-0.004));
        Assert.Equal("0.0 pp", MinisterFormat.Points(-1e-12));
    }
}
