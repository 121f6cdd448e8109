using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Cli.Engines;

/// <summary>The sequential reference runner from src/Model: one thread, no Orleans.</summary>
public sealed class ReferenceEngine : ISimulationEngine
{
    public async Task<IReadOnlyList<Frame>> RunAsync(ScenarioSpec world, ulong seed, int days, IProgress<int>? progress, CancellationToken cancel)
    {
        var runner = new ReferenceRunner(world, seed);
        var frames = new List<Frame>(days);
        for (int i = 0; i < days; i++)
        {
            cancel.ThrowIfCancellationRequested();
            frames.Add(runner.Step());
            progress?.Report(i + 1);
            // Let the progress display and Ctrl+C get a turn; the runner itself is synchronous.
            if ((i & 15) == 15) await Task.Yield();
        }
        return frames;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
