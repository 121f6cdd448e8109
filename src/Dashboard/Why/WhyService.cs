using System.Diagnostics;
using MarketSim.Dashboard.Security;
using MarketSim.Dashboard.Sessions;
using MarketSim.Model.Attribution;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Why;

/// <summary>Runs done so far and how many there are, read by the page while the work goes on (written from several threads).</summary>
public sealed class WhyProgress : IProgress<int>
{
    int _done, _total;
    public int Done => Volatile.Read(ref _done);
    /// <summary>0 until the runs are planned.</summary>
    public int Total => Volatile.Read(ref _total);
    internal void Plan(int total) => Volatile.Write(ref _total, total);

    public void Report(int value)
    {
        // Runs finish out of order: keep the highest count reported.
        for (var seen = Done; value > seen; seen = Done)
            if (Interlocked.CompareExchange(ref _done, value, seen) == seen) return;
    }
}

/// <summary>The loss of the session's first <see cref="Days"/> days split among its policies (<see cref="PolicyAttribution"/>).</summary>
/// <param name="Days">Days split: ticks 0 .. Days − 1, the session's run so far when it was asked.</param>
public sealed record WhyAttribution(WhyPlan Plan, AttributionResult Result, ulong Seed, int Days, ScenarioSpec World, TimeSpan Elapsed, int Threads)
{
    public DateOnly From => World.StartDate;
    public DateOnly To => World.DateOf(Days - 1);

    public AttributionRow Row(string country, string metric, int player) =>
        Result.Rows.First(r => r.Country == country && r.Metric == metric && r.Player == Result.Game.Players[player].Name);

    public AttributionRow Total(string country, string metric) =>
        Result.Rows.First(r => r.Country == country && r.Metric == metric && r.Player == "total");
}

/// <summary>The session's run so far against the same scenario with some policies off, same seed and days (<see cref="BaselineComparison"/>).</summary>
/// <param name="Off">The policies switched off in the baseline.</param>
public sealed record WhyComparison(IReadOnlyList<BaselineRow> Rows, IReadOnlyList<string> Off, int Days, ScenarioSpec World, TimeSpan Elapsed)
{
    public DateOnly From => World.StartDate;
    public DateOnly To => World.DateOf(Days - 1);
}

/// <summary>
/// The session page's "Why" panel's computations, off the request thread: an attribution's counterfactual runs on threads of
/// its own (<see cref="DedicatedThreads"/>, <see cref="DashboardLimits.AttributionThreads"/> at a time), a comparison's one
/// run on a long-running thread. Both read the session as it stands (its grain's timeline, live changes included, seed and
/// tick) and run on the reference runner, which gives the grains' frames byte for byte. <see cref="WhyGate"/> bounds how
/// many run at once; cancelling the token stops the runs within a simulated day.
/// </summary>
public sealed class WhyService(SessionDirectory sessions, DashboardLimits limits, ILogger<WhyService> log)
{
    public WhyGate Gate { get; } = new(limits);

    public int Threads => limits.AttributionThreads > 0 ? limits.AttributionThreads : Environment.ProcessorCount;

    public async Task<WhyAttribution> AttributeAsync(string sessionId, WhyProgress progress, CancellationToken cancel)
    {
        using var place = Gate.Enter(sessionId, WhyKind.Attribution);
        var (s, replay) = await ReadAsync(sessionId);
        var (plan, error) = WhyPlan.For(replay.Scenario, replay.Tick);
        if (plan is null) throw new WhyException(error!);
        progress.Plan(plan.Runs);
        var threads = Threads;
        var clock = Stopwatch.StartNew();
        AttributionResult result;
        using (var scheduler = new DedicatedThreads(threads, $"why {s.Id}"))
            result = await Unwrap(Task.Factory.StartNew(
                () => PolicyAttribution.Run(replay.Scenario, plan.Game, replay.Seed, replay.Tick, samples: null, threads, progress, cancel, scheduler),
                cancel, TaskCreationOptions.None, scheduler));
        log.LogInformation("Why: session {Session}, {Runs} runs of {Days} days on {Threads} threads in {Seconds:0.0} s",
            s.Id, result.Runs, replay.Tick, threads, clock.Elapsed.TotalSeconds);
        return new WhyAttribution(plan, result, replay.Seed, replay.Tick, replay.Scenario, clock.Elapsed, threads);
    }

    /// <summary>The session so far (its own frames) against its scenario without <paramref name="off"/>.</summary>
    public async Task<WhyComparison> CompareAsync(string sessionId, IReadOnlyCollection<string> off, CancellationToken cancel)
    {
        using var place = Gate.Enter(sessionId, WhyKind.Comparison);
        var (s, replay) = await ReadAsync(sessionId);
        var world = replay.Scenario;
        var days = replay.Tick;
        if (off.Count == 0) throw new WhyException("Tick at least one policy to switch off in the baseline.");
        if (Counterfactual.Unknown(world, off) is [var gone, ..]) throw new WhyException($"The session has no policy \"{gone}\" any more (was it reset?).");

        var clock = Stopwatch.StartNew();
        // As run: the session's own frames up to the tick the replay was read at, a page at a time.
        var run = new OutcomeAccumulator(world);
        var next = 0;
        while (next < days)
        {
            cancel.ThrowIfCancellationRequested();
            var page = (await s.Grain.GetFramePageAsync(next, limits.MaxFramesPerCall)).Value;
            if (page.Count == 0) break;
            foreach (var f in page.TakeWhile(f => f.Tick < days)) run.Add(f);
            next = page[^1].Tick + 1;
        }
        if (next < days) throw new WhyException("The session was reset meanwhile: ask again.");
        var baseline = await Unwrap(Task.Factory.StartNew(
            () => OutcomeAccumulator.Simulate(Counterfactual.Without(world, off), replay.Seed, days, cancel),
            cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        var rows = BaselineComparison.Compare(run.Build(), baseline);
        return new WhyComparison(rows, off.ToList(), days, world, clock.Elapsed);
    }

    async Task<(SessionEntry Session, MarketSim.Grains.Interfaces.SessionReplay Replay)> ReadAsync(string sessionId)
    {
        var s = await sessions.FindOrAdoptAsync(sessionId) ?? throw new WhyException($"No session \"{sessionId}\".");
        var replay = await s.Grain.GetReplayAsync();
        if (replay.Tick == 0) throw new WhyException("Nothing has run yet: play or step the session first.");
        return (s, replay);
    }

    /// <summary>Parallel.For reports a cancellation as an AggregateException of cancellations: one OperationCanceledException.</summary>
    static async Task<T> Unwrap<T>(Task<T> task)
    {
        try { return await task; }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.All(x => x is OperationCanceledException))
        {
            throw new OperationCanceledException("cancelled", e);
        }
    }
}
