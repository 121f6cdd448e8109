using MarketSim.Grains.Checkpoints;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Agents;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Grains.Agents;

/// <summary>A shard's firms: their place in the scenario and their Model state, one per agent in the same order.</summary>
[GenerateSerializer]
public sealed class AgentShardState
{
    [Id(0)] public AgentRef[] Agents { get; set; } = [];
    [Id(1)] public FirmState[] Firms { get; set; } = [];
}

/// <summary>
/// A range of producers and manufacturers: holds each firm's <see cref="FirmState"/> and calls <see cref="ProducerRules"/>
/// and <see cref="ManufacturerRules"/> for them in turn, one call per phase for the whole range. A grain per firm cost two
/// Orleans calls per firm a tick (≈0.8 s a tick at 100,000 firms before any model work, and an activation's memory per firm);
/// a firm's rules read nothing of another firm, so running a range in one grain gives the same bits. Parallelism comes from
/// the shards (<see cref="SessionSettings"/>). Placed by <see cref="ShardPlacement"/>: a cluster's shards spread evenly
/// over the silos. Its state is written at the session's checkpoints, one record per shard (<see cref="CheckpointedGrain{T}"/>).
/// </summary>
[ShardPlacement]
public sealed class AgentShardGrain : CheckpointedGrain<AgentShardState>, IAgentShardGrain
{
    protected override string StoreName => "shard";

    public async Task InitialiseAsync(string generation, Immutable<AgentRef[]> agents)
    {
        var world = await LoadWorldAsync(generation);
        var refs = agents.Value;
        // Checked once here: the range and the world of a run do not change, so the phases index the specs directly.
        foreach (var a in refs)
            if (IdAt(world, a) != a.Id)
                throw new ArgumentException($"Agent \"{a.Id}\" is not at position {a.Index} of the scenario.", nameof(agents));
        var firms = new FirmState[refs.Length];
        for (int i = 0; i < refs.Length; i++)
            firms[i] = refs[i].Kind == AgentKind.Producer
                ? ProducerRules.Initialise(world, world.Producers[refs[i].Index])
                : ManufacturerRules.Initialise(world, world.Manufacturers[refs[i].Index]);
        InitialiseState(new AgentShardState { Agents = refs, Firms = firms }, world.FirstTick);
    }

    public async Task<Immutable<AgentPlan[]>> PlanAsync(Immutable<TickContext> context)
    {
        var tick = context.Value.Tick;
        var shard = await At(tick, TickPhase.Plan);
        var world = await WorldAsync();
        var plans = new AgentPlan[shard.Agents.Length];
        WholeRange(() =>
        {
            for (int i = 0; i < plans.Length; i++)
            {
                var a = shard.Agents[i];
                plans[i] = a.Kind == AgentKind.Producer
                    ? ProducerRules.Plan(world, world.Producers[a.Index], shard.Firms[i], context.Value)
                    : ManufacturerRules.Plan(world, world.Manufacturers[a.Index], shard.Firms[i], context.Value);
            }
        });
        Advance(tick, TickPhase.Settle);
        return plans.AsImmutable();
    }

    public async Task<Immutable<ReportTotals>> SettleAsync(Immutable<AgentSettlement[]> settlements, Immutable<TickContext> context)
    {
        var tick = context.Value.Tick;
        var shard = await At(tick, TickPhase.Settle);
        if (settlements.Value.Length != shard.Agents.Length)
            throw new ArgumentException($"Shard has {shard.Agents.Length} agents but got {settlements.Value.Length} settlements.", nameof(settlements));
        var world = await WorldAsync();
        var totals = new ReportTotals();
        WholeRange(() =>
        {
            for (int i = 0; i < shard.Agents.Length; i++)
            {
                var a = shard.Agents[i];
                totals.Add(a.Kind == AgentKind.Producer
                    ? ProducerRules.Settle(world, world.Producers[a.Index], shard.Firms[i], settlements.Value[i], context.Value)
                    : ManufacturerRules.Settle(world, world.Manufacturers[a.Index], shard.Firms[i], settlements.Value[i], context.Value));
            }
        });
        Advance(tick + 1, TickPhase.Plan);
        return totals.AsImmutable();
    }

    static string? IdAt(ScenarioSpec world, AgentRef a) => a.Kind == AgentKind.Producer
        ? (a.Index < world.Producers.Count ? world.Producers[a.Index].Id : null)
        : (a.Index < world.Manufacturers.Count ? world.Manufacturers[a.Index].Id : null);

    /// <summary>A phase over the whole range. If a firm's rule throws, the firms before it have moved on and it may be
    /// half-changed: the shard drops its state, so it answers no step and saves nothing until the session restores it.</summary>
    void WholeRange(Action phase)
    {
        try { phase(); }
        catch
        {
            DropState();
            throw;
        }
    }
}
