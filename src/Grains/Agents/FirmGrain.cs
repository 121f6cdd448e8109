using MarketSim.Grains.Checkpoints;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Agents;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains.Agents;

[GenerateSerializer]
public sealed class FirmGrainState<TSpec> where TSpec : class
{
    [Id(0)] public TSpec? Spec { get; set; }
    [Id(1)] public FirmState? Firm { get; set; }
}

/// <summary>
/// A firm's grain: its spec and <see cref="FirmState"/>, and a call into the Model rules per message. State is written at
/// the session's checkpoints and on deactivation (<see cref="CheckpointedGrain{T}"/>), not every tick.
/// </summary>
public abstract class FirmGrain<TSpec> : CheckpointedGrain<FirmGrainState<TSpec>>, IFirmGrain
    where TSpec : class
{
    protected abstract FirmState Initialise(ScenarioSpec world, TSpec spec);
    protected abstract AgentPlan Plan(ScenarioSpec world, TSpec spec, FirmState state, TickContext context);
    protected abstract AgentReport Settle(ScenarioSpec world, TSpec spec, FirmState state, AgentSettlement settlement, TickContext context);

    protected Task InitialiseCore(string generation, Immutable<ScenarioSpec> world, TSpec spec)
    {
        SetWorld(generation, world.Value);
        InitialiseState(new FirmGrainState<TSpec> { Spec = spec, Firm = Initialise(world.Value, spec) }, world.Value.FirstTick);
        return Task.CompletedTask;
    }

    public async Task<Immutable<AgentPlan>> PlanAsync(Immutable<TickContext> context)
    {
        var (spec, firm) = Loaded(await At(context.Value.Tick, TickPhase.Plan));
        var world = await WorldAsync();
        var plan = Plan(world, spec, firm, context.Value);
        Advance(context.Value.Tick, TickPhase.Settle);
        return plan.AsImmutable();
    }

    public async Task<Immutable<AgentReport>> SettleAsync(Immutable<AgentSettlement> settlement, Immutable<TickContext> context)
    {
        var tick = settlement.Value.Tick;
        var (spec, firm) = Loaded(await At(tick, TickPhase.Settle));
        var world = await WorldAsync();
        var report = Settle(world, spec, firm, settlement.Value, context.Value);
        Advance(tick + 1, TickPhase.Plan);
        return report.AsImmutable();
    }

    (TSpec, FirmState) Loaded(FirmGrainState<TSpec> state) =>
        state.Spec is { } spec && state.Firm is { } firm ? (spec, firm) : throw NotInitialised();
}
