using MarketSim.Grains.Interfaces;
using MarketSim.Model.Agents;
using MarketSim.Model.Scenario;
using Orleans.Placement;

namespace MarketSim.Grains.Agents;

/// <summary>A mine, refinery or magnet maker. Placed beside the shard that first calls it, so the fan-out stays in-silo.</summary>
[PreferLocalPlacement]
public sealed class ProducerGrain : FirmGrain<ProducerSpec>, IProducerGrain
{
    protected override string StoreName => "producer";

    public Task InitialiseAsync(string generation, Immutable<ScenarioSpec> world, Immutable<ProducerSpec> spec) =>
        InitialiseCore(generation, world, spec.Value);

    protected override FirmState Initialise(ScenarioSpec world, ProducerSpec spec) => ProducerRules.Initialise(world, spec);

    protected override AgentPlan Plan(ScenarioSpec world, ProducerSpec spec, FirmState state, TickContext context) =>
        ProducerRules.Plan(world, spec, state, context);

    protected override AgentReport Settle(ScenarioSpec world, ProducerSpec spec, FirmState state, AgentSettlement settlement, TickContext context) =>
        ProducerRules.Settle(world, spec, state, settlement, context);
}
