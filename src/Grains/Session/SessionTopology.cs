using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains.Session;

/// <summary>References to every grain of a session, in scenario order. Rebuilt from (world, settings) on activation.</summary>
public sealed class SessionTopology
{
    public required IReadOnlyList<(IAgentShardGrain Grain, AgentRef[] Agents)> Shards { get; init; }
    public required IReadOnlyList<ICountryGrain> Countries { get; init; }
    public required IReadOnlyList<IMarketGrain> Markets { get; init; }

    public static SessionTopology Build(IGrainFactory grains, string sessionId, ScenarioSpec world, SessionSettings settings) => new()
    {
        Shards = ShardPlanner.Assign(world, settings)
            .Select((agents, i) => (grains.GetGrain<IAgentShardGrain>(GrainKeys.Shard(sessionId, i)), agents)).ToList(),
        Countries = world.Countries.Select(c => grains.GetGrain<ICountryGrain>(GrainKeys.Of(sessionId, c.Id))).ToList(),
        Markets = world.Commodities.Select(c => grains.GetGrain<IMarketGrain>(GrainKeys.Of(sessionId, c.Id))).ToList(),
    };

    /// <summary>The grains that hold the session's state and take part in its checkpoints.</summary>
    public IEnumerable<ISessionMemberGrain> Members => Shards.Select(s => (ISessionMemberGrain)s.Grain).Concat(Countries).Concat(Markets);

    public IEnumerable<IMarketSimGrain> All => Shards.Select(s => (IMarketSimGrain)s.Grain).Concat(Countries).Concat(Markets);
}
