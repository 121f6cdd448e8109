using System.Diagnostics;
using MarketSim.Grains;
using MarketSim.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace MarketSim.Bench;

/// <summary>
/// One in-process silo, hosted as src/Cli/Engines/OrleansHost.cs does (localhost clustering on free ports, in-memory grain
/// storage, the MarketSim serializer, warnings to stderr), plus the call-counting filter and a long response timeout so that
/// a 100,000-agent initialisation is measured rather than timed out.
/// </summary>
public sealed class OrleansSilo : IAsyncDisposable
{
    readonly IHost _host;
    public TimeSpan StartupTime { get; }
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    OrleansSilo(IHost host, TimeSpan startup) { _host = host; StartupTime = startup; }

    public static async Task<OrleansSilo> StartAsync()
    {
        var sw = Stopwatch.StartNew();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePorts.Next(), gatewayPort: FreePorts.Next());
            silo.AddMarketSimGrains();
            silo.AddIncomingGrainCallFilter<CallCounter>();
            silo.Configure<SiloMessagingOptions>(o =>
            {
                o.ResponseTimeout = TimeSpan.FromMinutes(10);
                o.SystemResponseTimeout = TimeSpan.FromMinutes(10);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new OrleansSilo(host, sw.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(TimeSpan.FromSeconds(10)); }
        finally { _host.Dispose(); }
    }
}
