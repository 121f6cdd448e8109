using System.Diagnostics;
using MarketSim.Dashboard.Hubs;
using MarketSim.Grains;
using MarketSim.Grains.Interfaces;
using MarketSim.Grains.Session;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Sessions;

/// <summary>
/// Drives one session's clock from the web host: play at a speed, pause, step, run to a tick, reset. Grains know no wall
/// clock (a run is a function of scenario and seed), so pacing lives here. One grain call at a time; frames reach viewers
/// through the session grain's observer, not through this class. <paramref name="publish"/> tells viewers the status and
/// must not wait for them (<see cref="FrameRelay.PublishStatus"/>): a step, and a classroom's Advance around it, never
/// waits on a client's socket.
/// </summary>
public sealed class SessionRunner(string id, ISessionGrain grain, ScenarioSpec scenario, ulong seed,
    Action<SessionStatus> publish, ILogger log, int startTick = 0, SessionSettings? settings = null, Func<string?>? overBudget = null)
    : IAsyncDisposable
{
    public const double MinSpeed = 0.1, MaxSpeed = 200, DefaultSpeed = 10;
    /// <summary>Ticks per grain call when catching up: big enough to amortise the call, small enough to pause promptly.</summary>
    const int Chunk = 5;

    readonly SemaphoreSlim _gate = new(1, 1);
    readonly CancellationTokenSource _stop = new();
    readonly object _sync = new();
    TaskCompletionSource _wake = NewSignal();
    Task? _loop;

    bool _playing;
    double _speed = DefaultSpeed;
    int? _target;
    int _tick = startTick;
    // Set when the grain ended the session on an error recomputing did not fix; cleared by Reset.
    string? _fault;
    // Why the runner paused a session that was playing (over the host's memory budget); cleared when it runs again.
    string? _notice;
    // Pacing anchor: ticks owed = (now - anchor) × speed - ticks run since the anchor.
    readonly Stopwatch _clock = new();
    int _ranSinceAnchor;

    public int Horizon => scenario.Days;

    public SessionStatus Status
    {
        get { lock (_sync) return new SessionStatus(id, _tick, _playing, _speed, _target, Horizon, _fault, _notice); }
    }

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    /// <summary>The session's closing error, if it ended on one (Play, Step and RunTo then throw it).</summary>
    public string? Fault { get { lock (_sync) return _fault; } }

    void ThrowIfFaulted()
    {
        if (Fault is { } fault) throw new SessionFaultedException(fault);
    }

    /// <summary>Refuses to run further while the host's sessions hold more than its memory budget (MemoryBudget): before a
    /// step, and before a classroom commits a round or a start to one.</summary>
    public void ThrowIfOverBudget()
    {
        if (overBudget?.Invoke() is { } why) throw new MarketSim.Dashboard.Security.QuotaException("memory", why);
    }

    public Task PlayAsync()
    {
        ThrowIfFaulted();
        ThrowIfOverBudget();
        lock (_sync) { _playing = true; _target = null; _notice = null; Reanchor(); }
        return Changed();
    }

    /// <summary>Stops the clock, and answers once the chunk in flight (at most a few ticks, or a step a caller asked for) has
    /// run, so the tick it reports is the one the session stays at.</summary>
    public async Task PauseAsync()
    {
        lock (_sync) { _playing = false; _target = null; }
        await _gate.WaitAsync();
        _gate.Release();
        await Changed();
    }

    public Task SetSpeedAsync(double ticksPerSecond)
    {
        lock (_sync) { _speed = ticksPerSecond; Reanchor(); }
        return Changed();
    }

    /// <summary>Plays as fast as the grains go until the next tick to run is <paramref name="tick"/>, then pauses.</summary>
    public Task RunToAsync(int tick)
    {
        ThrowIfFaulted();
        ThrowIfOverBudget();
        lock (_sync) { _target = Math.Min(tick, Horizon); _playing = true; _notice = null; }
        return Changed();
    }

    /// <summary>Runs to <paramref name="tick"/> now and returns when there (a fork's replay).</summary>
    public async Task CatchUpAsync(int tick)
    {
        // Stops when a step runs nothing (the tick is past the horizon, or the grain made no progress) rather than spin.
        while (_tick < tick && await StepLockedAsync(Math.Min(Chunk * 4, tick - _tick), limit: tick) > 0) { }
        await Changed();
    }

    public async Task StepAsync(int ticks)
    {
        ThrowIfFaulted();
        ThrowIfOverBudget();
        lock (_sync) _notice = null;
        await StepLockedAsync(ticks, budget: true);
        await Changed();
    }

    /// <summary>Back to tick 0 of the scenario as created; live changes are dropped (a fork keeps them).</summary>
    public async Task ResetAsync()
    {
        lock (_sync) { _playing = false; _target = null; }
        await _gate.WaitAsync();
        try
        {
            await grain.StartAsync(scenario, seed, settings);
            lock (_sync) { _tick = 0; _fault = null; }
        }
        finally { _gate.Release(); }
        await Changed();
    }

    /// <summary>Runs up to <paramref name="ticks"/> ticks, never past <paramref name="limit"/> (default: the horizon). The
    /// clamp and, for a caller's step, the memory budget are read under the gate: several connections' Step calls queue here,
    /// and each must see the tick the one before it left. Read before the gate (until Dec 2026), every queued call clamped
    /// against the same old tick, and twelve concurrent Step(365) calls ran a 365-day session to tick 4,380 (a review's
    /// probe).</summary>
    /// <returns>The ticks it ran.</returns>
    async Task<int> StepLockedAsync(int ticks, int? limit = null, bool budget = false, bool loop = false)
    {
        if (ticks <= 0) return 0;
        await _gate.WaitAsync();
        try
        {
            int from;
            lock (_sync)
            {
                from = _tick;
                // The clock's own chunk: a Pause (or a new RunTo) that came while it waited for the gate has the last word.
                if (loop && !_playing) return 0;
                if (loop) limit = _target;
            }
            ticks = Math.Min(ticks, Math.Max(0, Math.Min(limit ?? Horizon, Horizon) - from));
            if (ticks <= 0) return 0;
            if (budget) ThrowIfOverBudget();
            int next;
            try { next = await grain.StepAsync(ticks); }
            catch (TimeoutException) { next = await AfterTimeoutAsync(from + ticks); }
            lock (_sync) _tick = next;
            return next - from;
        }
        catch (SessionFaultedException e)
        {
            // The grain ended the session: stop here, keep the frames so far, and say why to every viewer.
            lock (_sync) { _fault = e.Message; _playing = false; _target = null; }
            log.LogError("Session {Session} ended: {Fault}", id, e.Message);
            try { var at = await grain.GetTickAsync(); lock (_sync) _tick = at; } catch (Exception) { /* the tick reached stays as last known */ }
            throw;
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// A step's call timed out (an overloaded silo), but the grain is still running its ticks. RunTo does not interleave, so
    /// it waits behind them and returns once the world is where the step was to take it (or takes it there): the caller's
    /// tick stays true instead of a round opening at a stale one. A few tries; then the tick the grain has reached is kept
    /// and the timeout goes to the caller.
    /// </summary>
    async Task<int> AfterTimeoutAsync(int target)
    {
        const int Tries = 3;
        for (int i = 1; ; i++)
        {
            try { return await grain.RunToAsync(target); }
            catch (TimeoutException) when (i < Tries) { log.LogWarning("Session {Session}: step timed out, waiting for the grain to reach tick {Target}", id, target); }
            catch (TimeoutException)
            {
                try { var at = await grain.GetTickAsync(); lock (_sync) _tick = at; } catch (Exception) { /* the tick reached stays as last known */ }
                throw;
            }
        }
    }

    void Reanchor()
    {
        _clock.Restart();
        _ranSinceAnchor = 0;
    }

    Task Changed()
    {
        Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();
        publish(Status);
        return Task.CompletedTask;
    }

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var wake = _wake.Task;
            try
            {
                int ticks;
                TimeSpan wait;
                bool stopped = false;
                lock (_sync)
                {
                    var limit = _target ?? Horizon;
                    if (_playing && _tick >= limit) { _playing = false; _target = null; stopped = true; }
                    if (!_playing) { ticks = 0; wait = Timeout.InfiniteTimeSpan; }
                    else if (_target is not null) { ticks = Math.Min(Chunk, limit - _tick); wait = TimeSpan.Zero; }
                    else
                    {
                        var owed = (int)(_clock.Elapsed.TotalSeconds * _speed) - _ranSinceAnchor;
                        // More than a second behind (the grains cannot keep up): forget the debt rather than burst.
                        if (owed > Math.Max(Chunk, _speed)) { Reanchor(); owed = 1; }
                        ticks = Math.Clamp(owed, 0, Math.Min(Chunk, limit - _tick));
                        wait = ticks > 0 ? TimeSpan.Zero
                            : TimeSpan.FromSeconds((_ranSinceAnchor + 1) / _speed) - _clock.Elapsed;
                    }
                }
                if (stopped) publish(Status);
                if (ticks > 0 && overBudget?.Invoke() is { } why)
                {
                    // Over the host's memory budget: pause rather than hold more frames; Play then says why.
                    log.LogWarning("Session {Session} paused at tick {Tick}: {Why}", id, Status.Tick, why);
                    lock (_sync) { _playing = false; _target = null; _notice = "paused by the server: " + why; }
                    publish(Status);
                    continue;
                }
                if (ticks > 0)
                {
                    var ran = await StepLockedAsync(ticks, loop: true);
                    lock (_sync) _ranSinceAnchor += ran;
                    continue;
                }
                if (wait == Timeout.InfiniteTimeSpan) await wake.WaitAsync(ct);
                else if (wait > TimeSpan.Zero) await Task.WhenAny(wake, Task.Delay(wait, ct));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e)
            {
                // A failed tick pauses the session instead of spinning on the error; viewers see it paused.
                log.LogError(e, "Session {Session} stopped on an error", id);
                lock (_sync) { _playing = false; _target = null; }
                publish(Status);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        // A tick in flight cannot be cancelled; shutdown waits for it briefly, not for a grain call's full timeout (30 s),
        // which would leave the silo no time to stop cleanly.
        if (_loop is not null && await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(5))) != _loop)
            log.LogWarning("Session {Session}: its clock was still in a step 5 s after the host began to stop (at tick {Tick})", id, Status.Tick);
    }
}
