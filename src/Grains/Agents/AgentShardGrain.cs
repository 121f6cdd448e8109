using MarketSim.Grains.Interfaces;
using MarketSim.Model.Agents;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace MarketSim.Grains.Agents;

[GenerateSerializer]
public sealed class AgentShardState
{
    [Id(0)] public AgentRef[] Agents { get; set; } = [];
}

/// <summary>
/// Fans a tick out to its range of agents (all calls in flight at once) and hands the session one array per phase.
/// Placed by <see cref="ShardPlacement"/>: a cluster's shards, and the agents placed beside them, spread evenly over the silos.
/// </summary>
[ShardPlacement]
public sealed class AgentShardGrain(
    [PersistentState("shard", Persistence.StorageName)] IPersistentState<AgentShardState> store)
    : Grain, IAgentShardGrain
{
    IFirmGrain[] _agents = [];

    public override Task OnActivateAsync(CancellationToken ct)
    {
        _agents = Resolve(store.State.Agents);
        return Task.CompletedTask;
    }

    IFirmGrain[] Resolve(AgentRef[] refs)
    {
        var session = GrainKeys.SessionOf(this.GetPrimaryKeyString());
        return refs.Select(a => a.Kind == AgentKind.Producer
            ? (IFirmGrain)GrainFactory.GetGrain<IProducerGrain>(GrainKeys.Of(session, a.Id))
            : GrainFactory.GetGrain<IManufacturerGrain>(GrainKeys.Of(session, a.Id))).ToArray();
    }

    public async Task InitialiseAsync(string generation, Immutable<AgentRef[]> agents)
    {
        store.State = new AgentShardState { Agents = agents.Value };
        _agents = Resolve(agents.Value);
        // The firms are placed beside the shard, so this world is this silo's one copy, not copied per firm.
        var world = (await Worlds.GetAsync(GrainFactory, GrainKeys.SessionOf(this.GetPrimaryKeyString()), generation)).AsImmutable();
        var tasks = new List<Task>(agents.Value.Length + 1);
        for (int i = 0; i < agents.Value.Length; i++)
        {
            var a = agents.Value[i];
            tasks.Add(a.Kind == AgentKind.Producer
                ? ((IProducerGrain)_agents[i]).InitialiseAsync(generation, world, Spec(world.Value.Producers, a, p => p.Id).AsImmutable())
                : ((IManufacturerGrain)_agents[i]).InitialiseAsync(generation, world, Spec(world.Value.Manufacturers, a, m => m.Id).AsImmutable()));
        }
        // The shard's own record (its range) is one write per shard, not per firm; the firms write nothing until a checkpoint.
        tasks.Add(store.WriteStateAsync());
        await Task.WhenAll(tasks);
    }

    static TSpec Spec<TSpec>(IReadOnlyList<TSpec> specs, AgentRef agent, Func<TSpec, string> id) =>
        agent.Index < specs.Count && id(specs[agent.Index]) == agent.Id ? specs[agent.Index]
            : throw new ArgumentException($"Agent \"{agent.Id}\" is not at position {agent.Index} of the scenario.", nameof(agent));

    SessionWorlds Worlds => ServiceProvider.GetRequiredService<SessionWorlds>();

    public async Task<Immutable<AgentPlan[]>> PlanAsync(Immutable<TickContext> context)
    {
        var calls = new Task<Immutable<AgentPlan>>[_agents.Length];
        for (int i = 0; i < calls.Length; i++) calls[i] = _agents[i].PlanAsync(context);
        var done = await Task.WhenAll(calls);
        return done.Select(p => p.Value).ToArray().AsImmutable();
    }

    public async Task<Immutable<ReportTotals>> SettleAsync(Immutable<AgentSettlement[]> settlements, Immutable<TickContext> context)
    {
        if (settlements.Value.Length != _agents.Length)
            throw new ArgumentException($"Shard has {_agents.Length} agents but got {settlements.Value.Length} settlements.", nameof(settlements));
        var calls = new Task<Immutable<AgentReport>>[_agents.Length];
        for (int i = 0; i < calls.Length; i++) calls[i] = _agents[i].SettleAsync(settlements.Value[i].AsImmutable(), context);
        var done = await Task.WhenAll(calls);
        var totals = new ReportTotals();
        foreach (var r in done) totals.Add(r.Value);
        return totals.AsImmutable();
    }

    IFirmGrain[] Agents => store.State.Agents.Length == _agents.Length ? _agents
        : throw new InvalidOperationException($"Shard \"{this.GetPrimaryKeyString()}\" has not been initialised.");

    /// <summary>Every firm of the shard writes the checkpoint slot (the shard's own state, its range, never changes).</summary>
    public Task CheckpointAsync(int slot, int tick) => Task.WhenAll(Agents.Select(a => a.CheckpointAsync(slot, tick)));

    public Task RestoreAsync(int slot, int tick) => Task.WhenAll(Agents.Select(a => a.RestoreAsync(slot, tick)));

    public Task<string> GetSiloAsync() => Task.FromResult(RuntimeIdentity);

    public async Task<string[]> GetSilosAsync()
    {
        var silos = await Task.WhenAll(_agents.Select(a => a.GetSiloAsync()));
        return silos.Append(RuntimeIdentity).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    public async Task EndAsync()
    {
        await Task.WhenAll(_agents.Select(a => a.EndAsync()));
        await store.ClearStateAsync();
        _agents = [];
        DeactivateOnIdle();
    }
}
