using System.Reflection;
using MarketSim.Classrooms;
using MarketSim.Dashboard.Classrooms;
using MarketSim.Dashboard.Sessions;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// A round whose run fails (the silo overloaded, storage down) still opens the next round where the world is; in a timed class
/// that round must have its timer, or the countdown students see runs past zero and nothing happens until the teacher acts.
/// </summary>
public class ClassroomStepFailureTests
{
    /// <summary>A session grain whose first step fails and whose later steps run.</summary>
    public class FailingOnceGrain : DispatchProxy
    {
        public int Tick;
        public int StepCalls;

        protected override object? Invoke(MethodInfo? method, object?[]? args) => method!.Name switch
        {
            nameof(ISessionGrain.StepAsync) => Step((int)args![0]!),
            nameof(ISessionGrain.GetTickAsync) => Task.FromResult(Tick),
            _ => throw new NotSupportedException(method.Name),
        };

        Task<int> Step(int ticks)
        {
            if (Interlocked.Increment(ref StepCalls) == 1) return Task.FromException<int>(new InvalidOperationException("storage unavailable"));
            Tick += ticks;
            return Task.FromResult(Tick);
        }
    }

    /// <summary>A session grain whose steps run.</summary>
    public class SteppingGrain : DispatchProxy
    {
        public int Tick;

        protected override object? Invoke(MethodInfo? method, object?[]? args) => method!.Name switch
        {
            nameof(ISessionGrain.StepAsync) => Task.FromResult(Tick += (int)args![0]!),
            nameof(ISessionGrain.GetTickAsync) => Task.FromResult(Tick),
            _ => throw new NotSupportedException(method.Name),
        };
    }

    [Fact]
    public async Task A_round_refused_for_memory_stays_open_as_it_was_and_runs_once_memory_is_back()
    {
        // Refused before the round closes: before a review (Dec 2026) the round closed, its decisions were applied, no day ran,
        // and the next round opened at the same tick.
        var scenario = ScenarioLoader.LoadOrThrow(Path.Combine(Paths.RepoRoot, "scenarios", "china-japan-2026.yaml"));
        var grain = DispatchProxy.Create<ISessionGrain, SteppingGrain>();
        var fake = (SteppingGrain)(object)grain;
        var over = true;
        var session = new SessionEntry
        {
            Id = "s", Title = "t", Scenario = scenario, Yaml = "", Seed = 7, Grain = grain,
            Runner = new SessionRunner("s", grain, scenario, 7, _ => { }, NullLogger.Instance,
                overBudget: () => over ? "this server's sessions hold 9 MB, over its memory budget of 1 MB (MaxHeapMegabytes)" : null),
        };
        var room = new Classroom("ABC235", "teacher", scenario, 7, new ClassroomSettings { RoundTicks = 10 });
        await using var host = new ClassroomHost(room, session, ("k", new SharedBaseline(scenario, 7)), TimeProvider.System, _ => { }, _ => { },
            NullLogger.Instance);
        await host.StartAsync("teacher");

        var e = await Assert.ThrowsAsync<MarketSim.Dashboard.Security.QuotaException>(() => host.AdvanceAsync("teacher"));
        Assert.StartsWith("memory: this server's sessions hold", e.Message);
        Assert.Equal((ClassroomPhase.Open, 1, 0), (room.Phase, room.Round, fake.Tick));

        over = false;
        Assert.Equal(10, await host.AdvanceAsync("teacher"));
        Assert.Equal((ClassroomPhase.Open, 2), (room.Phase, room.Round));
    }

    [Fact]
    public async Task A_timed_round_whose_run_failed_opens_the_next_with_its_timer_which_advances_it()
    {
        var scenario = ScenarioLoader.LoadOrThrow(Path.Combine(Paths.RepoRoot, "scenarios", "china-japan-2026.yaml"));
        var grain = DispatchProxy.Create<ISessionGrain, FailingOnceGrain>();
        var fake = (FailingOnceGrain)(object)grain;
        var session = new SessionEntry
        {
            Id = "s", Title = "t", Scenario = scenario, Yaml = "", Seed = 7, Grain = grain,
            Runner = new SessionRunner("s", grain, scenario, 7, _ => { }, NullLogger.Instance),
        };
        var room = new Classroom("ABC234", "teacher", scenario, 7, new ClassroomSettings { RoundSeconds = 1, RoundTicks = 10 });
        await using var host = new ClassroomHost(room, session, ("k", new SharedBaseline(scenario, 7)), TimeProvider.System, _ => { }, _ => { },
            NullLogger.Instance);
        await host.StartAsync("teacher");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.AdvanceAsync("teacher"));
        Assert.Equal("storage unavailable", e.Message);
        Assert.Equal((ClassroomPhase.Open, 2), (room.Phase, room.Round)); // the next round is open where the world is
        Assert.NotNull(room.Deadline);

        // Its timer closes it (a second, then the step runs) without the teacher.
        var until = DateTime.UtcNow.AddSeconds(20);
        while (room.Round < 3 && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.True(room.Round >= 3, $"round {room.Round}: the timer did not advance the class");
        Assert.True(fake.Tick >= 10);
    }
}
