using System.Net;
using System.Net.Sockets;
using MarketSim.Grains;
using MarketSim.Grains.Serialization;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketSim.Cli.Engines;

/// <summary>
/// Runs the scenario on Orleans grains in a silo hosted inside this process (localhost clustering, in-memory storage),
/// through the Grains project's <see cref="SimulationRunner"/>.
/// </summary>
/// <remarks>With a cluster (<c>--cluster</c>, <see cref="ClusterSettings"/>) it joins that cluster as a client instead, and
/// retries calls through a silo's loss (the session recovers from its checkpoint on a surviving silo).</remarks>
public sealed class OrleansEngine(MarketSim.Silo.MarketSimClusterOptions? cluster = null) : ISimulationEngine
{
    IHost? _host;

    public async Task<IReadOnlyList<Frame>> RunAsync(ScenarioSpec world, ulong seed, int days, IProgress<int>? progress, CancellationToken cancel)
    {
        _host = cluster is null ? await StartSiloAsync(cancel) : await ClusterSettings.ConnectAsync(cluster, cancel);
        var runner = new SimulationRunner(_host.Services.GetRequiredService<IGrainFactory>()) { RetryFor = cluster is null ? TimeSpan.Zero : TimeSpan.FromMinutes(3) };
        return await runner.RunAsync(world, seed, days, progress: progress, ct: cancel);
    }

    static async Task<IHost> StartSiloAsync(CancellationToken cancel)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // stdout carries the command's own output: silo logs go to stderr, warnings and worse only.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Startup notes that do not apply here: workstation GC is chosen on purpose (faster on 2 cores, TOOLCHAIN), and
        // the watchdog misreads a process that just started.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        builder.UseOrleans(silo =>
        {
            // Free ports, so a run never clashes with a dashboard, a test or another run on the same machine (TOOLCHAIN 9).
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort());
            silo.AddMemoryGrainStorage(Persistence.StorageName);
            silo.Services.AddMarketSimSerialization();
        });
        var host = builder.Build();
        await host.StartAsync(cancel);
        return host;
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is null) return;
        try { await _host.StopAsync(TimeSpan.FromSeconds(10)); }
        finally { _host.Dispose(); }
    }
}
