using MarketSim.Model.Agents;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains.Interfaces;

/// <summary>A country's strategic stockpiles: sells on its release rule, buys to refill.</summary>
public interface ICountryGrain : ISessionMemberGrain
{
    Task InitialiseAsync(string generation, Immutable<CountrySpec> spec);
    /// <param name="stockpiles">The country's stockpile policies in force this tick.</param>
    /// <param name="unmetShare">The country's unmet share by commodity, last tick.</param>
    Task<Immutable<AgentPlan>> PlanAsync(Immutable<TickContext> context, Immutable<IReadOnlyList<Stockpile>> stockpiles,
        Immutable<IReadOnlyDictionary<string, double>> unmetShare);
    Task<Immutable<AgentReport>> SettleAsync(Immutable<AgentSettlement> settlement);
}
