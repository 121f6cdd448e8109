using System.Runtime.CompilerServices;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Cli.Engines;

/// <summary>The sequential reference runner from src/Model: one thread, no Orleans.</summary>
public sealed class ReferenceEngine : ISimulationEngine
{
    public async IAsyncEnumerable<Frame> RunAsync(ScenarioSpec world, ulong seed, int days, [EnumeratorCancellation] CancellationToken cancel)
    {
        var runner = new ReferenceRunner(world, seed);
        for (int i = 0; i < days; i++)
        {
            cancel.ThrowIfCancellationRequested();
            yield return runner.Step();
            // Let the progress display and Ctrl+C get a turn; the runner itself is synchronous.
            if ((i & 15) == 15) await Task.Yield();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
