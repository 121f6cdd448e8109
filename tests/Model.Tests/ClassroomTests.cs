using MarketSim.Classrooms;
using MarketSim.Model.Output;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>The classroom's rules, without a server: seats, roles, rounds, levers, bots and the replay of a log.</summary>
public class ClassroomTests
{
    static readonly ScenarioSpec World = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
    static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    const string Teacher = "teacher-token";
    int _tokens;

    Classroom New(ClassroomSettings? settings = null) => new("ABC234", Teacher, World, 7, settings ?? new ClassroomSettings());
    string Token() => $"seat-token-{++_tokens}";
    static Caller Instructor(Classroom c) => c.Authorize(Teacher);

    static T Refused<T>(Func<T> action, string field, string text)
    {
        var e = Assert.Throws<ClassroomError>(() => action());
        Assert.Equal(field, e.Field);
        Assert.Contains(text, e.Message);
        return default!;
    }

    [Fact]
    public void The_instructor_removes_a_seat_its_token_stops_working_and_seat_ids_are_never_reused()
    {
        var c = New(new ClassroomSettings { Capacity = 2 });
        var ana = c.Join("Ana", null, Token());
        var ben = c.Join("Ben", null, Token());
        Refused(() => c.Join("Cy", null, Token()), "code", "is full");
        Refused(() => { c.RemoveSeat(c.Authorize(ana.Token), ben.Id); return 0; }, "token", "only the instructor may remove seats");
        Refused(() => { c.RemoveSeat(Instructor(c), "s99"); return 0; }, "seatId", "no seat \"s99\"");
        Assert.Equal(2, c.Seats.Count);

        Assert.Same(ana, c.RemoveSeat(Instructor(c), ana.Id));
        Refused(() => c.Authorize(ana.Token), "token", "is not a token of classroom");
        var cy = c.Join("Cy", null, Token()); // the place is free
        Assert.NotEqual(ana.Id, cy.Id);
        Assert.NotEqual(ben.Id, cy.Id);
        Assert.Equal([ben.Id, cy.Id], c.Seats.Select(s => s.Id));
    }

    [Fact]
    public void Levers_come_from_the_scenario_exports_for_what_a_country_makes_and_tariffs_stockpiles_for_what_it_uses()
    {
        var cn = LeverCatalog.For(World, "CN").Select(l => l.Id).ToList();
        Assert.Contains("export:dy_oxide", cn);
        Assert.Contains("export:gallium", cn);
        var jp = LeverCatalog.For(World, "JP");
        Assert.Contains(jp, l => l.Id == "tariff:dy_oxide" && l.Max == 100);
        Assert.Contains(jp, l => l.Id == "stockpile:dy_oxide" && l.Max > 0);
        Assert.Contains(jp, l => l.Id == "export:magnet_ht");
        Assert.DoesNotContain(jp, l => l.Id == "export:dy_oxide"); // Japan does not separate Dy
    }

    [Fact]
    public void Automatic_seating_balances_countries_and_a_bad_join_changes_nothing()
    {
        var room = New(new ClassroomSettings { Playable = ["CN", "JP", "US"], Capacity = 4 });
        var seats = new[] { "Ana", "Ben", "Chen", "Dai" }.Select(n => room.Join(n, null, Token())).ToList();
        Assert.Equal(["CN", "JP", "US", "CN"], seats.Select(s => s.Country));

        Refused(() => room.Join("ana", null, Token()), "name", "is taken");          // the full class also refuses, but the name is checked first
        Refused(() => room.Join("Eve", null, Token()), "code", "is full (4 seats)");
        Refused(() => room.Join("  ", null, Token()), "name", "is empty");
        Refused(() => room.Join(new string('x', 41), null, Token()), "name", "longer than 40");
        Refused(() => room.Join("Eve\u202Eevil", null, Token()), "name", "control or format characters");
        Refused(() => room.Join("E\u200Bve", null, Token()), "name", "control or format characters");
        Assert.Equal(4, room.Seats.Count);
    }

    [Theory]
    [InlineData("\u2800\u2800", "shows as blank (U+2800)")]
    [InlineData("\u3164", "shows as blank (U+3164)")]
    [InlineData("\u115F", "shows as blank (U+115F)")]
    [InlineData("Ana\u3164", "shows as blank (U+3164)")]
    [InlineData("...", "has no letter or digit")]
    [InlineData("\u0301\u0301\u0301", "has no letter or digit")]
    [InlineData("a\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030A\u030B\u030C\u030D\u030E\u030F\u0310\u0311\u0312\u0313\u0314\u0315\u0316\u0317\u0318\u0319\u031A\u031B\u031C\u031D\u031E", "is mostly combining marks (30 on 1 characters)")]
    [InlineData("naive bot 9", "reads like a bot's name")]
    [InlineData("Passive Bot 3", "reads like a bot's name")]
    [InlineData("ｐａｓｓｉｖｅ ｂｏｔ ３", "reads like a bot's name")]
    public void A_name_that_shows_blank_or_reads_like_a_bots_is_refused(string name, string why)
    {
        // All of these joined before Dec 2026, and showed on the scoreboard as nothing, as a smear, or as a bot.
        var room = New();
        Refused(() => room.Join(name, null, Token()), "name", why);
        Assert.Empty(room.Seats);
    }

    [Theory]
    [InlineData("Nguye\u0302\u0303n")]   // decomposed accents: fewer marks than letters
    [InlineData("सिंह")]                // Devanagari vowel signs are marks too
    [InlineData("Abbot 2")]
    [InlineData("李 1")]
    public void Names_with_some_marks_and_digits_still_join(string name) => Assert.Equal(name, New().Join(name, null, Token()).Name);

    [Fact]
    public void Choosing_a_country_needs_a_playable_one()
    {
        var room = New(new ClassroomSettings { Playable = ["CN", "JP"], Assignment = SeatAssignment.Choose });
        Refused(() => room.Join("Ana", null, Token()), "country", "choose one of CN, JP");
        Refused(() => room.Join("Ana", "US", Token()), "country", "\"US\" is not playable");
        Assert.Equal("JP", room.Join("Ana", "JP", Token()).Country);
        Assert.Single(room.Seats);
    }

    [Fact]
    public void Tokens_decide_the_role_and_a_forged_one_is_refused()
    {
        var room = New();
        var seat = room.Join("Ana", null, Token());
        Assert.Equal(ClassroomRole.Instructor, room.Authorize(Teacher).Role);
        Assert.Same(seat, room.Authorize(seat.Token).Seat);
        Refused(() => room.Authorize("seat-token-999"), "token", "is not a token of classroom ABC234");
        Refused(() => room.Authorize(null), "token", "is missing");

        var student = room.Authorize(seat.Token);
        Refused(() => { room.Start(student, T0); return 0; }, "token", "only the instructor may start");
        Refused(() => { room.Assign(student, seat.Id, "CN"); return 0; }, "token", "only the instructor may assign");
        Refused(() => room.AddBot(student, "CN", BotStrategies.Passive, Token()), "token", "only the instructor may add bots");
        Refused(() => room.Inject(student, null, "cn-licensing-2025", "lift", 0, T0), "token", "only the instructor may inject");
        Assert.Equal(ClassroomPhase.Lobby, room.Phase);
        Assert.Empty(room.Log);
    }

    [Fact]
    public void A_student_moves_only_their_own_levers_within_limits_and_only_while_the_round_is_open()
    {
        var room = New(new ClassroomSettings { Playable = ["CN", "JP"] });
        var cn = room.Authorize(room.Join("Ana", null, Token()).Token);
        Refused(() => room.Submit(cn, [new("export:dy_oxide", 50)], 0, T0), "round", "has not started");
        room.Start(Instructor(room), T0);

        Refused(() => room.Submit(cn, [new("capacity:jp-magnet-ht", 10)], 0, T0), "decisions[0].lever", "CN holds no lever \"capacity:jp-magnet-ht\"");
        Refused(() => room.Submit(cn, [new("export:dy_oxide", 150)], 0, T0), "decisions[0].value", "150 is outside 0–100");
        Refused(() => room.Submit(cn, [new("export:dy_oxide", double.NaN)], 0, T0), "decisions[0].value", "NaN");
        Refused(() => room.Submit(cn, [new("export:dy_oxide", 50), new("export:dy_oxide", 40)], 0, T0), "decisions[1].lever", "given twice");
        // What the caller sent comes back cut, not whole (a hub argument may be 32 KB).
        var long_ = Assert.Throws<ClassroomError>(() => room.Submit(cn, [new(new string('x', 30_000), 1)], 0, T0));
        Assert.True(long_.Message.Length < 200, $"{long_.Message.Length} characters");
        // The one valid choice before a bad one is not kept: a refused submission changes nothing.
        Refused(() => room.Submit(cn, [new("export:tb_oxide", 50), new("export:nope", 1)], 0, T0), "decisions[1].lever", "no lever");
        Assert.Empty(room.PendingOf("s1"));

        room.Submit(cn, [new("export:dy_oxide", 50)], 0, T0);
        Assert.True(room.AllSubmitted);
        var made = room.Close(Instructor(room), 0, T0);
        Assert.Equal("CN licenses exports of dy_oxide at 50% approval", Assert.Single(made).Description);
        Refused(() => room.Submit(cn, [new("export:dy_oxide", 20)], 0, T0), "round", "round 1 is closed");
        Assert.Single(room.Log);
    }

    [Fact]
    public void A_lever_value_is_rounded_to_its_step_so_what_the_log_says_is_what_is_done()
    {
        // Before Dec 2026 99.9999999 read "100% approval" but set up licensing (an exact 100 lifts it), and 1e-320 read
        // "0% approval" but was a licence with approval rate 1E-322, not a ban.
        var room = New(new ClassroomSettings { Mode = RoundMode.RealTime, Playable = ["CN", "JP"] });
        var cn = room.Authorize(room.Join("Ana", "CN", Token()).Token);
        room.Start(Instructor(room), T0);
        var licence = Assert.Single(room.Submit(cn, [new("export:gallium", 50.04)], 1, T0));
        Assert.Equal(50, licence.Value);
        Assert.Equal("CN licenses exports of gallium at 50% approval", licence.Description);
        room.Levers.Apply(licence);

        var lifted = Assert.Single(room.Submit(cn, [new("export:gallium", 99.9999999)], 2, T0));
        Assert.Equal("CN lifts its export licensing of gallium", lifted.Description);
        var change = Assert.Single(room.Levers.Apply(lifted)); // the licence ends; no new control
        Assert.Null(change.Set);

        var ban = Assert.Single(room.Submit(cn, [new("export:gallium", 1e-320)], 3, T0));
        Assert.Equal("CN bans exports of gallium", ban.Description);
        var control = Assert.IsType<ExportControl>(Assert.Single(room.Levers.Apply(ban)).Set);
        Assert.Equal(ControlMode.Ban, control.Mode);
        Assert.Equal(0, control.ApprovalRate);

        // Amounts keep 0.001 of their unit, as the log writes them.
        room.Period(room.Settings.RoundTicks);
        var bought = Assert.Single(room.Submit(cn, [new("stockpile:dy_oxide", 1.23449)], room.Settings.RoundTicks + 1, T0));
        Assert.Equal(1.234, bought.Value);
    }

    [Fact]
    public void In_a_real_time_class_a_seat_has_three_submissions_a_round_and_each_one_off_action_once()
    {
        var room = New(new ClassroomSettings { Mode = RoundMode.RealTime, RoundTicks = 10, Playable = ["CN", "JP"] });
        var cn = room.Authorize(room.Join("Ana", "CN", Token()).Token);
        room.Start(Instructor(room), T0);
        Assert.Single(room.Submit(cn, [new("stockpile:dy_oxide", 5)], 1, T0));
        // The same purchase again in round 1 is refused, and a refused submission uses none of the allowance.
        Refused(() => room.Submit(cn, [new("tariff:magnet_ht", 10), new("stockpile:dy_oxide", 5)], 2, T0), "decisions[1].lever", "already used in round 1");
        room.Submit(cn, [new("tariff:magnet_ht", 10)], 2, T0);
        room.Submit(cn, [new("tariff:magnet_ht", 20)], 3, T0);
        Refused(() => room.Submit(cn, [new("tariff:magnet_ht", 30)], 4, T0), "decisions", "3 submissions a seat may make in round 1");
        Assert.Equal(3, room.Log.Count);
        // Round 2 (from day 10) opens a new allowance.
        room.Period(10);
        Assert.Single(room.Submit(cn, [new("stockpile:dy_oxide", 5)], 11, T0));
        // Moved to Japan, the seat may make Japan's purchase of the same lever id: the one it made was China's.
        room.Assign(Instructor(room), cn.Seat!.Id, "JP");
        Assert.Single(room.Submit(cn, [new("stockpile:dy_oxide", 5)], 12, T0));
    }

    [Fact]
    public void Pausing_keeps_the_time_left_in_the_round()
    {
        var room = New(new ClassroomSettings { RoundSeconds = 120 });
        room.Start(Instructor(room), T0);
        Assert.Equal(T0.AddSeconds(120), room.Deadline);
        room.Pause(Instructor(room), T0.AddSeconds(50));
        Assert.Null(room.Deadline);
        room.Resume(Instructor(room), T0.AddSeconds(500));
        Assert.Equal(T0.AddSeconds(570), room.Deadline);
    }

    [Fact]
    public void A_dropped_student_gets_a_stand_in_bot_that_hands_the_seat_back()
    {
        var room = New();
        var seat = room.Join("Ana", null, Token());
        room.Dropped(seat);
        Assert.Equal(BotStrategies.Passive, seat.Bot);
        Assert.False(seat.Connected);
        room.Returned(room.Authorize(seat.Token).Seat!);
        Assert.Null(seat.Bot);
        Assert.True(seat.Connected);
    }

    [Fact]
    public void A_bot_the_teacher_puts_on_a_seat_stays_when_the_student_returns_and_the_student_cannot_submit_as_the_bot()
    {
        var room = New(new ClassroomSettings { Playable = ["CN", "JP"] });
        var ana = room.Join("Ana", "CN", Token());
        room.Start(Instructor(room), T0);
        room.SetBot(Instructor(room), ana.Id, "retaliatory");
        room.Returned(room.Authorize(ana.Token).Seat!); // the student reloads the page
        Assert.Equal("retaliatory", ana.Bot);
        Refused(() => room.Submit(room.Authorize(ana.Token), [new("stockpile:dy_oxide", 5)], 0, T0), "token", "put a retaliatory bot on your seat");
        Assert.Empty(room.PendingOf(ana.Id));
        room.SetBot(Instructor(room), ana.Id, null); // handed back
        room.Submit(room.Authorize(ana.Token), [new("stockpile:dy_oxide", 5)], 0, T0);
        Assert.Equal("student", Assert.Single(room.Close(Instructor(room), 0, T0)).By);
    }

    [Fact]
    public void A_stand_in_hands_the_seat_back_when_the_student_submits_and_the_decision_is_the_students()
    {
        var room = New(new ClassroomSettings { Playable = ["CN", "JP"] });
        var ana = room.Join("Ana", "CN", Token());
        room.Start(Instructor(room), T0);
        room.Dropped(ana);
        Assert.Equal(BotStrategies.Passive, ana.Bot);
        room.Submit(room.Authorize(ana.Token), [new("stockpile:dy_oxide", 5)], 0, T0);
        Assert.Null(ana.Bot);
        Assert.Equal("student", Assert.Single(room.Close(Instructor(room), 0, T0)).By);
    }

    [Fact]
    public void A_seat_adds_at_most_its_share_of_the_sessions_policies_and_a_refusal_changes_nothing()
    {
        var room = New(new ClassroomSettings { Playable = ["CN", "JP"], Capacity = 2 });
        var cn = room.Authorize(room.Join("Ana", "CN", Token()).Token);
        var share = room.SeatPolicyShare;
        Assert.Equal((PolicyTimeline.MaxVersions - Classroom.TeacherReserve - World.Policies.Count) / 4, share); // 2 seats + a bot a country
        room.Start(Instructor(room), T0);
        // Every one-off lever at its most, every round: each is a new policy.
        var oneOffs = room.Levers.LeversOf("CN").Where(l => !l.Persistent).Select(l => new LeverChoice(l.Id, l.Max)).ToList();
        int round = 0, added = 0;
        while (added + oneOffs.Count <= share)
        {
            room.Submit(cn, oneOffs, 0, T0);
            added += room.Close(Instructor(room), 0, T0).Count;
            room.Opened(0, T0);
            round++;
        }
        Assert.Equal(added, room.PoliciesHeld - World.Policies.Count);
        // A round the session could not take leaves the log, and its policies leave the count.
        room.Submit(cn, oneOffs.Take(1).ToList(), 0, T0);
        var refused = room.Close(Instructor(room), 0, T0);
        Assert.Equal(added + 1, room.PoliciesHeld - World.Policies.Count);
        room.Reopen(refused);
        Assert.Equal(added, room.PoliciesHeld - World.Policies.Count);
        room.Submit(cn, [], 0, T0); // withdrawn: nothing pending
        Assert.True(round > 1);
        Refused(() => room.Submit(cn, oneOffs, 0, T0), "decisions", $"this seat has added {added} of the {share} a seat may add");
        Assert.Empty(room.PendingOf(cn.Seat!.Id));
        // What still fits is taken.
        room.Submit(cn, oneOffs.Take(share - added).ToList(), 0, T0);
        Assert.Equal(share, added + room.Close(Instructor(room), 0, T0).Count);
    }

    [Fact]
    public void The_students_may_not_fill_the_room_the_session_keeps_for_the_teacher_nor_an_event_the_rounds_pending_choices()
    {
        var room = New(new ClassroomSettings { Playable = ["CN", "JP"] });
        var cn = room.Authorize(room.Join("Ana", "CN", Token()).Token);
        room.Start(Instructor(room), T0);
        var limit = PolicyTimeline.MaxVersions - Classroom.TeacherReserve;
        for (int i = room.PoliciesHeld; i < limit - 1; i++)
            room.Inject(Instructor(room), new Tariff { Id = $"event-{i}", Start = 0, Importer = "JP", Commodities = ["magnet_ht"], Rate = 0.01 }, null, "", 0, T0);
        Refused(() => room.Submit(cn, [new("stockpile:dy_oxide", 5), new("stockpile:tb_oxide", 5)], 0, T0), "decisions",
            $"would pass the {limit} the students' decisions may fill");
        room.Submit(cn, [new("stockpile:dy_oxide", 5)], 0, T0);
        for (int i = limit; i < PolicyTimeline.MaxVersions; i++)
            room.Inject(Instructor(room), new Tariff { Id = $"event-{i}", Start = 0, Importer = "JP", Commodities = ["magnet_ht"], Rate = 0.01 }, null, "", 0, T0);
        // The session holds MaxVersions − 1 with the pending purchase: one more event would leave the round unable to close.
        Refused(() => room.Inject(Instructor(room), new Tariff { Id = "one-too-many", Start = 0, Importer = "JP", Commodities = ["magnet_ht"], Rate = 0.01 }, null, "", 0, T0),
            "policy", "the most a session may hold");
        Assert.Single(room.Close(Instructor(room), 0, T0));
        Assert.Equal(PolicyTimeline.MaxVersions, room.PoliciesHeld);
    }

    [Fact]
    public void A_persistent_lever_ends_its_old_policy_and_starts_a_new_one_so_the_past_stays_as_it_ran()
    {
        var book = new LeverBook(World);
        Decision D(double v, int tick) => new(1, tick, T0, "s1", "Ana", "CN", "export:dy_oxide", v, "student", "");
        var first = book.Apply(D(50, 10));
        var lifted = book.Apply(D(100, 20));
        var again = book.Apply(D(0, 30));
        var set = Assert.IsType<ExportControl>(Assert.Single(first).Set);
        Assert.Equal(("class-CN-export-dy_oxide-1", ControlMode.License, 0.5), (set.Id, set.Mode, set.ApprovalRate));
        Assert.Equal("class-CN-export-dy_oxide-1", Assert.Single(lifted).RemoveId);
        var ban = Assert.IsType<ExportControl>(Assert.Single(again).Set);
        Assert.Equal(("class-CN-export-dy_oxide-3", ControlMode.Ban), (ban.Id, ban.Mode));

        var timeline = ClassroomRecord.Timeline(World, [D(50, 10), D(100, 20), D(0, 30)]).Policies;
        var v1 = timeline.Single(p => p.Id == "class-CN-export-dy_oxide-1");
        Assert.Equal((10, (int?)20), (v1.Start, v1.End));
        Assert.Equal(30, timeline.Single(p => p.Id == "class-CN-export-dy_oxide-3").Start);
    }

    [Fact]
    public void The_retaliatory_bot_mirrors_the_lowest_approval_others_apply_to_what_it_needs()
    {
        var room = New();
        // china-japan-2026 at tick 0: only China's 2025 licensing (approval 60%, every destination) is in force towards
        // Japan, so Japan answers with 60% on its own exports. From tick 5 (2026-01-06) China's dual-use ban on rare earths
        // to Japan is in force: a ban counts as 0%, so Japan answers with 0%.
        var choices = BotStrategies.Decide(BotStrategies.Retaliatory, "JP", room, [], 0);
        Assert.NotEmpty(choices);
        Assert.All(choices, c => Assert.StartsWith("export:", c.Lever));
        Assert.All(choices, c => Assert.Equal(60, c.Value));
        Assert.All(BotStrategies.Decide(BotStrategies.Retaliatory, "JP", room, [], 5), c => Assert.Equal(0, c.Value));
        Assert.Empty(BotStrategies.Decide(BotStrategies.Passive, "JP", room, [], 0));
        Assert.All(BotStrategies.Decide(BotStrategies.StockpileFirst, "JP", room, [], 0), c => Assert.StartsWith("stockpile:", c.Lever));
        Assert.All(BotStrategies.Decide(BotStrategies.Diversifier, "JP", room, [], 0), c => Assert.StartsWith("capacity:", c.Lever));
    }

    [Fact]
    public void The_debrief_shows_a_halts_country_on_the_last_day_run_not_only_at_the_end_of_its_round()
    {
        // The teacher halts China's Dy, Tb and magnets to Japan on day 10 of a class of 10-day rounds; Japan's stocks carry it
        // through its round, and its losses come weeks later (a review's class read "0.0 % → 0.0 %" beside a loss of billions).
        var halt = new ExportControl
        {
            Id = "cn-halt-jp", Start = 10, Exporter = "CN", Commodities = ["dy_oxide", "tb_oxide", "magnet_ht"], Destinations = ["JP"], Mode = ControlMode.Ban,
        };
        var decision = new Decision(2, 10, T0, "", "teacher", "", "", 0, "instructor", "China halts Dy, Tb and magnets to Japan") { Injected = halt };
        var frames = ClassroomRecord.Replay(World, 7, [decision], 180);
        var row = Assert.Single(ClassroomRecord.Debrief(World, [decision], frames, roundTicks: 10));
        Assert.Equal(frames[^1].Losses.Where(l => l.Country == "JP").Sum(l => l.GdpShare), row.LossShareNow);
        Assert.True(row.LossShareNow > row.LossShareAfter, $"Japan's loss: {row.LossShareAfter} at the end of the round, {row.LossShareNow} on day 179");
    }

    [Fact]
    public void A_class_has_at_most_one_bot_per_playable_country()
    {
        // The world's policy budget is shared among the class's students and one bot per playable country; a review added
        // 1,500 stockpile bots to one class and its world grew to ≈4,800 policies (Dec 2026).
        var room = New(new ClassroomSettings { RoundTicks = 10, Playable = ["CN", "JP", "US"] });
        for (int i = 0; i < 3; i++) room.AddBot(Instructor(room), "CN", BotStrategies.Passive, Token());
        Refused(() => room.AddBot(Instructor(room), "JP", BotStrategies.Passive, Token()), "code", "has 3 bots, as many as it has playable countries");
        Assert.Equal(3, room.Bots);
        Assert.Equal(3, room.Seats.Count);
    }

    [Fact]
    public void A_classroom_replays_from_scenario_seed_and_decisions_to_the_same_world()
    {
        // A short class driven the way the host drives it: decisions apply between rounds, the world runs a round.
        var room = New(new ClassroomSettings { RoundTicks = 10, Playable = ["CN", "JP", "US"] });
        var cn = room.Authorize(room.Join("Ana", null, Token()).Token);
        var jp = room.Authorize(room.Join("Ben", null, Token()).Token);
        room.AddBot(Instructor(room), "US", BotStrategies.Diversifier, Token());
        var timeline = World.Policies.ToList();
        var frames = new List<Frame>();
        room.Start(Instructor(room), T0);
        for (var round = 0; round < 3; round++)
        {
            var tick = frames.Count;
            room.Submit(cn, [new("export:dy_oxide", 40 - 10 * round)], tick, T0);
            room.Submit(jp, [new("stockpile:dy_oxide", 5), new("tariff:ndpr_oxide", 10 * round)], tick, T0);
            var us = room.Seats.Single(s => s.Country == "US");
            room.SubmitAsBot(us, BotStrategies.Decide(us.Bot!, "US", room, frames, tick), tick, T0);
            foreach (var d in room.Close(Instructor(room), tick, T0))
                foreach (var change in room.Levers.Apply(d)) PolicyTimeline.Apply(timeline, change, tick);
            // The live world: a runner rebuilt on the timeline so far, as the session's grains see it.
            frames = new ReferenceRunner(World with { Policies = timeline.ToList() }, room.Seed).Run(tick + 10).ToList();
            room.Opened(frames.Count, T0);
        }
        Assert.Equal(4, room.Round);
        Assert.Contains(room.Log, d => d.By == "bot:diversifier");

        var replay = ClassroomRecord.Replay(World, room.Seed, room.Log, frames.Count);
        Assert.Equal(CsvExport.ToStrings(World, frames), CsvExport.ToStrings(World, replay));
        // And the decisions mattered: without them the world differs.
        Assert.NotEqual(CsvExport.ToStrings(World, frames)["prices.csv"],
            CsvExport.ToStrings(World, new ReferenceRunner(World, room.Seed).Run(frames.Count).ToList())["prices.csv"]);
    }

    [Fact]
    public void Decisions_export_as_csv_with_names_quoted_when_they_need_it()
    {
        var d = new Decision(2, 31, T0, "s3", "Lee, \"Jo\"", "JP", "tariff:dy_oxide", 12.5, "student", "JP sets a 12.5% tariff on dy_oxide");
        var csv = ClassroomRecord.DecisionsCsv(World, [d]);
        Assert.Equal("round,tick,date,at,seat,name,country,lever,value,by,description\n" +
                     "2,31,2026-02-01,2026-11-25T09:00:00Z,s3,\"Lee, \"\"Jo\"\"\",JP,tariff:dy_oxide,12.5,student,JP sets a 12.5% tariff on dy_oxide\n", csv);
    }

    [Fact]
    public void Settings_that_do_not_fit_the_scenario_are_refused_with_the_field()
    {
        Assert.Contains("playable: unknown country \"XX\"", new ClassroomSettings { Playable = ["XX"] }.Problems(World));
        Assert.Contains("roundTicks: 0 is outside 1–365", new ClassroomSettings { RoundTicks = 0 }.Problems(World));
        Assert.Equal(["playable: is null; leave it out (or []) for every country that holds a lever"], new ClassroomSettings { Playable = null! }.Problems(World));
        Assert.Equal(["playable: a country is null"], new ClassroomSettings { Playable = [null!] }.Problems(World));
        var e = Assert.Throws<ClassroomError>(() => New(new ClassroomSettings { Capacity = 0 }));
        Assert.Equal("capacity", e.Field);
    }

    [Fact]
    public void Students_sharing_a_country_the_later_seat_wins_a_persistent_lever_and_one_off_actions_add_up()
    {
        var room = New(new ClassroomSettings { Playable = ["JP"] });
        var first = room.Authorize(room.Join("Ana", null, Token()).Token);
        var second = room.Authorize(room.Join("Ben", null, Token()).Token);
        room.Start(Instructor(room), T0);
        room.Submit(first, [new("tariff:dy_oxide", 20), new("stockpile:dy_oxide", 1)], 0, T0);
        room.Submit(second, [new("tariff:dy_oxide", 0), new("stockpile:dy_oxide", 2)], 0, T0);
        var made = room.Close(Instructor(room), 0, T0);
        // Ben's 0 % is the tariff's value already: no decision, and Ana's 20 % does not apply either.
        Assert.DoesNotContain(made, d => d.LeverId == "tariff:dy_oxide");
        Assert.Equal([1.0, 2.0], made.Where(d => d.LeverId == "stockpile:dy_oxide").Select(d => d.Value));
    }

    [Fact]
    public void Reassigning_a_seat_drops_its_choices_and_a_round_that_could_not_run_opens_again_as_it_was()
    {
        var room = New(new ClassroomSettings { Playable = ["CN", "JP"] });
        var seat = room.Join("Ana", null, Token());
        var ana = room.Authorize(seat.Token);
        room.Start(Instructor(room), T0);
        room.Submit(ana, [new("export:dy_oxide", 10)], 0, T0);
        room.Assign(Instructor(room), seat.Id, "JP");
        Assert.Empty(room.PendingOf(seat.Id));
        Assert.False(room.AllSubmitted);
        Assert.Empty(room.Close(Instructor(room), 0, T0)); // nothing of CN's levers reaches Japan's seat
        room.Opened(5, T0);

        room.Submit(ana, [new("tariff:dy_oxide", 10)], 5, T0);
        var made = room.Close(Instructor(room), 5, T0);
        Assert.Single(room.Log);
        room.Reopen(made);
        Assert.Equal((ClassroomPhase.Open, 2), (room.Phase, room.Round));
        Assert.Empty(room.Log);
        Assert.Equal(10, Assert.Single(room.PendingOf(seat.Id)).Value);
    }
}
