using System.Diagnostics;
using MarketSim.Bench;
using MarketSim.Bench.Cluster;
using MarketSim.Bench.Shared;
using MarketSim.Grains.Interfaces;
using MarketSim.Grains.Session;
using Orleans.Concurrency;

// Cluster benchmark: a synthetic world of N manufacturers on 1 and on 3 silo processes (Redis clustering and storage,
// loopback), driven by this process as a client, as the CLI's --cluster does. Prints Markdown tables.
//   dotnet run -c Release --project bench/MarketSim.Bench.Cluster -- [--size 100000] [--ticks 4] [--silos 1,3]
//   dotnet run -c Release --project bench/MarketSim.Bench.Cluster -- --scenario scenarios/china-japan-2026.yaml [--reps 3]
//       (a shipped scenario's whole run through the cluster as `marketsim run --cluster` runs it, every frame checked)
//   dotnet run -c Release --project bench/MarketSim.Bench.Cluster -- --codec 10000   (a tick's messages: JSON vs binary, no cluster)
// A synthetic world expected not to fit in the available memory is not started (--force to try); a watchdog stops the silos
// if available memory falls under --memory-floor MiB (default 1,200) during a run, and the row says so (MemoryGuard).
if (ArgS("--codec") is { } codecSize) { CodecProbe.Run(int.Parse(codecSize)); return; }
var siloCounts = (ArgS("--silos") ?? "1,3").Split(',').Select(int.Parse).ToArray();
Console.WriteLine($"# MarketSim cluster bench\n{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; .NET {Environment.Version}; load average {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine($"command: dotnet run -c Release --project bench/MarketSim.Bench.Cluster -- {string.Join(' ', args)}\n");
if (ArgS("--scenario") is { } scenarioFile) { await ScenarioYear.RunAsync(scenarioFile, siloCounts, Arg("--reps", 3)); return; }
var size = Arg("--size", 100_000);
var ticks = Arg("--ticks", 4);

// A world that cannot fit is not started (unless --force): at a million firms the silos once took the machine's last GiB.
MemoryGuard.FloorMiB = Arg("--memory-floor", (int)MemoryGuard.FloorMiB);
var needed = MemoryGuard.NeededMiB(size);
var available = MemoryGuard.AvailableMiB();
Console.Error.WriteLine($"expected to need ≈{needed / 1024.0:F1} GiB at the peaks ({MemoryGuard.KiBPerFirm} KiB a firm); {available / 1024.0:F1} GiB available");
if (needed > available - MemoryGuard.FloorMiB && !args.Contains("--force"))
{
    Console.WriteLine($"{size:N0} firms: **not started**: expected to need ≈{needed / 1024.0:F1} GiB at the peaks ({MemoryGuard.KiBPerFirm} KiB a firm, " +
        $"measured at 1,000,000), {available / 1024.0:F1} GiB available (--force to try)");
    Environment.ExitCode = 2;
    return;
}
int agents;
{
    var world = SyntheticWorld.Build(size);
    agents = world.Producers.Count + world.Manufacturers.Count;
    var jsonSize = new Probe.CountingStream();
    System.Text.Json.JsonSerializer.Serialize(jsonSize, world);
    Console.Error.WriteLine($"world built: {agents:N0} agents; as JSON {jsonSize.Length / 1048576.0:0} MiB");
}
var rows = new List<string>();
var perSilo = new List<string>();

foreach (var n in siloCounts)
{
    var stage = "start";
    BenchCluster? cluster = null;
    // Stops the silos if the machine runs out of memory (the row then says so).
    await using var guard = MemoryGuard.Watch(() => cluster?.Silos ?? []);
    // The run in a task of its own: when the watchdog stops the silos, a call in flight waits for its response timeout
    // (an hour here), so the run is given up on at once and the cluster disposed.
    async Task Run()
    {
        cluster = await BenchCluster.StartAsync(n);
        // Tripped while the cluster was starting (it had no silos to stop then): stop here, the cluster disposed below.
        if (guard.Tripped.IsCompleted) throw new OperationCanceledException("stopped by the memory watchdog");
        var (redis, silos) = (cluster.Redis, cluster.Silos);
        var idle = silos.Select(s => Probe.Rss(s.Pid, "VmRSS")).ToArray();
        var session = cluster.Grains.GetGrain<ISessionGrain>("bench");
        var redisKeys = redis.Cli("DBSIZE").Trim();
        stage = "StartAsync";
        var setup = await StartSessionAsync(session, size);
        var keysWritten = long.Parse(redis.Cli("DBSIZE").Trim()) - long.Parse(redisKeys);
        var started = silos.Select(s => Probe.Rss(s.Pid, "VmRSS")).ToArray();
        stage = $"ticks (setup took {setup:0.0} s)";
        await session.StepAsync(1); // first activations of the tick path
        var sessionSilo = await session.GetSiloAsync();
        var ports = new Probe.Ports(silos.Select(s => s.SiloPort).ToHashSet(), silos.Select(s => s.GatewayPort).ToHashSet(), redis.Port);
        var before = silos.Select(s => (Cpu: Probe.CpuSeconds(s.Pid), Net: Probe.SentBytes(s.Pid, s.SiloPort, ports))).ToArray();
        var timingsBefore = await session.GetTimingsAsync();
        var times = new List<double>();
        for (int t = 0; t < ticks; t++)
        {
            var sw = Stopwatch.StartNew();
            await session.StepAsync(1);
            times.Add(sw.Elapsed.TotalSeconds);
        }
        var after = silos.Select(s => (Cpu: Probe.CpuSeconds(s.Pid), Net: Probe.SentBytes(s.Pid, s.SiloPort, ports))).ToArray();
        var timings = await session.GetTimingsAsync();
        var serial = (timings.Serial - timingsBefore.Serial) / ticks;
        var clear = (timings.Clear - timingsBefore.Clear) / ticks;
        times.Sort();
        var median = times[times.Count / 2];
        var hosting = await session.GetSilosAsync();
        var mem = started.Zip(idle, (a, b) => (double)(a - b)).Sum() * 1024 * 1024 / agents;
        var toSilos = 0.0;
        for (int i = 0; i < n; i++)
        {
            var d = after[i].Net.Minus(before[i].Net);
            toSilos += d.Silos;
            perSilo.Add($"| {n} | {silos[i].Name}{(silos[i].Hosts(sessionSilo) ? " (session)" : "")} | {(after[i].Cpu - before[i].Cpu) / ticks:0.000} | " +
                $"{d.Silos / ticks / 1024:N0} | {d.Clients / ticks / 1024:N0} | {d.Redis / ticks / 1024:N0} | {Probe.Rss(silos[i].Pid, "VmRSS")} ({Probe.Rss(silos[i].Pid, "VmHWM")}) |");
        }
        rows.Add($"| {n} ({hosting.Count} hosting) | {agents:N0} | {setup:0.0} | {keysWritten:N0} | {mem / 1024:0.0} | {median:0.00} | {1 / median:0.00} | " +
            $"{serial:0.000} | {clear:0.000} | {toSilos / ticks / agents:0} |");
        Console.Error.WriteLine(rows[^1]);
        Console.Error.WriteLine($"{n} silos: tick times {string.Join(", ", times.Select(x => x.ToString("0.00")))} s");
    }
    Task? work = null;
    try
    {
        work = Run();
        if (await Task.WhenAny(work, guard.Tripped) != work) throw new OperationCanceledException("stopped by the memory watchdog");
        await work;
    }
    catch (Exception e)
    {
        rows.Add(guard.StoppedAtMiB is { } left
            ? $"| {n} | {agents:N0} | **stopped by the memory watchdog in {stage}**: {left} MiB available (floor {MemoryGuard.FloorMiB}) |"
            : $"| {n} | {agents:N0} | **failed in {stage}**: {e.GetType().Name}: {e.Message.Split('\n')[0]} |");
        Console.Error.WriteLine(e);
        cluster?.PrintLogs();
    }
    finally
    {
        // Stopped while the cluster was still starting: let it finish starting (Run stops right after), so its processes are
        // stopped with it rather than left behind.
        if (cluster is null && work is { IsCompleted: false })
            try { await work; } catch (Exception) { }
        if (cluster is not null) await cluster.DisposeAsync();
    }
}

Console.WriteLine("| silos | agents | setup s | Redis keys written at start | memory per firm KiB | median tick s | ticks/s | session serial s/tick | market clearing s/tick | bytes between silos per firm-tick |");
Console.WriteLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
foreach (var r in rows) Console.WriteLine(r);
Console.WriteLine("\nPer silo, over the timed ticks:\n");
Console.WriteLine("| silos | silo | CPU s/tick | KiB/tick sent to silos | to clients | to Redis | RSS MiB after (peak) |");
Console.WriteLine("|--:|---|--:|--:|--:|--:|---|");
foreach (var r in perSilo) Console.WriteLine(r);

// The session is started from a world built for it and let go of once it has started (at a million firms this process's copy
// was ≈1.7 GiB, held through every tick though the silos hold their own): the world is built again for each silo count (it is
// deterministic), and a compacting collection gives its memory back.
// Returns the seconds StartAsync took.
static async Task<double> StartSessionAsync(ISessionGrain session, int size)
{
    var world = SyntheticWorld.Build(size).AsImmutable();
    var sw = Stopwatch.StartNew();
    await session.StartAsync(world, 7, SessionSettings.Default);
    var setup = sw.Elapsed.TotalSeconds;
    world = default;
    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    return setup;
}

int Arg(string name, int fallback) => BenchHelpers.Arg(args, name, fallback);
string? ArgS(string name) => BenchHelpers.ArgText(args, name);
