using MarketSim.Grains.Interfaces;

namespace MarketSim.Grains.Tests;

/// <summary>
/// Checkpoints and recovery inside one silo (the cluster tests kill real processes; tests/Cluster.Tests): a member that
/// is not where the session expects it makes the session roll back to its committed checkpoint and recompute.
/// </summary>
public sealed class CheckpointTests(OneSiloFixture one) : IClassFixture<OneSiloFixture>
{
    const ulong Seed = 5;

    [Fact]
    public async Task A_member_set_back_to_the_last_checkpoint_makes_the_session_roll_back_and_recompute_the_same_frames()
    {
        var world = TestScenarios.Small();
        var session = one.Client.GetGrain<ISessionGrain>("rollback");
        await session.StartAsync(world, Seed, new SessionSettings { ShardCount = 3, CheckpointEvery = 10 });
        await session.StepAsync(45);
        // Checkpoint #4 (tick 40) is committed in slot 0. Put one market and one country back there, as a crash would.
        await one.Client.GetGrain<IMarketGrain>(GrainKeys.Of("rollback", world.Commodities[1].Id)).RestoreAsync(0, 40);
        await one.Client.GetGrain<ICountryGrain>(GrainKeys.Of("rollback", world.Countries[0].Id)).RestoreAsync(0, 40);
        await session.StepAsync(25);

        FrameBytes.AssertSame(FrameBytes.Reference(world, Seed, 70), await session.GetAllFramesAsync(), world);
        await session.EndAsync();
    }

    [Fact]
    public async Task Members_lost_before_the_first_checkpoint_are_rebuilt_from_the_scenario_and_recompute_the_same_frames()
    {
        // Nothing is written per member at start: checkpoint #0 is the scenario, and rolling back to it initialises again.
        var world = TestScenarios.Small();
        var session = one.Client.GetGrain<ISessionGrain>("rebuild");
        await session.StartAsync(world, Seed, new SessionSettings { ShardCount = 3, CheckpointEvery = 30 });
        await session.StepAsync(12);
        // Dropped state, as a lost silo leaves it: the next tick finds these members empty and rolls back to tick 0.
        await one.Client.GetGrain<IAgentShardGrain>(GrainKeys.Shard("rebuild", 1)).EndAsync();
        await one.Client.GetGrain<IMarketGrain>(GrainKeys.Of("rebuild", world.Commodities[1].Id)).EndAsync();
        await session.StepAsync(23);

        FrameBytes.AssertSame(FrameBytes.Reference(world, Seed, 35), await session.GetAllFramesAsync(), world);
        await session.EndAsync();
    }

    [Fact]
    public async Task A_checkpoint_on_demand_commits_the_current_tick()
    {
        var world = TestScenarios.Small();
        var session = one.Client.GetGrain<ISessionGrain>("pause");
        await session.StartAsync(world, Seed, new SessionSettings { ShardCount = 2, CheckpointEvery = 30 });
        await session.StepAsync(17);
        Assert.Equal(17, await session.CheckpointAsync());
        await session.StepAsync(13);
        FrameBytes.AssertSame(FrameBytes.Reference(world, Seed, 30), await session.GetAllFramesAsync(), world);
        await session.EndAsync();
    }
}
