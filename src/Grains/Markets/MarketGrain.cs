using MarketSim.Grains.Checkpoints;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Market;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using Orleans.Placement;

namespace MarketSim.Grains.Markets;

[GenerateSerializer]
public sealed class MarketGrainState
{
    [Id(0)] public MarketState? Market { get; set; }
    [Id(1)] public ulong Seed { get; set; }
}

/// <summary>
/// The market for one commodity: holds <see cref="MarketState"/> and calls <see cref="MarketClearing.Clear"/>. Placed beside
/// the session that first calls it: the session waits for every market each tick, so clearing elsewhere gains no parallel
/// work, and a tick's orders and fills (about half the bytes of a tick) then never cross silos.
/// </summary>
[PreferLocalPlacement]
public sealed class MarketGrain : CheckpointedGrain<MarketGrainState>, IMarketGrain
{
    protected override string StoreName => "market";

    public async Task InitialiseAsync(string generation, string commodity, ulong seed)
    {
        var world = await LoadWorldAsync(generation);
        InitialiseState(new MarketGrainState { Market = MarketClearing.Initialise(world, world.Commodity(commodity)), Seed = seed }, world.FirstTick);
    }

    public async Task<Immutable<ClearingResult>> ClearAsync(int tick, Immutable<List<Ask>> asks, Immutable<List<Bid>> bids,
        Immutable<IReadOnlyList<PolicySpec>> inForce)
    {
        var state = await At(tick, TickPhase.Plan);
        var market = state.Market ?? throw NotInitialised();
        var world = await WorldAsync();
        var result = MarketClearing.Clear(world, market, tick, asks.Value, bids.Value, inForce.Value, state.Seed);
        Advance(tick + 1, TickPhase.Plan);
        return result.AsImmutable();
    }
}
