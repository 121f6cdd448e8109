using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Grains;

/// <summary>
/// Runs a scenario headless on whatever cluster <paramref name="grains"/> reaches (a client or a silo's own factory) and
/// returns every frame: what the CLI's run and batch commands need.
/// </summary>
public sealed class SimulationRunner(IGrainFactory grains)
{
    /// <summary>Ticks per call to the session, so progress can be reported and cancellation honoured between chunks.</summary>
    public int ChunkTicks { get; init; } = 30;

    /// <summary>
    /// How long a call that failed because a silo went away (or a response never came) is retried. The session recovers on
    /// its own from its last checkpoint; the caller only has to ask again. Zero: no retries (an embedded silo).
    /// </summary>
    public TimeSpan RetryFor { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Called with each failure that will be retried (for logs and tests).</summary>
    public Action<Exception>? OnRetry { get; init; }

    /// <param name="sessionId">Null: a fresh id. The id does not influence the results.</param>
    /// <param name="keepSession">False: the session's grains and state are dropped once the frames are read.</param>
    public async Task<IReadOnlyList<Frame>> RunAsync(ScenarioSpec scenario, ulong seed, int days, SessionSettings? settings = null,
        string? sessionId = null, bool keepSession = false, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var session = grains.GetGrain<ISessionGrain>(sessionId ?? "run-" + Guid.NewGuid().ToString("N"));
        await Retrying(() => session.StartAsync(scenario.AsImmutable(), seed, settings ?? SessionSettings.Default), ct);
        try
        {
            // Below 0 while a spin-up remains (ScenarioSpec.SpinUpDays): its days run in the same chunks and make no frames.
            var tick = scenario.SpinUpDays > 0 ? await Retrying(() => session.GetTickAsync(), ct) : 0;
            while (tick < days)
            {
                ct.ThrowIfCancellationRequested();
                var target = Math.Min(days, tick + Math.Max(1, ChunkTicks));
                var reached = await Retrying(() => session.RunToAsync(target), ct);
                // No progress: the session's silo is shutting down and handed over between ticks. Ask again after a pause
                // rather than at once (calling in a tight loop kept two cores busy), and let cancellation end the wait.
                if (reached <= tick) await Task.Delay(200, ct);
                tick = reached;
                progress?.Report(Math.Max(0, tick));
            }
            var frames = (await Retrying(() => session.GetFramesAsync(0), ct)).Value;
            if (frames.Count < days)
                throw new InvalidOperationException($"Session returned {frames.Count} frames for {days} days.");
            return frames.Count == days ? frames : frames.Take(days).ToList();
        }
        finally
        {
            if (!keepSession)
            {
                try { await Retrying(session.EndAsync, CancellationToken.None); }
                catch (Exception) when (ct.IsCancellationRequested) { }
            }
        }
    }

    Task Retrying(Func<Task> call, CancellationToken ct) => Retrying(async () => { await call(); return 0; }, ct);

    async Task<T> Retrying<T>(Func<Task<T>> call, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + RetryFor;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransient(e) && DateTime.UtcNow < deadline && !ct.IsCancellationRequested)
            {
                OnRetry?.Invoke(e);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 200 * (attempt + 1))), ct);
            }
        }
    }

    /// <summary>A lost silo or connection, or an unanswered call: the cluster will route the retry to a live silo.</summary>
    public static bool IsTransient(Exception e) => e is SiloUnavailableException or OrleansMessageRejectionException
        or TimeoutException or GatewayTooBusyException || e.GetType().Name == "ConnectionFailedException"
        || e is OrleansException && e.GetType() == typeof(OrleansException);
}
