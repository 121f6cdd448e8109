using MarketSim.Grains;
using MarketSim.Hosting;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using Microsoft.Extensions.Hosting;

namespace MarketSim.Cli.Engines;

/// <summary>
/// Runs the scenario on Orleans grains in a silo hosted inside this process (localhost clustering, in-memory storage),
/// through the Grains project's <see cref="SimulationRunner"/>.
/// </summary>
/// <remarks>With a cluster (<c>--cluster</c>, <see cref="ClusterSettings"/>) it joins that cluster as a client instead, and
/// retries calls through a silo's loss (the session recovers from its checkpoint on a surviving silo).</remarks>
public sealed class OrleansEngine(MarketSim.Hosting.MarketSimClusterOptions? cluster = null) : ISimulationEngine
{
    IHost? _host;

    public async Task<IReadOnlyList<Frame>> RunAsync(ScenarioSpec world, ulong seed, int days, IProgress<int>? progress, CancellationToken cancel)
    {
        _host = await OrleansHost.StartAsync(cluster, cancel);
        var runner = new SimulationRunner(_host.Grains()) { RetryFor = cluster is null ? TimeSpan.Zero : TimeSpan.FromMinutes(3) };
        // In process there is nothing to recover to (a crash takes the storage with it), so checkpoints only cost time;
        // on a cluster they are what a session resumes from after losing a silo.
        var settings = cluster is null ? SessionSettings.Default with { CheckpointEvery = 0 } : SessionSettings.Default;
        return await runner.RunAsync(world, seed, days, settings, progress: progress, ct: cancel);
    }

    public ValueTask DisposeAsync() => OrleansHost.StopAsync(_host);
}
