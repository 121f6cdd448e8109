using MarketSim.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketSim.Cli.Engines;

/// <summary>
/// Where the CLI's grains run: the cluster named by <c>--cluster</c> or by the environment (MarketSim__Cluster__Redis,
/// MarketSim__Cluster__ClusterId, ...; the same keys the silos read), else null: a silo hosted in this process.
/// </summary>
public static class ClusterSettings
{
    public static MarketSimClusterOptions? Resolve(string? redis)
    {
        var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        MarketSimClusterOptions options;
        // A value of the wrong type (MarketSim__Cluster__JoinTimeoutSeconds=30s) failed to bind with a stack trace (a review,
        // Dec 2026): said as the setting it is, as a cluster that cannot be reached is.
        try { options = MarketSimClusterOptions.From(config); }
        catch (InvalidOperationException e)
        {
            throw new ClusterConnectionException($"the cluster settings in the environment (MarketSim__Cluster__*) cannot be read: {e.Message}", e);
        }
        if (redis is not null) options.Redis = redis;
        return options.UsesRedis ? options : null;
    }

    /// <summary>How long the CLI waits for Redis to answer before it says it cannot reach it.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A started Orleans client of <paramref name="cluster"/>; logs (warnings and worse) to stderr.</summary>
    public static async Task<IHost> ConnectAsync(MarketSimClusterOptions cluster, CancellationToken cancel)
    {
        TimeSpan join;
        try { join = cluster.JoinTimeout; }
        catch (InvalidOperationException e) { throw new ClusterConnectionException(e.Message, e); }
        Console.Error.WriteLine($"connecting to {cluster.Where}");
        await ProbeRedisAsync(cluster, cancel);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A failed start is said below in one line; the host's own "fail" log of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // "Could not find any gateway", every few seconds while it waits: the one line below says it once.
        builder.Logging.AddFilter("Orleans.Messaging.GatewayManager", LogLevel.Error);
        builder.UseOrleansClient(client => client.UseMarketSimCluster(cluster));
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>(); // signals are the command's (Interruption)
        var host = builder.Build();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(join);
        try
        {
            await host.StartAsync(deadline.Token);
        }
        catch (Exception e) when (!cancel.IsCancellationRequested)
        {
            host.Dispose();
            throw new ClusterConnectionException(cluster.JoinFailure(e), e);
        }
        return host;
    }

    /// <summary>
    /// Refuses at once a Redis that does not answer: the Orleans client waits for it as long as any Redis call may take
    /// (60 s, <see cref="MarketSimClusterOptions.RedisOptions"/>) and then failed with two stack traces (a Dec 2026 review).
    /// </summary>
    static async Task ProbeRedisAsync(MarketSimClusterOptions cluster, CancellationToken cancel)
    {
        try
        {
            var o = cluster.RedisOptions();
            o.AbortOnConnectFail = true;
            o.ConnectRetry = 1;
            o.ConnectTimeout = (int)ProbeTimeout.TotalMilliseconds;
            await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(o).WaitAsync(ProbeTimeout * 2, cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var why = e is ArgumentException ? "it is not a Redis address" : $"no answer; waited up to {ProbeTimeout.TotalSeconds:0} s";
            throw new ClusterConnectionException($"cannot reach Redis at {cluster.Redis} ({why}): check that Redis is running there and that " +
                "--cluster (or MarketSim__Cluster__Redis) gives its host:port", e);
        }
    }
}

/// <summary>The CLI could not reach its cluster; the message says what it tried and what to check.</summary>
public sealed class ClusterConnectionException(string message, Exception inner) : InvalidOperationException(message, inner);
