using MarketSim.Grains.Interfaces;
using MarketSim.Model.Agents;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using Orleans.Placement;

namespace MarketSim.Grains.Agents;

[GenerateSerializer]
public sealed class CountryGrainState
{
    [Id(0)] public CountrySpec? Spec { get; set; }
    [Id(1)] public CountryState? Country { get; set; }
    [Id(2)] public int CheckpointEvery { get; set; }
}

/// <summary>A country's stockpiles: holds <see cref="CountryState"/> and calls <see cref="StockpileRules"/>.</summary>
[RandomPlacement]
public sealed class CountryGrain(
    [PersistentState("country", Persistence.StorageName)] IPersistentState<CountryGrainState> store)
    : SessionMemberGrain, ICountryGrain
{
    bool _dirty;

    public Task InitialiseAsync(Immutable<ScenarioSpec> world, Immutable<CountrySpec> spec, int checkpointEvery)
    {
        SetWorld(world.Value);
        store.State = new CountryGrainState { Spec = spec.Value, Country = StockpileRules.Initialise(world.Value, spec.Value), CheckpointEvery = checkpointEvery };
        _dirty = false;
        return store.WriteStateAsync();
    }

    public async Task<Immutable<AgentPlan>> PlanAsync(Immutable<TickContext> context, Immutable<IReadOnlyList<Stockpile>> stockpiles,
        Immutable<IReadOnlyDictionary<string, double>> unmetShare)
    {
        var country = store.State.Country ?? throw NotInitialised();
        var world = await WorldAsync();
        _dirty = true; // planning opens a stockpile's holdings the first tick it is in force
        return StockpileRules.Plan(world, country, stockpiles.Value, context.Value, unmetShare.Value).AsImmutable();
    }

    public async Task<Immutable<AgentReport>> SettleAsync(Immutable<AgentSettlement> settlement)
    {
        var country = store.State.Country ?? throw NotInitialised();
        var report = StockpileRules.Settle(country, settlement.Value);
        _dirty = true;
        if (Persistence.IsCheckpoint(settlement.Value.Tick, store.State.CheckpointEvery))
        {
            await store.WriteStateAsync();
            _dirty = false;
        }
        return report.AsImmutable();
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
