using System.Collections.Concurrent;
using System.Threading.Channels;
using MarketSim.Dashboard.Hubs;
using MarketSim.Grains;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Simulation;
using Microsoft.AspNetCore.SignalR;
using Orleans.Concurrency;

namespace MarketSim.Dashboard.Sessions;

/// <summary>
/// The one grain observer of this web host: receives frames pushed by session grains and forwards them, in tick order and
/// without gaps, to the SignalR group of their session. Observer calls are one-way and may arrive out of order, so each
/// session has a queue and a next-expected tick; a gap is filled from the grain's history.
/// </summary>
public sealed class FrameRelay(IGrainFactory grains, IHubContext<SimulationHub> hub, ILogger<FrameRelay> log)
    : ISessionObserver, IHostedService
{
    sealed record Item(Frame? Frame, DateTimeOffset At);

    sealed class Feed
    {
        public readonly Channel<Item> Queue = Channel.CreateUnbounded<Item>(new() { SingleReader = true });
        public int NextTick;
    }

    readonly ConcurrentDictionary<string, Feed> _feeds = new(StringComparer.Ordinal);
    ISessionObserver? _self;
    Timer? _renew;

    /// <summary>Raised after a frame went to the hub group (in-process listeners such as the latency bench).</summary>
    public event Action<string, Frame>? Relayed;

    public async Task WatchAsync(string sessionId)
    {
        var grain = grains.GetSession(sessionId);
        var feed = _feeds.GetOrAdd(sessionId, id =>
        {
            var f = new Feed();
            _ = Task.Run(() => PumpAsync(id, f));
            return f;
        });
        feed.NextTick = await grain.GetTickAsync();
        await grain.SubscribeAsync(Self);
    }

    /// <summary>Stops relaying a session's frames (it ended).</summary>
    public async Task UnwatchAsync(string sessionId)
    {
        if (_feeds.TryRemove(sessionId, out var feed)) feed.Queue.Writer.TryComplete();
        try { await grains.GetSession(sessionId).UnsubscribeAsync(Self); }
        catch (Exception e) { log.LogWarning(e, "Could not unsubscribe from session {Session}", sessionId); }
    }

    ISessionObserver Self => _self ??= grains.CreateObjectReference<ISessionObserver>(this);

    public void OnFrame(string sessionId, Immutable<Frame> frame)
    {
        if (_feeds.TryGetValue(sessionId, out var feed)) feed.Queue.Writer.TryWrite(new Item(frame.Value, DateTimeOffset.UtcNow));
    }

    public void OnRestarted(string sessionId)
    {
        if (_feeds.TryGetValue(sessionId, out var feed)) feed.Queue.Writer.TryWrite(new Item(null, DateTimeOffset.UtcNow));
    }

    async Task PumpAsync(string sessionId, Feed feed)
    {
        var group = hub.Clients.Group(SimulationHub.GroupOf(sessionId));
        await foreach (var item in feed.Queue.Reader.ReadAllAsync())
        {
            try
            {
                if (item.Frame is not { } frame)
                {
                    feed.NextTick = 0;
                    await group.SendAsync(HubMessages.Reset, sessionId);
                    continue;
                }
                if (frame.Tick < feed.NextTick) continue; // already sent (gap fill or a duplicate)
                if (frame.Tick > feed.NextTick)
                {
                    var missed = (await grains.GetSession(sessionId).GetFramesAsync(feed.NextTick)).Value;
                    foreach (var m in missed.Where(m => m.Tick < frame.Tick)) await SendAsync(sessionId, group, m, item.At);
                }
                await SendAsync(sessionId, group, frame, item.At);
                feed.NextTick = frame.Tick + 1;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Could not relay a frame of session {Session}", sessionId);
            }
        }
    }

    async Task SendAsync(string sessionId, IClientProxy group, Frame frame, DateTimeOffset at)
    {
        await group.SendAsync(HubMessages.Frame, new FrameMessage(sessionId, frame, at));
        Relayed?.Invoke(sessionId, frame);
    }

    public Task StartAsync(CancellationToken ct)
    {
        // Subscriptions expire on the grain side; renewing them also re-attaches after a session grain was reactivated.
        _renew = new Timer(_ => _ = RenewAsync(), null, SessionObservers.RenewEvery, SessionObservers.RenewEvery);
        return Task.CompletedTask;
    }

    async Task RenewAsync()
    {
        foreach (var id in _feeds.Keys)
        {
            try { await grains.GetSession(id).SubscribeAsync(Self); }
            catch (Exception e) { log.LogWarning(e, "Could not renew the frame subscription of session {Session}", id); }
        }
    }

    public Task StopAsync(CancellationToken ct)
    {
        _renew?.Dispose();
        foreach (var f in _feeds.Values) f.Queue.Writer.TryComplete();
        return Task.CompletedTask;
    }
}
