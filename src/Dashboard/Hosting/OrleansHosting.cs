using MarketSim.Grains.Interfaces;
using MarketSim.Hosting;
using Orleans.Dashboard;

namespace MarketSim.Dashboard.Hosting;

/// <summary>
/// Where the grains live. By default the dashboard hosts a silo in-process (localhost clustering), so one command gives a
/// working app; with <c>MarketSim:Cluster:Mode = Client</c> (or <c>MarketSim:Cluster:Redis</c> set) it joins an existing
/// cluster as a client instead (<see cref="MarketSimClusterOptions"/>).
/// </summary>
public static class OrleansHosting
{
    public static WebApplicationBuilder AddMarketSimOrleans(this WebApplicationBuilder builder)
    {
        var cluster = MarketSimClusterOptions.From(builder.Configuration);
        if (cluster.IsClient)
        {
            // Mode=Client (localhost gateway at GatewayPort) or a Redis cluster: the same settings the silos read.
            // The Orleans dashboard (/orleans) reads the silos' dashboard grains (the standalone silos add them).
            builder.UseOrleansClient(client => client.UseMarketSimCluster(cluster).AddDashboard());
            builder.Services.AddSingleton(SessionSettings.Default); // checkpoints every 30 ticks: a silo's loss is recovered
            // No silo within the join timeout: one line (Program.cs) and exit 1, for docker-compose to restart it,
            // rather than waiting for ever without answering anything (a Dec 2026 review). The host's start includes the
            // client's join; the few hosted services after it (the default session) take well under a second.
            var join = cluster.JoinTimeout; // a value out of range stops the dashboard here, in one line (Program.cs)
            builder.Services.Configure<HostOptions>(o => o.StartupTimeout = join);
            Console.WriteLine($"MarketSim dashboard: joining {cluster.Where}; waiting up to {cluster.JoinTimeoutSeconds:0.#} s for a silo");
            // While it waits, "could not find any gateway" and a refused connection are a warning (with a stack trace) per attempt,
            // and a failed start is the host's stack trace: the one line says it. Errors are still logged, and /healthz says
            // whether the cluster answers.
            builder.Logging.AddFilter("Orleans.Messaging.GatewayManager", LogLevel.Error);
            builder.Logging.AddFilter("Orleans.Runtime.Messaging.ConnectionManager", LogLevel.Error);
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
            return builder;
        }
        // Free ports unless Orleans:SiloPort/GatewayPort are set (0 or absent = a free one): a dashboard must not collide
        // with a standalone silo, a test or a benchmark.
        var siloPort = builder.Configuration.GetValue("Orleans:SiloPort", 0);
        var gatewayPort = builder.Configuration.GetValue("Orleans:GatewayPort", 0);
        builder.UseOrleans(silo => silo.UseEmbeddedMarketSim(siloPort, gatewayPort, cluster.ServiceId, cluster.ClusterId).AddDashboard());
        // In-memory storage leaves with this process, so periodic checkpoints could never be recovered from: only the writes
        // at start and on deactivation remain (an idle grain's state survives its collection).
        builder.Services.AddSingleton(SessionSettings.Default with { CheckpointEvery = 0 });
        return builder;
    }
}
