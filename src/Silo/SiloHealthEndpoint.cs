using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MarketSim.Hosting;
using Orleans.Dashboard;
using Orleans.Runtime;

namespace MarketSim.Silo;

/// <summary>
/// The silo's HTTP port (<see cref="MarketSimClusterOptions.HealthPort"/>): GET /healthz (also /health) answers 200 "active"
/// when cluster membership lists this silo as Active, else 503 with its status (joining, shutting down, dead), followed by
/// the silo's address and "members N": the active silos in this silo's own view of the membership (its grain directory is
/// partitioned over that view, so a newly joined silo is placed consistently once every silo reports the same N); and the
/// Orleans dashboard for operators under <see cref="DashboardPrefix"/> (mapped at `/` it would hide the web dashboard's home page).
/// </summary>
public static class SiloHealthEndpoint
{
    public const string DashboardPrefix = OperatorDashboard.Prefix;

    /// <summary>Kestrel on the health port only: loopback, or every interface when the silo advertises a non-loopback address.</summary>
    public static void Listen(WebApplicationBuilder builder, MarketSimClusterOptions cluster)
    {
        var listenAny = cluster.UsesRedis && !IPAddress.IsLoopback(cluster.AdvertisedIp());
        builder.WebHost.UseKestrel(o =>
        {
            if (listenAny) o.ListenAnyIP(cluster.HealthPort!.Value);
            else o.Listen(IPAddress.Loopback, cluster.HealthPort!.Value);
        });
    }

    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", Respond);
        app.MapGet("/health", Respond);
        OperatorDashboard.Map(app); // off unless configured, and behind a password (docs/SECURITY.md)
    }

    static IResult Respond(IServiceProvider services)
    {
        var (code, text) = Status(services);
        return Results.Text(text + "\n", statusCode: code);
    }

    public static (int Code, string Text) Status(IServiceProvider services)
    {
        try
        {
            var local = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var snapshot = services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot;
            var status = snapshot.GetSiloStatus(local);
            var members = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
            return status == SiloStatus.Active
                ? (200, $"active {local} members {members}")
                : (503, $"{status.ToString().ToLowerInvariant()} {local} members {members}");
        }
        catch (Exception e)
        {
            return (503, "starting: " + e.Message);
        }
    }
}
