using System.Reflection;
using MarketSim.Dashboard.Sessions;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// A step whose grain call times out on an overloaded silo: the grain is still running the ticks. The runner must end up at
/// the tick the grain reaches, not open the next round at a stale one; and when the grain stays out of reach, say so.
/// </summary>
public class SessionRunnerTimeoutTests
{
    /// <summary>A session grain that times out on StepAsync (having run the ticks all the same) and answers RunTo as told.</summary>
    public class SlowGrain : DispatchProxy
    {
        public int Tick;
        public int RunToTimeouts;
        public int RunToCalls;

        protected override object? Invoke(MethodInfo? method, object?[]? args) => method!.Name switch
        {
            nameof(ISessionGrain.StepAsync) => StepTimesOut((int)args![0]!),
            nameof(ISessionGrain.RunToAsync) => RunTo((int)args![0]!),
            nameof(ISessionGrain.GetTickAsync) => Task.FromResult(Tick),
            _ => throw new NotSupportedException(method.Name),
        };

        Task<int> StepTimesOut(int ticks)
        {
            Tick += ticks; // the grain finishes the ticks after its caller gave up waiting
            return Task.FromException<int>(new TimeoutException("Response did not arrive on time"));
        }

        Task<int> RunTo(int target)
        {
            RunToCalls++;
            if (RunToCalls <= RunToTimeouts) return Task.FromException<int>(new TimeoutException("Response did not arrive on time"));
            Tick = Math.Max(Tick, target);
            return Task.FromResult(Tick);
        }
    }

    static (SessionRunner Runner, SlowGrain Grain) Runner(int runToTimeouts)
    {
        var grain = DispatchProxy.Create<ISessionGrain, SlowGrain>();
        var slow = (SlowGrain)(object)grain;
        slow.RunToTimeouts = runToTimeouts;
        var scenario = ScenarioLoader.LoadOrThrow(Path.Combine(Paths.RepoRoot, "scenarios", "china-japan-2026.yaml"));
        return (new SessionRunner("s", grain, scenario, 7, _ => { }, NullLogger.Instance), slow);
    }

    [Fact]
    public async Task A_timed_out_step_waits_for_the_grain_and_ends_at_the_tick_it_was_asked_for()
    {
        var (runner, grain) = Runner(runToTimeouts: 1);
        await runner.StepAsync(30);
        Assert.Equal(30, runner.Status.Tick);
        Assert.Equal(2, grain.RunToCalls); // one more timeout, then the answer
        await runner.StepAsync(30);
        Assert.Equal(60, runner.Status.Tick);
    }

    [Fact]
    public async Task A_grain_out_of_reach_gives_the_timeout_and_the_tick_it_reached()
    {
        var (runner, grain) = Runner(runToTimeouts: 10);
        await Assert.ThrowsAsync<TimeoutException>(() => runner.StepAsync(30));
        Assert.Equal(3, grain.RunToCalls); // a bounded number of tries
        Assert.Equal(30, runner.Status.Tick); // where the grain is, not 0
    }
}
