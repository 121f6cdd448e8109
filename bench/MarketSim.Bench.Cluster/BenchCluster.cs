using MarketSim.Hosting;
using MarketSim.Hosting.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;

namespace MarketSim.Bench.Cluster;

/// <summary>
/// Redis, N silo processes on loopback and this process as their Orleans client, as scripts/cluster and `marketsim run
/// --cluster` use them. Disposing stops the client, the silos and Redis.
/// </summary>
sealed class BenchCluster : IAsyncDisposable
{
    public required RedisProcess Redis { get; init; }
    public required List<SiloProcess> Silos { get; init; }
    public required IHost Client { get; init; }
    public IClusterClient Grains => Client.Services.GetRequiredService<IClusterClient>();

    public static async Task<BenchCluster> StartAsync(int silos)
    {
        var redis = new RedisProcess();
        redis.Start();
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var env = new Dictionary<string, string>
        {
            ["MarketSim__Cluster__Redis"] = redis.ConnectionString,
            ["MarketSim__Cluster__ClusterId"] = clusterId,
            ["MarketSim__Cluster__ResponseTimeoutSeconds"] = "3600",
            // A silo decoding a 250 MB scenario on a loaded 2-core machine misses probes for a while: declared dead by the
            // others, it stops (seen at 1M firms). Failure detection is not what this bench measures.
            ["MarketSim__Cluster__Membership__ProbeTimeout"] = "00:00:30",
            ["MarketSim__Cluster__Membership__NumMissedProbesLimit"] = "6",
        };
        var processes = Enumerable.Range(1, silos).Select(i => new SiloProcess { Name = "silo" + i, Environment = env }).ToList();
        try
        {
            foreach (var s in processes) s.Start();
            foreach (var s in processes) await s.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.UseOrleansClient(c => c.UseMarketSimCluster(new MarketSimClusterOptions
            {
                Redis = redis.ConnectionString, ClusterId = clusterId, ResponseTimeoutSeconds = 3600,
            }));
            var client = builder.Build();
            try { await client.StartAsync(); }
            catch { client.Dispose(); throw; }
            return new BenchCluster { Redis = redis, Silos = processes, Client = client };
        }
        catch
        {
            foreach (var s in processes) s.Dispose();
            redis.Dispose();
            throw;
        }
    }

    /// <summary>The silos' last log lines, for a run that failed.</summary>
    public void PrintLogs()
    {
        foreach (var s in Silos)
            Console.Error.WriteLine($"---- {s.Name} ({(s.Running ? "running" : $"exited {s.ExitCode}")}), last lines:\n{string.Join('\n', s.Log.Split('\n').TakeLast(40))}");
    }

    public async ValueTask DisposeAsync()
    {
        try { await Client.StopAsync(); } catch (Exception) { }
        Client.Dispose();
        foreach (var s in Silos) s.Dispose();
        Redis.Dispose();
    }
}
