using MarketSim.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// A standalone silo. Clustering, storage, ports, health port: MarketSim:Cluster (appsettings.json, environment variables such
// as MarketSim__Cluster__Redis=127.0.0.1:6379, or --MarketSim:Cluster:SiloPort=11112 on the command line). Logs: set
// Logging__Console__FormatterName=json for one JSON object per line (scopes carry the session id).
var builder = Host.CreateApplicationBuilder(args);
var cluster = MarketSimClusterOptions.From(builder.Configuration);
// Defaults that configuration can override: Orleans' own chatter at Warning, membership changes and lifetime at Information.
builder.Logging.AddFilter("Orleans", LogLevel.Warning);
builder.Logging.AddFilter("Orleans.Runtime.MembershipService", LogLevel.Information);
builder.Logging.AddFilter("Polly", LogLevel.Warning);
builder.Logging.AddSimpleConsole(o => { o.IncludeScopes = true; o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
builder.UseOrleans(silo => silo.UseMarketSimCluster(cluster));
builder.Services.AddSingleton(cluster);
if (cluster.HealthPort is > 0) builder.Services.AddHostedService<SiloHealthEndpoint>();
// Graceful shutdown (SIGTERM, Ctrl+C): the silo leaves the membership and deactivates its grains, which write their state,
// so their next calls reactivate them on the remaining silos. Give it time to do so.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
await builder.Build().RunAsync();
