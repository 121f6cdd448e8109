using MarketSim.Hosting.Local;
using MarketSim.Grains;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Output;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using MarketSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;

namespace MarketSim.Cluster.Tests;

/// <summary>
/// Redis and three silo processes on loopback, as scripts/cluster starts them (fresh ClusterId per run: dead silos stay in Redis membership),
/// with failure detection shortened so that a killed silo is declared dead in a few seconds; and this process as a client.
/// </summary>
public sealed class LocalCluster : IAsyncLifetime
{
    public RedisProcess Redis { get; } = new();
    public List<SiloProcess> Silos { get; } = new();
    public string ClusterId { get; } = "test-" + Guid.NewGuid().ToString("N")[..8];
    IHost? _client;

    public IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    public MarketSimClusterOptions Options => new()
    {
        Redis = Redis.ConnectionString, ClusterId = ClusterId, ServiceId = "marketsim-test", ResponseTimeoutSeconds = 10,
    };

    Dictionary<string, string> Environment => new()
    {
        ["MarketSim__Cluster__Redis"] = Redis.ConnectionString,
        ["MarketSim__Cluster__ClusterId"] = ClusterId,
        ["MarketSim__Cluster__ServiceId"] = "marketsim-test",
        ["MarketSim__Cluster__ResponseTimeoutSeconds"] = "10",
        ["MarketSim__Cluster__Membership__ProbeTimeout"] = "00:00:01",
        ["MarketSim__Cluster__Membership__NumMissedProbesLimit"] = "2",
        ["MarketSim__Cluster__Membership__TableRefreshTimeout"] = "00:00:02",
        ["MarketSim__Cluster__Membership__IAmAliveTablePublishTimeout"] = "00:00:05",
        ["Logging__LogLevel__MarketSim"] = "Information",
    };

    int _next;

    public async Task InitializeAsync()
    {
        Redis.Start();
        for (int i = 0; i < 3; i++) Silos.Add(NewSilo());
        foreach (var s in Silos) s.Start();
        foreach (var s in Silos) await s.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        _client = await StartClientAsync(Options);
    }

    /// <summary>An Orleans client of the cluster with these options (a test that needs a longer call timeout makes its own).</summary>
    public static async Task<IHost> StartClientAsync(MarketSimClusterOptions options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(c => c.UseMarketSimCluster(options));
        var client = builder.Build();
        await client.StartAsync();
        return client;
    }

    SiloProcess NewSilo() => new() { Name = "silo" + ++_next, Environment = Environment };

    /// <summary>Replaces silos that a test stopped, so the next test starts with three again.</summary>
    public async Task EnsureThreeAsync()
    {
        foreach (var dead in Silos.Where(s => !s.Running).ToList())
        {
            Silos.Remove(dead);
            dead.Dispose();
        }
        var replaced = false;
        while (Silos.Count < 3)
        {
            var s = NewSilo();
            Silos.Add(s);
            s.Start();
            await s.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            replaced = true;
        }
        if (!replaced) return;
        // A new silo is Active in its own view before every other silo (and the directory) has taken it in: wait until the
        // cluster lists exactly three active silos and every silo sees them.
        var until = DateTime.UtcNow.AddSeconds(60);
        var seen = "no answer";
        while (true)
        {
            try
            {
                var hosts = await Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetHosts(onlyActive: true);
                if (hosts.Count == 3) break;
                seen = $"{hosts.Count} active: {string.Join(", ", hosts.Keys)}";
            }
            catch (Exception e) { seen = $"{e.GetType().Name}: {e.Message}"; }
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"the cluster did not list three active silos within 60 s (last: {seen}):\n{Logs}");
            await Task.Delay(500);
        }
        // Listed as active in the membership table is not yet taken in by every silo: each silo partitions its grain
        // directory over its own membership view, so wait until every silo's health answer says it sees three.
        foreach (var s in Silos)
        {
            var (code, body) = (0, "");
            while (!(code == 200 && body.Contains("members 3", StringComparison.Ordinal)))
            {
                if (DateTime.UtcNow > until)
                    throw new TimeoutException($"silo {s.Name} did not see three active silos within 60 s (last health answer: {code} {body.Trim()}):\n{Logs}");
                await Task.Delay(200);
                (code, body) = await s.HealthAsync();
            }
        }
    }

    public SiloProcess Hosting(string runtimeIdentity) =>
        Silos.Single(s => s.Running && s.Hosts(runtimeIdentity));

    public string Logs => string.Join("\n", Silos.Select(s => $"---- {s.Name} (silo port {s.SiloPort})\n{s.Log}"));

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            try { await _client.StopAsync(TimeSpan.FromSeconds(5)); } catch { }
            _client.Dispose();
        }
        foreach (var s in Silos) s.Dispose();
        Redis.Dispose();
    }
}

public static class DefaultScenario
{
    public static ScenarioSpec World { get; } = ScenarioLoader.LoadOrThrow(Path.Combine(Free.RepoRoot, "scenarios", "china-japan-2026.yaml"));

    static readonly Lazy<SortedDictionary<string, string>> ReferenceCsv = new(() =>
        CsvExport.ToStrings(World, new ReferenceRunner(World, World.Seed).Run(World.Days).ToList()));

    /// <summary>The CSV tables of an uninterrupted run (the reference runner; the grains give the same bytes, tests/Grains.Tests).</summary>
    public static SortedDictionary<string, string> Reference => ReferenceCsv.Value;

    public static void AssertSameCsv(IReadOnlyList<Frame> frames)
    {
        Assert.Equal(Enumerable.Range(0, World.Days), frames.Select(f => f.Tick));
        var csv = CsvExport.ToStrings(World, frames);
        Assert.Equal(Reference.Keys, csv.Keys);
        foreach (var (name, text) in Reference)
            Assert.True(text == csv[name], $"{name} differs from the uninterrupted run");
    }
}
