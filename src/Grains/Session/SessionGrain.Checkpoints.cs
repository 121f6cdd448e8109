using MarketSim.Grains.Checkpoints;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Policies;
using MarketSim.Model.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketSim.Grains.Session;

/// <summary>What a gracefully leaving session activation writes: the ticks since its last committed checkpoint.</summary>
[GenerateSerializer]
public sealed class SessionLiveRecord
{
    [Id(0)] public string Generation { get; set; } = "";
    [Id(1)] public int Seq { get; set; }
    [Id(2)] public SessionState? Clock { get; set; }
    [Id(3)] public List<Frame> Frames { get; set; } = new();
}

/// <summary>The policy timeline as of the latest live change, written at once so a crash loses no change.</summary>
[GenerateSerializer]
public sealed class SessionTimelineRecord
{
    [Id(0)] public string Generation { get; set; } = "";
    [Id(1)] public List<PolicySpec> Policies { get; set; } = new();
}

/// <summary>
/// Atomic checkpoints and crash recovery.
///
/// Checkpoint #0 (tick 0) is the scenario: members write nothing at start, and rolling back to it initialises them again.
/// Commit protocol, at the end of a checkpoint tick (the session's clock at tick c, checkpoint number n+1):
/// 1. every member (shards with their firms, countries, markets) writes its state at c into slot (n+1) % 2 — the slot
///    of the committed checkpoint n is not touched;
/// 2. the frames since the previous checkpoint are written as one append-only block "frames.{generation}.{k}";
/// 3. the session's own record ("session": clock at c, n+1, block ends) is written. This single write is the commit.
/// A crash before 3 leaves checkpoint n whole; a reader (a new activation) loads the session record, the blocks it lists,
/// and every member loads the slot the record names. No reader sees half a tick.
///
/// Recovery: a tick that fails (a member's silo died, a member came back empty and says so, storage was unreachable)
/// rolls the whole session back to the committed checkpoint — the session record is read again, frames past it are dropped,
/// every member restores the committed slot — and the ticks are recomputed. Runs are deterministic, so the recomputed
/// frames are the same. Attempts continue, with back-off, for <see cref="RecoveryWindow"/>; then the tick fails.
/// </summary>
public sealed partial class SessionGrain
{
    /// <summary>How long a tick keeps retrying (silo declared dead, Redis back) before the call fails.</summary>
    public static readonly TimeSpan RecoveryWindow = TimeSpan.FromSeconds(120);

    SlotStore<List<Frame>>? _blockStore;
    SlotStore<SessionLiveRecord>? _liveStore;
    SlotStore<SessionTimelineRecord>? _timelineStore;
    int _runningTick = -1;

    SlotStore<List<Frame>> Blocks => _blockStore ??= SlotStore<List<Frame>>.For(ServiceProvider, this.GetGrainId(), "frames");
    SlotStore<SessionLiveRecord> Live => _liveStore ??= SlotStore<SessionLiveRecord>.For(ServiceProvider, this.GetGrainId(), "session");
    SlotStore<SessionTimelineRecord> Timeline => _timelineStore ??= SlotStore<SessionTimelineRecord>.For(ServiceProvider, this.GetGrainId(), "timeline");

    /// <summary>
    /// The silo is shutting down: stop between ticks (the caller gets the tick reached and asks again), so the session and
    /// its members deactivate at a tick boundary, write their live records, and the next call continues on another silo.
    /// </summary>
    bool Leaving()
    {
        var stopping = ServiceProvider.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()?.ApplicationStopping.IsCancellationRequested == true;
        if (stopping)
        {
            using var _ = Scope();
            logger.LogInformation("Session {SessionId}: silo shutting down; handing over at tick {Tick}", Id, store.State.Clock?.Tick);
            DeactivateOnIdle();
        }
        return stopping;
    }

    IDisposable? Scope() => logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = Id });

    int CommittedTick => store.State.BlockEnds.Count == 0 ? 0 : store.State.BlockEnds[^1];

    /// <summary>After activation: the committed frames, then a newer live record or timeline if they belong to this run.</summary>
    async Task LoadCommittedAsync()
    {
        using var _ = Scope();
        await LoadBlocksAsync();
        var live = await Live.ReadAsync("live");
        if (live is { Clock: { } clock } && live.Generation == store.State.Generation && live.Seq == store.State.Seq
            && clock.Tick > CommittedTick && live.Frames.Count == clock.Tick - CommittedTick)
        {
            store.State.Clock = clock;
            store.State.Frames.AddRange(live.Frames);
        }
        if (await Timeline.ReadAsync("latest") is { } timeline && timeline.Generation == store.State.Generation && store.State.Clock is { } c)
            c.Policies = timeline.Policies;
        logger.LogInformation("Session {SessionId} activated at tick {Tick} (committed checkpoint at tick {CommittedTick}, #{Seq})",
            Id, store.State.Clock?.Tick, CommittedTick, store.State.Seq);
    }

    async Task LoadBlocksAsync()
    {
        var frames = new List<Frame>(CommittedTick);
        for (int k = 0; k < store.State.BlockEnds.Count; k++)
        {
            var block = await Blocks.ReadAsync(BlockName(k))
                ?? throw new InvalidOperationException($"Session \"{Id}\": frame block {k} of checkpoint #{store.State.Seq} is missing from storage.");
            frames.AddRange(block);
        }
        if (frames.Count != CommittedTick)
            throw new InvalidOperationException($"Session \"{Id}\": the frame blocks hold {frames.Count} frames, the checkpoint says {CommittedTick}.");
        store.State.Frames = frames;
    }

    string BlockName(int k) => store.State.Generation + "." + k;

    /// <summary>Steps 1–3 of the commit protocol, at the current tick (no-op if already committed there).</summary>
    async Task CommitAsync()
    {
        var (_, clock, topology) = Started();
        var from = CommittedTick;
        if (clock.Tick <= from) return;
        var seq = store.State.Seq + 1;
        var slot = seq % 2;
        await Task.WhenAll(topology.Members.Select(m => m.CheckpointAsync(slot, clock.Tick)));
        await Blocks.WriteAsync(BlockName(store.State.BlockEnds.Count), store.State.Frames.GetRange(from, clock.Tick - from));
        store.State.Seq = seq;
        store.State.BlockEnds.Add(clock.Tick);
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            // Not committed: the record in storage still names checkpoint seq - 1.
            store.State.Seq = seq - 1;
            store.State.BlockEnds.RemoveAt(store.State.BlockEnds.Count - 1);
            throw;
        }
    }

    /// <summary>Writes a checkpoint now (e.g. when a live session is paused); returns the committed tick.</summary>
    public async Task<int> CheckpointAsync()
    {
        Started();
        await RecoveringAsync(CommitAsync);
        return CommittedTick;
    }

    /// <summary>One tick, with recovery: on failure, back to the committed checkpoint and on from there.</summary>
    Task TickWithRecoveryAsync() => RecoveringAsync(TickAsync, tick: true);

    /// <summary>A tick that failed on an error that is not the cluster's (a model bug, not a lost silo), why, and how often:
    /// if the same tick fails again the same way after the rollback and one recomputation, recomputing cannot fix it and the
    /// session ends (also after <see cref="MaxTickFailures"/> such failures of one tick, whatever their messages).</summary>
    (int Tick, string Error, int Count)? _suspect;

    const int MaxTickFailures = 3;

    async Task RecoveringAsync(Func<Task> step, bool tick = false)
    {
        var started = DateTime.UtcNow;
        for (int attempt = 0; ; attempt++)
        {
            var restoring = false;
            try
            {
                if (_restoreMembers) { restoring = true; await RestoreMembersAsync(); restoring = false; }
                await step();
                return;
            }
            catch (Exception e) when (IsRecoverable(e))
            {
                using var _ = Scope();
                // Only a tick's own computation can be a deterministic fault; a restore that fails is the cluster's trouble.
                if (tick && !restoring && !IsInfrastructure(e) && RecordTickFailure(e) is { } fault)
                {
                    await EndOnFaultAsync(fault, e);
                    throw new SessionFaultedException(fault, e);
                }
                var waited = DateTime.UtcNow - started;
                if (waited > RecoveryWindow)
                {
                    logger.LogError(e, "Session {SessionId}: giving up at tick {Tick} after {Attempts} attempts in {Seconds:0} s",
                        Id, store.State.Clock?.Tick, attempt + 1, waited.TotalSeconds);
                    throw new SessionRecoveryException(
                        $"Session \"{Id}\" could not recover at tick {store.State.Clock?.Tick} within {RecoveryWindow.TotalSeconds:0} s " +
                        $"(last error: {e.GetType().Name}: {e.Message}). Its last committed checkpoint (tick {CommittedTick}) is intact in storage.", e);
                }
                logger.LogWarning("Session {SessionId}: tick {Tick} failed ({Error}: {Message}); rolling back to the checkpoint at tick {CommittedTick} (attempt {Attempt})",
                    Id, store.State.Clock?.Tick, e.GetType().Name, e.Message, CommittedTick, attempt + 1);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (1 << Math.Min(attempt, 5)))));
                await RollBackInMemoryAsync();
            }
        }
    }

    /// <summary>
    /// Records a failure of the running tick that is not the cluster's; returns the session's closing error if the same tick
    /// had already failed so once and been recomputed from the checkpoint (the retry did not help), else null (retry once).
    /// </summary>
    string? RecordTickFailure(Exception e)
    {
        var tick = _runningTick;
        var error = $"{e.GetType().Name}: {e.Message}";
        var count = _suspect is { } seen && seen.Tick == tick ? seen.Count + 1 : 1;
        var again = _suspect is { } same && same.Tick == tick && same.Error == error;
        _suspect = (tick, error, count);
        if (again || count >= MaxTickFailures)
            return $"Session \"{Id}\" ended: tick {tick} ({store.State.World?.DateOf(tick):yyyy-MM-dd}) failed again after a rollback to the " +
                $"checkpoint at tick {CommittedTick} and a recomputation, so recomputing cannot fix it ({error}). Frames up to tick {tick - 1} " +
                "are kept; reset the session (or end it) to go on.";
        return null;
    }

    /// <summary>
    /// The session's closing error (in memory: the record in storage stays the committed checkpoint, so a new activation
    /// would recompute from there and end the same way after one retry). Cleared by StartAsync (a reset).
    /// </summary>
    string? _fault;

    Task EndOnFaultAsync(string fault, Exception e)
    {
        logger.LogError(e, "Session {SessionId}: {Fault}", Id, fault);
        _suspect = null;
        _fault = fault;
        // The frames up to the failing tick stay readable; the clock stays at that tick. The members hold the failed tick's
        // half-done work: they go back to the checkpoint before anything runs again (only a reset, which starts them afresh).
        _restoreMembers = true;
        return Task.CompletedTask;
    }

    void ThrowIfFaulted()
    {
        if (_fault is { } fault) throw new SessionFaultedException(fault);
    }

    /// <summary>A caller's mistake is not retried; everything else (lost silos, lost member state, storage) is.</summary>
    static bool IsRecoverable(Exception e) => e is not (ArgumentException or SessionRecoveryException or SessionFaultedException or OperationCanceledException);

    /// <summary>
    /// Errors of the cluster, not of the model: a silo lost or unreachable, a member that lost its state, a call or storage
    /// that timed out or failed. These are retried for <see cref="RecoveryWindow"/>; any other error in a tick is retried once.
    /// </summary>
    static bool IsInfrastructure(Exception e) =>
        e is MemberStateLostException or TimeoutException or IOException or Orleans.Runtime.OrleansException
        || e.GetType().Namespace is { } ns && (ns.StartsWith("Orleans", StringComparison.Ordinal) || ns.StartsWith("StackExchange.Redis", StringComparison.Ordinal)
            || ns.StartsWith("System.Net", StringComparison.Ordinal));

    /// <summary>The session's own part of a rollback: the committed record again, frames past it dropped, pending changes kept.</summary>
    async Task RollBackInMemoryAsync()
    {
        var policies = store.State.Clock?.Policies ?? new List<PolicySpec>();
        // Changes that arrived during the failed tick apply from the tick after it, as they would have.
        foreach (var change in _pending) PolicyTimeline.Apply(policies, change, _runningTick + 1);
        _pending.Clear();
        var frames = store.State.Frames;
        _restoreMembers = true;
        try
        {
            await store.ReadStateAsync();
        }
        catch
        {
            // Storage unreachable: keep what we had; the next attempt reads again.
            store.State.Frames = frames;
            throw;
        }
        var committed = CommittedTick;
        store.State.Frames = frames.Count >= committed ? frames.GetRange(0, committed) : frames;
        if (store.State.Frames.Count != committed) await LoadBlocksAsync();
        if (store.State.Clock is { } clock) clock.Policies = policies;
    }

    bool _restoreMembers;

    async Task RestoreMembersAsync()
    {
        var (_, clock, topology) = Started();
        var slot = store.State.Seq % 2;
        if (store.State.Seq == 0) await InitialiseMembersAsync(); // checkpoint #0 is the scenario (no member wrote a record)
        else await Task.WhenAll(topology.Members.Select(m => m.RestoreAsync(slot, clock.Tick)));
        _restoreMembers = false;
        using var _ = Scope();
        logger.LogInformation("Session {SessionId}: every member restored to the checkpoint at tick {Tick} (#{Seq})", Id, clock.Tick, store.State.Seq);
    }

    /// <summary>On a graceful deactivation: the ticks since the last commit, so the next activation need not recompute them.</summary>
    async Task WriteLiveAsync()
    {
        if (store.State.Clock is not { } clock || clock.Tick <= CommittedTick || _restoreMembers) return;
        await Live.WriteAsync("live", new SessionLiveRecord
        {
            Generation = store.State.Generation,
            Seq = store.State.Seq,
            Clock = clock,
            Frames = store.State.Frames.GetRange(CommittedTick, clock.Tick - CommittedTick),
        });
        using var _ = Scope();
        logger.LogInformation("Session {SessionId}: deactivating at tick {Tick}; live record written", Id, clock.Tick);
    }

    Task SaveTimelineAsync(List<PolicySpec> timeline) =>
        Timeline.WriteAsync("latest", new SessionTimelineRecord { Generation = store.State.Generation, Policies = timeline });

    /// <summary>Drops the records of the run <paramref name="old"/> (its frame blocks, live record, timeline).</summary>
    async Task ClearRecordsAsync(string old, int blocks)
    {
        if (string.IsNullOrEmpty(old)) return;
        var tasks = new List<Task> { Live.ClearAsync("live"), Timeline.ClearAsync("latest") };
        for (int k = 0; k < blocks; k++) tasks.Add(Blocks.ClearAsync(old + "." + k));
        await Task.WhenAll(tasks);
    }
}

/// <summary>A session tick kept failing for longer than the recovery window: the cluster or its storage is down.</summary>
[GenerateSerializer]
public sealed class SessionRecoveryException : Exception
{
    public SessionRecoveryException() { }
    public SessionRecoveryException(string message) : base(message) { }
    public SessionRecoveryException(string message, Exception inner) : base(message, inner) { }
}
