using System.Diagnostics;
using MarketSim.Bench;
using MarketSim.Grains.Interfaces;
using MarketSim.Grains.Session;
using MarketSim.Hosting;
using MarketSim.Hosting.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Concurrency;

// Cluster benchmark: a synthetic world of N manufacturers on 1 and on 3 silo processes (Redis clustering and storage,
// loopback), driven by this process as a client, as the CLI's --cluster does. Prints a Markdown table.
//   dotnet run -c Release --project bench/MarketSim.Bench.Cluster -- [--size 100000] [--ticks 4] [--silos 1,3]
var size = Arg("--size", 100_000);
var ticks = Arg("--ticks", 4);
var siloCounts = (ArgS("--silos") ?? "1,3").Split(',').Select(int.Parse).ToArray();

var world = SyntheticWorld.Build(size);
var agents = world.Producers.Count + world.Manufacturers.Count;
var shards = ShardPlanner.Assign(world, SessionSettings.Default).Count;
// Per tick by design (bench/README.md, measured there on one silo): plan + settle per agent, per shard, per country; clear per market.
var callsPerTick = 2 * agents + 2 * shards + 2 * world.Countries.Count + world.Commodities.Count;
Console.WriteLine($"# MarketSim cluster bench\n{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
Console.WriteLine($"command: dotnet run -c Release --project bench/MarketSim.Bench.Cluster -- {string.Join(' ', args)}\n");
Console.WriteLine("| silos | agents | setup s | median tick s | ticks/s | grain calls/tick | cross-silo share of agent calls | RSS per silo MiB (peak) |");
Console.WriteLine("|--:|--:|--:|--:|--:|--:|--:|---|");

foreach (var n in siloCounts)
{
    using var redis = new RedisProcess();
    redis.Start();
    var env = new Dictionary<string, string>
    {
        ["MarketSim__Cluster__Redis"] = redis.ConnectionString,
        ["MarketSim__Cluster__ClusterId"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
        ["MarketSim__Cluster__ResponseTimeoutSeconds"] = "600",
    };
    var silos = Enumerable.Range(1, n).Select(i => new SiloProcess { Name = "silo" + i, Environment = env }).ToList();
    try
    {
        foreach (var s in silos) s.Start();
        foreach (var s in silos) await s.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(c => c.UseMarketSimCluster(new MarketSimClusterOptions
        {
            Redis = redis.ConnectionString, ClusterId = env["MarketSim__Cluster__ClusterId"], ResponseTimeoutSeconds = 600,
        }));
        using var client = builder.Build();
        await client.StartAsync();
        var session = client.Services.GetRequiredService<IClusterClient>().GetGrain<ISessionGrain>("bench");
        var sw = Stopwatch.StartNew();
        await session.StartAsync(world.AsImmutable(), 7, SessionSettings.Default);
        var setup = sw.Elapsed.TotalSeconds;
        await session.StepAsync(1); // first activations of the tick path
        var times = new List<double>();
        for (int t = 0; t < ticks; t++)
        {
            sw.Restart();
            await session.StepAsync(1);
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        var median = times[times.Count / 2];
        var hosting = await session.GetSilosAsync();
        // Firms are placed beside their shard (PreferLocal), so agent calls stay in-silo; only shard, country and market calls cross.
        var crossShare = n == 1 ? 0 : (2.0 * shards + 2 * world.Countries.Count + world.Commodities.Count) * (n - 1) / n / callsPerTick;
        var rss = string.Join(", ", silos.Select(s => $"{Rss(s.Pid, "VmRSS")} ({Rss(s.Pid, "VmHWM")})"));
        Console.WriteLine($"| {n} ({hosting.Count} hosting) | {agents:N0} | {setup:0.0} | {median:0.00} | {1 / median:0.00} | {callsPerTick:N0} | {crossShare:P2} | {rss} |");
        Console.Error.WriteLine($"{n} silos: tick times {string.Join(", ", times.Select(x => x.ToString("0.00")))} s");
        await session.EndAsync();
        await client.StopAsync();
    }
    finally
    {
        foreach (var s in silos) s.Dispose();
    }
}

static long Rss(int pid, string field)
{
    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":"));
    return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
}

int Arg(string name, int fallback) => ArgS(name) is { } v ? int.Parse(v) : fallback;
string? ArgS(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
