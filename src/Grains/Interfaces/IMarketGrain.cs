using MarketSim.Model.Market;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains.Interfaces;

/// <summary>The market for one commodity: holds its prices, licence blocks and quota use; clears once per tick.</summary>
public interface IMarketGrain : ISessionMemberGrain
{
    Task InitialiseAsync(string generation, string commodity, ulong seed);
    Task<Immutable<ClearingResult>> ClearAsync(int tick, Immutable<List<Ask>> asks, Immutable<List<Bid>> bids,
        Immutable<IReadOnlyList<PolicySpec>> inForce);
}
