using MarketSim.Model.Agents;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains.Interfaces;

/// <summary>A producer or manufacturer: one grain per firm, two calls per tick.</summary>
public interface IFirmGrain : ISessionMemberGrain
{
    Task<Immutable<AgentPlan>> PlanAsync(Immutable<TickContext> context);
    Task<Immutable<AgentReport>> SettleAsync(Immutable<AgentSettlement> settlement, Immutable<TickContext> context);
}

public interface IProducerGrain : IFirmGrain
{
    Task InitialiseAsync(string generation, Immutable<ScenarioSpec> world, Immutable<ProducerSpec> spec);
}

public interface IManufacturerGrain : IFirmGrain
{
    Task InitialiseAsync(string generation, Immutable<ScenarioSpec> world, Immutable<ManufacturerSpec> spec);
}
