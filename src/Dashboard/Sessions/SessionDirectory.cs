using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MarketSim.Dashboard.Hubs;
using MarketSim.Grains;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Sessions;

/// <summary>
/// The sessions this web host runs. Each has its own grains (keys start with its id), its own runner and a frame
/// subscription through <see cref="FrameRelay"/>. Ids are readable: the scenario's name and a number.
/// </summary>
public sealed partial class SessionDirectory(IGrainFactory grains, FrameRelay relay, SessionSettings settings,
    ILogger<SessionDirectory> log, MarketSim.Dashboard.Security.DashboardLimits limits, IConfiguration configuration)
{
    /// <summary>
    /// Whether a session this host does not know is looked for in the cluster (<see cref="FindOrAdoptAsync"/>). Asking a
    /// grain whether it exists activates it, so only a host that is a cluster client (MarketSim:Cluster, where another web
    /// host may have created it) asks; an embedded silo holds only this host's sessions.
    /// </summary>
    public bool AdoptsFromCluster { get; set; } = MarketSim.Hosting.MarketSimClusterOptions.From(configuration).IsClient;

    /// <summary>Why a session id cannot name a session (the id rules, and no '/': grain keys), or null. Checked before
    /// any lookup, so an id of kilobytes or with line breaks reaches neither a grain nor a log.</summary>
    public static string? IdProblem(string id) =>
        IdRules.Problem(id) ?? (id.Contains(GrainKeys.Separator) ? $"must not contain '{GrainKeys.Separator}'" : null);

    readonly ConcurrentDictionary<string, SessionEntry> _sessions = new(StringComparer.Ordinal);
    readonly MarketSim.Dashboard.Security.MemoryBudget _memory = new(limits);
    int _counter;

    /// <summary>The sessions anyone may see and drive (classrooms' worlds are reached through their classroom).</summary>
    public IReadOnlyList<SessionEntry> All => _sessions.Values.Where(s => s.Classroom is null).OrderBy(s => s.Created).ToList();

    public SessionEntry? Find(string? id) => id is not null && _sessions.TryGetValue(id, out var s) ? s : null;

    public event Action? Changed;

    /// <summary>
    /// A session of this host, or one another web host created on the same cluster: the session grain is the source of
    /// truth, so this host adopts it (scenario with its timeline, seed and tick from the grain), subscribes its
    /// <see cref="FrameRelay"/> to the grain's frames and gets a runner of its own, paused. Null when no grain of that id
    /// has been started, and always on a host that is no cluster client (<see cref="AdoptsFromCluster"/>).
    /// </summary>
    public async Task<SessionEntry?> FindOrAdoptAsync(string? id)
    {
        if (Find(id) is { } local) return local;
        if (!AdoptsFromCluster || string.IsNullOrWhiteSpace(id) || IdProblem(id) is not null) return null;
        var grain = grains.GetSession(id);
        SessionReplay replay;
        try { replay = await grain.GetReplayAsync(); }
        catch (InvalidOperationException) { return null; } // never started: no such session
        var runner = new SessionRunner(id, grain, replay.Scenario, replay.Seed,
            relay.PublishStatus, log, replay.Tick, settings, _memory.Problem);
        var entry = new SessionEntry
        {
            Id = id, Title = $"{replay.Scenario.Name} (seed {replay.Seed}, from the cluster)", Scenario = replay.Scenario,
            Yaml = "", Seed = replay.Seed, Grain = grain, Runner = runner,
            // A classroom's world adopted by another web host stays guarded there: its classroom (tokens, rounds) lives
            // with the host that created it, so here it may be watched but never driven through /hubs/simulation.
            Classroom = ClassroomCodeOf(id),
        };
        if (!_sessions.TryAdd(id, entry)) return _sessions[id]; // adopted meanwhile by another call
        try { await relay.WatchAsync(id); }
        catch
        {
            _sessions.TryRemove(id, out _);
            throw;
        }
        runner.Start();
        log.LogInformation("Adopted session {Session} from the cluster at tick {Tick}", id, replay.Tick);
        Changed?.Invoke();
        return entry;
    }

    /// <summary>Creates and starts a session at tick 0 (paused). <paramref name="id"/> null: derived from the scenario's name.</summary>
    public async Task<SessionEntry> CreateAsync(ScenarioSpec scenario, string yaml, ulong? seed = null, string? id = null,
        string? title = null, string? forkedFrom = null, int? forkTick = null, string? classroom = null)
    {
        if (_sessions.Count >= limits.MaxSessions)
            throw new MarketSim.Dashboard.Security.QuotaException("session",
                $"this server runs {_sessions.Count} sessions, the most allowed (MaxSessions = {limits.MaxSessions}); end one first");
        _memory.ThrowIfOver();
        id ??= NewId(scenario.Name);
        GrainKeys.ValidateSessionId(id);
        var grain = grains.GetSession(id);
        var actualSeed = seed ?? scenario.Seed;
        var runner = new SessionRunner(id, grain, scenario, actualSeed,
            relay.PublishStatus, log, settings: settings, overBudget: _memory.Problem);
        var entry = new SessionEntry
        {
            Id = id, Title = title ?? $"{scenario.Name} (seed {actualSeed})", Scenario = scenario, Yaml = yaml, Seed = actualSeed,
            ForkedFrom = forkedFrom, ForkTick = forkTick, Grain = grain, Runner = runner, Classroom = classroom,
        };
        if (!_sessions.TryAdd(id, entry)) throw new InvalidOperationException($"A session \"{id}\" exists already.");
        try
        {
            await grain.StartAsync(scenario, actualSeed, settings);
            await relay.WatchAsync(id);
        }
        catch
        {
            _sessions.TryRemove(id, out _);
            throw;
        }
        runner.Start();
        Changed?.Invoke();
        return entry;
    }

    /// <summary>
    /// A new session with the same state as <paramref name="sourceId"/> at its current tick: the source's scenario with its
    /// whole timeline (live changes included), the same seed, replayed to that tick. The run is a function of (scenario,
    /// seed), so the replay reaches exactly the source's state; the source keeps running meanwhile.
    /// </summary>
    public async Task<SessionEntry> ForkAsync(string sourceId)
    {
        var source = Find(sourceId) ?? throw new KeyNotFoundException(sourceId);
        var replay = await source.Grain.GetReplayAsync();
        var n = source.Id.Contains("-fork") ? source.Id[..source.Id.IndexOf("-fork", StringComparison.Ordinal)] : source.Id;
        var id = NewId(n + "-fork");
        var fork = await CreateAsync(replay.Scenario, source.Yaml, replay.Seed, id,
            $"{source.Title}, fork at {replay.Scenario.DateOf(replay.Tick):yyyy-MM-dd}", source.Id, replay.Tick);
        await fork.Runner.CatchUpAsync(replay.Tick);
        return fork;
    }

    /// <summary>Ends a session: its runner stops, this host stops relaying its frames, its grains end and drop their records.</summary>
    public async Task EndAsync(string id)
    {
        if (!_sessions.TryRemove(id, out var s)) return;
        await s.Runner.DisposeAsync();
        await relay.UnwatchAsync(id);
        await s.Grain.EndAsync();
        log.LogInformation("Session {Session} ended", id);
        Changed?.Invoke();
    }

    /// <summary>Ids of classrooms' worlds: "class-" and the join code (ClassroomDirectory); no other session gets one.</summary>
    public const string ClassroomPrefix = "class-";

    /// <summary>The session id of a classroom's world: the prefix and the code in lower case (a code is upper case). One place,
    /// so ending a class frees the places its world's subscribers hold under that id (an upper-case id freed none of them).</summary>
    public static string ClassroomWorldId(string code) => ClassroomPrefix + code.ToLowerInvariant();

    public static string? ClassroomCodeOf(string id) =>
        id.StartsWith(ClassroomPrefix, StringComparison.Ordinal) && id.Length > ClassroomPrefix.Length ? id[ClassroomPrefix.Length..].ToUpperInvariant() : null;

    string NewId(string name)
    {
        var slug = Slug().Replace(name.ToLowerInvariant(), "-").Trim('-');
        if (slug.Length == 0) slug = "session";
        // A scenario named "class ..." is no classroom, nor one named "Class" alone: its id "class-7" read as classroom 7's
        // world, which only the classroom moves, so nobody could end it and it held its uploader's place for good (Dec 2026).
        if ((slug + "-").StartsWith(ClassroomPrefix, StringComparison.Ordinal)) slug = "s-" + slug;
        // Session ids keep to the id rules (at most 100 characters): room for "-" and a counter of up to 20 digits.
        if (slug.Length > MaxSlug) slug = slug[..MaxSlug].TrimEnd('-');
        string id;
        do id = $"{slug}-{Interlocked.Increment(ref _counter)}"; while (_sessions.ContainsKey(id));
        return id;
    }

    const int MaxSlug = IdRules.MaxLength - 21;

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Slug();

    public Task DisposeAllAsync() => Task.WhenAll(_sessions.Values.Select(s => s.Runner.DisposeAsync().AsTask()));
}
