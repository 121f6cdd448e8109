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
/// without gaps, to the SignalR group of their session (programs outside) and to the in-process listeners of the session
/// (the pages, <see cref="Live.LiveFeed"/>). Observer calls are one-way and may arrive out of order, so each session has a
/// queue and a next-expected tick; a gap is filled from the grain's history. Status, policy changes and "ended" go the
/// same two ways (<see cref="PublishStatusAsync"/> …), so a page and a hub client see the same messages.
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
    // Listeners per session, copied on write: the pump reads them on every frame without a lock.
    readonly ConcurrentDictionary<string, ISessionListener[]> _listeners = new(StringComparer.Ordinal);
    readonly object _listenersGate = new();
    ISessionObserver? _self;
    Timer? _renew;

    /// <summary>
    /// Calls <paramref name="listener"/> with the session's messages from now on until the result is disposed. The calls
    /// come on the relay's threads (frames in tick order, from the session's one pump) and must not block: a listener
    /// buffers and returns.
    /// </summary>
    public IDisposable Listen(string sessionId, ISessionListener listener)
    {
        lock (_listenersGate) _listeners[sessionId] = [.. _listeners.GetValueOrDefault(sessionId) ?? [], listener];
        return new Listening(this, sessionId, listener);
    }

    sealed class Listening(FrameRelay relay, string sessionId, ISessionListener listener) : IDisposable
    {
        int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            lock (relay._listenersGate)
            {
                var left = (relay._listeners.GetValueOrDefault(sessionId) ?? []).Where(l => !ReferenceEquals(l, listener)).ToArray();
                if (left.Length == 0) relay._listeners.TryRemove(sessionId, out _);
                else relay._listeners[sessionId] = left;
            }
        }
    }

    /// <summary>In-process listeners of a session (tests: a closed page leaves none behind).</summary>
    internal int ListenerCount(string sessionId) => _listeners.GetValueOrDefault(sessionId)?.Length ?? 0;

    ISessionListener[] ListenersOf(string sessionId) => _listeners.GetValueOrDefault(sessionId) ?? [];

    /// <summary>A session's status changed (its runner): to its hub group and its listeners.</summary>
    public Task PublishStatusAsync(SessionStatus status)
    {
        foreach (var l in ListenersOf(status.SessionId)) Safely(l, x => x.OnStatus(status));
        return hub.Clients.Group(SimulationHub.GroupOf(status.SessionId)).SendAsync(HubMessages.Status, status);
    }

    /// <summary>A session's timeline changed (a live change): to its hub group and its listeners.</summary>
    public Task PublishPolicyChangedAsync(PolicyChangeMessage message)
    {
        foreach (var l in ListenersOf(message.SessionId)) Safely(l, x => x.OnPolicyChanged(message));
        return hub.Clients.Group(SimulationHub.GroupOf(message.SessionId)).SendAsync(HubMessages.PolicyChanged, message);
    }

    /// <summary>A session was ended: to its hub group (pages of it show what they hold; nothing more comes).</summary>
    public Task PublishEndedAsync(string sessionId) => hub.Clients.Group(SimulationHub.GroupOf(sessionId)).SendAsync(HubMessages.Ended, sessionId);

    // One listener's bug must not stop the session's relay for the others.
    void Safely(ISessionListener listener, Action<ISessionListener> call)
    {
        try { call(listener); }
        catch (Exception e) { log.LogWarning(e, "A frame listener failed"); }
    }

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
                    foreach (var l in ListenersOf(sessionId)) Safely(l, x => x.OnReset(sessionId));
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
        // Listeners first: they only buffer, so a slow hub client does not delay the pages.
        foreach (var l in ListenersOf(sessionId)) Safely(l, x => x.OnFrame(sessionId, frame));
        await group.SendAsync(HubMessages.Frame, new FrameMessage(sessionId, frame, at));
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

/// <summary>
/// An in-process reader of a session's messages (<see cref="FrameRelay.Listen"/>): the same messages a hub client gets,
/// without serialising them. Called on the relay's threads; implementations buffer and return at once.
/// </summary>
public interface ISessionListener
{
    /// <summary>The session's next frame: in tick order and without gaps since the last reset (a tick may repeat one the
    /// listener read from the history).</summary>
    void OnFrame(string sessionId, Frame frame);
    /// <summary>The session restarted at tick 0: drop its frames.</summary>
    void OnReset(string sessionId);
    void OnStatus(SessionStatus status);
    void OnPolicyChanged(PolicyChangeMessage message);
}
