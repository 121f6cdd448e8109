using MarketSim.Model.Agents;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Grains.Interfaces;

public enum AgentKind { Producer, Manufacturer }

/// <param name="Index">The agent's position in the scenario's producers or manufacturers (finds its spec without a search).</param>
[GenerateSerializer, Immutable]
public sealed record AgentRef([property: Id(0)] AgentKind Kind, [property: Id(1)] string Id, [property: Id(2)] int Index);

/// <summary>
/// A contiguous range of producers and manufacturers, whose rules it runs itself: one call per phase for the whole range, so
/// no grain handles every agent's reply and no call is made per firm. Results come back in the order of the assignment,
/// which is the reference runner's order.
/// </summary>
public interface IAgentShardGrain : ISessionMemberGrain
{
    /// <summary>Sets the shard's range and every agent's tick-0 state from the scenario of run <paramref name="generation"/>.</summary>
    Task InitialiseAsync(string generation, Immutable<AgentRef[]> agents);
    Task<Immutable<AgentPlan[]>> PlanAsync(Immutable<TickContext> context);
    /// <param name="settlements">One per agent, in assignment order.</param>
    /// <returns>The agents' reports folded (one total per shard crosses to the session, not one report per agent).</returns>
    Task<Immutable<ReportTotals>> SettleAsync(Immutable<AgentSettlement[]> settlements, Immutable<TickContext> context);
}
