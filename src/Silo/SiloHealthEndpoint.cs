using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace MarketSim.Silo;

/// <summary>
/// GET /healthz on <see cref="MarketSimClusterOptions.HealthPort"/>: 200 "active" when cluster membership lists this silo as
/// Active, else 503 with its status (joining, shutting down, dead). Plain HttpListener, so a silo needs no web stack.
/// </summary>
public sealed class SiloHealthEndpoint(IServiceProvider services, MarketSimClusterOptions cluster, ILogger<SiloHealthEndpoint> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var listenAny = cluster.UsesRedis && !IPAddress.IsLoopback(cluster.AdvertisedIp());
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://{(listenAny ? "*" : "127.0.0.1")}:{cluster.HealthPort}/");
        listener.Start();
        logger.LogInformation("Silo health endpoint on port {HealthPort}: GET /healthz", cluster.HealthPort);
        using var _ = stop.Register(listener.Stop);
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception) when (stop.IsCancellationRequested) { break; }
            catch (HttpListenerException) { break; }
            var (code, text) = Status();
            context.Response.StatusCode = context.Request.Url?.AbsolutePath is "/healthz" or "/health" ? code : 404;
            var body = Encoding.UTF8.GetBytes(context.Response.StatusCode == 404 ? "not found\n" : text + "\n");
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body, stop);
            context.Response.Close();
        }
    }

    (int Code, string Text) Status()
    {
        try
        {
            var local = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var status = services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(local);
            return status == SiloStatus.Active ? (200, $"active {local}") : (503, $"{status.ToString().ToLowerInvariant()} {local}");
        }
        catch (Exception e)
        {
            return (503, "starting: " + e.Message);
        }
    }
}
