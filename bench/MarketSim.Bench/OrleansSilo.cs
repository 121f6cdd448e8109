using System.Diagnostics;
using MarketSim.Grains;
using MarketSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace MarketSim.Bench;

/// <summary>
/// One in-process silo, the CLI's (<see cref="EmbeddedSilo"/>: localhost clustering on free ports, in-memory grain storage,
/// the MarketSim serializer, warnings to stderr), plus the call-counting filter and a long response timeout so that a
/// 100,000-agent initialisation is measured rather than timed out.
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
        var host = await EmbeddedSilo.StartAsync(silo =>
        {
            silo.AddIncomingGrainCallFilter<CallCounter>();
            silo.Configure<SiloMessagingOptions>(o =>
            {
                o.ResponseTimeout = TimeSpan.FromMinutes(10);
                o.SystemResponseTimeout = TimeSpan.FromMinutes(10);
            });
        });
        return new OrleansSilo(host, sw.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(TimeSpan.FromSeconds(10)); }
        finally { _host.Dispose(); }
    }
}
