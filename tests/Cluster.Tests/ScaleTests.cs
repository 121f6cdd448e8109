using MarketSim.Bench;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Output;
using MarketSim.Model.Simulation;
using MarketSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Concurrency;
using Xunit.Abstractions;

namespace MarketSim.Cluster.Tests;

/// <summary>
/// A 10,000-firm world (the benches' synthetic world) on three silo processes over Redis: it starts without a storage write
/// per firm, and its first ticks are byte-identical to the reference runner's. Times are measured in bench/, not here.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ScaleTests(LocalCluster cluster, ITestOutputHelper output) : IClassFixture<LocalCluster>
{
    [Fact]
    public async Task A_10k_world_starts_on_three_silos_without_a_write_per_firm_and_runs_like_the_reference()
    {
        const int firms = 10_000, ticks = 3;
        const ulong seed = 7;
        await cluster.EnsureThreeAsync();
        var world = SyntheticWorld.Build(firms);
        // The fixture's client gives up on a call after 10 s (for the crash tests); a start of 10k firms may take longer on a
        // loaded machine, so this test has a client of its own with a longer timeout.
        var options = cluster.Options;
        options.ResponseTimeoutSeconds = 300;
        using var client = await LocalCluster.StartClientAsync(options);
        var session = client.Services.GetRequiredService<IClusterClient>().GetGrain<ISessionGrain>("scale-" + Guid.NewGuid().ToString("N")[..6]);
        var keysBefore = Keys();
        var started = DateTime.UtcNow;
        await session.StartAsync(world.AsImmutable(), seed, SessionSettings.Default);
        var written = Keys() - keysBefore;
        output.WriteLine($"started in {(DateTime.UtcNow - started).TotalSeconds:0.0} s; Redis keys written: {written}");
        // The session's record only (1 in the bench's runs): the 39 shards and their firms write nothing until the first
        // checkpoint. A few keys of slack for anything else the cluster writes meanwhile, far fewer than one per shard.
        Assert.True(written < 5, $"{written} Redis keys written at start");
        Assert.Equal(3, (await session.GetSilosAsync()).Count); // the world is spread over all three

        await session.StepAsync(ticks);
        var frames = (await session.GetFramesAsync(0)).Value;
        var reference = new ReferenceRunner(world, seed).Run(ticks).ToList();
        Assert.Equal(CsvExport.ToStrings(world, reference), CsvExport.ToStrings(world, frames));
        await session.EndAsync();
        await client.StopAsync();
    }

    long Keys() => long.Parse(cluster.Redis.Cli("DBSIZE").Trim());
}
