using MarketSim.Dashboard.Hubs;
using MarketSim.Model.Policies;
using MarketSim.Model.Simulation;
using Microsoft.AspNetCore.SignalR.Client;

namespace MarketSim.Dashboard.Live;

/// <summary>
/// A page's connection to /hubs/simulation: the same contract an outside client uses. Frames are buffered as they arrive
/// and handed to the page at most every <see cref="FlushInterval"/> (a browser cannot use 50 redraws a second); on a
/// reconnect each session is subscribed again from its next tick, so the missed history arrives.
/// </summary>
public sealed class LiveFeed : IAsyncDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);

    readonly HubConnection _hub;
    readonly Dictionary<string, SessionSeries> _series = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<Frame>> _pending = new(StringComparer.Ordinal);
    readonly HashSet<string> _resets = new(StringComparer.Ordinal);
    readonly List<PolicyChangeMessage> _marks = new();
    readonly object _sync = new();
    Timer? _timer;

    public LiveFeed(Uri hubUrl)
    {
        _hub = new HubConnectionBuilder()
            .WithUrl(hubUrl)
            .AddJsonProtocol(o => HubJson.Configure(o.PayloadSerializerOptions))
            .WithAutomaticReconnect()
            .Build();
        _hub.On<FrameMessage>(HubMessages.Frame, m => { lock (_sync) if (_pending.TryGetValue(m.SessionId, out var l)) l.Add(m.Frame); });
        _hub.On<string>(HubMessages.Reset, id => { lock (_sync) { _resets.Add(id); if (_pending.TryGetValue(id, out var l)) l.Clear(); } });
        _hub.On<SessionStatus>(HubMessages.Status, s => { lock (_sync) Statuses[s.SessionId] = s; StatusChanged?.Invoke(); });
        _hub.On<PolicyChangeMessage>(HubMessages.PolicyChanged, m =>
        {
            lock (_sync)
            {
                Policies[m.SessionId] = m.Policies;
                _marks.Add(m);
            }
            StatusChanged?.Invoke();
        });
        _hub.Reconnected += async _ =>
        {
            foreach (var id in _series.Keys.ToList()) await SubscribeAsync(id);
        };
    }

    public IReadOnlyDictionary<string, SessionSeries> Series => _series;
    public Dictionary<string, SessionStatus> Statuses { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, IReadOnlyList<PolicySpec>> Policies { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Raised every <see cref="FlushInterval"/> on a timer thread. The page answers with <c>InvokeAsync(() =&gt; Flush())</c>,
    /// so the series only ever change on the renderer's thread, between renders.
    /// </summary>
    public event Func<Task>? Pulse;
    /// <summary>Status or timeline changed.</summary>
    public event Action? StatusChanged;

    public async Task StartAsync(IEnumerable<string> sessionIds)
    {
        await _hub.StartAsync();
        foreach (var id in sessionIds) await SubscribeAsync(id);
        _timer = new Timer(_ => _ = Pulse?.Invoke(), null, FlushInterval, FlushInterval);
    }

    public async Task SubscribeAsync(string sessionId)
    {
        int from;
        lock (_sync)
        {
            _pending.TryAdd(sessionId, new List<Frame>());
            from = _series.TryGetValue(sessionId, out var s) ? s.NextTick : 0;
        }
        var result = await _hub.InvokeAsync<SubscribeResult>(nameof(SimulationHub.Subscribe), sessionId, from);
        // The history comes in pages (a long run is tens of megabytes): fetch the rest before showing any of it.
        var history = new List<Frame>(result.Frames);
        for (var more = result.More; more && history.Count > 0;)
        {
            var page = await _hub.InvokeAsync<FramePage>(nameof(SimulationHub.GetFrames), sessionId, history[^1].Tick + 1);
            history.AddRange(page.Frames);
            more = page.More && page.Frames.Count > 0;
        }
        lock (_sync)
        {
            if (!_series.ContainsKey(sessionId)) _series[sessionId] = new SessionSeries(result.Session);
            // History first, then whatever arrived live meanwhile (duplicates are dropped by tick).
            _pending[sessionId].InsertRange(0, history);
            Statuses[sessionId] = result.Status;
            Policies[sessionId] = result.Policies;
        }
    }

    /// <summary>Moves what arrived into <see cref="Series"/>; returns how many frames (or resets) changed it.</summary>
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
                if (pending.Count == 0) continue;
                pending.Sort((a, b) => a.Tick.CompareTo(b.Tick));
                added += s.Add(pending);
                pending.Clear();
            }
        }
        return added;
    }

    public Task<T> InvokeAsync<T>(string method, params object?[] args) => _hub.InvokeCoreAsync<T>(method, args);

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null) await _timer.DisposeAsync();
        await _hub.DisposeAsync();
    }
}
