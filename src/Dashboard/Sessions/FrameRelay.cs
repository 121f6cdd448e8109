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
/// same two ways (<see cref="PublishStatus"/> …), so a page and a hub client see the same messages.
/// Nothing here waits for a hub client: sends are handed to the hub's per-connection queues
/// (<see cref="QueuedHubLifetimeManager{THub}"/>) and not awaited, so one client that stops reading holds up neither the
/// session's other viewers nor whoever changed the session (a classroom's Advance). The queue of a session is bounded too.
/// </summary>
public sealed class FrameRelay(IGrainFactory grains, IHubContext<SimulationHub> hub, ILogger<FrameRelay> log)
    : ISessionObserver, IHostedService
{
    sealed record Item(Frame? Frame, DateTimeOffset At);

    /// <summary>Frames a session's queue holds (several seconds at the top speed); when full the oldest go, and the next
    /// frame that passes finds the gap and fills it from the grain's history, so viewers still get every tick in order.</summary>
    internal const int QueueCapacity = 1024;

    sealed class Feed
    {
        public readonly Channel<Item> Queue;
        public int NextTick;
        // A restart pushed out of a full queue: the pump restarts before the next item (every item left is newer).
        public int RestartDropped;

        public Feed() => Queue = Channel.CreateBounded<Item>(
            new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest },
            dropped => { if (dropped.Frame is null) Volatile.Write(ref RestartDropped, 1); });
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

    /// <summary>A session's status changed (its runner): to its listeners and its hub group; returns without waiting for clients.</summary>
    public void PublishStatus(SessionStatus status)
    {
        foreach (var l in ListenersOf(status.SessionId)) Safely(l, x => x.OnStatus(status));
        Post(status.SessionId, HubMessages.Status, status);
    }

    /// <summary>A session's timeline changed (a live change): to its listeners and its hub group, without waiting.</summary>
    public void PublishPolicyChanged(PolicyChangeMessage message)
    {
        foreach (var l in ListenersOf(message.SessionId)) Safely(l, x => x.OnPolicyChanged(message));
        Post(message.SessionId, HubMessages.PolicyChanged, message);
    }

    /// <summary>A session was ended (EndSession, or its classroom's end): to its listeners, so the pages showing it say so
    /// instead of waiting for frames that never come (before Dec 2026 only the hub's clients were told), and to its hub group.</summary>
    public void PublishEnded(string sessionId)
    {
        foreach (var l in ListenersOf(sessionId)) Safely(l, x => x.OnEnded(sessionId));
        Post(sessionId, HubMessages.Ended, sessionId);
    }

    /// <summary>
    /// Hands a message to the session's hub group and returns: the send is not awaited (the hub queues it per connection,
    /// and a client that falls behind is disconnected there). A failure is logged.
    /// </summary>
    void Post(string sessionId, string method, object message) =>
        GroupPost.Post(hub.Clients.Group(SimulationHub.GroupOf(sessionId)), method, message, log, $"session {sessionId}");

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
        await foreach (var item in feed.Queue.Reader.ReadAllAsync())
        {
            try
            {
                if (Interlocked.Exchange(ref feed.RestartDropped, 0) != 0) Restart(sessionId, feed);
                if (item.Frame is not { } frame)
                {
                    Restart(sessionId, feed);
                    continue;
                }
                if (frame.Tick < feed.NextTick) continue; // already sent (gap fill or a duplicate)
                if (frame.Tick > feed.NextTick)
                {
                    var missed = (await grains.GetSession(sessionId).GetFramesAsync(feed.NextTick)).Value;
                    foreach (var m in missed.Where(m => m.Tick < frame.Tick)) Send(sessionId, m, item.At);
                }
                Send(sessionId, frame, item.At);
                feed.NextTick = frame.Tick + 1;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Could not relay a frame of session {Session}", sessionId);
            }
        }
    }

    void Restart(string sessionId, Feed feed)
    {
        feed.NextTick = 0;
        foreach (var l in ListenersOf(sessionId)) Safely(l, x => x.OnReset(sessionId));
        Post(sessionId, HubMessages.Reset, sessionId);
    }

    void Send(string sessionId, Frame frame, DateTimeOffset at)
    {
        // Listeners (the pages) buffer and return; the hub's clients get it through their own queues.
        foreach (var l in ListenersOf(sessionId)) Safely(l, x => x.OnFrame(sessionId, frame));
        Post(sessionId, HubMessages.Frame, new FrameMessage(sessionId, frame, at));
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
    /// <summary>The session was ended: nothing more comes, and it can no longer be read.</summary>
    void OnEnded(string sessionId);
}
