using MarketSim.Hosting;
using Orleans.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketSim.Silo;

// A standalone silo. Clustering, storage, ports, health port: MarketSim:Cluster (appsettings.json, environment variables such
// as MarketSim__Cluster__Redis=127.0.0.1:6379, or --MarketSim:Cluster:SiloPort=11112 on the command line). Logs: set
// Logging__Console__FormatterName=json for one JSON object per line (scopes carry the session id).
// With a HealthPort the silo serves HTTP on it: GET /healthz, and the Orleans dashboard for operators at /orleans.
// An explicit Main, not top-level statements: .NET 10 makes a top-level Program public in an app that references ASP.NET Core,
// and it would clash with the dashboard's Program in the tests' WebApplicationFactory<Program>.
public static class SiloProgram
{
    public static async Task Main(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var web = MarketSimClusterOptions.From(configuration).HealthPort is > 0;
        WebApplicationBuilder? webBuilder = web ? WebApplication.CreateBuilder(args) : null;
        IHostApplicationBuilder builder = webBuilder is not null ? webBuilder : Host.CreateApplicationBuilder(args);
        var cluster = MarketSimClusterOptions.From(builder.Configuration);
        // Defaults that configuration can override: Orleans' own chatter at Warning, membership changes and lifetime at Information.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Orleans.Runtime.MembershipService", LogLevel.Information);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddSimpleConsole(o => { o.IncludeScopes = true; o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.UseOrleans(silo => silo.UseMarketSimCluster(cluster).AddDashboard());
        builder.Services.AddSingleton(cluster);
        // Graceful shutdown (SIGTERM, Ctrl+C): the silo leaves the membership and deactivates its grains, which write their state,
        // so their next calls reactivate them on the remaining silos. Give it time to do so.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        if (webBuilder is not null)
        {
            SiloHealthEndpoint.Listen(webBuilder, cluster);
            var app = webBuilder.Build();
            SiloHealthEndpoint.Map(app);
            app.Logger.LogInformation("Silo health endpoint on port {HealthPort}: GET /healthz; Orleans dashboard at {Prefix}",
                cluster.HealthPort, SiloHealthEndpoint.DashboardPrefix);
            await app.RunAsync();
        }
        else
        {
            await ((HostApplicationBuilder)builder).Build().RunAsync();
        }
    }
}
