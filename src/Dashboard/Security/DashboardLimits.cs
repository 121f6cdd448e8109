using System.Collections.Concurrent;

namespace MarketSim.Dashboard.Security;

/// <summary>
/// Quotas and limits of the web dashboard (docs/SECURITY.md lists them with their defaults). Read from configuration
/// section "MarketSim:Limits" (e.g. <c>--MarketSim:Limits:MaxForksPerClient=5</c>); a refusal names the quota and the
/// argument and changes nothing. "Client" is the caller's IP address as the server sees it.
/// </summary>
public sealed class DashboardLimits
{
    public const string Section = "MarketSim:Limits";

    /// <summary>Frames in one answer (≈45 KB each in the shipped scenarios): an answer is held in memory until the caller reads
    /// it, so this bounds what a connection that asks and never reads can pin (≈2 MB; 10 MB at the 200 it was, 1.5 GB for
    /// 100 such connections in a Dec 2026 probe).</summary>
    public int MaxFramesPerCall { get; set; } = 50;
    /// <summary>Sessions this web host runs at once (uploads, forks, classrooms' worlds, the default one).</summary>
    public int MaxSessions { get; set; } = 200;
    /// <summary>Sessions alive that one client address started on the start page, shipped or uploaded (ending one frees its place).</summary>
    public int MaxUploadsPerClient { get; set; } = 20;
    /// <summary>Forks alive that one client address made (ending a fork frees its place).</summary>
    public int MaxForksPerClient { get; set; } = 20;
    /// <summary>Forks one connection may make.</summary>
    public int MaxForksPerConnection { get; set; } = 10;
    /// <summary>Countries a world started on the start page may have (the work of a tick grows with countries × sellers).</summary>
    public int MaxUploadCountries { get; set; } = 50;
    /// <summary>Producers and manufacturers' firms a world started on the start page may have.</summary>
    public int MaxUploadAgents { get; set; } = 2000;
    /// <summary>Days a world started on the start page may run: a session keeps every tick's frame (≈46 KB in the shipped
    /// worlds), so 36,500 days would hold ≈1.7 GB per session (a Dec 2026 review). The longest shipped scenario (japan-2010)
    /// runs 1,826.</summary>
    public int MaxUploadDays { get; set; } = 1826;
    /// <summary>Policies a world started on the start page may have. Every tick checks every order against them, and the cost
    /// grows faster than their number: the default world with 19,000 one-line export bans (a 2 MB upload) took ≈11 s of CPU a
    /// tick against ≈0.04 s (2,000: ≈0.2 s; a Dec 2026 probe). The shipped scenarios have at most 19.</summary>
    public int MaxUploadPolicies { get; set; } = 1000;
    /// <summary>Markets (commodities × price segments) a world started on the start page may have. A frame holds a price per
    /// market (and more by commodity), and a session keeps every frame: 1,000 unused commodities in 9 segments (a 190 KB
    /// upload) wrote 263 KB of prices a day against 0.75 KB, so a 2 MB upload of 50 segments could hold gigabytes over
    /// MaxUploadDays (a Dec 2026 probe). The shipped scenarios have 18 (9 commodities in 2 segments).</summary>
    public int MaxUploadMarkets { get; set; } = 200;
    /// <summary>Policies (versions included) a session's timeline may hold before SetPolicy refuses new ones.</summary>
    public int MaxPoliciesPerSession { get; set; } = 200;
    /// <summary>Sessions one connection may be subscribed to at once.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 20;
    /// <summary>Connections one client address may hold open at once to the hubs (/hubs/simulation and /hubs/classroom
    /// together; the pages, students' phones included, do not use them). Every per-connection bound (an unread answer of
    /// <see cref="MaxFramesPerCall"/> frames, a queue of 512 messages, <see cref="MaxSubscriptionsPerConnection"/>) is per
    /// connection: without this, one address opening connections that ask for a page and never read pinned ≈2 MB each, as
    /// many as it liked (a Dec 2026 probe).</summary>
    public int MaxHubConnectionsPerClient { get; set; } = 32;
    /// <summary>Blazor circuits (open dashboard pages: a student's phone, the console, the projector, a session page) one client
    /// address may hold connected at once. Each holds its rendered page and its data: ≈0.3 MB for the start page, ≈1.5 MB
    /// for a session page at tick 365 (more as the session runs), measured Dec 2026; before this nothing bounded them. A class
    /// of 60 behind one NAT address fits, with room for second tabs and reloads.</summary>
    public int MaxCircuitsPerClient { get; set; } = 100;
    /// <summary>Blazor circuits connected at once on this web host, every address together (≈1.5 GB of session pages at
    /// 1,000). Circuits whose browser went away are kept apart from these: at most 100 for 3 minutes (Program.cs).</summary>
    public int MaxCircuits { get; set; } = 1000;
    /// <summary>Classrooms one client address may create through the hub.</summary>
    public int MaxClassroomsPerClient { get; set; } = 25;
    /// <summary>Join and Rejoin calls one client address may make per minute (a class of 60 behind one NAT address, twice over, fits).</summary>
    public int JoinAttemptsPerMinute { get; set; } = 300;
    /// <summary>Calls naming a join code that does not exist, per client address per minute (code guessing).</summary>
    public int CodeGuessesPerMinute { get; set; } = 20;
    /// <summary>"Why" attributions (2ⁿ counterfactual runs each, every core busy) this web host computes at once; one more is
    /// refused until one ends. Each session computes at most one at a time whatever this says.</summary>
    public int MaxAttributions { get; set; } = 1;
    /// <summary>"Compared with what" baselines (one counterfactual run each, one core) this web host computes at once.</summary>
    public int MaxComparisons { get; set; } = 2;
    /// <summary>csv.zip downloads this web host builds at once (each writes every table of every tick), and timeline.yaml
    /// downloads, counted apart (each parses the session's upload); more are answered 429 "busy, retry". A download of a
    /// state already built is served from memory and not counted.</summary>
    public int MaxExports { get; set; } = 2;
    /// <summary>csv.zip downloads, and timeline.yaml downloads, that one client address has being built at once.</summary>
    public int MaxExportsPerClient { get; set; } = 1;
    /// <summary>Counterfactual runs one attribution makes at a time, each on a thread of its own; 0 = one per core.</summary>
    public int AttributionThreads { get; set; }
    /// <summary>The managed heap, in MB, above which this web host starts no session (upload, fork, classroom) and runs no
    /// session further (a playing one pauses; Play, Step and RunTo are refused by name) until sessions are ended: the per-client
    /// quotas bound one address, not a classroom's many, and every session keeps its frames. 0 = 70% of the memory the runtime
    /// may use (the machine's, or its container's limit), leaving room for a collection's work and the downloads being built.</summary>
    public int MaxHeapMegabytes { get; set; }
}

/// <summary>Counts per client address and per connection for <see cref="DashboardLimits"/>.</summary>
public sealed class ClientQuotas(DashboardLimits limits, TimeProvider time)
{
    public DashboardLimits Limits => limits;

    // Forks by who made them: client address → session ids, connection → count.
    readonly ConcurrentDictionary<string, HashSet<string>> _forksByClient = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> _forksByConnection = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, HashSet<string>> _uploadsByClient = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, HashSet<string>> _classroomsByClient = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, HashSet<string>> _subscriptions = new(StringComparer.Ordinal);
    // Open hub connections: client address → connection ids, and each connection's address (to let its place go).
    readonly ConcurrentDictionary<string, HashSet<string>> _hubConnections = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, string> _clientOfConnection = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _joins = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _guesses = new(StringComparer.Ordinal);

    /// <summary>
    /// A place held in a quota while what it counts is being made: checked and taken in one step, so calls in parallel
    /// cannot all pass the check before any is counted (40 forks at once from one address all went through a limit of
    /// 20). <see cref="Keep"/> it under the new id when made; dispose it otherwise (a failure frees the place).
    /// </summary>
    public sealed class Reservation : IDisposable
    {
        readonly HashSet<string> _set;
        readonly string _slot = "\0pending:" + Guid.NewGuid().ToString("N");
        Action? _undo;
        internal Reservation(HashSet<string> set, Action? undo = null) { _set = set; _undo = undo; lock (set) set.Add(_slot); }
        public void Keep(string id)
        {
            lock (_set) { _set.Remove(_slot); _set.Add(id); }
            _undo = null;
        }
        public void Dispose()
        {
            lock (_set) _set.Remove(_slot);
            Interlocked.Exchange(ref _undo, null)?.Invoke();
        }
    }

    static Reservation Reserve(ConcurrentDictionary<string, HashSet<string>> map, string key, int limit, Func<int, QuotaException> refuse, Action? undo = null)
    {
        var set = map.GetOrAdd(key, _ => new HashSet<string>(StringComparer.Ordinal));
        lock (set)
        {
            if (set.Count >= limit) throw refuse(set.Count);
            return new Reservation(set, undo); // adds its slot under the same lock (re-entrant)
        }
    }

    /// <summary>The forks running, every address together (places held for forks being made included).</summary>
    public int ForksRunning => _forksByClient.Keys.Sum(k => Count(_forksByClient, k));

    /// <summary>Takes a place for a fork by this client and connection, or throws <see cref="QuotaException"/>.</summary>
    public Reservation ReserveFork(string client, string connection)
    {
        if (_forksByConnection.AddOrUpdate(connection, 1, (_, n) => n + 1) > limits.MaxForksPerConnection)
        {
            _forksByConnection.AddOrUpdate(connection, 0, (_, n) => n - 1);
            throw new QuotaException("sessionId", $"this connection has made {limits.MaxForksPerConnection} forks, the most allowed (MaxForksPerConnection)");
        }
        try
        {
            return Reserve(_forksByClient, client, limits.MaxForksPerClient,
                n => new QuotaException("sessionId", $"your address has {n} forks running, the most allowed (MaxForksPerClient = {limits.MaxForksPerClient}); end one with EndSession first"),
                undo: () => _forksByConnection.AddOrUpdate(connection, 0, (_, n) => n - 1));
        }
        catch (QuotaException)
        {
            _forksByConnection.AddOrUpdate(connection, 0, (_, n) => n - 1);
            throw;
        }
    }

    /// <summary>A session ended: its place in its maker's quota is free again.</summary>
    public void Ended(string sessionId)
    {
        foreach (var set in _forksByClient.Values) lock (set) set.Remove(sessionId);
        foreach (var set in _uploadsByClient.Values) lock (set) set.Remove(sessionId);
        // A subscription to a session that ended holds no place: Unsubscribe can no longer name it (it names no session), and
        // a connection subscribed to sessions others ended was refused new ones until it reconnected (a review, Dec 2026).
        foreach (var set in _subscriptions.Values) lock (set) set.Remove(sessionId);
    }

    /// <summary>Takes a place for an uploaded session, or throws if this address has
    /// <see cref="DashboardLimits.MaxUploadsPerClient"/> alive.</summary>
    public Reservation ReserveUpload(string client) => Reserve(_uploadsByClient, client, limits.MaxUploadsPerClient,
        n => new QuotaException("upload", $"your address has {n} uploaded sessions running, the most allowed (MaxUploadsPerClient = {limits.MaxUploadsPerClient}); end one first"));

    /// <summary>Takes a place for a classroom, or throws if this address has made its most.</summary>
    public Reservation ReserveClassroom(string client) => Reserve(_classroomsByClient, client, limits.MaxClassroomsPerClient,
        n => new QuotaException("scenario", $"your address has created {n} classrooms, the most allowed (MaxClassroomsPerClient = {limits.MaxClassroomsPerClient})"));

    /// <summary>A classroom ended: its place in its maker's quota is free again.</summary>
    public void ClassroomEnded(string code)
    {
        foreach (var set in _classroomsByClient.Values) lock (set) set.Remove(code);
    }

    /// <summary>Records a subscription; throws if the connection holds too many.</summary>
    public void Subscribe(string connection, string sessionId)
    {
        var set = _subscriptions.GetOrAdd(connection, _ => new HashSet<string>(StringComparer.Ordinal));
        lock (set)
        {
            if (set.Contains(sessionId)) return;
            if (set.Count >= limits.MaxSubscriptionsPerConnection)
                throw new QuotaException("sessionId", $"this connection is subscribed to {set.Count} sessions, the most allowed (MaxSubscriptionsPerConnection); unsubscribe from one first");
            set.Add(sessionId);
        }
    }

    public void Unsubscribe(string connection, string sessionId)
    {
        if (_subscriptions.TryGetValue(connection, out var set)) lock (set) set.Remove(sessionId);
    }

    /// <summary>
    /// A hub connection from <paramref name="client"/> opens: counted, or a <see cref="QuotaException"/> when the address
    /// holds <see cref="DashboardLimits.MaxHubConnectionsPerClient"/> already (checked and taken in one step, so connections
    /// opened at once cannot all pass). <see cref="Disconnected"/> lets the place go.
    /// </summary>
    public void Connected(string client, string connection)
    {
        var set = _hubConnections.GetOrAdd(client, _ => new HashSet<string>(StringComparer.Ordinal));
        lock (set)
        {
            if (set.Count >= limits.MaxHubConnectionsPerClient)
                throw new QuotaException("connection", $"your address has {set.Count} hub connections open, the most allowed (MaxHubConnectionsPerClient = {limits.MaxHubConnectionsPerClient}); close one first");
            set.Add(connection);
            _clientOfConnection[connection] = client;
        }
    }

    /// <summary>Hub connections this address holds open (diagnostics and tests).</summary>
    public int HubConnections(string client) => Count(_hubConnections, client);

    public void Disconnected(string connection)
    {
        _subscriptions.TryRemove(connection, out _);
        _forksByConnection.TryRemove(connection, out _);
        if (_clientOfConnection.TryRemove(connection, out var client) && _hubConnections.TryGetValue(client, out var set))
            lock (set) set.Remove(connection);
    }

    // Connected Blazor circuits: client address → the connections they run on (one circuit per connection), and each
    // connection's address; the host's total apart, for MaxCircuits.
    readonly ConcurrentDictionary<string, HashSet<string>> _circuits = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, string> _clientOfCircuit = new(StringComparer.Ordinal);
    int _circuitsOpen;

    /// <summary>
    /// A Blazor circuit starts or reconnects on <paramref name="connection"/> from <paramref name="client"/>: counted, or a
    /// <see cref="QuotaException"/> past <see cref="DashboardLimits.MaxCircuitsPerClient"/> or <see cref="DashboardLimits.MaxCircuits"/>
    /// (checked and taken in one step). <see cref="CircuitClosed"/> lets the place go.
    /// </summary>
    public void CircuitOpened(string client, string connection)
    {
        var set = _circuits.GetOrAdd(client, _ => new HashSet<string>(StringComparer.Ordinal));
        lock (set)
        {
            if (set.Contains(connection)) return;
            if (set.Count >= limits.MaxCircuitsPerClient)
                throw new QuotaException("page", $"your network address has {set.Count} MarketSim pages open, the most allowed (MaxCircuitsPerClient = {limits.MaxCircuitsPerClient}); close a page you no longer need, then reload this one");
            if (Interlocked.Increment(ref _circuitsOpen) > limits.MaxCircuits)
            {
                Interlocked.Decrement(ref _circuitsOpen);
                throw new QuotaException("page", $"this server has {limits.MaxCircuits} pages open, the most allowed (MaxCircuits); reload this page when some have closed");
            }
            set.Add(connection);
            _clientOfCircuit[connection] = client;
        }
    }

    /// <summary>The connection a circuit ran on closed (or its start failed): its place is free.</summary>
    public void CircuitClosed(string connection)
    {
        if (_clientOfCircuit.TryRemove(connection, out var client) && _circuits.TryGetValue(client, out var set))
            lock (set)
                if (set.Remove(connection)) Interlocked.Decrement(ref _circuitsOpen);
    }

    /// <summary>Connected circuits of this address (diagnostics and tests).</summary>
    public int Circuits(string client) => Count(_circuits, client);

    /// <summary>Connected circuits on this host (diagnostics and tests).</summary>
    public int CircuitsOpen => Volatile.Read(ref _circuitsOpen);

    /// <summary>A Join, Rejoin or Watch by this client address; throws when it made too many in the last minute.</summary>
    public void JoinAttempt(string client) => Rate(_joins, client, limits.JoinAttemptsPerMinute, "code", "join attempts");

    /// <summary>A call named a code that does not exist; throws when this address guessed too often in the last minute.</summary>
    public void CodeGuess(string client) => Rate(_guesses, client, limits.CodeGuessesPerMinute, "code", "unknown codes tried");

    /// <summary>
    /// The one way to look something up by join code (a classroom, the classroom's world "class-CODE", its downloads, its
    /// pages): an address over its <see cref="DashboardLimits.CodeGuessesPerMinute"/> waits (a <see cref="QuotaException"/>),
    /// and a code that names nothing counts against it. Any lookup answers "exists or not", so one left uncounted lets a
    /// guesser try hundreds of codes a second. <paramref name="client"/> null (no address, e.g. in process): not counted, as
    /// one shared key would let a single guesser lock every student out.
    /// </summary>
    public async Task<T?> FindByCodeAsync<T>(string? client, Func<Task<T?>> find) where T : class
    {
        if (client is null) return await find();
        CheckGuesses(client);
        var found = await find();
        if (found is null) CodeGuess(client);
        return found;
    }

    /// <summary><see cref="FindByCodeAsync"/> for a lookup in memory.</summary>
    public T? FindByCode<T>(string? client, Func<T?> find) where T : class =>
        FindByCodeAsync(client, () => Task.FromResult(find())).GetAwaiter().GetResult();

    /// <summary>Whether this address may try another code now (without counting a try).</summary>
    public void CheckGuesses(string client)
    {
        if (_guesses.TryGetValue(client, out var q))
            lock (q)
            {
                Expire(q);
                if (q.Count >= limits.CodeGuessesPerMinute)
                    throw new QuotaException("code", $"too many unknown codes tried from your address ({limits.CodeGuessesPerMinute} a minute); wait a minute");
            }
    }

    /// <summary>Unknown codes this address named in the last minute (diagnostics and tests).</summary>
    public int RecentCodeGuesses(string client) => CodeGuessesSince(client, DateTimeOffset.MinValue);

    /// <summary>Unknown codes this address named at or after <paramref name="since"/>, within the last minute (tests: guesses
    /// made before a test may leave the window while it runs, so a count from before would drop).</summary>
    public int CodeGuessesSince(string client, DateTimeOffset since)
    {
        if (!_guesses.TryGetValue(client, out var q)) return 0;
        lock (q)
        {
            Expire(q);
            var n = 0;
            foreach (var t in q) if (t >= since) n++;
            return n;
        }
    }

    void Rate(ConcurrentDictionary<string, Queue<DateTimeOffset>> windows, string client, int perMinute, string field, string what)
    {
        Sweep();
        var q = windows.GetOrAdd(client, _ => new Queue<DateTimeOffset>());
        lock (q)
        {
            Expire(q);
            if (q.Count >= perMinute) throw new QuotaException(field, $"too many {what} from your address ({perMinute} a minute); wait a minute");
            q.Enqueue(time.GetUtcNow());
        }
    }

    /// <summary>Addresses whose window is past are forgotten, at most once a minute and only when many are kept: a window per
    /// address ever seen would otherwise grow with every address that calls (a network can present thousands).</summary>
    void Sweep()
    {
        var now = time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastSweep);
        // One caller sweeps both kinds of window; the others go on.
        if (WindowsKept < SweepAbove || now - last < TimeSpan.TicksPerMinute || Interlocked.CompareExchange(ref _lastSweep, now, last) != last) return;
        foreach (var windows in new[] { _joins, _guesses })
        foreach (var (key, q) in windows)
        {
            bool empty;
            lock (q) { Expire(q); empty = q.Count == 0; }
            // Removed only if still this queue: a caller that took it meanwhile counts its attempt in a queue no longer kept
            // (one attempt uncounted, at worst).
            if (empty) windows.TryRemove(new KeyValuePair<string, Queue<DateTimeOffset>>(key, q));
        }
    }

    /// <summary>Windows kept before a sweep is worth its pass.</summary>
    internal const int SweepAbove = 1_000;
    long _lastSweep;

    /// <summary>Addresses with a join or code-guess window kept (diagnostics and tests).</summary>
    public int WindowsKept => _joins.Count + _guesses.Count;

    void Expire(Queue<DateTimeOffset> q)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromMinutes(1);
        while (q.Count > 0 && q.Peek() < cutoff) q.Dequeue();
    }

    static int Count(ConcurrentDictionary<string, HashSet<string>> map, string key)
    {
        if (!map.TryGetValue(key, out var set)) return 0;
        lock (set) return set.Count;
    }

    static void Add(ConcurrentDictionary<string, HashSet<string>> map, string key, string value)
    {
        var set = map.GetOrAdd(key, _ => new HashSet<string>(StringComparer.Ordinal));
        lock (set) set.Add(value);
    }

    /// <summary>The caller's address as the server sees it ("unknown" if there is none, e.g. in-process).</summary>
    public static string ClientOf(Microsoft.AspNetCore.SignalR.HubCallerContext context) =>
        ClientAddress.Of(Microsoft.AspNetCore.SignalR.GetHttpContextExtensions.GetHttpContext(context)?.Connection.RemoteIpAddress) ?? "unknown";
}

/// <summary>A quota or rate limit was reached: "field: what and which limit". Nothing was changed.</summary>
public sealed class QuotaException(string field, string message) : Exception($"{field}: {message}");
