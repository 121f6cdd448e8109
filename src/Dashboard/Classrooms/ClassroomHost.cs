using System.Diagnostics;
using System.Diagnostics.Metrics;
using MarketSim.Dashboard.Sessions;
using MarketSim.Classrooms;
using MarketSim.Model.Policies;
using MarketSim.Model.Simulation;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>
/// One running classroom on this web host: the pure <see cref="Classroom"/> rules, the session its world runs in, the round
/// timer and the bots. Every call takes the caller's token and goes through the classroom's checks, whether it comes from
/// the hub or from a page; calls are serialised by one gate, so a round never closes under a submission.
/// </summary>
public sealed class ClassroomHost : IAsyncDisposable
{
    readonly SemaphoreSlim _gate = new(1, 1);
    // Both hand the message to the hub and return: nothing under the gate, nor a caller's Advance, waits for a client.
    readonly Action<ClassroomHost> _broadcast;
    readonly Action<NewsMessage> _news;
    readonly TimeProvider _time;
    readonly ILogger _log;
    ITimer? _deadline;

    public ClassroomHost(Classroom room, SessionEntry session, (string Key, SharedBaseline Value) baseline, TimeProvider time,
        Action<ClassroomHost> broadcast, Action<NewsMessage> news, ILogger log)
    {
        Room = room;
        (BaselineKey, Baseline) = baseline;
        Session = session;
        _time = time;
        _broadcast = broadcast;
        _news = news;
        _log = log;
    }

    public Classroom Room { get; }
    public SessionEntry Session { get; }
    public string Code => Room.Code;
    public DateTimeOffset Created { get; } = DateTimeOffset.UtcNow;

    /// <summary>Raised after every change (pages re-render; the hub broadcasts the state), and once when the class ends.</summary>
    public event Action? Changed;

    /// <summary>The class has ended (EndClassroom): its pages say so rather than wait for a round that never comes.</summary>
    public bool Ended => _ended;

    int Tick => Session.Runner.Status.Tick;

    // ---- reads (no token: what the projector may show; seats carry no tokens) ----------------------------------------

    public ClassroomState State()
    {
        var r = Room;
        return new ClassroomState(r.Code, r.Scenario.Name, Session.Id, r.Phase, r.Round, Tick, r.Scenario.Days, r.Scenario.DateOf(Tick),
            r.Deadline, r.Settings.Mode, r.Settings.RoundTicks, r.Playable, r.Seats.Select(Info).ToList(), r.AllSubmitted, r.Settings.ScoreWeights);
    }

    SeatInfo Info(Seat s) => new(s.Id, s.Name, s.Country, s.Human, s.Bot, s.Connected, s.SubmittedRound == Room.Round && Room.IsOpen);

    public async Task<IReadOnlyList<ScoreRow>> ScoreboardAsync() => await ScoresOf(await FramesAsync());

    /// <summary>
    /// The scoreboard over <paramref name="frames"/> (an array of <see cref="FramesAsync"/>), built once however many read
    /// it: sixty views asking at once when a round opens share one build (and one step of the world nobody played). A
    /// failed build is not kept.
    /// </summary>
    Task<IReadOnlyList<ScoreRow>> ScoresOf(IReadOnlyList<Frame> frames)
    {
        lock (_scoresLock)
        {
            if (_scores is { } cached && ReferenceEquals(cached.Frames, frames) && !cached.Rows.IsFaulted) return cached.Rows;
            var rows = Task.Run(async () => Scoreboard.Build(Room.Scenario, Room.Playable, frames, Room.Settings.ScoreWeights, await Baseline.OutcomesAsync(frames.Count)));
            _scores = new ScoresAt(frames, rows);
            return rows;
        }
    }

    sealed record ScoresAt(IReadOnlyList<Frame> Frames, Task<IReadOnlyList<ScoreRow>> Rows);
    /// <summary>The world nobody played, made on first use (the score counts what the class changed against it); shared by
    /// the classes of the same scenario and seed (<see cref="ClassroomDirectory"/>).</summary>
    SharedBaseline Baseline { get; }
    internal string BaselineKey { get; }
    readonly object _scoresLock = new();
    ScoresAt? _scores;
    readonly SemaphoreSlim _framesGate = new(1, 1);
    List<Frame> _frames = new();
    volatile Frame[] _framesRead = [];

    /// <summary>
    /// The session's frames, fetched from the grain only as far as they are new: sixty student pages refresh on every change,
    /// and each would otherwise copy the whole history. When the runner's tick is the count already read (only the classroom
    /// moves its session), the same array again without asking the grain. A reset session (fewer ticks than cached) is
    /// fetched afresh.
    /// </summary>
    async Task<IReadOnlyList<Frame>> FramesAsync()
    {
        var read = _framesRead;
        if (read.Length == Tick) return read;
        await _framesGate.WaitAsync();
        try
        {
            // Views arriving together wait here while the first fetches: they take what it fetched.
            if (_framesRead.Length == Tick) return _framesRead;
            var tick = await Session.Grain.GetTickAsync();
            var had = _frames.Count;
            var reset = tick < had;
            if (reset) _frames = new();
            if (tick > _frames.Count) _frames.AddRange((await Session.Grain.GetFramesAsync(_frames.Count)).Value);
            // A new array whenever the frames changed: the caches below know their frames by it.
            if (reset || _frames.Count != had) _framesRead = _frames.ToArray();
            return _framesRead;
        }
        finally { _framesGate.Release(); }
    }

    public async Task<IReadOnlyList<ClassroomRecord.DebriefRow>> DebriefAsync() =>
        ClassroomRecord.Debrief(Room.Scenario, Room.Log.ToList(), await FramesAsync(), Room.Settings.RoundTicks);

    /// <summary>The instructor's or a student's view; a student sees only their own country.</summary>
    public async Task<StudentView> ViewAsync(string? token)
    {
        var lap = Stopwatch.GetTimestamp();
        try { return await ViewCoreAsync(token); }
        finally { ClassroomMetrics.Lap(ClassroomMetrics.View, lap, "all"); }
    }

    async Task<StudentView> ViewCoreAsync(string? token)
    {
        // What the classroom holds is read under the gate (the host changes it under the gate); frames outside it.
        SeatInfo seatInfo;
        string? country;
        IReadOnlyList<LeverView> levers = [];
        IReadOnlyList<LeverChoice> submitted;
        IReadOnlyList<Decision> log;
        int policiesLeft;
        await _gate.WaitAsync();
        try
        {
            if (Room.Authorize(token).Seat is not { } seat) throw new ClassroomError("token", "is the instructor's; the instructor uses the instructor console");
            seatInfo = Info(seat);
            country = seat.Country;
            if (country is not null)
                levers = Room.Levers.LeversOf(country).Select(l => new LeverView(l.Id, l.Kind.ToString().ToLowerInvariant(), l.Label, l.Unit,
                    l.Min, l.Max, Room.Levers.ValueOf(l), l.Persistent) { Subject = l.Subject }).ToList();
            submitted = Room.PendingOf(seat.Id);
            policiesLeft = Room.PoliciesLeftFor(seat.Id);
            log = Room.Log;
        }
        finally { _gate.Release(); }
        var headline = country is { } c ? await HeadlineAsync(c, log) : null;
        var news = log.Where(d => d.By == "instructor" || d.Country == country).TakeLast(12)
            .Select(d => $"{Room.Scenario.DateOf(d.Tick):yyyy-MM-dd} · {PlainWords.Of(d.Description, Room.Scenario)}").Reverse().ToList();
        var happened = country is { } k ? await HappenedAsync(k) : [];
        return new StudentView(seatInfo, State(), headline, levers, submitted, news) { PoliciesLeft = policiesLeft, Happened = happened };
    }

    /// <summary>
    /// The world's events about a country, latest first, at most 12: a student sees what their decisions and others' did to it
    /// (its stockpile released and emptied, a ban on it starting, its new capacity online), not only what was decided (a review
    /// found the news repeating a student's own orders while their stockpile had been released and emptied). Made once per
    /// frames array and country, as the headline is.
    /// </summary>
    async Task<IReadOnlyList<string>> HappenedAsync(string country)
    {
        var frames = await FramesAsync();
        lock (_happened)
            if (_happened.TryGetValue(country, out var h) && ReferenceEquals(h.Frames, frames)) return h.Items;
        var policies = (await Session.Grain.GetPoliciesAsync()).Value;
        var about = policies.Where(p => Concerns(p, country)).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var items = new List<string>();
        for (int t = frames.Count - 1; t >= 0 && items.Count < 12; t--)
            foreach (var e in frames[t].Events.Reverse())
                if (items.Count < 12 && IsAbout(e, country, about)) items.Add($"{frames[t].Date:yyyy-MM-dd} · {PlainWords.Of(e, Room.Scenario)}");
        lock (_happened) _happened[country] = (frames, items);
        return items;
    }

    readonly Dictionary<string, (IReadOnlyList<Frame> Frames, IReadOnlyList<string> Items)> _happened = new(StringComparer.Ordinal);

    bool Concerns(PolicySpec p, string country) => p switch
    {
        ExportControl e => e.Exporter == country || e.Destinations.Contains(country),
        Tariff t => t.Importer == country || t.Origins.Contains(country),
        Stockpile s => s.Country == country,
        CapacityProject c => Room.Scenario.Producers.FirstOrDefault(x => x.Id == c.Producer)?.Country == country,
        PriceFloor f => f.Club.Contains(country),
        _ => false,
    };

    /// <summary>An event names its policy first ("start ID: …", "end ID: …", "online ID: …", or a stockpile's "ID released …");
    /// a producer's expansion names its country ("expansion decided by ID (JP): …").</summary>
    static bool IsAbout(string e, string country, HashSet<string> about)
    {
        if (e.StartsWith("expansion decided by ", StringComparison.Ordinal)) return e.Contains($" ({country}):", StringComparison.Ordinal);
        var text = e.StartsWith("start ", StringComparison.Ordinal) || e.StartsWith("end ", StringComparison.Ordinal)
            || e.StartsWith("online ", StringComparison.Ordinal) ? e[(e.IndexOf(' ') + 1)..]
            : e.StartsWith("in force ", StringComparison.Ordinal) ? e["in force ".Length..] : e; // in force since before day 0
        var end = text.IndexOfAny([':', ' ']);
        return about.Contains(end < 0 ? text : text[..end]);
    }

    /// <summary>
    /// A country's numbers. What the frames give is made once per frames array and shared by every seat of the country (the
    /// sixty views that follow a round's opening would otherwise each compute the same rows); the stockpile ordered comes
    /// from the caller's log.
    /// </summary>
    async Task<CountryHeadline> HeadlineAsync(string country, IReadOnlyList<Decision> log)
    {
        var frames = await FramesAsync();
        Task<CountryHeadline> made;
        lock (_headlines)
        {
            if (!_headlines.TryGetValue(country, out var h) || !ReferenceEquals(h.Frames, frames) || h.Headline.IsFaulted)
                _headlines[country] = h = (frames, Task.Run(() => MakeHeadlineAsync(country, frames)));
            made = h.Headline;
        }
        var ordered = log.Where(d => d.Country == country && d.LeverId.StartsWith("stockpile:", StringComparison.Ordinal)).Sum(d => d.Value);
        return (await made) with { StockpileOrdered = ordered };
    }

    readonly Dictionary<string, (IReadOnlyList<Frame> Frames, Task<CountryHeadline> Headline)> _headlines = new(StringComparer.Ordinal);

    async Task<CountryHeadline> MakeHeadlineAsync(string c, IReadOnlyList<Frame> frames)
    {
        var rows = await ScoresOf(frames);
        var row = rows.First(r => r.Country == c);
        // The last round's leading indicators, the class's world beside the world nobody played.
        // Rounds start every RoundTicks days from day 0 (a class's last round is shorter where the scenario ends, and a real-time
        // class's periods are the same calendar blocks): the round holding the last day run. to − RoundTicks before Dec 2026
        // summed a 5-day last round with 55 days of the round before (a review).
        var to = frames.Count;
        var from = to == 0 ? 0 : (to - 1) / Room.Settings.RoundTicks * Room.Settings.RoundTicks;
        var played = LeadingIndicators.Over(frames.Skip(from).Take(to - from).Select(f => LeadingIndicators.Of(Room.Scenario, f, c)).ToList());
        return new CountryHeadline(c, CountryName(c), row.Loss, row.GdpShare, row.FiscalCost, row.Shortage, 0, Room.Scenario.Currency)
        {
            Window = (from, to), Played = played, Unplayed = await Baseline.IndicatorsAsync(c, from, to),
            Rank = row.Rank, Ranked = rows.Count, Differs = Scoreboard.Differs(rows), Score = row.Score, Parts = row.Parts, ExportRevenue = row.ExportRevenue, ExportRent = row.ExportRent,
        };
    }

    /// <summary>The scenario's name of a country, or its id.</summary>
    public string CountryName(string id) => Room.Scenario.Countries.FirstOrDefault(x => x.Id == id) is { Name: { Length: > 0 } n } ? n : id;

    public async Task RequireInstructorAsync(string? token)
    {
        await _gate.WaitAsync();
        try
        {
            if (Room.Authorize(token).Role != ClassroomRole.Instructor) throw new ClassroomError("token", "only the instructor may do this");
        }
        finally { _gate.Release(); }
    }

    /// <summary>The instructor's token for <paramref name="action"/> (its refusal names the action), checked under the gate: the
    /// seats are read while no join adds one. Waited for as long as <see cref="DisposeAsync"/> waits, so an action that hangs
    /// does not keep the teacher from ending the class.</summary>
    public async Task AuthorizeInstructorAsync(string? token, string action)
    {
        var held = await _gate.WaitAsync(TimeSpan.FromSeconds(30));
        try { Room.AuthorizeInstructor(token, action); }
        finally { if (held) _gate.Release(); }
    }

    // ---- seats ---------------------------------------------------------------------------------------------------------

    public Task<SeatGrant> JoinAsync(string? name, string? country) => Locked(() => Grant(Room.Join(name, country, Tokens.New())), urgent: false);

    /// <summary>The student is back with their token: the seat (and its country) is theirs again.</summary>
    public Task<SeatGrant> RejoinAsync(string? token) => Locked(() =>
    {
        var caller = Room.Authorize(token);
        if (caller.Seat is not { } seat) throw new ClassroomError("token", "is the instructor's, not a seat's");
        Room.Returned(seat);
        return Grant(seat);
    });

    /// <summary>The seat a token holds (no change to it).</summary>
    public async Task<string> SeatIdAsync(string? token)
    {
        await _gate.WaitAsync();
        try { return Room.Authorize(token).Seat?.Id ?? throw new ClassroomError("token", "is the instructor's, not a seat's"); }
        finally { _gate.Release(); }
    }

    SeatGrant Grant(Seat s) => new(Code, s.Id, s.Token, s.Name, s.Country, Session.Id);

    /// <summary>The seat's last connection closed (tab closed, phone asleep): a bot may stand in. <paramref name="stillAway"/>
    /// is asked under the gate: a holder that came back meanwhile (<see cref="SeatPresence"/>) keeps the seat.</summary>
    public Task DroppedAsync(string seatId, Func<bool>? stillAway = null) => Locked(() =>
    {
        if (stillAway?.Invoke() == false) return true;
        if (Room.Seats.FirstOrDefault(s => s.Id == seatId) is { } seat) Room.Dropped(seat);
        return true;
    }, urgent: false);

    public Task RemoveSeatAsync(string? token, string? seatId) =>
        Locked(() => { Room.RemoveSeat(Room.Authorize(token), seatId); return true; });

    public Task AssignAsync(string? token, string? seatId, string? country) =>
        Locked(() => { Room.Assign(Room.Authorize(token), seatId ?? "", country ?? ""); return true; });

    public Task SetBotAsync(string? token, string? seatId, string? strategy) =>
        Locked(() => { Room.SetBot(Room.Authorize(token), seatId ?? "", strategy); return true; });

    public Task<SeatInfo> AddBotAsync(string? token, string? country, string? strategy) =>
        Locked(() => Info(Room.AddBot(Room.Authorize(token), country ?? "", strategy ?? "", Tokens.New())));

    /// <summary>A bot of <paramref name="strategy"/> on every playable country nobody holds.</summary>
    public Task<IReadOnlyList<SeatInfo>> FillWithBotsAsync(string? token, string? strategy) => Locked(() =>
    {
        var caller = Room.Authorize(token);
        if (caller.Role != ClassroomRole.Instructor) throw new ClassroomError("token", "only the instructor may add bots");
        if (!BotStrategies.All.Contains(strategy ?? "")) throw new ClassroomError("strategy", $"\"{MarketSim.Model.Scenario.ErrorLimits.Short(strategy ?? "")}\" is not one of {string.Join(", ", BotStrategies.All)}");
        var empty = Room.EmptyCountries().ToList();
        // All or none: refused before a bot is added when they would take the class past one bot per playable country.
        if (Room.Bots + empty.Count > Room.MaxBots)
            throw new ClassroomError("code", $"classroom {Room.Code} has {Room.Bots} bots and {empty.Count} countries nobody holds: filling them would pass " +
                $"{Room.MaxBots} bots, one per playable country, the most it may have; remove a bot first");
        IReadOnlyList<SeatInfo> added = empty.Select(c => Info(Room.AddBot(caller, c, strategy!, Tokens.New()))).ToList();
        return added;
    });

    // ---- rounds --------------------------------------------------------------------------------------------------------

    public Task StartAsync(string? token) => LockedAsync(async () =>
    {
        var caller = Room.Authorize(token);
        // Refused before the room starts: a real-time class that started without its run would have no bots' timer.
        if (Room.Settings.Mode == RoundMode.RealTime) Session.Runner.ThrowIfOverBudget();
        Room.Start(caller, _time.GetUtcNow());
        await BotsSubmitAsync([]);
        if (Room.Settings.Mode == RoundMode.RealTime)
        {
            await Session.Runner.PlayAsync();
            // Real time has no rounds to close: bots decide again each time the world has run another round's days.
            _botTick = Tick;
            _realTime = _time.CreateTimer(_ => _ = RealTimeBotsAsync(), null, RealTimeCheck, RealTimeCheck);
        }
        ArmTimer();
        return true;
    });

    public async Task<IReadOnlyList<LeverChoice>> SubmitAsync(string? token, IReadOnlyList<LeverChoice>? choices)
    {
        var lap = Stopwatch.GetTimestamp();
        try { return await SubmitLockedAsync(token, choices); }
        finally { ClassroomMetrics.Lap(ClassroomMetrics.Submit, lap, "all"); }
    }

    Task<IReadOnlyList<LeverChoice>> SubmitLockedAsync(string? token, IReadOnlyList<LeverChoice>? choices) => LockedAsync(async () =>
    {
        var caller = Room.Authorize(token);
        var made = Room.Submit(caller, choices, Tick, _time.GetUtcNow());
        try { await ApplyAsync(made); }
        catch
        {
            foreach (var d in made) Room.Retract(d); // real time: the session did not take them, so they never happened
            throw;
        }
        return caller.Seat is { } seat ? Room.PendingOf(seat.Id) : (IReadOnlyList<LeverChoice>)[];
    }, urgent: false);

    /// <summary>
    /// Closes the round (instructor, or the timer with no token), applies its decisions, runs the round's ticks and opens
    /// the next; bots submit for the new round at once. Returns the tick reached.
    /// </summary>
    /// <remarks>
    /// One round per press: the round open when the call arrives is the one it closes. A call that waited for the gate while
    /// another advance closed that round (the console open in two tabs, a double click, the round timer firing as the teacher
    /// presses) returns the tick reached and closes nothing more: before Dec 2026 it closed the round just opened, and the
    /// class skipped a round nobody could play.
    /// </remarks>
    public Task<int> AdvanceAsync(string? token)
    {
        var round = Room.Round; // read before the gate: the round this call means to close
        return LockedAsync(() =>
        {
            var caller = Room.Authorize(token);
            if (Room.Settings.Mode == RoundMode.Rounds && Room.Round != round)
            {
                Room.AuthorizeInstructor(token, "advance the round");
                return Task.FromResult(Tick);
            }
            return AdvanceLockedAsync(caller);
        }, timing: ClassroomMetrics.Advance);
    }

    async Task<int> AdvanceLockedAsync(Caller? caller)
    {
        if (Room.Settings.Mode == RoundMode.RealTime) throw new ClassroomError("mode", "a real-time class runs continuously; use pause and resume");
        var start = Tick;
        var lap = Stopwatch.GetTimestamp();
        // Refused before the round closes: a round closed and applied with no days run would open the next at the same tick.
        Session.Runner.ThrowIfOverBudget();
        var made = Room.Close(caller, start, _time.GetUtcNow());
        var ticks = Math.Min(Room.Settings.RoundTicks, Room.Scenario.Days - start);
        try { await ApplyAsync(made); }
        catch
        {
            // The session took none of it (ApplyAsync put the lever book back): the round is open again as it was.
            Room.Reopen(made);
            ArmTimer();
            throw;
        }
        lap = ClassroomMetrics.Lap(ClassroomMetrics.Advance, lap, "apply");
        try { if (ticks > 0) await Session.Runner.StepAsync(ticks); }
        catch
        {
            // Decisions applied; the run stopped short (the session overloaded or faulted): the next round opens where the world
            // is, rather than none at all, with its timer (a timed class would otherwise wait past its countdown for the teacher).
            Room.Opened(Tick, _time.GetUtcNow());
            ArmTimer();
            throw;
        }
        lap = ClassroomMetrics.Lap(ClassroomMetrics.Advance, lap, "step");
        Room.Opened(Tick, _time.GetUtcNow());
        // The round's frames only when a bot will read them: fetching 30 frames is a large copy.
        if (Room.IsOpen && Room.Seats.Any(s => s.Bot is not null)) await BotsSubmitAsync((await FramesAsync()).Skip(start).ToList());
        ClassroomMetrics.Lap(ClassroomMetrics.Advance, lap, "bots");
        ArmTimer();
        return Tick;
    }

    public Task PauseAsync(string? token) => LockedAsync(async () =>
    {
        Room.Pause(Room.Authorize(token), _time.GetUtcNow());
        if (Room.Settings.Mode == RoundMode.RealTime) await Session.Runner.PauseAsync();
        ArmTimer();
        return true;
    });

    public Task ResumeAsync(string? token) => LockedAsync(async () =>
    {
        var caller = Room.Authorize(token);
        if (Room.Settings.Mode == RoundMode.RealTime) Session.Runner.ThrowIfOverBudget();
        Room.Resume(caller, _time.GetUtcNow());
        if (Room.Settings.Mode == RoundMode.RealTime) await Session.Runner.PlayAsync();
        ArmTimer();
        return true;
    });

    public Task FinishAsync(string? token) => LockedAsync(async () =>
    {
        Room.Finish(Room.Authorize(token));
        await Session.Runner.PauseAsync();
        ArmTimer();
        return true;
    });

    /// <summary>The teacher's event: a policy (validated by the session before it is logged) or the removal of one.</summary>
    public Task<string> InjectAsync(string? token, PolicySpec? policy, string? removeId) => LockedAsync(async () =>
    {
        var caller = Room.Authorize(token);
        if ((policy?.Id ?? removeId ?? "").StartsWith(LeverCatalog.PolicyPrefix, StringComparison.Ordinal))
            throw new ClassroomError("policy", $"ids starting with \"{LeverCatalog.PolicyPrefix}\" belong to the students' levers");
        var description = policy is not null ? $"Event: {policy.Describe()}" : $"Event: {removeId} lifted";
        var d = Room.Inject(caller, policy, removeId, description, Tick, _time.GetUtcNow());
        try { await ApplyAsync([d]); }
        catch
        {
            Room.Retract(d); // the session refused it: it never happened
            throw;
        }
        return description;
    });

    /// <summary>Applies decisions to the session in log order; each lever decision becomes its policy changes.</summary>
    async Task ApplyAsync(IReadOnlyList<Decision> made)
    {
        if (made.Count == 0) return;
        var book = Room.Levers.Snapshot();
        var changes = made.Select(d => Room.Levers.Apply(d)).ToList();
        int from;
        try
        {
            // One call for the whole round: the session checks every change before any applies, and stores its timeline once.
            from = await Session.Grain.ChangePoliciesAsync(changes.SelectMany(c => c).ToList());
        }
        catch (Exception e)
        {
            Room.Levers.Restore(book);
            if (e is not ArgumentException a) throw;
            var message = a.ParamName is { } pn ? a.Message.Replace($" (Parameter '{pn}')", "") : a.Message;
            throw new ClassroomError("policy", message);
        }
        if (Room.Settings.Mode == RoundMode.RealTime)
            for (var i = 0; i < made.Count; i++) Retick(made[i], changes[i], from);
        try
        {
            _news(new NewsMessage(Code, Room.Round, made[0].Tick, made.Select(d => $"{Room.Scenario.DateOf(d.Tick):yyyy-MM-dd} · {d.Description}").ToList()));
        }
        catch (Exception e) { _log.LogWarning(e, "Classroom {Code}: could not send the news", Code); } // applied all the same
    }

    /// <summary>A real-time decision is logged at the tick its last change takes effect, as the session reported it.</summary>
    void Retick(Decision d, IReadOnlyList<PolicyChange> changes, int from)
    {
        int? effective = changes.LastOrDefault() switch
        {
            { Set: { } p } => Math.Max(p.Start, from),
            { RemoveId: not null } => from,
            _ => null,
        };
        if (effective is { } t && t != d.Tick) Room.Retick(d, t);
    }

    async Task BotsSubmitAsync(IReadOnlyList<Frame> lastRound)
    {
        foreach (var seat in Room.Seats.Where(s => s.Bot is not null && s.Country is not null))
        {
            var choices = BotStrategies.Decide(seat.Bot!, seat.Country!, Room, lastRound, Tick);
            // A bot refused (its seat's share of policies used up, say) sits the round out; the others and the round go on.
            IReadOnlyList<Decision> made = [];
            try
            {
                made = Room.SubmitAsBot(seat, choices, Tick, _time.GetUtcNow());
                await ApplyAsync(made);
            }
            catch (ClassroomError e)
            {
                foreach (var d in made) Room.Retract(d); // real time: the session did not take them
                _log.LogInformation("Classroom {Code}: the bot on seat {Seat} did not decide: {Reason}", Code, seat.Id, e.Message);
            }
        }
    }

    // ---- timer ---------------------------------------------------------------------------------------------------------

    static readonly TimeSpan RealTimeCheck = TimeSpan.FromMilliseconds(250);
    ITimer? _realTime;
    int _botTick;

    async Task RealTimeBotsAsync()
    {
        if (Tick - _botTick < Room.Settings.RoundTicks || !Room.IsOpen) return;
        try
        {
            await LockedAsync(async () =>
            {
                var tick = Tick;
                if (tick - _botTick < Room.Settings.RoundTicks || !Room.IsOpen) return false;
                Room.Period(tick);
                var from = _botTick;
                _botTick = tick;
                if (Room.Seats.Any(s => s.Bot is not null)) await BotsSubmitAsync((await FramesAsync()).Skip(from).ToList());
                return true;
            }, urgent: false);
        }
        catch (Exception e) { _log.LogWarning(e, "Classroom {Code}: bots could not decide", Code); }
    }

    void ArmTimer()
    {
        _deadline?.Dispose();
        _deadline = null;
        if (_ended || Room.Deadline is not { } at) return;
        var due = at - _time.GetUtcNow();
        // After a timed close that failed, the deadline has passed: retrying at once would spin (hundreds of failures a
        // second, each logged). Retry after 2, 4, … up to 64 seconds instead, until an advance succeeds.
        if (_timerFailures > 0) due = TimeSpan.FromSeconds(Math.Max(due.TotalSeconds, 1 << Math.Min(6, _timerFailures)));
        _deadline = _time.CreateTimer(_ => _ = OnDeadlineAsync(at), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Consecutive timed closes that failed (written under the gate).</summary>
    int _timerFailures;
    /// <summary>Set once the classroom has ended (under the gate): no action runs and no timer is armed after it.</summary>
    bool _ended;

    async Task OnDeadlineAsync(DateTimeOffset at)
    {
        try
        {
            await LockedAsync(async () =>
            {
                // The teacher may have advanced or paused meanwhile: only the deadline still in force closes the round.
                if (!Room.IsOpen || Room.Deadline != at) return true;
                _timerFailures++; // counted first, so the re-arm inside a failed advance already backs off
                await AdvanceLockedAsync(null);
                _timerFailures = 0;
                return true;
            });
        }
        catch (Exception e) { _log.LogWarning(e, "Classroom {Code}: the round timer could not advance (try {Try})", Code, _timerFailures); }
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------------

    Task<T> Locked<T>(Func<T> action, bool urgent = true) => LockedAsync(() => Task.FromResult(action()), urgent);

    /// <summary>
    /// Runs <paramref name="action"/> alone, then tells pages and hub clients (handed to the hub after the gate, never
    /// awaited: a client that does not read holds up no caller). Round changes go out at once; seat changes
    /// (joins, submissions, drop-outs) are gathered for <see cref="CoalesceDelay"/>: 60 students submitting would otherwise
    /// send 60 × 61 state messages (and 60 × 60 page refreshes) a round.
    /// </summary>
    async Task<T> LockedAsync<T>(Func<Task<T>> action, bool urgent = true, Histogram<double>? timing = null)
    {
        var lap = Stopwatch.GetTimestamp();
        var begun = lap;
        await _gate.WaitAsync();
        if (timing is not null) ClassroomMetrics.Lap(timing, lap, "gate");
        T result;
        try
        {
            if (_ended) throw new ClassroomError("code", $"classroom {Code} has ended");
            result = await action();
        }
        finally { _gate.Release(); }
        if (urgent)
        {
            lap = Stopwatch.GetTimestamp();
            Changed?.Invoke();
            _broadcast(this);
            if (timing is not null)
            {
                ClassroomMetrics.Lap(timing, lap, "broadcast");
                ClassroomMetrics.Lap(timing, begun, "all");
            }
        }
        else if (Interlocked.Exchange(ref _broadcastPending, 1) == 0) _ = BroadcastLaterAsync();
        return result;
    }

    public static readonly TimeSpan CoalesceDelay = TimeSpan.FromMilliseconds(250);
    int _broadcastPending;

    async Task BroadcastLaterAsync()
    {
        await Task.Delay(CoalesceDelay);
        Volatile.Write(ref _broadcastPending, 0);
        Changed?.Invoke();
        try { _broadcast(this); }
        catch (Exception e) { _log.LogWarning(e, "Classroom {Code}: could not send the state", Code); }
    }

    /// <summary>Ends the classroom after the action in hand (an advance under way would otherwise re-arm the round timer
    /// of a class that no longer exists, and its session, ended, would refuse every try).</summary>
    public async ValueTask DisposeAsync()
    {
        // Bounded: an action that hangs does not keep the class from ending (its timer is still stopped below).
        var held = await _gate.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            _ended = true;
            _deadline?.Dispose();
            _deadline = null;
            _realTime?.Dispose();
        }
        finally { if (held) _gate.Release(); }
        // Its open pages (students', the projector, the console) learn it now; the hub's clients get "ClassroomEnded".
        try { Changed?.Invoke(); }
        catch (Exception e) { _log.LogWarning(e, "Classroom {Code}: a page could not be told the class ended", Code); }
    }
}
