using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketSim.Hosting;

/// <summary>
/// A silo inside the program that uses its grains: the dashboard by default, the CLI without <c>--cluster</c>, the benches.
/// Localhost clustering on free ports unless ports are given (a dashboard, a test and a run on one machine must not
/// collide), in-memory grain storage, the MarketSim serializer. The one place an in-process silo is configured.
/// </summary>
public static class EmbeddedSilo
{
    /// <summary>Configures <paramref name="silo"/> as an embedded MarketSim silo; a port ≤ 0 is a free one.</summary>
    public static ISiloBuilder UseEmbeddedMarketSim(this ISiloBuilder silo, int siloPort = 0, int gatewayPort = 0,
        string serviceId = "marketsim", string clusterId = "marketsim") =>
        silo.UseMarketSim(new MarketSimSiloOptions
        {
            SiloPort = Math.Max(0, siloPort), GatewayPort = Math.Max(0, gatewayPort), ServiceId = serviceId, ClusterId = clusterId,
        });

    /// <summary>
    /// Starts a generic host around an embedded silo, for programs without a host of their own (the CLI, the benches).
    /// Their standard output is their own: silo logs go to stderr, warnings and worse, without the start-up notes that do
    /// not apply (workstation GC is chosen on purpose, and the watchdog misreads a process that just started).
    /// </summary>
    public static async Task<IHost> StartAsync(Action<ISiloBuilder>? configureSilo = null, Action<HostApplicationBuilder>? configureHost = null,
        CancellationToken cancel = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        configureHost?.Invoke(builder);
        builder.UseOrleans(silo =>
        {
            silo.UseEmbeddedMarketSim();
            configureSilo?.Invoke(silo);
        });
        var host = builder.Build();
        await host.StartAsync(cancel);
        return host;
    }

    /// <summary>The started host's grains.</summary>
    public static IGrainFactory Grains(this IHost host) => host.Services.GetRequiredService<IGrainFactory>();
}
