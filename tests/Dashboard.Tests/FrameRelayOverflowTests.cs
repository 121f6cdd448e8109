using System.Reflection;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Sessions;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Simulation;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Concurrency;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// A session's relay queue is bounded and drops its oldest frames when full (a reader that stalls must not make the web host
/// hold a whole run). The frames it dropped are fetched again from the session's history, so a listener still gets every
/// tick, once and in order. The relay runs here against a session grain that only serves its history.
/// </summary>
public class FrameRelayOverflowTests
{
    /// <summary>A session grain that holds frames 0 … n−1 and answers what the relay asks of it.</summary>
    public class HistoryGrain : DispatchProxy
    {
        public List<Frame> History = [];

        protected override object? Invoke(MethodInfo? method, object?[]? args) => method!.Name switch
        {
            nameof(ISessionGrain.GetTickAsync) => Task.FromResult(0),
            nameof(ISessionGrain.SubscribeAsync) or nameof(ISessionGrain.UnsubscribeAsync) => Task.CompletedTask,
            nameof(ISessionGrain.GetFramesAsync) => Task.FromResult(
                new Immutable<IReadOnlyList<Frame>>(History.Where(f => f.Tick >= (int)args![0]!).ToList())),
            _ => throw new NotSupportedException(method.Name),
        };
    }

    /// <summary>The grain factory the relay uses: one session grain, and the relay itself as its observer reference.</summary>
    public class Factory : DispatchProxy
    {
        public object? Session;

        protected override object? Invoke(MethodInfo? method, object?[]? args) => method!.Name switch
        {
            nameof(IGrainFactory.GetGrain) => Session,
            nameof(IGrainFactory.CreateObjectReference) => args![0],
            _ => throw new NotSupportedException(method.Name),
        };
    }

    /// <summary>Hub clients that accept every send (the relay posts to the session's group and does not wait).</summary>
    public class Clients : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? method, object?[]? args) => method!.Name switch
        {
            nameof(IClientProxy.SendCoreAsync) => Task.CompletedTask,
            _ => DispatchProxy.Create<IClientProxy, Clients>(),
        };
    }

    sealed class Hub : IHubContext<SimulationHub>
    {
        public IHubClients Clients { get; } = DispatchProxy.Create<IHubClients, Clients>();
        public IGroupManager Groups => throw new NotSupportedException();
    }

    /// <summary>Records the ticks it is given; the first call blocks until released (a reader that stalled).</summary>
    sealed class StalledListener : ISessionListener
    {
        public readonly ManualResetEventSlim Release = new(false);
        public readonly ManualResetEventSlim Stalled = new(false);
        public readonly List<int> Ticks = [];

        public void OnFrame(string sessionId, Frame frame)
        {
            if (Ticks.Count == 0)
            {
                Stalled.Set();
                Release.Wait(TimeSpan.FromSeconds(60));
            }
            lock (Ticks) Ticks.Add(frame.Tick);
        }

        public void OnReset(string sessionId) { }
        public void OnEnded(string sessionId) { }
        public void OnStatus(SessionStatus status) { }
        public void OnPolicyChanged(PolicyChangeMessage message) { }
    }

    static Frame FrameAt(int tick) => new(tick, new DateOnly(2026, 1, 1).AddDays(tick), [], [], [], [], [], [], [], []);

    [Fact]
    public async Task Frames_dropped_from_a_full_queue_reach_the_listener_from_the_history_in_order()
    {
        const int ticks = FrameRelay.QueueCapacity + 500;
        var grain = DispatchProxy.Create<ISessionGrain, HistoryGrain>();
        ((HistoryGrain)(object)grain).History = Enumerable.Range(0, ticks).Select(FrameAt).ToList();
        var factory = DispatchProxy.Create<IGrainFactory, Factory>();
        ((Factory)(object)factory).Session = grain;
        var relay = new FrameRelay(factory, new Hub(), NullLogger<FrameRelay>.Instance);
        var listener = new StalledListener();
        using var listening = relay.Listen("s", listener);
        await relay.WatchAsync("s");

        // Tick 0 reaches the listener, which stalls; the other ticks arrive meanwhile and overflow the queue.
        relay.OnFrame("s", new Immutable<Frame>(FrameAt(0)));
        Assert.True(listener.Stalled.Wait(TimeSpan.FromSeconds(30)), "the first frame never reached the listener");
        for (int t = 1; t < ticks; t++) relay.OnFrame("s", new Immutable<Frame>(FrameAt(t)));
        listener.Release.Set();

        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            lock (listener.Ticks) if (listener.Ticks.Count >= ticks) break;
            await Task.Delay(20);
        }
        await Task.Delay(200); // nothing more may come: each tick once
        lock (listener.Ticks) Assert.Equal(Enumerable.Range(0, ticks), listener.Ticks);
        await relay.UnwatchAsync("s");
    }
}
