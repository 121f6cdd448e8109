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
    [Id(2)] public int CheckpointEvery { get; set; }
}

/// <summary>The market for one commodity: holds <see cref="MarketState"/> and calls <see cref="MarketClearing.Clear"/>.</summary>
[RandomPlacement]
public sealed class MarketGrain(
    [PersistentState("market", Persistence.StorageName)] IPersistentState<MarketGrainState> store)
    : SessionMemberGrain, IMarketGrain
{
    bool _dirty;

    public Task InitialiseAsync(Immutable<ScenarioSpec> world, string commodity, ulong seed, int checkpointEvery)
    {
        SetWorld(world.Value);
        store.State = new MarketGrainState
        {
            Market = MarketClearing.Initialise(world.Value, world.Value.Commodity(commodity)),
            Seed = seed,
            CheckpointEvery = checkpointEvery,
        };
        _dirty = false;
        return store.WriteStateAsync();
    }

    public async Task<Immutable<ClearingResult>> ClearAsync(int tick, Immutable<List<Ask>> asks, Immutable<List<Bid>> bids,
        Immutable<IReadOnlyList<PolicySpec>> inForce)
    {
        var market = store.State.Market ?? throw NotInitialised();
        var world = await WorldAsync();
        var result = MarketClearing.Clear(world, market, tick, asks.Value, bids.Value, inForce.Value, store.State.Seed);
        _dirty = true;
        if (Persistence.IsCheckpoint(tick, store.State.CheckpointEvery))
        {
            await store.WriteStateAsync();
            _dirty = false;
        }
        return result.AsImmutable();
    }

    public async Task EndAsync()
    {
        _dirty = false;
        await store.ClearStateAsync();
        DeactivateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        if (_dirty) await store.WriteStateAsync(ct);
        await base.OnDeactivateAsync(reason, ct);
    }
}
