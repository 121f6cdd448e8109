using MarketSim.Grains.Serialization;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace MarketSim.Hosting;

/// <summary>How the CLI and the dashboard join a cluster as clients, with the same settings the silos read.</summary>
public static class MarketSimClientBuilderExtensions
{
    /// <summary>Redis gateway list when <c>MarketSim:Cluster:Redis</c> is set, else the localhost gateway at GatewayPort.</summary>
    public static IClientBuilder UseMarketSimCluster(this IClientBuilder client, MarketSimClusterOptions cluster)
    {
        if (cluster.UsesRedis)
        {
            client.UseRedisClustering(o => o.ConfigurationOptions = cluster.RedisOptions());
            client.Configure<ClusterOptions>(o => { o.ClusterId = cluster.ClusterId; o.ServiceId = cluster.ServiceId; });
            // A dead silo's gateway leaves the list at the next refresh: keep it short.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        }
        else
        {
            client.UseLocalhostClustering(cluster.GatewayPort is > 0 ? cluster.GatewayPort.Value : MarketSimSiloOptions.DefaultGatewayPort,
                cluster.ServiceId, cluster.ClusterId);
        }
        if (cluster.ResponseTimeoutSeconds is { } t) client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(t));
        client.Configure<ClientMessagingOptions>(o => o.MaxMessageBodySize = MarketSimClusterOptions.MaxMessageBodySize);
        client.Services.AddMarketSimSerialization();
        return client;
    }

    /// <summary>The same, reading <c>MarketSim:Cluster</c> from <paramref name="configuration"/>.</summary>
    public static IClientBuilder UseMarketSimCluster(this IClientBuilder client, IConfiguration configuration) =>
        client.UseMarketSimCluster(MarketSimClusterOptions.From(configuration));
}
