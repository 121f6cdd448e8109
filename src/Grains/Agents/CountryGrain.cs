using MarketSim.Grains.Checkpoints;
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
}

/// <summary>
/// A country's stockpiles: holds <see cref="CountryState"/> and calls <see cref="StockpileRules"/>. Placed beside the session
/// that first calls it: a country's work is small, and a call to another silo would cost its tick more than the work.
/// </summary>
[PreferLocalPlacement]
public sealed class CountryGrain : CheckpointedGrain<CountryGrainState>, ICountryGrain
{
    protected override string StoreName => "country";

    public async Task InitialiseAsync(string generation, Immutable<CountrySpec> spec)
    {
        var world = await LoadWorldAsync(generation);
        InitialiseState(new CountryGrainState { Spec = spec.Value, Country = StockpileRules.Initialise(world, spec.Value) }, world.FirstTick);
    }

    public async Task<Immutable<AgentPlan>> PlanAsync(Immutable<TickContext> context, Immutable<IReadOnlyList<Stockpile>> stockpiles,
        Immutable<IReadOnlyDictionary<string, double>> unmetShare)
    {
        var tick = context.Value.Tick;
        var country = (await At(tick, TickPhase.Plan)).Country ?? throw NotInitialised();
        var world = await WorldAsync();
        // Planning opens a stockpile's holdings the first tick it is in force: the state changes here too.
        var plan = StockpileRules.Plan(world, country, stockpiles.Value, context.Value, unmetShare.Value);
        Advance(tick, TickPhase.Settle);
        return plan.AsImmutable();
    }

    public async Task<Immutable<AgentReport>> SettleAsync(Immutable<AgentSettlement> settlement)
    {
        var tick = settlement.Value.Tick;
        var country = (await At(tick, TickPhase.Settle)).Country ?? throw NotInitialised();
        var report = StockpileRules.Settle(country, settlement.Value);
        Advance(tick + 1, TickPhase.Plan);
        return report.AsImmutable();
    }
}
