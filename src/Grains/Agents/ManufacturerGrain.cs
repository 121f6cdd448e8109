using MarketSim.Grains.Interfaces;
using MarketSim.Model.Agents;
using MarketSim.Model.Scenario;
using Orleans.Placement;

namespace MarketSim.Grains.Agents;

/// <summary>A maker of end products. Placed beside the shard that first calls it, so the fan-out stays in-silo.</summary>
[PreferLocalPlacement]
public sealed class ManufacturerGrain : FirmGrain<ManufacturerSpec>, IManufacturerGrain
{
    protected override string StoreName => "manufacturer";

    public Task InitialiseAsync(string generation, Immutable<ScenarioSpec> world, Immutable<ManufacturerSpec> spec) =>
        InitialiseCore(generation, world, spec.Value);

    protected override FirmState Initialise(ScenarioSpec world, ManufacturerSpec spec) => ManufacturerRules.Initialise(world, spec);

    protected override AgentPlan Plan(ScenarioSpec world, ManufacturerSpec spec, FirmState state, TickContext context) =>
        ManufacturerRules.Plan(world, spec, state, context);

    protected override AgentReport Settle(ScenarioSpec world, ManufacturerSpec spec, FirmState state, AgentSettlement settlement, TickContext context) =>
        ManufacturerRules.Settle(world, spec, state, settlement, context);
}
