using System.Collections.Concurrent;
using System.Text.Json;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Security;
using MarketSim.Dashboard.Sessions;
using MarketSim.Model.Policies;
using MarketSim.Model.Simulation;
using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Live;

/// <summary>
/// A page's reading of its sessions, in process: it listens to the web host's <see cref="FrameRelay"/> (the messages a
/// hub client gets, not serialised) and drives sessions through <see cref="SessionControl"/> (the hub's checks and
/// errors). Frames are buffered as they arrive and handed to the page at most every <see cref="FlushInterval"/> (a
/// browser cannot use 50 redraws a second). The buffer is bounded (<see cref="MaxPending"/> frames a session): a page
/// that falls that far behind stops buffering, and at its next flush reads what it missed from the session's history, so
/// it never holds up the relay or other pages and still gets every frame, in order. Open one per page with
/// <see cref="LiveFeeds.Open"/> and dispose it with the page: that stops its listening (nothing is left per circuit).
/// </summary>
public sealed class LiveFeed : ISessionListener, IAsyncDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);

    readonly SessionControl _control;
    readonly FrameRelay _relay;
    readonly ILogger _log;
    // This feed's place in the per-connection quotas (subscriptions, forks), as a hub connection's id is.
    readonly string _id = "page:" + Guid.NewGuid().ToString("N");
    readonly string _client;
    // The browser's address as it is (null when unknown): a classroom world's id counts as a code guess for it.
    readonly string? _address;
    readonly Dictionary<string, SessionSeries> _series = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<Frame>> _pending = new(StringComparer.Ordinal);
    readonly Dictionary<string, IDisposable> _listening = new(StringComparer.Ordinal);
    // Sessions whose buffer overflowed: frames are dropped until the next flush reads them from the history.
    readonly HashSet<string> _behind = new(StringComparer.Ordinal);
    // Counts resets per session: history read before a reset must not land after it.
    readonly Dictionary<string, int> _epochs = new(StringComparer.Ordinal);
    readonly HashSet<string> _resets = new(StringComparer.Ordinal);
    readonly List<PolicyChangeMessage> _marks = new();
    readonly ConcurrentDictionary<string, SessionStatus> _statuses = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, IReadOnlyList<PolicySpec>> _policies = new(StringComparer.Ordinal);
    readonly object _sync = new();
    Timer? _timer;
    volatile bool _disposed;

    internal LiveFeed(SessionControl control, FrameRelay relay, ILogger log, string? client, int maxPending)
    {
        _control = control;
        _relay = relay;
        _log = log;
        _client = client ?? "unknown";
        _address = client;
        MaxPending = maxPending;
    }

    /// <summary>Frames buffered per session between flushes before the feed stops buffering and catches up from the history.</summary>
    public int MaxPending { get; }

    /// <summary>Read on the renderer's thread only (changed by <see cref="Flush"/>).</summary>
    public IReadOnlyDictionary<string, SessionSeries> Series => _series;
    public IReadOnlyDictionary<string, SessionStatus> Statuses => _statuses;
    public IReadOnlyDictionary<string, IReadOnlyList<PolicySpec>> Policies => _policies;

    /// <summary>
    /// Raised every <see cref="FlushInterval"/> on a timer thread. The page answers with <c>InvokeAsync(() =&gt; Flush())</c>,
    /// so the series only ever change on the renderer's thread, between renders.
    /// </summary>
    public event Func<Task>? Pulse;
    /// <summary>Status or timeline changed (raised on the relay's thread: the page answers with InvokeAsync).</summary>
    public event Action? StatusChanged;

    public async Task StartAsync(IEnumerable<string> sessionIds)
    {
        foreach (var id in sessionIds) await SubscribeAsync(id);
        _timer = new Timer(_ => { if (!_disposed) _ = Pulse?.Invoke(); }, null, FlushInterval, FlushInterval);
    }

    /// <summary>Listens to the session and reads its history so far (in pages, all of it before any is shown).</summary>
    public async Task SubscribeAsync(string sessionId)
    {
        var s = await _control.RequireAsync(sessionId, _address);
        try { _control.Quotas.Subscribe(_id, s.Id); }
        catch (QuotaException e) { throw new HubException(e.Message); }
        int epoch;
        lock (_sync)
        {
            _pending.TryAdd(s.Id, new List<Frame>());
            // Listen before reading the history, so nothing falls between the two (a repeated tick is dropped by the series).
            if (!_listening.ContainsKey(s.Id)) _listening[s.Id] = _relay.Listen(s.Id, this);
            epoch = _epochs.GetValueOrDefault(s.Id);
        }
        _statuses[s.Id] = s.Runner.Status;
        _policies[s.Id] = (await s.Grain.GetPoliciesAsync()).Value;
        var history = await HistoryAsync(s, 0);
        lock (_sync)
        {
            if (!_series.ContainsKey(s.Id)) _series[s.Id] = new SessionSeries(s.Describe());
            // History first, then whatever arrived live meanwhile; none of it if the session restarted meanwhile.
            if (_epochs.GetValueOrDefault(s.Id) == epoch) _pending[s.Id].InsertRange(0, history);
        }
    }

    async Task<List<Frame>> HistoryAsync(SessionEntry s, int from)
    {
        var history = new List<Frame>();
        for (var more = true; more;)
        {
            var (frames, next) = await _control.PageAsync(s, from);
            history.AddRange(frames);
            more = next && frames.Count > 0;
            if (frames.Count > 0) from = frames[^1].Tick + 1;
        }
        return history;
    }

    /// <summary>Frames buffered and not yet flushed (tests: a page that does not flush holds at most <see cref="MaxPending"/>).</summary>
    internal int PendingCount(string sessionId)
    {
        lock (_sync) return _pending.TryGetValue(sessionId, out var l) ? l.Count : 0;
    }

    void ISessionListener.OnFrame(string sessionId, Frame frame)
    {
        lock (_sync)
        {
            if (!_pending.TryGetValue(sessionId, out var pending) || _behind.Contains(sessionId)) return;
            if (pending.Count >= MaxPending) { _behind.Add(sessionId); return; }
            pending.Add(frame);
        }
    }

    void ISessionListener.OnReset(string sessionId)
    {
        lock (_sync)
        {
            _resets.Add(sessionId);
            _behind.Remove(sessionId);
            _epochs[sessionId] = _epochs.GetValueOrDefault(sessionId) + 1;
            if (_pending.TryGetValue(sessionId, out var l)) l.Clear();
        }
    }

    void ISessionListener.OnStatus(SessionStatus status)
    {
        _statuses[status.SessionId] = status;
        if (!_disposed) StatusChanged?.Invoke();
    }

    void ISessionListener.OnPolicyChanged(PolicyChangeMessage message)
    {
        lock (_sync)
        {
            _policies[message.SessionId] = message.Policies;
            _marks.Add(message);
        }
        if (!_disposed) StatusChanged?.Invoke();
    }

    void ISessionListener.OnEnded(string sessionId)
    {
        _ended[sessionId] = true;
        lock (_sync)
        {
            // Nothing more comes: stop listening (its place in the subscription quota is freed by the ender).
            if (_listening.Remove(sessionId, out var listening)) listening.Dispose();
            _behind.Remove(sessionId);
        }
        if (!_disposed) StatusChanged?.Invoke();
    }

    /// <summary>Sessions of this feed that were ended (EndSession, or their classroom's end): their pages say so.</summary>
    public bool IsEnded(string sessionId) => _ended.ContainsKey(sessionId);

    readonly ConcurrentDictionary<string, bool> _ended = new(StringComparer.Ordinal);

    /// <summary>Moves what arrived into <see cref="Series"/>; returns how many frames (or resets) changed it. Renderer's thread only.</summary>
    public int Flush()
    {
        var added = 0;
        lock (_sync)
        {
            foreach (var m in _marks)
                if (_series.TryGetValue(m.SessionId, out var marked)) marked.MarkLiveChange(m.EffectiveTick, m.Description);
            added += _marks.Count;
            _marks.Clear();
            foreach (var (id, s) in _series)
            {
                if (_resets.Remove(id)) { s.Clear(); added++; }
                var pending = _pending[id];
                if (pending.Count > 0)
                {
                    pending.Sort((a, b) => a.Tick.CompareTo(b.Tick));
                    added += s.Add(pending);
                    pending.Clear();
                }
                // Fell behind: buffer again from now, and read what was dropped from the history (lands by a later flush).
                if (_behind.Remove(id)) _ = CatchUpAsync(id, s.NextTick, _epochs.GetValueOrDefault(id));
            }
        }
        return added;
    }

    async Task CatchUpAsync(string sessionId, int from, int epoch)
    {
        try
        {
            var history = await HistoryAsync(_control.Require(sessionId, _address), from);
            lock (_sync)
                if (!_disposed && _epochs.GetValueOrDefault(sessionId) == epoch && _pending.TryGetValue(sessionId, out var pending))
                    pending.InsertRange(0, history);
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "A page could not catch up with session {Session}", sessionId);
        }
    }

    /// <summary>A control of the hub's (Play, Pause, Step, SetSpeed, Reset, RunTo, GetStatus) on a session, with the hub's checks.</summary>
    public Task<SessionStatus> ControlAsync(string method, string sessionId, params object?[] args) => Guard(method, () => method switch
    {
        nameof(SimulationHub.Play) => _control.PlayAsync(sessionId),
        nameof(SimulationHub.Pause) => _control.PauseAsync(sessionId),
        nameof(SimulationHub.Step) => _control.StepAsync(sessionId, Convert.ToInt32(args[0], System.Globalization.CultureInfo.InvariantCulture)),
        nameof(SimulationHub.SetSpeed) => _control.SetSpeedAsync(sessionId, Convert.ToDouble(args[0], System.Globalization.CultureInfo.InvariantCulture)),
        nameof(SimulationHub.Reset) => _control.ResetAsync(sessionId),
        nameof(SimulationHub.RunTo) => _control.RunToAsync(sessionId, (string?)args[0]),
        nameof(SimulationHub.GetStatus) => Task.FromResult(_control.Require(sessionId, _address).Runner.Status),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a session control"),
    });

    /// <summary>As the hub's SetPolicy: the policy goes through the same JSON reading and checks.</summary>
    public Task<PolicyChangeMessage> SetPolicyAsync(string sessionId, PolicySpec spec) =>
        Guard(nameof(SimulationHub.SetPolicy), () => _control.SetPolicyAsync(sessionId, JsonSerializer.SerializeToElement(spec, HubJson.Options)));

    public Task<PolicyChangeMessage> RemovePolicyAsync(string sessionId, string policyId) =>
        Guard(nameof(SimulationHub.RemovePolicy), () => _control.RemovePolicyAsync(sessionId, policyId));

    /// <summary>Forks within the quotas of this page's browser address and of this feed (as of a hub connection).</summary>
    public Task<string> ForkAsync(string sessionId) => Guard(nameof(SimulationHub.Fork), () => _control.ForkAsync(sessionId, _client, _id));

    /// <summary>
    /// The page shows a <see cref="HubException"/>'s sentence (a bad argument, a quota); anything else is logged and shown
    /// as the hub would show it, without internals.
    /// </summary>
    async Task<T> Guard<T>(string method, Func<Task<T>> call)
    {
        try { return await call(); }
        catch (Exception e) when (e is not HubException)
        {
            _log.LogError(e, "A page's {Method} failed", method);
            throw new HubException($"An unexpected error occurred invoking '{method}' on the server.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_timer is not null) await _timer.DisposeAsync();
        lock (_sync)
        {
            foreach (var l in _listening.Values) l.Dispose();
            _listening.Clear();
        }
        _control.Quotas.Disconnected(_id);
    }
}

/// <summary>Opens a <see cref="LiveFeed"/> per page (a singleton: a feed lives as long as its page, not its circuit).</summary>
public sealed class LiveFeeds(SessionControl control, FrameRelay relay, ILogger<LiveFeed> log)
{
    /// <summary>Frames a page buffers per session between flushes: 10 s of the fastest play (200 ticks/s); references to the
    /// relay's frames, which every page shares.</summary>
    public int MaxPending { get; set; } = 2000;

    /// <param name="client">The browser's address (fork quotas); null when unknown.</param>
    public LiveFeed Open(string? client) => new(control, relay, log, client, MaxPending);
}
