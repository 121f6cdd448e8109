using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Cli.Engines;

/// <summary>Something that steps a scenario and returns one frame per tick, in tick order.</summary>
public interface ISimulationEngine : IAsyncDisposable
{
    /// <param name="progress">Receives the number of ticks done so far.</param>
    Task<IReadOnlyList<Frame>> RunAsync(ScenarioSpec world, ulong seed, int days, IProgress<int>? progress, CancellationToken cancel);
}
