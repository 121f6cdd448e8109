using MarketSim.Model.Agents;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Grains.Interfaces;

public enum AgentKind { Producer, Manufacturer }

[GenerateSerializer, Immutable]
public sealed record AgentRef([property: Id(0)] AgentKind Kind, [property: Id(1)] string Id);

/// <summary>
/// Fans a tick out to a contiguous range of agents so that no single grain handles every agent's reply. Results come back in
/// the order of the assignment, which is the reference runner's order.
/// </summary>
public interface IAgentShardGrain : ISessionMemberGrain
{
    Task InitialiseAsync(Immutable<ScenarioSpec> world, Immutable<AgentRef[]> agents);
    Task<Immutable<AgentPlan[]>> PlanAsync(Immutable<TickContext> context);
    /// <param name="settlements">One per agent, in assignment order.</param>
    /// <returns>The agents' reports folded (one total per shard crosses to the session, not one report per agent).</returns>
    Task<Immutable<ReportTotals>> SettleAsync(Immutable<AgentSettlement[]> settlements, Immutable<TickContext> context);
    /// <summary>The silos of the shard and of its agents.</summary>
    Task<string[]> GetSilosAsync();
}
