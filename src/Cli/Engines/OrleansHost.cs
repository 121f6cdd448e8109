using MarketSim.Grains;
using MarketSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace MarketSim.Cli.Engines;

/// <summary>
/// Where the `run` and `batch` commands' grains live: a silo hosted in this process (<see cref="EmbeddedSilo"/>: localhost
/// clustering on free ports, in-memory storage, warnings to stderr), or, with a cluster (<c>--cluster</c>, <see cref="ClusterSettings"/>), an Orleans
/// client of that cluster. The one place both commands start Orleans.
/// </summary>
public static class OrleansHost
{
    /// <summary>A started host whose <see cref="IGrainFactory"/> reaches the grains: a client of <paramref name="cluster"/>, else an in-process silo.</summary>
    public static async Task<IHost> StartAsync(MarketSimClusterOptions? cluster, CancellationToken cancel) =>
        cluster is null ? await StartSiloAsync(cancel) : await ClusterSettings.ConnectAsync(cluster, cancel);

    static Task<IHost> StartSiloAsync(CancellationToken cancel) => EmbeddedSilo.StartAsync(configureSilo: silo =>
        // The silo is this command's own and only it waits: a tick of a very large world (a 200-country world took ≈30 s)
        // must not fail on Orleans' 30 s call timeout. Ctrl+C still stops the run at once.
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = o.PlacementTimeout = CallTimeout),
        configureHost: builder =>
    {
        // A batch keeps every core busy on purpose: the silo's notes about long work items and a stalled thread pool are
        // expected then, and would bury the progress output.
        // (A filter function replaces the minimum level for the categories it matches, so it checks the level itself.)
        builder.Logging.AddFilter((category, level) => level >= LogLevel.Error || level >= LogLevel.Warning && category is not null &&
            !(category.Contains("Scheduler", StringComparison.Ordinal) || category.Contains("HealthMonitor", StringComparison.Ordinal)
              || category.Contains("ThreadPool", StringComparison.Ordinal)));
        // Signals are the command's to handle (Interruption), not the silo's: see CommandLifetime.
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
    }, cancel: cancel);

    /// <summary>How long the in-process silo's grain calls may take.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromHours(2);

    /// <summary>Stops (a silo hands nothing over: its sessions are the command's own) and disposes the host.</summary>
    public static async ValueTask StopAsync(IHost? host)
    {
        if (host is null) return;
        try { await host.StopAsync(TimeSpan.FromSeconds(10)); }
        finally { host.Dispose(); }
    }
}
