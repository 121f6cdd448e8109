using MarketSim.Grains;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Simulation;
using Orleans;
using Orleans.Concurrency;
using Xunit.Abstractions;

namespace MarketSim.Cluster.Tests;

/// <summary>
/// Real processes on loopback: Redis and three silos (LocalCluster), this test process as a client. The default scenario runs
/// through the cluster while a silo is killed, stopped or Redis restarts; its CSV must equal an uninterrupted run's.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class CrashTests(LocalCluster cluster, ITestOutputHelper output) : IClassFixture<LocalCluster>
{
    static int Days => DefaultScenario.World.Days;

    async Task<ISessionGrain> StartAsync(string name, int runTo, SessionSettings? settings = null)
    {
        await cluster.EnsureThreeAsync();
        var world = DefaultScenario.World;
        var session = cluster.Client.GetGrain<ISessionGrain>(name + "-" + Guid.NewGuid().ToString("N")[..6]);
        await Retry(async () => { await session.StartAsync(world.AsImmutable(), world.Seed, settings ?? SessionSettings.Default); return 0; });
        await Retry(() => session.RunToAsync(runTo));
        return session;
    }

    /// <summary>Asks again while the cluster answers "silo gone" or not at all, as SimulationRunner does.</summary>
    async Task<T> Retry<T>(Func<Task<T>> call)
    {
        var until = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try { return await call(); }
            catch (Exception e) when (SimulationRunner.IsTransient(e) && DateTime.UtcNow < until)
            {
                output.WriteLine($"retry after {e.GetType().Name}: {e.Message}");
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Waits until the session, running in the background, is past <paramref name="tick"/>; fails when it does not get there in 60 s.</summary>
    static async Task WaitForTickAsync(ISessionGrain session, int tick)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        int now;
        while ((now = await session.GetTickAsync()) < tick)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"session {session.GetPrimaryKeyString()} at tick {now}, not {tick}, after 60 s");
            await Task.Delay(2);
        }
    }

    /// <summary>The silos' log lines about this session only (the log holds every test of the class).</summary>
    List<string> SessionLog(ISessionGrain session)
    {
        var id = $"Session {session.GetPrimaryKeyString()}";
        return cluster.Logs.Split('\n').Where(l => l.Contains(id + " ", StringComparison.Ordinal) || l.Contains(id + ":", StringComparison.Ordinal)).ToList();
    }

    async Task<IReadOnlyList<Frame>> FinishAsync(ISessionGrain session, Task<int> running)
    {
        try { await running; }
        catch (Exception e) { output.WriteLine($"the call in flight failed: {e.GetType().Name}: {e.Message}"); }
        await Retry(() => session.RunToAsync(Days));
        return (await Retry(() => session.GetFramesAsync(0))).Value;
    }

    [Fact]
    public async Task Kill_9_of_the_silo_hosting_the_session_mid_run_gives_the_same_csv()
    {
        var session = await StartAsync("kill", 100);
        var victim = cluster.Hosting(await session.GetSiloAsync());
        var running = session.RunToAsync(Days);
        // Kill as soon as the call has run its first tick: waiting for a later tick left a window in which a fast run could
        // finish first (seen once); 264 ticks cannot run between two polls 2 ms apart.
        await WaitForTickAsync(session, 101);
        Assert.False(running.IsCompleted, "the run ended before the kill; the test would prove nothing");
        var killedAt = await session.GetTickAsync();
        victim.Kill();
        output.WriteLine($"killed {victim.Name} (silo port {victim.SiloPort}) at tick {killedAt}");

        var frames = await FinishAsync(session, running);
        DefaultScenario.AssertSameCsv(frames);
        var now = await session.GetSiloAsync();
        Assert.False(victim.Hosts(now), "the session still claims the killed silo");
        // The new activation of this session came back from a committed checkpoint: the session had reached tick 100 before
        // the kill and checkpoints are every 30 ticks, so it resumed at tick 90 or later (a fresh activation would be at 0).
        var log = SessionLog(session);
        output.WriteLine(string.Join("\n", log));
        var resumedAt = log.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"activated at tick (\d+)"))
            .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.True(resumedAt.Any(t => t >= 90 && t <= killedAt + SessionSettings.Default.CheckpointEvery),
            $"no activation of this session from a checkpoint after the kill at tick {killedAt}; activations at: {string.Join(", ", resumedAt)}");
    }

    [Fact]
    public async Task Kill_9_of_a_silo_hosting_only_members_rolls_back_and_gives_the_same_csv()
    {
        // Markets, countries and the first shard live beside the session; nine shards of 8 agents put the others on the
        // other two silos in turn.
        var session = await StartAsync("member", 50, SessionSettings.Default with { AgentsPerShard = 8 });
        var silos = await session.GetSilosAsync();
        var sessionSilo = await session.GetSiloAsync();
        var victim = cluster.Silos.FirstOrDefault(s => s.Running && !s.Hosts(sessionSilo) && silos.Any(s.Hosts));
        Assert.NotNull(victim);
        var running = session.RunToAsync(Days);
        await WaitForTickAsync(session, 95);
        victim!.Kill();
        var frames = await FinishAsync(session, running);
        DefaultScenario.AssertSameCsv(frames);
        var log = SessionLog(session);
        Assert.True(log.Any(l => l.Contains("rolling back to the checkpoint", StringComparison.Ordinal)),
            "this session did not roll back to its checkpoint:\n" + string.Join("\n", log));
    }

    [Fact]
    public async Task Graceful_stop_of_the_silo_hosting_the_session_hands_it_over_with_no_gap_in_ticks()
    {
        var session = await StartAsync("term", 100);
        var leaving = cluster.Hosting(await session.GetSiloAsync());
        var running = session.RunToAsync(Days);
        await WaitForTickAsync(session, 140);
        leaving.Terminate();
        Assert.True(leaving.WaitForExit(TimeSpan.FromSeconds(60)), "the silo did not stop within 60 s:\n" + leaving.Log[^Math.Min(6000, leaving.Log.Length)..]);
        Assert.Equal(0, leaving.ExitCode);

        var frames = await FinishAsync(session, running);
        // Every tick once, in order, equal to the uninterrupted run.
        DefaultScenario.AssertSameCsv(frames);
        Assert.False(leaving.Hosts(await session.GetSiloAsync()));
    }

    [Fact]
    public async Task Redis_restarted_during_a_run_the_run_recovers_with_the_same_csv()
    {
        await cluster.EnsureThreeAsync();
        var world = DefaultScenario.World;
        var retries = 0;
        var runner = new SimulationRunner(cluster.Client) { ChunkTicks = 5, OnRetry = _ => Interlocked.Increment(ref retries) };
        Task? outage = null;
        var progress = new Inline(tick =>
        {
            if (tick < 120 || outage is not null) return;
            outage = Task.Run(async () =>
            {
                cluster.Redis.Stop();
                output.WriteLine("redis stopped");
                await Task.Delay(TimeSpan.FromSeconds(3));
                cluster.Redis.Start();
                output.WriteLine("redis started again");
            });
        });
        var frames = await runner.RunAsync(world, world.Seed, Days, progress: progress);
        await outage!;
        DefaultScenario.AssertSameCsv(frames);
        output.WriteLine($"client retries: {retries}");
    }

    [Fact]
    public async Task Silos_report_healthy_and_log_the_session_id()
    {
        await cluster.EnsureThreeAsync();
        foreach (var s in cluster.Silos)
        {
            var (code, body) = await s.HealthAsync();
            Assert.Equal(200, code);
            Assert.StartsWith("active", body);
            Assert.Contains("members 3", body); // every silo sees the other two
        }
        var session = await StartAsync("logs", 31);
        Assert.Equal(31, await session.GetTickAsync());
        Assert.Contains(session.GetPrimaryKeyString(), cluster.Logs);
    }

    sealed class Inline(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
