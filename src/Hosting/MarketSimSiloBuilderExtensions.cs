using MarketSim.Grains;
using MarketSim.Grains.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarketSim.Hosting;

public static class MarketSimSiloBuilderExtensions
{
    /// <summary>
    /// A MarketSim silo on configurable ports, the grains' storage and serializer, quiet logs. Clustering and storage follow
    /// <c>MarketSim:Cluster</c> (<see cref="MarketSimClusterOptions"/>): localhost + memory by default, Redis when
    /// <c>MarketSim:Cluster:Redis</c> is set. Ports and ids in <paramref name="options"/> win over configuration.
    /// </summary>
    public static ISiloBuilder UseMarketSim(this ISiloBuilder silo, MarketSimSiloOptions? options = null)
    {
        options ??= new MarketSimSiloOptions();
        var cluster = MarketSimClusterOptions.From(silo.Configuration);
        if (!options.UseLocalhostClustering) return silo.AddMarketSimGrains(options.UseMemoryStorage);
        cluster.SiloPort = options.SiloPort ?? cluster.SiloPort;
        cluster.GatewayPort = options.GatewayPort ?? cluster.GatewayPort;
        // Explicit ids win unless they are the defaults and configuration names others.
        if (options.ClusterId != "marketsim" || silo.Configuration[MarketSimClusterOptions.Section + ":ClusterId"] is null) cluster.ClusterId = options.ClusterId;
        if (options.ServiceId != "marketsim" || silo.Configuration[MarketSimClusterOptions.Section + ":ServiceId"] is null) cluster.ServiceId = options.ServiceId;
        if (!options.UseMemoryStorage) cluster.Storage = "None";
        return silo.UseMarketSimCluster(cluster);
    }

    /// <summary>Clustering, endpoints, storage and grains as <paramref name="cluster"/> says.</summary>
    public static ISiloBuilder UseMarketSimCluster(this ISiloBuilder silo, MarketSimClusterOptions cluster)
    {
        var siloPort = cluster.SiloPort is null or < 0 ? MarketSimSiloOptions.DefaultSiloPort : cluster.SiloPort == 0 ? FreePorts.Next() : cluster.SiloPort.Value;
        var gatewayPort = cluster.GatewayPort is null or < 0 ? MarketSimSiloOptions.DefaultGatewayPort : cluster.GatewayPort == 0 ? FreePorts.Next() : cluster.GatewayPort.Value;
        if (cluster.UsesRedis)
        {
            var ip = cluster.AdvertisedIp();
            silo.UseRedisClustering(o => o.ConfigurationOptions = cluster.RedisOptions());
            silo.Configure<ClusterOptions>(o => { o.ClusterId = cluster.ClusterId; o.ServiceId = cluster.ServiceId; });
            silo.ConfigureEndpoints(ip, siloPort, gatewayPort, listenOnAnyHostAddress: !System.Net.IPAddress.IsLoopback(ip));
            // The strongly consistent directory: when a silo dies, its directory ranges are recovered before new activations are
            // placed, so a session (or a firm) never runs twice at once. The default directory can briefly activate a grain
            // twice after a crash, and two session activations would drive the same members against each other.
#pragma warning disable ORLEANSEXP003
            silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        }
        else
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        }
        // Failure detection and timeouts are tunable (tests shorten them): MarketSim:Cluster:Membership binds to
        // ClusterMembershipOptions (ProbeTimeout, NumMissedProbesLimit, ...).
        silo.Services.Configure<ClusterMembershipOptions>(silo.Configuration.GetSection(MarketSimClusterOptions.Section + ":Membership"));
        if (cluster.ResponseTimeoutSeconds is { } t)
        {
            silo.Configure<SiloMessagingOptions>(o =>
            {
                o.ResponseTimeout = TimeSpan.FromSeconds(t);
                // Placing an activation has its own timeout; a silo busy decoding a large scenario (a million firms: 250 MB)
                // let it expire (Polly TimeoutRejectedException in StartAsync). A longer call timeout lengthens it too.
                if (TimeSpan.FromSeconds(t) > o.PlacementTimeout) o.PlacementTimeout = TimeSpan.FromSeconds(t);
            });
            // So has activating a grain (30 s by default): when every firm was a grain, a million firms' activations, 333,000
            // a silo queued at once behind the world's decoding, were cancelled after it (OperationCanceledException in
            // StartAsync, Dec 2026); a shard's activation still waits for its silo's copy of the world.
            silo.Configure<GrainCollectionOptions>(o =>
            {
                if (TimeSpan.FromSeconds(t) > o.ActivationTimeout) o.ActivationTimeout = TimeSpan.FromSeconds(t);
            });
        }
        silo.Configure<SiloMessagingOptions>(o => o.MaxMessageBodySize = MarketSimClusterOptions.MaxMessageBodySize);

        var storage = cluster.Storage?.ToLowerInvariant();
        if (storage == "none") return silo.AddMarketSimGrains(useMemoryStorage: false);
        if (cluster.RedisStorage)
        {
            if (!cluster.UsesRedis) throw new InvalidOperationException($"{MarketSimClusterOptions.Section}:Storage is Redis but {MarketSimClusterOptions.Section}:Redis is not set.");
            silo.AddRedisGrainStorage(Persistence.StorageName, b => b
                .Configure<Serializer>((o, serializer) =>
                {
                    o.ConfigurationOptions = cluster.RedisOptions();
                    o.DeleteStateOnClear = true;
                    o.GrainStorageSerializer = new Base64GrainStorageSerializer(serializer);
                }));
            return silo.AddMarketSimGrains(useMemoryStorage: false);
        }
        return silo.AddMarketSimGrains(useMemoryStorage: true);
    }

    /// <summary>Everything but clustering: for hosts that cluster on their own terms (the test cluster).</summary>
    public static ISiloBuilder AddMarketSimGrains(this ISiloBuilder silo, bool useMemoryStorage = true)
    {
        silo.Services.AddMarketSimSerialization();
        silo.Services.AddSingleton<SessionWorlds>();
        silo.AddPlacementDirector<MarketSim.Grains.Agents.ShardPlacement, MarketSim.Grains.Agents.ShardPlacementDirector>();
        if (useMemoryStorage)
        {
            silo.AddMemoryGrainStorage(Persistence.StorageName);
            // Store with Orleans' serializer, so Model types inside grain state go through the codecs messages use.
            silo.Services.AddOptions<MemoryGrainStorageOptions>(Persistence.StorageName)
                .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        }
        // Orleans logs every activation at Information under "Polly" (one line per grain: noise at scale).
        silo.Services.AddLogging(l => l.AddFilter("Polly", LogLevel.Warning));
        return silo;
    }
}

/// <summary>
/// Orleans' binary serializer as base64 text: Redis storage keeps the payload as a string, and the binary form keeps Model
/// types on the codecs messages use (doubles exact).
/// </summary>
public sealed class Base64GrainStorageSerializer(Serializer serializer) : IGrainStorageSerializer
{
    readonly OrleansGrainStorageSerializer _inner = new(serializer);

    public BinaryData Serialize<T>(T input) => BinaryData.FromString(Convert.ToBase64String(_inner.Serialize(input).ToArray()));

    public T Deserialize<T>(BinaryData input) => _inner.Deserialize<T>(BinaryData.FromBytes(Convert.FromBase64String(input.ToString())));
}
