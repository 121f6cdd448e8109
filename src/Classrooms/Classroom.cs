using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Classrooms;

/// <summary>
/// A classroom's rules, pure: seats and roles, rounds, submissions and the decision log. Every method checks everything
/// first and throws <see cref="ClassroomError"/> before it changes anything. Not thread-safe: the host serialises calls.
/// The world itself runs in a session; the host applies the policy changes this class returns and steps the session.
/// </summary>
public sealed partial class Classroom
{
    public const int MaxNameLength = 40;

    readonly string _instructorToken;
    readonly List<Seat> _seats = new();
    readonly List<Decision> _log = new();
    // Each seat's submission of the open round, who made it (the student, or the bot holding the seat then) and the policies
    // it would add (PoliciesAddedBy, worked out when it is made: nothing it reads changes while the round is open).
    readonly Dictionary<string, (IReadOnlyList<LeverChoice> Choices, string By, int Adds)> _pending = new(StringComparer.Ordinal);
    // The policies the log's decisions add, in all and by seat (AddsPolicy), kept as the log changes: read on every
    // submission, a scan of a log of thousands of decisions was most of a submission's work.
    int _added;
    readonly Dictionary<string, int> _addedBy = new(StringComparer.Ordinal);

    public Classroom(string code, string instructorToken, ScenarioSpec scenario, ulong seed, ClassroomSettings settings)
    {
        if (settings.Problems(scenario) is { Count: > 0 } problems) throw new ClassroomError(problems[0].Split(':')[0], problems[0][(problems[0].IndexOf(':') + 2)..]);
        Code = code;
        _instructorToken = instructorToken;
        Scenario = scenario;
        Seed = seed;
        Settings = settings;
        Playable = settings.PlayableIn(scenario);
        Levers = new LeverBook(scenario);
    }

    public string Code { get; }
    public ScenarioSpec Scenario { get; }
    public ulong Seed { get; }
    public ClassroomSettings Settings { get; }
    public IReadOnlyList<string> Playable { get; }
    public LeverBook Levers { get; }
    public ClassroomPhase Phase { get; private set; } = ClassroomPhase.Lobby;
    /// <summary>The current round, 1-based (0 in the lobby).</summary>
    public int Round { get; private set; }
    /// <summary>When the open round closes by itself; null without a time limit or while paused.</summary>
    public DateTimeOffset? Deadline { get; private set; }
    TimeSpan? _leftWhenPaused;
    ClassroomPhase _phaseBeforePause;

    // Readers (pages, the projector) may look while the host changes the class: they get a copy, taken under a lock.
    public IReadOnlyList<Seat> Seats { get { lock (_seats) return _seats.ToArray(); } }
    public IReadOnlyList<Decision> Log { get { lock (_log) return _log.ToArray(); } }

    // ---- roles ------------------------------------------------------------------------------------------------------

    /// <summary>Who holds <paramref name="token"/>: the instructor or a seat. Anything else is refused.</summary>
    public Caller Authorize(string? token)
    {
        if (string.IsNullOrEmpty(token)) throw new ClassroomError("token", "is missing");
        if (FixedTimeEquals(token, _instructorToken)) return new Caller(ClassroomRole.Instructor, null);
        var seat = _seats.FirstOrDefault(s => s.Human && FixedTimeEquals(token, s.Token));
        return seat is not null ? new Caller(ClassroomRole.Student, seat)
            : throw new ClassroomError("token", $"is not a token of classroom {Code}");
    }

    static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));

    /// <summary>The instructor's token, or a <see cref="ClassroomError"/> naming the action only the instructor may take.</summary>
    public void AuthorizeInstructor(string? token, string action) => RequireInstructor(Authorize(token), action);

    static void RequireInstructor(Caller caller, string action)
    {
        if (caller.Role != ClassroomRole.Instructor) throw new ClassroomError("token", $"only the instructor may {action}");
    }

    /// <summary>What a caller sent, as an error repeats it: at most 40 characters (a hub argument may be 32 KB, and an error
    /// that echoes it whole sends it back as long).</summary>
    static string Shown(string? s) => s is null ? "" : s.Length <= 40 ? s : s[..40] + "…";

    // ---- seats ------------------------------------------------------------------------------------------------------

    static string Folded(string name) =>
        string.Create(name.Length, name, static (span, n) =>
        {
            for (int i = 0; i < n.Length; i++) span[i] = n[i] is >= '\uFF01' and <= '\uFF5E' ? (char)(n[i] - 0xFEE0) : n[i];
        });

    /// <summary>Letters that show as nothing: the Hangul fillers and the braille blank.</summary>
    static bool ShowsBlank(Rune r) => r.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;

    /// <summary>Bots are named "passive bot 3" (<see cref="AddBot"/>): a student's name may not read as one.</summary>
    [GeneratedRegex(@"\bbot\s*\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BotName();

    /// <summary>Why a name would not read as a student's name on the scoreboard, or null: before Dec 2026 "\u3164", two braille
    /// blanks, 30 combining marks on one letter and "naive bot 9" all joined.</summary>
    static string? NameProblem(string n)
    {
        int bases = 0, marks = 0;
        var letters = false;
        foreach (var r in n.EnumerateRunes())
        {
            if (ShowsBlank(r)) return $"contains a character that shows as blank (U+{r.Value:X4}); use letters or digits";
            if (Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) marks++;
            else bases++;
            letters |= Rune.IsLetterOrDigit(r);
        }
        if (!letters) return "has no letter or digit";
        if (marks > bases) return $"is mostly combining marks ({marks} on {bases} characters)";
        if (BotName().IsMatch(n)) return "reads like a bot's name (bots are named like \"passive bot 3\"); choose another";
        return null;
    }

    public Seat Join(string? name, string? country, string token)
    {
        var n = (name ?? "").Trim();
        if (n.Length == 0) throw new ClassroomError("name", "is empty");
        if (n.Length > MaxNameLength) throw new ClassroomError("name", $"is longer than {MaxNameLength} characters");
        // The one rule for ids and text: format characters too (U+202E reverses the scoreboard's text, U+200B hides in it).
        if (n.Any(MarketSim.Model.Scenario.IdRules.IsControl)) throw new ClassroomError("name", "contains control or format characters");
        if (NameProblem(Folded(n)) is { } problem) throw new ClassroomError("name", problem);
        if (Phase == ClassroomPhase.Finished) throw new ClassroomError("code", $"classroom {Code} has finished");
        // Names that read alike are one name: full-width forms ("Ａｌｉｃｅ") and case. (The host runs with invariant
        // globalization, so Unicode normalisation is not at hand: a decomposed accent, or a look-alike letter of another script
        // such as a Cyrillic е, is not caught.)
        if (_seats.Any(s => string.Equals(Folded(s.Name), Folded(n), StringComparison.OrdinalIgnoreCase)))
            throw new ClassroomError("name", $"\"{n}\" is taken in this classroom; choose another (or use your saved seat to rejoin)");
        if (_seats.Count(s => s.Human) >= Settings.Capacity) throw new ClassroomError("code", $"classroom {Code} is full ({Settings.Capacity} seats)");
        string? assigned = Settings.Assignment switch
        {
            SeatAssignment.Choose when string.IsNullOrWhiteSpace(country) => throw new ClassroomError("country", $"choose one of {string.Join(", ", Playable)}"),
            SeatAssignment.Choose when !Playable.Contains(country!) => throw new ClassroomError("country", $"\"{Shown(country)}\" is not playable; choose one of {string.Join(", ", Playable)}"),
            SeatAssignment.Choose => country,
            SeatAssignment.Auto => Playable.OrderBy(c => _seats.Count(s => s.Country == c)).ThenBy(c => Playable.ToList().IndexOf(c)).First(),
            _ => null, // the teacher assigns
        };
        var seat = new Seat { Id = $"s{++_seatCounter}", Name = n, Country = assigned, Token = token, Human = true, Connected = true };
        lock (_seats) _seats.Add(seat);
        return seat;
    }

    public Seat AddBot(Caller caller, string country, string strategy, string token)
    {
        RequireInstructor(caller, "add bots");
        if (!Playable.Contains(country)) throw new ClassroomError("country", $"\"{Shown(country)}\" is not playable");
        if (!BotStrategies.All.Contains(strategy)) throw new ClassroomError("strategy", $"\"{Shown(strategy)}\" is not one of {string.Join(", ", BotStrategies.All)}");
        if (Bots >= MaxBots)
            throw new ClassroomError("code", $"classroom {Code} has {Bots} bots, as many as it has playable countries, the most it may have");
        var number = ++_seatCounter;
        var seat = new Seat { Id = $"s{number}", Name = $"{strategy} bot {number}", Country = country, Token = token, Human = false, Bot = strategy };
        lock (_seats) _seats.Add(seat);
        return seat;
    }

    /// <summary>The seats the instructor added as bots (not students' seats a bot stands in for). At most as many as playable
    /// countries: the world's policy budget is shared among Capacity students and that many bots (<see cref="SeatPolicyShare"/>).
    /// Unbounded until Dec 2026, a review's 1,500 stockpile bots filled one class's world with ≈4,800 policies and a round of
    /// 30 days took over a minute of both cores.</summary>
    public int Bots
    {
        get { lock (_seats) return _seats.Count(s => !s.Human); }
    }

    public int MaxBots => Playable.Count;

    // Seat ids are never reused (a removed seat's id stays in the log): numbered by a counter, not by the seats left.
    int _seatCounter;

    /// <summary>
    /// The instructor removes a seat (a prank name, a duplicate, a student who left): its token stops working at once, its
    /// choices for the open round are dropped, its decisions already made stay in the log. The seat is free for someone else.
    /// </summary>
    public Seat RemoveSeat(Caller caller, string? seatId)
    {
        RequireInstructor(caller, "remove seats");
        var seat = SeatOf(seatId);
        lock (_seats) _seats.Remove(seat);
        _pending.Remove(seat.Id);
        return seat;
    }

    /// <summary>The playable countries nobody holds a seat of.</summary>
    public IReadOnlyList<string> EmptyCountries() => Playable.Where(c => _seats.All(s => s.Country != c)).ToList();

    public void Assign(Caller caller, string seatId, string country)
    {
        RequireInstructor(caller, "assign seats");
        var seat = SeatOf(seatId);
        if (!Playable.Contains(country)) throw new ClassroomError("country", $"\"{Shown(country)}\" is not playable");
        if (seat.Country == country) return;
        // Choices made for the old country's levers do not carry over: the seat submits again for its new country. Nor do the
        // one-off levers it used this round (real time): they were the old country's, and lever ids repeat across countries
        // ("stockpile:dy_oxide"), so the new country's purchase was refused as already made.
        _pending.Remove(seat.Id);
        seat.SubmittedRound = 0;
        seat.OneOffsThisRound = new(StringComparer.Ordinal);
        seat.Country = country;
    }

    /// <summary>Puts a bot of <paramref name="strategy"/> on a seat, or (null) hands a student's seat back to the student.</summary>
    public void SetBot(Caller caller, string seatId, string? strategy)
    {
        RequireInstructor(caller, "put bots on seats");
        var seat = SeatOf(seatId);
        if (strategy is not null && !BotStrategies.All.Contains(strategy))
            throw new ClassroomError("strategy", $"\"{Shown(strategy)}\" is not one of {string.Join(", ", BotStrategies.All)}");
        if (strategy is null && !seat.Human) throw new ClassroomError("seatId", $"seat {Shown(seatId)} is a bot's seat; there is no student to hand it to");
        (seat.Bot, seat.StandIn) = (strategy, false);
    }

    Seat SeatOf(string? seatId) => _seats.FirstOrDefault(s => s.Id == seatId) ?? throw new ClassroomError("seatId", $"no seat \"{Shown(seatId)}\"");

    /// <summary>The student's connection dropped: a passive bot keeps the seat (if the settings say so) until they return.</summary>
    public void Dropped(Seat seat)
    {
        seat.Connected = false;
        if (Settings.BotTakeover && seat.Human && seat.Bot is null) (seat.Bot, seat.StandIn) = (BotStrategies.Passive, true);
    }

    /// <summary>The student is back (same token): a stand-in hands the seat back; a bot the teacher put there stays until the
    /// teacher hands the seat back (<see cref="SetBot"/>), or reloading the page would undo the teacher.</summary>
    public void Returned(Seat seat)
    {
        seat.Connected = true;
        if (seat.Human && seat.StandIn) (seat.Bot, seat.StandIn) = (null, false);
    }

    // ---- rounds -----------------------------------------------------------------------------------------------------

    public void Start(Caller caller, DateTimeOffset now)
    {
        RequireInstructor(caller, "start the class");
        if (Phase != ClassroomPhase.Lobby) throw new ClassroomError("phase", $"the class has started already (round {Round})");
        OpenRound(1, now);
    }

    void OpenRound(int round, DateTimeOffset now)
    {
        Round = round;
        Phase = ClassroomPhase.Open;
        _pending.Clear();
        Deadline = Settings.Mode == RoundMode.Rounds && Settings.RoundSeconds > 0 ? now.AddSeconds(Settings.RoundSeconds) : null;
    }

    public bool IsOpen => Phase == ClassroomPhase.Open;

    /// <summary>True when every student present and every bot has submitted in the open round.</summary>
    public bool AllSubmitted => IsOpen && Seats.Where(s => s.Country is not null && (s.Connected || s.Bot is not null)).All(s => s.SubmittedRound == Round);

    /// <summary>
    /// Records a seat's choices for the open round (replacing an earlier submission in the same round). In real-time mode
    /// they are decisions at once, applying from <paramref name="tick"/>: the returned list; in round mode it is empty.
    /// </summary>
    public IReadOnlyList<Decision> Submit(Caller caller, IReadOnlyList<LeverChoice>? choices, int tick, DateTimeOffset now)
    {
        if (caller.Role != ClassroomRole.Student || caller.Seat is not { } seat) throw new ClassroomError("token", "only a student's seat submits decisions");
        // A bot the teacher put on the seat plays it until the teacher hands it back; a student's choices would go down as the
        // bot's. A stand-in (the student was away) gives the seat back to a student who submits.
        if (seat.Bot is { } bot && !seat.StandIn)
            throw new ClassroomError("token", $"the teacher has put a {bot} bot on your seat; ask the teacher to hand it back");
        var made = SubmitFor(seat, choices, tick, now, "student");
        if (seat.StandIn) Returned(seat);
        return made;
    }

    /// <summary>A bot's submission for the seat it holds (the host runs bots; no token involved).</summary>
    public IReadOnlyList<Decision> SubmitAsBot(Seat seat, IReadOnlyList<LeverChoice> choices, int tick, DateTimeOffset now) =>
        seat.Bot is { } bot ? SubmitFor(seat, choices, tick, now, "bot:" + bot) : throw new InvalidOperationException($"seat {seat.Id} is not held by a bot");

    IReadOnlyList<Decision> SubmitFor(Seat seat, IReadOnlyList<LeverChoice>? choices, int tick, DateTimeOffset now, string by)
    {
        if (seat.Country is not { } country) throw new ClassroomError("token", "your seat has no country yet; wait for the teacher");
        if (!IsOpen) throw new ClassroomError("round", Phase switch
        {
            ClassroomPhase.Lobby => "the class has not started",
            ClassroomPhase.Finished => "the class has finished",
            _ => $"round {Round} is closed",
        });
        if (choices is null) throw new ClassroomError("decisions", "are missing");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var snapped = new List<LeverChoice>(choices.Count);
        for (var i = 0; i < choices.Count; i++)
        {
            var c = choices[i] ?? throw new ClassroomError($"decisions[{i}]", "is empty");
            var lever = Levers.Find(country, c.Lever) ?? throw new ClassroomError($"decisions[{i}].lever", $"{country} holds no lever \"{Shown(c.Lever)}\"");
            if (!double.IsFinite(c.Value) || c.Value < lever.Min || c.Value > lever.Max)
                throw new ClassroomError($"decisions[{i}].value", $"{c.Value} is outside {lever.Min}–{lever.Max} {lever.Unit} for {lever.Id}");
            if (!seen.Add(c.Lever)) throw new ClassroomError($"decisions[{i}].lever", $"\"{Shown(c.Lever)}\" is given twice");
            snapped.Add(c with { Value = LeverCatalog.Snap(lever, c.Value) });
        }
        choices = snapped;
        CheckPolicyBudget(seat, country, choices);
        if (Settings.Mode == RoundMode.RealTime) CheckRealTimeAllowance(seat, country, choices);
        seat.SubmittedRound = Round;
        if (Settings.Mode == RoundMode.RealTime) return Record(seat, choices, by, tick, now);
        _pending[seat.Id] = (choices.ToList(), by, PoliciesAddedBy(country, choices));
        return [];
    }

    // ---- the policy budget --------------------------------------------------------------------------------------------

    /// <summary>Room kept for the teacher's events: the students' decisions may fill the session's timeline
    /// (<see cref="PolicyTimeline.MaxVersions"/>) up to this many short of its limit.</summary>
    public const int TeacherReserve = 200;

    /// <summary>
    /// The policies one seat's decisions may add over the whole class: the students' share of the session's timeline
    /// (<see cref="PolicyTimeline.MaxVersions"/> less the scenario's policies and the teacher's reserve) split over every seat
    /// the class can hold (its capacity, and a bot for each playable country). Every one-off action and every change of a
    /// lever to a value other than its default adds one policy (a persistent lever's old policy ends and stays as history),
    /// and every tick reads them all: without a share, one eager seat could fill the timeline and every later decision of the
    /// class, and the close of every round carrying one, would be refused (a round that cannot close wedges a timed class).
    /// </summary>
    public int SeatPolicyShare => Math.Max(0, StudentPolicyLimit - Scenario.Policies.Count) / (Settings.Capacity + Playable.Count);

    int StudentPolicyLimit => PolicyTimeline.MaxVersions - TeacherReserve;

    /// <summary>What is left of the seat's share (<see cref="SeatPolicyShare"/>), shown on its page.</summary>
    public int PoliciesLeftFor(string seatId)
    {
        lock (_log) return Math.Max(0, SeatPolicyShare - _addedBy.GetValueOrDefault(seatId));
    }

    /// <summary>An upper bound on the policies the session holds: the scenario's, and one for every decision in the log that
    /// sets one (a removal, or a lever back at its default, adds none).</summary>
    public int PoliciesHeld
    {
        get
        {
            lock (_log) return Scenario.Policies.Count + _added;
        }
    }

    bool AddsPolicy(Decision d) =>
        d.Injected is not null || (d.Removed is null && Levers.Find(d.Country, d.LeverId) is { } l && d.Value != l.Default);

    /// <summary>The log gained (+1) or lost (−1) <paramref name="d"/>: the counts of policies it adds follow. Under the log's lock.</summary>
    void Counted(Decision d, int sign)
    {
        if (!AddsPolicy(d)) return;
        _added += sign;
        _addedBy[d.SeatId] = _addedBy.GetValueOrDefault(d.SeatId) + sign;
    }

    /// <summary>The policies these choices would add if they became decisions now (see <see cref="Decide"/>).</summary>
    int PoliciesAddedBy(string country, IReadOnlyList<LeverChoice> choices)
    {
        var n = 0;
        foreach (var c in choices)
            if (Levers.Find(country, c.Lever) is { } l && c.Value != l.Default && (!l.Persistent || Levers.ValueOf(l) != c.Value)) n++;
        return n;
    }

    int PendingPolicies(string? exceptSeat)
    {
        var n = 0;
        foreach (var (seatId, p) in _pending) if (seatId != exceptSeat) n += p.Adds;
        return n;
    }

    void CheckPolicyBudget(Seat seat, string country, IReadOnlyList<LeverChoice> choices)
    {
        var adds = PoliciesAddedBy(country, choices);
        if (adds == 0) return;
        int used;
        lock (_log) used = _addedBy.GetValueOrDefault(seat.Id);
        if (used + adds > SeatPolicyShare)
            throw new ClassroomError("decisions", $"these choices add {adds} policies, and this seat has added {used} of the {SeatPolicyShare} a seat may " +
                "add in this class (each one-off action and each change of a lever is one); choose fewer");
        var others = PendingPolicies(seat.Id);
        if (PoliciesHeld + others + adds > StudentPolicyLimit)
            throw new ClassroomError("decisions", $"the class's world holds {PoliciesHeld} policies and the round's other choices add {others}: " +
                $"these {adds} would pass the {StudentPolicyLimit} the students' decisions may fill; choose fewer");
    }

    /// <summary>In a real-time class, how many submissions a seat may make in one round.</summary>
    public const int RealTimeSubmissionsPerRound = 3;

    /// <summary>
    /// A real-time submission applies at once, and each one-off action (a stockpile purchase, an investment) becomes a policy in
    /// force for the rest of the class. Without a bound one seat could add policies as fast as it can send, and every tick
    /// would carry them all: so a seat gets <see cref="RealTimeSubmissionsPerRound"/> submissions a round and each one-off lever
    /// once a round, as in a class played in rounds. Checked whole before anything is counted: a refused submission uses nothing.
    /// </summary>
    void CheckRealTimeAllowance(Seat seat, string country, IReadOnlyList<LeverChoice> choices)
    {
        if (seat.AllowanceRound != Round) (seat.AllowanceRound, seat.SubmissionsThisRound, seat.OneOffsThisRound) = (Round, 0, []);
        if (seat.SubmissionsThisRound >= RealTimeSubmissionsPerRound)
            throw new ClassroomError("decisions", $"you have made the {RealTimeSubmissionsPerRound} submissions a seat may make in round {Round}; the next round opens on day {Round * Settings.RoundTicks}");
        var oneOffs = new List<string>();
        for (var i = 0; i < choices.Count; i++)
        {
            var lever = Levers.Find(country, choices[i].Lever)!;
            if (lever.Persistent || choices[i].Value == lever.Default) continue;
            if (seat.OneOffsThisRound.Contains(lever.Id))
                throw new ClassroomError($"decisions[{i}].lever", $"\"{lever.Id}\" was already used in round {Round}: a one-off action once a round");
            oneOffs.Add(lever.Id);
        }
        seat.SubmissionsThisRound++;
        seat.OneOffsThisRound.UnionWith(oneOffs);
    }

    IReadOnlyList<Decision> Record(Seat seat, IReadOnlyList<LeverChoice> choices, string by, int tick, DateTimeOffset now)
    {
        var made = Decide([(seat, choices, by)], tick, now);
        lock (_log) foreach (var d in made) { _log.Add(d); Counted(d, +1); }
        return made;
    }

    /// <summary>
    /// The decisions of submissions in seat order. On a persistent lever the last seat of a country wins (one decision, and
    /// none if it leaves the lever as it is); one-off actions (stockpile purchases, investments) of several seats add up.
    /// </summary>
    IReadOnlyList<Decision> Decide(IEnumerable<(Seat Seat, IReadOnlyList<LeverChoice> Choices, string By)> submissions, int tick, DateTimeOffset now)
    {
        var made = new List<Decision>();
        var persistent = new Dictionary<string, int>(StringComparer.Ordinal); // country/lever → index in made
        foreach (var (seat, choices, by) in submissions)
            foreach (var c in choices)
            {
                var lever = Levers.Find(seat.Country!, c.Lever)!;
                var d = new Decision(Round, tick, now, seat.Id, seat.Name, seat.Country!, c.Lever, c.Value, by, LeverCatalog.Describe(lever, c.Value));
                if (!lever.Persistent)
                {
                    if (c.Value != lever.Default) made.Add(d);
                    continue;
                }
                var key = seat.Country + "/" + c.Lever;
                if (persistent.TryGetValue(key, out var i)) made[i] = d;
                else { persistent[key] = made.Count; made.Add(d); }
            }
        // A persistent lever set to the value it has already is no decision (and no policy change).
        return made.Where(d => Levers.Find(d.Country, d.LeverId) is not { Persistent: true } l || Levers.ValueOf(l) != d.Value).ToList();
    }

    /// <summary>
    /// Closes the open round: the submissions become decisions applying from <paramref name="tick"/> (see <see cref="Decide"/>).
    /// The host applies <see cref="LeverBook.Apply"/> to each, runs the round and calls <see cref="Opened"/>; if that fails,
    /// <see cref="Reopen"/> puts the round back as it was.
    /// </summary>
    public IReadOnlyList<Decision> Close(Caller? caller, int tick, DateTimeOffset now)
    {
        if (caller is not null) RequireInstructor(caller, "advance the round");
        if (!IsOpen) throw new ClassroomError("round", Phase == ClassroomPhase.Lobby ? "the class has not started" : $"round {Round} is not open");
        var made = Decide(_seats.Where(s => s.Country is not null && _pending.ContainsKey(s.Id))
            .Select(s => (s, _pending[s.Id].Choices, _pending[s.Id].By)), tick, now);
        lock (_log) foreach (var d in made) { _log.Add(d); Counted(d, +1); }
        _closed = new(_pending);
        _pending.Clear();
        Phase = ClassroomPhase.Running;
        _closedDeadline = Deadline;
        Deadline = null;
        return made;
    }

    Dictionary<string, (IReadOnlyList<LeverChoice> Choices, string By, int Adds)>? _closed;
    DateTimeOffset? _closedDeadline;

    /// <summary>The round could not run (the session failed): its decisions leave the log and the round is open again as it was.</summary>
    public void Reopen(IReadOnlyList<Decision> made)
    {
        if (Phase != ClassroomPhase.Running || _closed is null) return;
        lock (_log) foreach (var d in made) if (_log.Remove(d)) Counted(d, -1);
        foreach (var (k, v) in _closed) _pending[k] = v;
        Phase = ClassroomPhase.Open;
        Deadline = _closedDeadline;
    }

    /// <summary>The round has run; the next opens, or the class finishes at the horizon.</summary>
    public void Opened(int tick, DateTimeOffset now)
    {
        if (tick >= Scenario.Days) { Phase = ClassroomPhase.Finished; Deadline = null; return; }
        OpenRound(Round + 1, now);
    }

    /// <summary>Real time: rounds are calendar periods of <see cref="ClassroomSettings.RoundTicks"/> days (for the log and the bots).</summary>
    public void Period(int tick)
    {
        if (Settings.Mode == RoundMode.RealTime && IsOpen) Round = 1 + tick / Settings.RoundTicks;
    }

    public void Pause(Caller caller, DateTimeOffset now)
    {
        RequireInstructor(caller, "pause");
        if (Phase is not (ClassroomPhase.Open or ClassroomPhase.Running)) throw new ClassroomError("phase", $"nothing to pause ({Phase})");
        _phaseBeforePause = Phase;
        _leftWhenPaused = Deadline is { } d ? d - now : null;
        Deadline = null;
        Phase = ClassroomPhase.Paused;
    }

    public void Resume(Caller caller, DateTimeOffset now)
    {
        RequireInstructor(caller, "resume");
        if (Phase != ClassroomPhase.Paused) throw new ClassroomError("phase", "the class is not paused");
        Phase = _phaseBeforePause;
        Deadline = _leftWhenPaused is { } left ? now + left : null;
    }

    public void Finish(Caller caller)
    {
        RequireInstructor(caller, "end the class");
        Phase = ClassroomPhase.Finished;
        Deadline = null;
    }

    /// <summary>The teacher's event: a policy set (or removed by id) from <paramref name="tick"/>, logged like a decision.</summary>
    public Decision Inject(Caller caller, PolicySpec? policy, string? removeId, string description, int tick, DateTimeOffset now)
    {
        RequireInstructor(caller, "inject events");
        if (Phase == ClassroomPhase.Finished) throw new ClassroomError("phase", "the class has finished");
        if (policy is null == removeId is null) throw new ClassroomError("policy", "give either a policy or the id of one to remove");
        // The round's pending choices were admitted against the session's limit: an event may not take their room, or the
        // round could not close.
        if (policy is not null && PoliciesHeld + PendingPolicies(null) + 1 > PolicyTimeline.MaxVersions)
            throw new ClassroomError("policy", $"the class's world holds {PoliciesHeld} policies and the round's choices add {PendingPolicies(null)}, " +
                $"the most a session may hold ({PolicyTimeline.MaxVersions})");
        var d = new Decision(Round, tick, now, "teacher", "Teacher", "", "inject", 0, "instructor", description)
        {
            Injected = policy, Removed = removeId,
        };
        lock (_log) { _log.Add(d); Counted(d, +1); }
        return d;
    }

    /// <summary>What the seat has submitted in the open round (empty if nothing).</summary>
    public IReadOnlyList<LeverChoice> PendingOf(string seatId) => _pending.TryGetValue(seatId, out var p) ? p.Choices : [];

    /// <summary>
    /// In real time the world may be mid-tick when a decision arrives; the session then applies it a tick later. The log
    /// keeps the tick it really applied from, so the replay matches.
    /// </summary>
    public Decision Retick(Decision d, int tick)
    {
        var moved = d with { Tick = tick };
        lock (_log)
        {
            var i = _log.IndexOf(d);
            if (i >= 0) _log[i] = moved;
        }
        return moved;
    }

    /// <summary>Drops a decision the session refused (it never applied), so log and world stay in step.</summary>
    public void Retract(Decision d) { lock (_log) if (_log.Remove(d)) Counted(d, -1); }
}
