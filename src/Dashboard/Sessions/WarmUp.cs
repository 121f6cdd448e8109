using MarketSim.Dashboard.Hosting;
using MarketSim.Grains;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Sessions;

/// <summary>
/// Once the host has started, runs the default scenario through a throwaway session of its own (<see cref="Ticks"/> ticks,
/// <c>MarketSim:WarmUpTicks</c>, default 365; 0 turns it off), then ends it. A freshly started server otherwise runs the
/// simulation's code for the first time in its first class: its first advance compiled the tick path at tier 0 and its
/// later ones while tiered compilation caught up (bench/RESULTS-classroom.md: 10 classrooms' first advance p95 5.5 s on a
/// fresh process, 1.2 s warm). It runs in the background, so the host answers meanwhile; it is never listed, driven or
/// adopted (its id is random), and a failure is logged and changes nothing else.
/// </summary>
public sealed class WarmUp(IGrainFactory grains, ScenarioCatalog catalog, SessionSettings settings, IConfiguration config,
    IHostApplicationLifetime lifetime, ILogger<WarmUp> log) : BackgroundService
{
    public const string TicksKey = "MarketSim:WarmUpTicks";

    readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The ticks it is set to run.</summary>
    public int Ticks { get; } = Math.Max(0, config.GetValue(TicksKey, 365));

    /// <summary>Completes with the ticks run when the warm-up has ended (0: off; −1: it failed).</summary>
    public Task<int> Completed => _done.Task;

    /// <summary>The throwaway session's id (random: no one can guess it to watch or adopt it).</summary>
    public string SessionId { get; } = "warmup-" + Guid.NewGuid().ToString("N");

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var ran = 0;
        // The host stopping, whichever it says first (it stops the session's grains from ApplicationStopping on).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping, lifetime.ApplicationStopping);
        try
        {
            if (Ticks == 0 || catalog.Find(ScenarioCatalog.DefaultFile) is not { } shipped) return;
            // After start-up: the silo is up and the default session made, and the first requests are not kept waiting.
            await WhenStarted(stop.Token);
            var scenario = ScenarioLoader.LoadOrThrow(shipped.Path);
            var session = grains.GetSession(SessionId);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                // Without periodic checkpoints: nothing of it is worth keeping, and in a cluster it would write to the store.
                await session.StartAsync(scenario, scenario.Seed, settings with { CheckpointEvery = 0 });
                var ticks = Math.Min(Ticks, scenario.Days);
                // In rounds of 30 ticks, as a classroom steps; a shutdown stops it between them, or waits for none.
                while (ran < ticks && !stop.IsCancellationRequested)
                    ran = await session.StepAsync(Math.Min(30, ticks - ran)).WaitAsync(stop.Token);
            }
            finally
            {
                // Its records go (a cluster's store keeps them otherwise); bounded, so an unhealthy cluster cannot hold a shutdown.
                await session.EndAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            log.LogInformation("Warm-up: {Ticks} ticks of {Scenario} in {Seconds:F1} s", ran, scenario.Name, clock.Elapsed.TotalSeconds);
        }
        catch (Exception) when (stop.IsCancellationRequested) { } // the host is stopping: its silo may be gone first
        catch (Exception e)
        {
            log.LogWarning(e, "Warm-up failed after {Ticks} ticks (the first class may start slowly; nothing else is affected)", ran);
            ran = -1;
        }
        finally
        {
            _done.TrySetResult(ran);
        }
    }

    Task WhenStarted(CancellationToken stopping)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stopping.Register(() => started.TrySetCanceled(stopping));
        return started.Task;
    }
}
