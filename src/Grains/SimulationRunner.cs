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

    /// <param name="sessionId">Null: a fresh id. The id does not influence the results.</param>
    /// <param name="keepSession">False: the session's grains and state are dropped once the frames are read.</param>
    public async Task<IReadOnlyList<Frame>> RunAsync(ScenarioSpec scenario, ulong seed, int days, SessionSettings? settings = null,
        string? sessionId = null, bool keepSession = false, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var session = grains.GetGrain<ISessionGrain>(sessionId ?? "run-" + Guid.NewGuid().ToString("N"));
        await session.StartAsync(scenario.AsImmutable(), seed, settings ?? SessionSettings.Default);
        try
        {
            var tick = 0;
            while (tick < days)
            {
                ct.ThrowIfCancellationRequested();
                tick = await session.RunToAsync(Math.Min(days, tick + Math.Max(1, ChunkTicks)));
                progress?.Report(tick);
            }
            return (await session.GetFramesAsync(0)).Value;
        }
        finally
        {
            if (!keepSession) await session.EndAsync();
        }
    }
}
