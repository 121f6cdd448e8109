using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Cli.Engines;

/// <summary>Something that steps a scenario and yields one frame per tick, in tick order.</summary>
public interface ISimulationEngine : IAsyncDisposable
{
    IAsyncEnumerable<Frame> RunAsync(ScenarioSpec world, ulong seed, int days, CancellationToken cancel);
}
