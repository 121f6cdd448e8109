using System.Diagnostics;
using System.Text.Json;
using MarketSim.Bench.Shared;
using MarketSim.Grains;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using Orleans.Concurrency;

namespace MarketSim.Bench.Cluster;

/// <summary>
/// A shipped scenario's whole run (the default: a year) on 1 and 3 silo processes, driven as `marketsim run --cluster` drives
/// it (SimulationRunner: start, 30-tick chunks, read the frames, end), against the reference runner in this process. Every
/// frame is compared with the reference run's, as JSON.
/// </summary>
static class ScenarioYear
{
    static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static async Task RunAsync(string path, int[] siloCounts, int reps)
    {
        var world = ScenarioLoader.LoadOrThrow(path);
        var days = world.Days;
        var seed = world.Seed;
        new ReferenceRunner(world, seed).Run(days).ToList(); // JIT
        var refTimes = new List<double>();
        List<Frame> reference = [];
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            reference = new ReferenceRunner(world, seed).Run(days).ToList();
            refTimes.Add(sw.Elapsed.TotalSeconds);
        }
        var expected = reference.Select(f => JsonSerializer.Serialize(f, Json)).ToList();
        var rows = new List<string> { $"| reference runner (this process) | {days} | – | {Median(refTimes):0.00} | {string.Join(", ", refTimes.Select(t => t.ToString("0.00")))} | – / {Median(refTimes):0.00} / – / – | – | – | – |" };
        Console.Error.WriteLine(rows[^1]);

        foreach (var n in siloCounts)
        {
            var sw = Stopwatch.StartNew();
            await using var cluster = await BenchCluster.StartAsync(n);
            var up = sw.Elapsed.TotalSeconds;
            try
            {
                var runner = new SimulationRunner(cluster.Grains) { RetryFor = TimeSpan.Zero };
                // Untimed runs until a session has run on every silo (JIT, first activations): a session is placed at random.
                var warmed = new HashSet<string>();
                for (int w = 0; w < 4 * n && warmed.Count < n; w++)
                {
                    await runner.RunAsync(world, seed, days, sessionId: "warm-" + w, keepSession: true);
                    var warm = cluster.Grains.GetGrain<ISessionGrain>("warm-" + w);
                    warmed.Add(await warm.GetSiloAsync());
                    await warm.EndAsync();
                }
                var endToEnd = new List<double>();
                var phases = new List<(double Start, double Ticks, double Frames, double End, double Serial, double Clear, int Hosting)>();
                var same = true;
                for (int r = 0; r < reps; r++)
                {
                    sw.Restart();
                    var frames = await runner.RunAsync(world, seed, days);
                    endToEnd.Add(sw.Elapsed.TotalSeconds);
                    same &= frames.Count == expected.Count && frames.Select((f, i) => JsonSerializer.Serialize(f, Json) == expected[i]).All(x => x);
                    // The same run by phase, as SimulationRunner makes its calls: start, 30-tick chunks, the frames, end.
                    var session = cluster.Grains.GetGrain<ISessionGrain>("phases-" + r);
                    var lap = Stopwatch.StartNew();
                    await session.StartAsync(world.AsImmutable(), seed, SessionSettings.Default);
                    var start = lap.Elapsed.TotalSeconds;
                    lap.Restart();
                    for (int tick = 0; tick < days; tick = await session.RunToAsync(Math.Min(days, tick + 30))) { }
                    var run = lap.Elapsed.TotalSeconds;
                    var timings = await session.GetTimingsAsync();
                    var hosting = (await session.GetSilosAsync()).Count;
                    lap.Restart();
                    var read = (await session.GetFramesAsync(0)).Value.Count;
                    var get = lap.Elapsed.TotalSeconds;
                    lap.Restart();
                    await session.EndAsync();
                    phases.Add((start, run, get, lap.Elapsed.TotalSeconds, timings.Serial, timings.Clear, hosting));
                    if (read != days) throw new InvalidOperationException($"{read} frames for {days} ticks");
                }
                var p = phases.OrderBy(x => x.Ticks).ElementAt(phases.Count / 2);
                rows.Add($"| {n} silo process{(n == 1 ? "" : "es")} + Redis (client in this process) | {days} | {up:0.0} | {Median(endToEnd):0.00} | " +
                    $"{string.Join(", ", endToEnd.Select(t => t.ToString("0.00")))} | {p.Start:0.00} / {p.Ticks:0.00} / {p.Frames:0.00} / {p.End:0.00} | {p.Serial:0.00} / {p.Clear:0.00} | {p.Hosting} | {(same ? "yes" : "NO")} |");
            }
            catch (Exception e)
            {
                rows.Add($"| {n} silos | {days} | {up:0.0} | **failed**: {e.GetType().Name}: {e.Message.Split('\n')[0]} | | | | | |");
                Console.Error.WriteLine(e);
                cluster.PrintLogs();
            }
            Console.Error.WriteLine(rows[^1]);
        }

        Console.WriteLine($"Scenario {Path.GetFileName(path)} ({world.Name}), seed {seed}, {days} ticks; {reps} timed runs each, after untimed runs until a session had run on every silo.\n");
        Console.WriteLine("| engine | ticks | cluster up s | end to end s (median) | end to end s (each run) | by phase s: start / ticks / frames / end (run of median ticks) | session serial / market clearing s (same run) | silos hosting | every frame = reference |");
        Console.WriteLine("|---|--:|--:|--:|---|--:|--:|--:|:-:|");
        foreach (var r in rows) Console.WriteLine(r);
    }

    static double Median(List<double> xs) => BenchHelpers.Pct(xs.Order().ToArray(), 0.5);
}
