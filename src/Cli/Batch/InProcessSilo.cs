using System.Net;
using System.Net.Sockets;
using MarketSim.Grains;
using MarketSim.Grains.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketSim.Cli.Batch;

/// <summary>
/// A silo hosted in this process, configured exactly as the `run` command's orleans engine (localhost clustering on free
/// ports, in-memory storage, warnings to stderr). A batch starts one and runs every run in it as its own session.
/// </summary>
public sealed class InProcessSilo : IAsyncDisposable
{
    readonly IHost _host;
    InProcessSilo(IHost host) { _host = host; }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<InProcessSilo> StartAsync(CancellationToken cancel)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        // A batch keeps every core busy on purpose: the silo's notes about long work items and a stalled thread pool are
        // expected then, and would bury the progress output.
        // (A filter function replaces the minimum level for the categories it matches, so it checks the level itself.)
        builder.Logging.AddFilter((category, level) => level >= LogLevel.Error || level >= LogLevel.Warning && category is not null &&
            !(category.Contains("Scheduler", StringComparison.Ordinal) || category.Contains("HealthMonitor", StringComparison.Ordinal)
              || category.Contains("ThreadPool", StringComparison.Ordinal)));
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort());
            silo.AddMemoryGrainStorage(Persistence.StorageName);
            silo.Services.AddMarketSimSerialization();
        });
        var host = builder.Build();
        await host.StartAsync(cancel);
        return new InProcessSilo(host);
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(TimeSpan.FromSeconds(10)); }
        finally { _host.Dispose(); }
    }
}
