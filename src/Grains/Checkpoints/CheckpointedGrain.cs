using MarketSim.Grains.Interfaces;

namespace MarketSim.Grains.Checkpoints;

/// <summary>
/// Base of the grains that hold session state (a shard of firms, a country, a market). The state lives in memory and is written only
/// (a) into a checkpoint slot when the session says so, all members at the same tick, and (b) into the "live" record when
/// the activation goes (idle collection, or a silo shutting down gracefully), so the next activation continues from it.
/// Every call names the step it expects; a grain whose state is elsewhere (its silo died and it came back empty, or it is
/// ahead of a session that restarted from a checkpoint) throws <see cref="MemberStateLostException"/>, and the session
/// restores every member from the committed slot.
/// </summary>
public abstract class CheckpointedGrain<T> : SessionMemberGrain, ISessionMemberGrain where T : class
{
    SlotStore<Checkpointed<T>>? _slots;
    T? _state;
    int _tick;
    TickPhase _phase;
    bool _liveTried, _changedSinceLive;

    /// <summary>The storage name of the grain's records ("shard", "country", "market").</summary>
    protected abstract string StoreName { get; }

    SlotStore<Checkpointed<T>> Slots => _slots ??= SlotStore<Checkpointed<T>>.For(ServiceProvider, this.GetGrainId(), StoreName);

    /// <summary>
    /// Sets the initial state (at the world's first tick: 0, or the first day of its spin-up, ScenarioSpec.FirstTick), in
    /// memory only: checkpoint #0 is the scenario itself, so a rollback to it initialises every member again
    /// (SessionGrain.RestoreMembersAsync) instead of reading a record per grain.
    /// </summary>
    protected void InitialiseState(T state, int firstTick)
    {
        _state = state;
        _tick = firstTick;
        _phase = TickPhase.Plan;
        _liveTried = true;
        _changedSinceLive = true;
    }

    /// <summary>The state, which must be about to do <paramref name="phase"/> of <paramref name="tick"/>.</summary>
    protected async ValueTask<T> At(int tick, TickPhase phase)
    {
        if (_state is null && !_liveTried)
        {
            _liveTried = true;
            if (await Slots.ReadAsync("live") is { State: { } live } record)
            {
                (_state, _tick, _phase) = (live, record.Tick, record.Phase);
                LoadedRun(record.Generation);
            }
        }
        if (_state is null)
            throw new MemberStateLostException($"{GetType().Name} \"{this.GetPrimaryKeyString()}\" has no state (its silo was lost, or its session was never started).");
        if (_tick != tick || _phase != phase)
            throw new MemberStateLostException($"{GetType().Name} \"{this.GetPrimaryKeyString()}\" is at {_phase} of tick {_tick}, asked for {phase} of tick {tick}.");
        return _state;
    }

    /// <summary>After a call has changed the state: where it now stands.</summary>
    protected void Advance(int tick, TickPhase phase)
    {
        (_tick, _phase) = (tick, phase);
        _changedSinceLive = true;
    }

    /// <summary>
    /// Forgets the in-memory state after a call failed part-way through it: every later call throws
    /// <see cref="MemberStateLostException"/> (the session restores its members) and nothing is saved on deactivation.
    /// </summary>
    protected void DropState()
    {
        _state = null;
        _changedSinceLive = false;
    }

    public async Task CheckpointAsync(int slot, int tick)
    {
        var state = await At(tick, TickPhase.Plan);
        await Slots.WriteAsync(SlotName(slot), new Checkpointed<T> { Tick = tick, Phase = TickPhase.Plan, State = state, Generation = Generation });
    }

    public async Task RestoreAsync(int slot, int tick)
    {
        var record = await Slots.ReadAsync(SlotName(slot))
            ?? throw new InvalidOperationException($"{GetType().Name} \"{this.GetPrimaryKeyString()}\": checkpoint slot {slot} is missing.");
        if (record.Tick != tick || record.State is null)
            throw new InvalidOperationException($"{GetType().Name} \"{this.GetPrimaryKeyString()}\": checkpoint slot {slot} holds tick {record.Tick}, not {tick}.");
        (_state, _tick, _phase) = (record.State, tick, TickPhase.Plan);
        LoadedRun(record.Generation);
        _liveTried = true;
        _changedSinceLive = true;
    }

    static string SlotName(int slot) => slot switch
    {
        0 => "0",
        1 => "1",
        _ => throw new ArgumentOutOfRangeException(nameof(slot), slot, "Checkpoint slots are 0 and 1."),
    };

    public async Task EndAsync()
    {
        _state = null;
        _changedSinceLive = false;
        await Task.WhenAll(Slots.ClearAsync("0"), Slots.ClearAsync("1"), Slots.ClearAsync("live"));
        DeactivateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        // Idle collection or a graceful shutdown must not lose the ticks since the last checkpoint: the next activation
        // (here or on another silo) continues from this record if the session asks for exactly this step.
        if (_state is not null && _changedSinceLive && !Persistence.StorageLeavesWithSilo(ServiceProvider, reason))
            await Slots.WriteAsync("live", new Checkpointed<T> { Tick = _tick, Phase = _phase, State = _state, Generation = Generation });
        await base.OnDeactivateAsync(reason, ct);
    }
}
