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
        var options = MarketSimClusterOptions.From(config);
        if (redis is not null) options.Redis = redis;
        return options.UsesRedis ? options : null;
    }

    /// <summary>A started Orleans client of <paramref name="cluster"/>; logs (warnings and worse) to stderr.</summary>
    public static async Task<IHost> ConnectAsync(MarketSimClusterOptions cluster, CancellationToken cancel)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client.UseMarketSimCluster(cluster));
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>(); // signals are the command's (Interruption)
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancel);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new InvalidOperationException($"cannot join the cluster at Redis {cluster.Redis} (cluster id \"{cluster.ClusterId}\"): {e.Message}", e);
        }
        return host;
    }
}
