using MarketSim.Grains.Interfaces;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains.Tests;

public sealed class SessionTests(OneSiloFixture one) : IClassFixture<OneSiloFixture>
{
    const ulong Seed = 7;

    [Fact]
    public async Task Two_sessions_running_at_once_do_not_interfere()
    {
        var world = TestScenarios.Small();
        var other = TestScenarios.Small(manufacturers: 9) with { Policies = [] };
        var a = one.Client.GetGrain<ISessionGrain>("twin-a");
        var b = one.Client.GetGrain<ISessionGrain>("twin-b");
        await Task.WhenAll(a.StartAsync(world, Seed, new SessionSettings { ShardCount = 3 }), b.StartAsync(other, Seed + 1, new SessionSettings { ShardCount = 2 }));
        await Task.WhenAll(a.StepAsync(45), b.StepAsync(45));

        FrameBytes.AssertSame(FrameBytes.Reference(world, Seed, 45), await a.GetAllFramesAsync(), world);
        FrameBytes.AssertSame(FrameBytes.Reference(other, Seed + 1, 45), await b.GetAllFramesAsync(), other);
        await Task.WhenAll(a.EndAsync(), b.EndAsync());
    }

    [Fact]
    public async Task Asking_for_a_session_that_was_never_started_leaves_no_activation_behind()
    {
        // A web host that is a cluster client looks unknown ids up in the cluster (GetReplayAsync); each lookup activates
        // the grain, which must not then stay in memory for Orleans' idle collection age (minutes).
        var ids = Enumerable.Range(0, 20).Select(i => $"never-started-{i}").ToArray();
        foreach (var id in ids)
            await Assert.ThrowsAsync<InvalidOperationException>(() => one.Client.GetGrain<ISessionGrain>(id).GetReplayAsync());
        var management = one.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0);
        int left = -1;
        for (var wait = 0; wait < 50 && left != 0; wait++)
        {
            await Task.Delay(100);
            left = (await management.GetDetailedGrainStatistics()).Count(g => ids.Any(id => g.GrainId.ToString().EndsWith("/" + id, StringComparison.Ordinal)));
        }
        Assert.Equal(0, left);
    }

    static readonly ExportControl Ban = new()
    {
        Id = "cn-ore-ban", Start = 0, Exporter = "CN", Commodities = ["ore", "oxide"], Mode = ControlMode.Ban,
    };

    [Fact]
    public async Task A_policy_added_live_applies_from_the_next_tick()
    {
        var world = TestScenarios.Small();
        var session = one.Client.GetGrain<ISessionGrain>("live-add");
        await session.StartAsync(world, Seed, new SessionSettings { ShardCount = 2 });
        await session.StepAsync(12);
        await session.SetPolicyAsync(Ban); // Start 0 is in the past: it takes effect at tick 12
        Assert.Equal(12, (await session.GetPoliciesAsync()).Value.Single(p => p.Id == Ban.Id).Start);
        await session.StepAsync(18);

        // The same as a scenario that had the ban from tick 12 all along.
        var expected = FrameBytes.Reference(world with { Policies = [.. world.Policies, Ban with { Start = 12 }] }, Seed, 30);
        var frames = await session.GetAllFramesAsync();
        FrameBytes.AssertSame(expected, frames, world);
        Assert.Contains(frames[12].Events, e => e.StartsWith("start cn-ore-ban", StringComparison.Ordinal));
        // And different from the world without it: the change did something.
        Assert.NotEqual(FrameBytes.CanonicalJson(FrameBytes.Reference(world, Seed, 30)), FrameBytes.CanonicalJson(frames));
        await session.EndAsync();
    }

    [Fact]
    public async Task A_change_returns_the_tick_it_applies_from()
    {
        var world = TestScenarios.Small();
        var session = one.Client.GetGrain<ISessionGrain>("live-from");
        await session.StartAsync(world, Seed, SessionSettings.Default);
        await session.StepAsync(12);
        Assert.Equal(12, await session.SetPolicyAsync(Ban));                                   // a past start moves to the next tick
        Assert.Equal(40, await session.SetPolicyAsync(Ban with { Id = "later", Start = 40 })); // a future start is kept
        Assert.Equal(12, await session.RemovePolicyAsync("us-tariff"));
        await session.StepAsync(3);
        Assert.Equal(15, await session.ChangePoliciesAsync([new PolicyChange(null, "later")]));
        await session.EndAsync();
    }

    [Fact]
    public async Task A_limit_on_policies_holds_against_calls_made_at_once()
    {
        var world = TestScenarios.Small();
        var session = one.Client.GetGrain<ISessionGrain>("live-limit");
        await session.StartAsync(world, Seed, new SessionSettings { CheckpointEvery = 1000 });
        var held = (await session.GetPoliciesAsync()).Value.Count;
        // Forty at once with room for three: three land, the rest are refused, and the session holds the limit exactly.
        var calls = Enumerable.Range(0, 40).Select(i => session.SetPolicyWithinAsync(
            new Tariff { Id = $"t{i:00}", Start = 0, Importer = "JP", Commodities = ["oxide"], Rate = 0.01 }, held + 3)).ToList();
        var results = await Task.WhenAll(calls.Select(async c => { try { await c; return true; } catch (ArgumentException) { return false; } }));
        Assert.Equal(3, results.Count(ok => ok));
        Assert.Equal(held + 3, (await session.GetPoliciesAsync()).Value.Count);
        await session.EndAsync();
    }

    [Fact]
    public async Task Concurrent_changes_are_all_in_the_stored_timeline()
    {
        var world = TestScenarios.Small();
        var session = one.Client.GetGrain<ISessionGrain>("live-concurrent");
        await session.StartAsync(world, Seed, new SessionSettings { CheckpointEvery = 1000 });
        await session.StepAsync(5);
        // Twenty changes at once: the calls interleave in the grain and each stores the timeline.
        var ids = Enumerable.Range(0, 20).Select(i => $"t{i:00}").ToList();
        var from = await Task.WhenAll(ids.Select(id =>
            session.SetPolicyAsync(new Tariff { Id = id, Start = 0, Importer = "JP", Commodities = ["oxide"], Rate = 0.01 })));
        Assert.All(from, t => Assert.Equal(5, t));

        // After the grain goes and comes back, the timeline it reads from storage holds every change.
        await one.Cluster.DeactivateAsync(session);
        var stored = (await session.GetPoliciesAsync()).Value.Select(p => p.Id).ToHashSet();
        Assert.All(ids, id => Assert.Contains(id, stored));
        await session.EndAsync();
    }

    [Fact]
    public async Task A_change_made_between_ticks_does_not_overtake_one_still_waiting_from_the_tick_before()
    {
        // The first change arrives while tick 0 runs (a world big enough that the tick takes a while), so it waits for tick 1;
        // the second comes in before tick 1 starts. The second was acknowledged last and must win, as the caller now sees it,
        // in force, and in what ran.
        var world = TestScenarios.Small(manufacturers: 3000);
        var session = one.Client.GetGrain<ISessionGrain>("live-order");
        await session.StartAsync(world, Seed, SessionSettings.Default);
        Tariff Rate(double r) => new() { Id = "race", Start = 0, Importer = "JP", Commodities = ["oxide"], Rate = r };
        // The first change must land mid-tick for this to test anything: it then applies from the tick after. Scheduling may
        // let it in before the tick starts, so try a few ticks.
        int ticks = 0;
        for (bool midTick = false; !midTick; )
        {
            Assert.True(ticks < 10, "no change landed mid-tick in 10 tries");
            var step = session.StepAsync(1);
            await Task.Delay(20);
            var first = session.SetPolicyAsync(Rate(0.1));
            await Task.WhenAll(step, first);
            ticks++;
            midTick = first.Result == ticks;
        }
        Assert.Equal(ticks, await session.SetPolicyAsync(Rate(0.2)));
        Assert.Equal(0.2, ((Tariff)(await session.GetPoliciesAsync()).Value.Last(p => p.Id == "race")).Rate, 12);
        await session.StepAsync(2);
        var timeline = (await session.GetPoliciesAsync()).Value;
        Assert.Equal(0.2, ((Tariff)timeline.Last(p => p.Id == "race")).Rate, 12);
        FrameBytes.AssertSame(FrameBytes.Reference(world with { Policies = timeline.ToList() }, Seed, ticks + 2), await session.GetAllFramesAsync(), world);
        await session.EndAsync();
    }

    [Fact]
    public async Task A_policy_removed_live_ends_at_the_next_tick()
    {
        var world = TestScenarios.Small();
        var session = one.Client.GetGrain<ISessionGrain>("live-remove");
        await session.StartAsync(world, Seed, SessionSettings.Default);
        await session.StepAsync(15);
        await session.RemovePolicyAsync("us-tariff");
        await session.StepAsync(10);

        var expected = FrameBytes.Reference(world with { Policies = world.Policies.Select(p => p.Id == "us-tariff" ? p with { End = 15 } : p).ToList() }, Seed, 25);
        FrameBytes.AssertSame(expected, await session.GetAllFramesAsync(), world);
        await session.EndAsync();
    }

    [Fact]
    public async Task A_policy_replaced_live_takes_its_new_terms_from_the_next_tick()
    {
        var world = TestScenarios.Small();
        var tariff = (Tariff)world.Policies.Single(p => p.Id == "us-tariff");
        var session = one.Client.GetGrain<ISessionGrain>("live-replace");
        await session.StartAsync(world, Seed, SessionSettings.Default);
        await session.StepAsync(10);
        await session.SetPolicyAsync(tariff with { Rate = 1.5 });
        await session.StepAsync(10);

        var split = world with
        {
            Policies = [.. world.Policies.Select(p => p.Id == "us-tariff" ? p with { End = 10 } : p), tariff with { Id = "us-tariff-new", Start = 10, Rate = 1.5 }],
        };
        var expected = FrameBytes.Reference(split, Seed, 20);
        var actual = await session.GetAllFramesAsync();
        // Events name the policies, and the replacement keeps its id: compare everything else.
        var strip = (IEnumerable<MarketSim.Model.Simulation.Frame> fs) => fs.Select(f => f with { Events = [] }).ToList();
        FrameBytes.AssertSame(strip(expected), strip(actual), world);
        await session.EndAsync();
    }

    public static TheoryData<PolicySpec, string> InvalidPolicies() => new()
    {
        { new Tariff { Id = "t", Start = 0, Importer = "XX", Commodities = ["magnet"], Rate = 0.1 }, "unknown country \"XX\"" },
        { new Tariff { Id = "t", Start = 0, Importer = "US", Commodities = ["unobtainium"], Rate = 0.1 }, "unknown commodity \"unobtainium\"" },
        { new ExportControl { Id = "e", Start = 0, Exporter = "CN", Commodities = ["ore"], Destinations = ["ZZ"] }, "unknown country \"ZZ\"" },
        { new Stockpile { Id = "s", Start = 0, Country = "JP", Commodity = "gold", Size = 1, Initial = 1, MaxReleasePerDay = 1 }, "unknown commodity \"gold\"" },
        { new PriceFloor { Id = "f", Start = 0, Club = ["US", "FR"], Excluded = [], Floors = new Dictionary<string, double> { ["ore"] = 1 } }, "unknown country \"FR\"" },
        { new CapacityProject { Id = "c", Start = 0, Producer = "nobody", AddedCapacity = 1, LeadTimeDays = 1 }, "unknown producer \"nobody\"" },
        { new Tariff { Id = "jp-stockpile", Start = 0, Importer = "US", Commodities = ["ore"], Rate = 0.1 }, "cannot be replaced by a tariff" },
    };

    [Theory]
    [MemberData(nameof(InvalidPolicies))]
    public async Task An_invalid_policy_is_refused_with_a_clear_message_and_changes_nothing(PolicySpec policy, string message)
    {
        var world = TestScenarios.Small();
        var session = one.Client.GetGrain<ISessionGrain>("invalid-" + policy.Id + "-" + Math.Abs(message.GetHashCode()));
        await session.StartAsync(world, Seed, SessionSettings.Default);
        await session.StepAsync(8);
        var before = PoliciesJson((await session.GetPoliciesAsync()).Value);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => session.SetPolicyAsync(policy));
        Assert.Contains(message, e.Message);

        Assert.Equal(before, PoliciesJson((await session.GetPoliciesAsync()).Value));
        await session.StepAsync(12);
        FrameBytes.AssertSame(FrameBytes.Reference(world, Seed, 20), await session.GetAllFramesAsync(), world);
        await session.EndAsync();
    }

    // Records compare their lists by reference, so compare the timelines by content.
    static string PoliciesJson(IReadOnlyList<PolicySpec> policies) => System.Text.Json.JsonSerializer.Serialize(policies);

    [Fact]
    public async Task Removing_an_unknown_policy_is_refused()
    {
        var session = one.Client.GetGrain<ISessionGrain>("remove-unknown");
        await session.StartAsync(TestScenarios.Small(), Seed, SessionSettings.Default);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => session.RemovePolicyAsync("no-such-policy"));
        Assert.Contains("no-such-policy", e.Message);
        await session.EndAsync();
    }

    [Fact]
    public async Task Frames_can_be_read_from_a_tick_and_run_to_a_tick()
    {
        var session = one.Client.GetGrain<ISessionGrain>("frames");
        await session.StartAsync(TestScenarios.Small(), Seed, SessionSettings.Default);
        Assert.Equal(17, await session.RunToAsync(17));
        Assert.Equal(17, await session.RunToAsync(5));
        var tail = (await session.GetFramesAsync(10)).Value;
        Assert.Equal(Enumerable.Range(10, 7), tail.Select(f => f.Tick));
        Assert.Equal(17, await session.GetTickAsync());
        await session.EndAsync();
    }

    [Fact]
    public async Task A_session_id_with_a_slash_is_refused()
    {
        var session = one.Client.GetGrain<ISessionGrain>("a/b");
        await Assert.ThrowsAsync<ArgumentException>(() => session.StartAsync(TestScenarios.Small(), Seed));
    }
}
