using MarketSim.Grains.Interfaces;
using MarketSim.Model.Agents;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains.Agents;

[GenerateSerializer]
public sealed class FirmGrainState<TSpec> where TSpec : class
{
    [Id(0)] public TSpec? Spec { get; set; }
    [Id(1)] public FirmState? Firm { get; set; }
    [Id(2)] public int CheckpointEvery { get; set; }
}

/// <summary>
/// A firm's grain: its spec and <see cref="FirmState"/>, and a call into the Model rules per message. State is written at
/// checkpoints and on deactivation, not every tick.
/// </summary>
public abstract class FirmGrain<TSpec>(IPersistentState<FirmGrainState<TSpec>> store) : SessionMemberGrain, IFirmGrain
    where TSpec : class
{
    bool _dirty;

    protected abstract FirmState Initialise(ScenarioSpec world, TSpec spec);
    protected abstract AgentPlan Plan(ScenarioSpec world, TSpec spec, FirmState state, TickContext context);
    protected abstract AgentReport Settle(ScenarioSpec world, TSpec spec, FirmState state, AgentSettlement settlement, TickContext context);

    protected Task InitialiseCore(Immutable<ScenarioSpec> world, TSpec spec, int checkpointEvery)
    {
        SetWorld(world.Value);
        store.State = new FirmGrainState<TSpec> { Spec = spec, Firm = Initialise(world.Value, spec), CheckpointEvery = checkpointEvery };
        _dirty = false;
        return store.WriteStateAsync();
    }

    public async Task<Immutable<AgentPlan>> PlanAsync(Immutable<TickContext> context)
    {
        var (spec, firm) = Loaded();
        var world = await WorldAsync();
        _dirty = true;
        return Plan(world, spec, firm, context.Value).AsImmutable();
    }

    public async Task<Immutable<AgentReport>> SettleAsync(Immutable<AgentSettlement> settlement, Immutable<TickContext> context)
    {
        var (spec, firm) = Loaded();
        var world = await WorldAsync();
        var report = Settle(world, spec, firm, settlement.Value, context.Value);
        _dirty = true;
        if (Persistence.IsCheckpoint(settlement.Value.Tick, store.State.CheckpointEvery))
        {
            await store.WriteStateAsync();
            _dirty = false;
        }
        return report.AsImmutable();
    }

    (TSpec, FirmState) Loaded() =>
        store.State.Spec is { } spec && store.State.Firm is { } firm ? (spec, firm) : throw NotInitialised();

    public async Task EndAsync()
    {
        _dirty = false;
        await store.ClearStateAsync();
        DeactivateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        // Idle collection must not lose the ticks since the last checkpoint.
        if (_dirty) await store.WriteStateAsync(ct);
        await base.OnDeactivateAsync(reason, ct);
    }
}
