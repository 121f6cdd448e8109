using System.Collections.Concurrent;
using MarketSim.Dashboard.Hosting;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Sessions;
using MarketSim.Classrooms;
using MarketSim.Model.Scenario;
using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>
/// The classrooms this web host runs, by join code. Each has its own session (an ordinary one: the instructor's full
/// dashboard and the projector's charts are the session's). A classroom lives with the web host that created it.
/// </summary>
public sealed class ClassroomDirectory(SessionDirectory sessions, ScenarioCatalog catalog, IHubContext<ClassroomHub> hub,
    TimeProvider time, ILogger<ClassroomDirectory> log, MarketSim.Dashboard.Security.ClientQuotas quotas)
{
    readonly ConcurrentDictionary<string, ClassroomHost> _rooms = new(StringComparer.Ordinal);

    public IReadOnlyList<ClassroomHost> All => _rooms.Values.OrderBy(r => r.Created).ToList();

    public event Action? Changed;

    /// <summary>Uncounted: for code this host already trusts (its own records, tests). What a caller names goes through
    /// <see cref="Require"/> or <see cref="FindFor"/>, which count unknown codes against the caller's address.</summary>
    public ClassroomHost? Find(string? code) => _rooms.TryGetValue(Tokens.NormaliseCode(code), out var r) ? r : null;

    /// <summary>The classroom a caller at <paramref name="client"/> names, or null; an unknown code counts as a guess
    /// (<see cref="MarketSim.Dashboard.Security.ClientQuotas.FindByCode"/>, which may throw a QuotaException).</summary>
    public ClassroomHost? FindFor(string? code, string? client) =>
        string.IsNullOrWhiteSpace(code) ? null : quotas.FindByCode(client, () => Find(code));

    /// <summary>The classroom of a typed code, or a <see cref="ClassroomError"/> on the "code" field; counted as <see cref="FindFor"/>.</summary>
    public ClassroomHost Require(string? code, string? client)
    {
        if (string.IsNullOrWhiteSpace(code)) throw new ClassroomError("code", "is empty");
        return FindFor(code, client) ?? throw new ClassroomError("code", $"no classroom \"{ErrorLimits.Short(Tokens.NormaliseCode(code))}\"; check the code on the screen");
    }

    /// <summary>A classroom of a shipped scenario (file name in scenarios/), in the lobby with its session at tick 0.</summary>
    public Task<ClassroomCreated> CreateAsync(string? scenarioFile, ulong? seed, ClassroomSettings? settings)
    {
        var shipped = catalog.Find(scenarioFile ?? ScenarioCatalog.DefaultFile)
            ?? throw new ClassroomError("scenario", $"\"{ErrorLimits.Short(scenarioFile ?? "")}\" is not a shipped scenario ({string.Join(", ", catalog.Scenarios.Select(s => s.FileName))})");
        var scenario = ScenarioLoader.LoadOrThrow(shipped.Path);
        return CreateAsync(scenario, File.ReadAllText(shipped.Path), seed, settings ?? new ClassroomSettings());
    }

    /// <summary>Anyone may create a classroom; each holds a world in grains, so one web host runs at most this many.</summary>
    public const int MaxClassrooms = 100;

    public async Task<ClassroomCreated> CreateAsync(ScenarioSpec scenario, string yaml, ulong? seed, ClassroomSettings settings)
    {
        // The server's cap, held for this classroom from the check on (creations in parallel all passed a count taken before
        // any had been added: 120 at once made 120 against 100).
        if (Interlocked.Increment(ref _creating) + _rooms.Count > MaxClassrooms)
        {
            Interlocked.Decrement(ref _creating);
            throw new ClassroomError("scenario", $"this server runs {MaxClassrooms} classrooms already; use another or restart it");
        }
        try { return await CreateHeldAsync(scenario, yaml, seed, settings); }
        finally { Interlocked.Decrement(ref _creating); }
    }

    int _creating;

    async Task<ClassroomCreated> CreateHeldAsync(ScenarioSpec scenario, string yaml, ulong? seed, ClassroomSettings settings)
    {
        string code;
        do code = Tokens.NewCode(); while (_rooms.ContainsKey(code));
        var instructor = Tokens.New();
        var actualSeed = seed ?? scenario.Seed;
        // Checked before the session exists, so bad settings leave nothing behind.
        var room = new Classroom(code, instructor, scenario, actualSeed, settings);
        var session = await sessions.CreateAsync(scenario, yaml, actualSeed, id: SessionDirectory.ClassroomWorldId(code),
            title: $"Classroom {code}: {scenario.Name}", classroom: code);
        var host = new ClassroomHost(room, session, BaselineOf(scenario, yaml, actualSeed), time, Broadcast, news => Post(news.Code, ClassroomMessages.News, news), log);
        _rooms[code] = host;
        log.LogInformation("Classroom {Code} created from {Scenario} (session {Session})", code, scenario.Name, session.Id);
        Changed?.Invoke();
        return new ClassroomCreated(code, instructor, session.Id);
    }

    /// <summary>
    /// Ends a classroom for good (the instructor only): its timers stop, its world's grains end and drop their records, and
    /// its code names nothing any more (its open pages say so at once: ClassroomHost.Ended). Download its CSVs first.
    /// </summary>
    public async Task EndAsync(string? code, string? token, string? client)
    {
        var host = Require(code, client);
        // Under the classroom's gate, as every other instructor check: the seat list is read while no join adds to it (checked
        // outside it until Dec 2026, a review).
        await host.AuthorizeInstructorAsync(token, "end the classroom");
        if (!_rooms.TryRemove(host.Code, out _)) return; // ended by a concurrent call
        if (_baselines.TryGetValue(host.BaselineKey, out var shared) && !_rooms.Values.Any(r => r.BaselineKey == host.BaselineKey))
            _baselines.TryRemove(KeyValuePair.Create(host.BaselineKey, shared));
        await host.DisposeAsync();
        await sessions.EndAsync(host.Session.Id);
        log.LogInformation("Classroom {Code} ended", host.Code);
        Changed?.Invoke();
    }

    /// <summary>
    /// The world nobody played is a function of (scenario, seed): classes of the same scenario file and seed share one, so
    /// ten classes of the default lesson step it once per round, not ten times. Dropped when the last of them ends.
    /// </summary>
    (string Key, SharedBaseline Baseline) BaselineOf(ScenarioSpec scenario, string yaml, ulong seed)
    {
        var key = $"{seed}\n{yaml}";
        return (key, _baselines.GetOrAdd(key, _ => new SharedBaseline(scenario, seed)));
    }

    readonly ConcurrentDictionary<string, SharedBaseline> _baselines = new(StringComparer.Ordinal);

    void Broadcast(ClassroomHost host) => Post(host.Code, ClassroomMessages.State, host.State());

    /// <summary>
    /// Hands a message to the class's hub group and returns: not awaited, so no classroom call waits for a client's socket
    /// (the hub queues it per connection and lets go of a client that falls behind). A failure is logged.
    /// </summary>
    void Post(string code, string method, object message) =>
        GroupPost.Post(hub.Clients.Group(ClassroomHub.GroupOf(code)), method, message, log, $"classroom {code}");

    public async Task DisposeAllAsync()
    {
        foreach (var r in _rooms.Values) await r.DisposeAsync();
    }
}
