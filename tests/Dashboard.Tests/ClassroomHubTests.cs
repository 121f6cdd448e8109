using System.Net;
using System.Text.Json;
using MarketSim.Dashboard.Classrooms;
using MarketSim.Dashboard.Hubs;
using MarketSim.Classrooms;
using MarketSim.Model.Output;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using static MarketSim.Dashboard.Tests.Waits;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// Every authorization rule of /hubs/classroom, proved with crafted calls from the .NET SignalR client (not through the
/// pages): each refusal names the argument and leaves the classroom as it was. Also: a class replays from its log, and a
/// student who drops out gets a stand-in bot and the seat back on return.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ClassroomHubTests(DashboardApp app)
{
    static readonly ClassroomSettings Small = new() { RoundTicks = 5, RoundSeconds = 0, Playable = ["CN", "JP", "US"], Capacity = 3 };

    Task<HubConnection> Connect() => app.ConnectAsync(ClassroomHub.Path);

    sealed record Class(string Code, string Teacher, SeatGrant Cn, SeatGrant Jp);

    async Task<Class> NewClass(HubConnection teacher, HubConnection a, HubConnection b, ClassroomSettings? settings = null)
    {
        var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, settings ?? Small);
        var cn = await a.InvokeAsync<SeatGrant>("Join", created.Code, "Ana", null);
        var jp = await b.InvokeAsync<SeatGrant>("Join", created.Code, "Ben", null);
        Assert.Equal(("CN", "JP"), (cn.Country, jp.Country));
        return new Class(created.Code, created.InstructorToken, cn, jp);
    }

    async Task<string> Snapshot(HubConnection c, string code)
    {
        var state = await c.InvokeAsync<ClassroomState>("Watch", code);
        var host = app.Classrooms.Find(code)!;
        return JsonSerializer.Serialize(state, HubJson.Options) + "|log=" + host.Room.Log.Count + "|policies="
            + (await host.Session.Grain.GetPoliciesAsync()).Value.Count;
    }

    static async Task Refused(Func<Task> call, string expected)
    {
        var e = await Assert.ThrowsAsync<HubException>(call);
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"\"{expected}\" is not in: {e.Message}");
    }

    [Fact]
    public async Task Two_advances_at_once_close_one_round_so_no_round_is_skipped_without_the_students()
    {
        // Found by a race probe (Dec 2026): the teacher's console open in two tabs (or a double click, or the round timer
        // firing as the teacher presses Advance) sent two Advances at once; the second waited for the first and then closed
        // the round it had just opened, so the class skipped a round nobody could play (ticks 0 → 40 for one press).
        await using var teacher = await Connect();
        await using var secondTab = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        const int T = 80; // ticks a round: long enough that the second press lands while the first runs them (4 rounds < 365 days)
        var c = await NewClass(teacher, a, b, Small with { RoundTicks = T });
        var host = app.Classrooms.Find(c.Code)!;
        await teacher.InvokeAsync("Start", c.Code, c.Teacher);
        for (var round = 1; round <= 3; round++)
        {
            var state = await teacher.InvokeAsync<ClassroomState>("Watch", c.Code);
            Assert.Equal((round, ClassroomPhase.Open, T * (round - 1)), (state.Round, state.Phase, state.Tick));
            // The second tab's press arrives while the first press runs the round (seen in process, not guessed from timing:
            // on a loaded machine two calls sent together may not overlap, and then the second is a deliberate next round).
            var first = teacher.InvokeAsync<int>("Advance", c.Code, c.Teacher);
            var until = DateTime.UtcNow.AddSeconds(30);
            while (host.Room.Phase != ClassroomPhase.Running && !first.IsCompleted && DateTime.UtcNow < until) await Task.Delay(1);
            Assert.False(first.IsCompleted, $"round {round}: the first advance finished before it was seen running");
            var second = secondTab.InvokeAsync<int>("Advance", c.Code, c.Teacher);
            Assert.Equal([T * round, T * round], await Task.WhenAll(first, second));
        }
        var after = await teacher.InvokeAsync<ClassroomState>("Watch", c.Code);
        Assert.Equal((4, ClassroomPhase.Open, 3 * T), (after.Round, after.Phase, after.Tick));

        // The round each pair left open is playable: a student's decision goes in and the next advance applies it.
        var view = await a.InvokeAsync<StudentView>("GetView", c.Code, c.Cn.Token);
        var lever = view.Levers.First(l => l.Max > l.Value);
        await a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, new[] { new LeverChoice(lever.Id, lever.Max) });
        // A student's Advance racing the teacher's is still refused (the advance it would duplicate is no excuse).
        var studentAdvance = a.InvokeAsync<int>("Advance", c.Code, c.Cn.Token);
        Assert.Equal(4 * T, await teacher.InvokeAsync<int>("Advance", c.Code, c.Teacher));
        await Refused(() => studentAdvance, "token: only the instructor may advance the round");
        Assert.Contains(app.Classrooms.Find(c.Code)!.Room.Log, d => d.SeatId == c.Cn.SeatId && d.LeverId == lever.Id && d.Round == 4);
        await teacher.InvokeAsync("EndClassroom", c.Code, c.Teacher);
    }

    [Fact]
    public async Task Classes_of_one_scenario_and_seed_share_the_world_nobody_played_and_a_class_behind_is_scored_at_its_own_tick()
    {
        await using var teacher = await Connect();
        Task<ClassroomCreated> Create(ulong seed) => teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", seed, Small);
        var a = await Create(7);
        var b = await Create(7);
        var other = await Create(8);
        try
        {
            Assert.Equal(app.Classrooms.Find(a.Code)!.BaselineKey, app.Classrooms.Find(b.Code)!.BaselineKey);
            Assert.NotEqual(app.Classrooms.Find(a.Code)!.BaselineKey, app.Classrooms.Find(other.Code)!.BaselineKey);
            // Class A bans China's NdPr oxide to Japan and runs three rounds ahead: its scores move. (NdPr, not Dy: the scenario's
            // 2025 licences hold every Dy shipment at the exporter until the first decisions, after day 28, so a ban on Dy in
            // the first fifteen days stops nothing.)
            using var ban = JsonDocument.Parse("""{"$kind":"export_control","id":"evt","start":0,"exporter":"CN","commodities":["ndpr_oxide"],"destinations":["JP"],"mode":"ban"}""");
            await teacher.InvokeAsync("Start", a.Code, a.InstructorToken);
            await teacher.InvokeAsync<string>("Inject", a.Code, a.InstructorToken, ban.RootElement, null);
            for (var r = 0; r < 3; r++) await teacher.InvokeAsync<int>("Advance", a.Code, a.InstructorToken);
            Assert.Contains(await teacher.InvokeAsync<ScoreRow[]>("GetScoreboard", a.Code), r => r.Score != 0);
            // Class B changed nothing and is one round in, behind the shared world: against it at B's own tick, every score is 0.
            await teacher.InvokeAsync("Start", b.Code, b.InstructorToken);
            Assert.Equal(5, await teacher.InvokeAsync<int>("Advance", b.Code, b.InstructorToken));
            Assert.All(await teacher.InvokeAsync<ScoreRow[]>("GetScoreboard", b.Code), r => Assert.Equal(0, r.Score));
        }
        finally
        {
            foreach (var c in new[] { a, b, other }) await teacher.InvokeAsync("EndClassroom", c.Code, c.InstructorToken);
        }
    }

    [Fact]
    public async Task Ending_a_class_while_a_round_closes_leaves_no_round_timer_running()
    {
        // Found by a hostile-client probe (Dec 2026): an advance still under way when the class ended re-armed the round timer
        // at its passed deadline, and every try then failed against the ended session: ≈500 logged failures a second, one core
        // busy, for good. Now ending waits for the action in hand and no timer outlives the class.
        var teacher = await Connect();
        var settings = new ClassroomSettings { RoundTicks = 120, RoundSeconds = 1, Playable = ["CN", "JP", "US"], Capacity = 3 };
        for (var i = 0; i < 3; i++)
        {
            var c = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, settings);
            await teacher.InvokeAsync<IReadOnlyList<SeatInfo>>("FillWithBots", c.Code, c.InstructorToken, "diversifier");
            await teacher.InvokeAsync("Start", c.Code, c.InstructorToken);
            var advance = teacher.InvokeAsync<int>("Advance", c.Code, c.InstructorToken);
            await Task.Delay(15 * i);
            var other = await Connect();
            await other.InvokeAsync("EndClassroom", c.Code, c.InstructorToken);
            try { await advance; } catch (HubException) { } // it may finish or be refused; either way the class is gone
            await other.DisposeAsync();
        }
        int Failures() => app.Logs.Entries.Count(e => e.Text.Contains("the round timer could not advance"));
        var before = Failures();
        await Task.Delay(TimeSpan.FromSeconds(3)); // three round deadlines' worth
        Assert.True(Failures() - before <= 3, $"{Failures() - before} timer failures logged in 3 s after the classes ended");
    }

    [Fact]
    public async Task A_students_token_cannot_do_what_only_the_instructor_may_and_nothing_changes()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b);
        var before = await Snapshot(teacher, c.Code);
        var t = c.Cn.Token;
        const string dyTo25 = """{"$kind":"export_control","id":"evt","start":0,"exporter":"CN","commodities":["dy_oxide"],"destinations":["JP"],"mode":"ban"}""";

        await Refused(() => a.InvokeAsync("Start", c.Code, t), "token: only the instructor may start");
        await Refused(() => a.InvokeAsync("Advance", c.Code, t), "token: only the instructor may advance");
        await Refused(() => a.InvokeAsync("Pause", c.Code, t), "token: only the instructor may pause");
        await Refused(() => a.InvokeAsync("Resume", c.Code, t), "token: only the instructor may resume");
        await Refused(() => a.InvokeAsync("Finish", c.Code, t), "token: only the instructor may end");
        await Refused(() => a.InvokeAsync("Assign", c.Code, t, c.Cn.SeatId, "US"), "token: only the instructor may assign");
        await Refused(() => a.InvokeAsync("SetBot", c.Code, t, c.Jp.SeatId, "passive"), "token: only the instructor may put bots");
        await Refused(() => a.InvokeAsync<SeatInfo>("AddBot", c.Code, t, "US", "passive"), "token: only the instructor may add bots");
        await Refused(() => a.InvokeAsync<IReadOnlyList<SeatInfo>>("FillWithBots", c.Code, t, "passive"), "token: only the instructor may add bots");
        await Refused(() => a.InvokeAsync<string>("Inject", c.Code, t, JsonDocument.Parse(dyTo25).RootElement, null), "token: only the instructor");
        Assert.Equal(before, await Snapshot(teacher, c.Code));

        // The instructor's downloads too.
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync($"/classrooms/{c.Code}/export/decisions.csv?token={t}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/classrooms/{c.Code}/export/decisions.csv?token={c.Teacher}")).StatusCode);
    }

    [Fact]
    public async Task Only_the_instructor_ends_a_classroom_and_then_its_code_world_and_quota_place_are_gone()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b);
        var sessionId = app.Classrooms.Find(c.Code)!.Session.Id;
        var ended = new TaskCompletionSource<string>();
        a.On<string>(ClassroomMessages.Ended, code => ended.TrySetResult(code));

        await Refused(() => a.InvokeAsync("EndClassroom", c.Code, c.Cn.Token), "token: only the instructor may end the classroom");
        Assert.NotNull(app.Classrooms.Find(c.Code));

        await teacher.InvokeAsync("EndClassroom", c.Code, c.Teacher);
        Assert.Equal(c.Code, await ended.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(app.Classrooms.Find(c.Code));
        Assert.Null(app.Sessions.Find(sessionId));
        await Refused(() => b.InvokeAsync<StudentView>("GetView", c.Code, c.Jp.Token), $"no classroom \"{c.Code}\"");
        await Refused(() => teacher.InvokeAsync("EndClassroom", c.Code, c.Teacher), $"no classroom \"{c.Code}\"");
    }

    [Fact]
    public async Task A_students_last_round_panel_covers_that_round_alone_even_when_it_is_short()
    {
        // A review (Dec 2026): the panel summed the last RoundTicks days, so the 5-day last round of a 365-day class in 60-day
        // rounds was read over 60 days, 55 of them the round before.
        await using var teacher = await Connect();
        await using var a = await Connect();
        var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL,
            new ClassroomSettings { RoundTicks = 60, RoundSeconds = 0, Playable = ["CN", "JP"], Capacity = 2 });
        var seat = await a.InvokeAsync<SeatGrant>("Join", created.Code, "Ana", null);
        await teacher.InvokeAsync("Start", created.Code, created.InstructorToken);
        var host = app.Classrooms.Find(created.Code)!;
        Assert.Equal((60, 120), await AfterAdvances(2));
        Assert.Equal((360, 365), await AfterAdvances(5)); // the seventh round: days 361–365
        await teacher.InvokeAsync("EndClassroom", created.Code, created.InstructorToken);

        async Task<(int, int)> AfterAdvances(int n)
        {
            for (int i = 0; i < n; i++) await teacher.InvokeAsync<int>("Advance", created.Code, created.InstructorToken);
            return (await host.ViewAsync(seat.Token)).Headline!.Window;
        }
    }

    [Fact]
    public async Task A_forged_end_while_students_join_is_refused_as_a_forgery_every_time()
    {
        // A review (Dec 2026): EndClassroom checked the token outside the classroom's gate, reading the seat list while a join
        // could add to it (every other instructor check takes the gate). Under the gate, every forged end is the token's
        // refusal and every join lands. (Run once against the old code, this did not catch the race: a guard, not a proof.)
        await using var teacher = await Connect();
        await using var forger = await Connect();
        var joiners = new List<HubConnection>();
        for (int i = 0; i < 4; i++) joiners.Add(await Connect());
        try
        {
            var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL,
                new ClassroomSettings { RoundTicks = 5, RoundSeconds = 0, Capacity = 40 });
            var joins = joiners.SelectMany((j, k) => Enumerable.Range(0, 10).Select(i => j.InvokeAsync<SeatGrant>("Join", created.Code, $"S{k}-{i}", null)));
            var forged = Enumerable.Range(0, 40).Select(_ => Refused(() => forger.InvokeAsync("EndClassroom", created.Code, "forged-token"),
                $"token: is not a token of classroom {created.Code}"));
            await Task.WhenAll(joins.Cast<Task>().Concat(forged));
            Assert.Equal(40, app.Classrooms.Find(created.Code)!.Room.Seats.Count(s => s.Human));
            await teacher.InvokeAsync("EndClassroom", created.Code, created.InstructorToken);
        }
        finally { foreach (var j in joiners) await j.DisposeAsync(); }
    }

    [Fact]
    public async Task Forged_tokens_wrong_codes_and_observers_are_refused()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        await using var projector = await Connect();
        var c = await NewClass(teacher, a, b);
        await projector.InvokeAsync<ClassroomState>("Watch", c.Code); // read-only: no token, no actions
        var before = await Snapshot(teacher, c.Code);
        var forged = c.Cn.Token[..^2] + (c.Cn.Token[^2..] == "AA" ? "BB" : "AA");

        await Refused(() => projector.InvokeAsync("Start", c.Code, null), "token: is missing");
        await Refused(() => projector.InvokeAsync("Start", c.Code, forged), $"token: is not a token of classroom {c.Code}");
        await Refused(() => a.InvokeAsync<StudentView>("GetView", c.Code, forged), "token: is not a token");
        await Refused(() => a.InvokeAsync<SeatGrant>("Rejoin", c.Code, forged), "token: is not a token");
        await Refused(() => a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, forged, new[] { new LeverChoice("export:dy_oxide", 0) }), "token: is not a token");
        // A seat token of another classroom is no token here.
        await using var t2 = await Connect();
        await using var a2 = await Connect();
        await using var b2 = await Connect();
        var other = await NewClass(t2, a2, b2);
        await Refused(() => a.InvokeAsync("Start", c.Code, other.Teacher), "token: is not a token");
        await Refused(() => a.InvokeAsync<SeatGrant>("Join", "ZZZZZZ", "Eve", null), "code: no classroom \"ZZZZZZ\"");
        await Refused(() => a.InvokeAsync<SeatGrant>("Join", "", "Eve", null), "code: is empty");
        Assert.Equal(before, await Snapshot(teacher, c.Code));
    }

    [Fact]
    public async Task Joining_a_full_class_or_with_a_taken_name_is_refused_and_a_code_is_typed_loosely()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        await using var c3 = await Connect();
        var c = await NewClass(teacher, a, b);
        await Refused(() => c3.InvokeAsync<SeatGrant>("Join", c.Code, "ana", null), "name: \"ana\" is taken");
        var third = await c3.InvokeAsync<SeatGrant>("Join", " " + c.Code.ToLowerInvariant()[..3] + "-" + c.Code[3..] + " ", "Chen", null);
        Assert.Equal("US", third.Country);
        var before = await Snapshot(teacher, c.Code);
        await Refused(() => c3.InvokeAsync<SeatGrant>("Join", c.Code, "Dai", null), "code: classroom " + c.Code + " is full (3 seats)");
        Assert.Equal(before, await Snapshot(teacher, c.Code));
    }

    [Fact]
    public async Task A_student_moves_only_their_own_levers_within_limits_while_the_round_is_open()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b);
        LeverChoice[] One(string lever, double v) => [new(lever, v)];

        await Refused(() => a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, One("export:dy_oxide", 50)), "round: the class has not started");
        await teacher.InvokeAsync("Start", c.Code, c.Teacher);
        var before = await Snapshot(teacher, c.Code);
        await Refused(() => a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, One("capacity:jp-magnet-ht", 1)), "decisions[0].lever: CN holds no lever \"capacity:jp-magnet-ht\"");
        await Refused(() => a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, One("export:dy_oxide", 101)), "decisions[0].value: 101 is outside 0–100");
        await Refused(() => a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, One("export:dy_oxide", -1)), "decisions[0].value");
        // A value of the wrong type names the field too (it answered "Failed to invoke 'Submit' due to an error on the server.").
        foreach (var bad in new object?[] { null, "abc" })
            await Refused(() => a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, new[] { new { lever = "export:dy_oxide", value = bad } }),
                "decisions[0].value: is not of the right type");
        await Refused(() => a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, null!), "decisions: are missing");
        // A field misspelt or left out is refused by name: it was read as a value of 0, an export ban (a review, Dec 2026).
        await Refused(() => a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, new[] { new { lever = "export:dy_oxide", approvalRate = 80 } }),
            "decisions[0].approvalRate: is not a field it takes");
        await Refused(() => a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, new[] { new { lever = "export:dy_oxide" } }),
            "decisions[0]: is missing 'value'");
        await Refused(() => teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, new { round_ticks = 5 }),
            "settings.round_ticks: is not a field it takes");
        Assert.Equal(before, await Snapshot(teacher, c.Code));

        var kept = await a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, One("export:dy_oxide", 50));
        Assert.Equal(50, Assert.Single(kept).Value);
        await teacher.InvokeAsync("Pause", c.Code, c.Teacher);
        await Refused(() => a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, One("export:dy_oxide", 0)), "round: round 1 is closed");
        await teacher.InvokeAsync("Resume", c.Code, c.Teacher);
        Assert.Equal(5, await teacher.InvokeAsync<int>("Advance", c.Code, c.Teacher));
        var view = await a.InvokeAsync<StudentView>("GetView", c.Code, c.Cn.Token);
        Assert.Equal(50, view.Levers.Single(l => l.Id == "export:dy_oxide").Value);       // the submitted value, not the forbidden one
        var host = app.Classrooms.Find(c.Code)!;
        Assert.Equal(host.Room.SeatPolicyShare - 1, view.PoliciesLeft);                   // the licence decision used one
        Assert.Equal(2, view.Classroom.Round);
        Assert.Equal("CN", view.Headline!.Country);
        Assert.DoesNotContain(view.Levers, l => !l.Id.Contains(':'));
        var jpView = await b.InvokeAsync<StudentView>("GetView", c.Code, c.Jp.Token);
        Assert.DoesNotContain(jpView.Levers, l => l.Id == "export:dy_oxide");                 // Japan sees its own levers only
    }

    [Fact]
    public async Task A_class_with_students_bots_and_an_event_replays_from_its_log_to_the_same_csv()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b);
        var bots = await teacher.InvokeAsync<IReadOnlyList<SeatInfo>>("FillWithBots", c.Code, c.Teacher, "diversifier");
        Assert.Equal("US", Assert.Single(bots).Country);
        await teacher.InvokeAsync("Start", c.Code, c.Teacher);
        for (var round = 0; round < 3; round++)
        {
            await a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, new[] { new LeverChoice("export:dy_oxide", 60 - 20 * round) });
            await b.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Jp.Token, new[] { new LeverChoice("stockpile:dy_oxide", 2), new LeverChoice("tariff:ndpr_oxide", 5 * round) });
            if (round == 1)
                await teacher.InvokeAsync<string>("Inject", c.Code, c.Teacher, null, "cn-licensing-2025");
            await teacher.InvokeAsync<int>("Advance", c.Code, c.Teacher);
        }
        var host = app.Classrooms.Find(c.Code)!;
        Assert.Contains(host.Room.Log, d => d.By == "bot:diversifier");
        Assert.Contains(host.Room.Log, d => d.By == "instructor");
        var live = (await host.Session.Grain.GetFramesAsync(0)).Value;
        Assert.Equal(15, live.Count);
        var replay = ClassroomRecord.Replay(host.Room.Scenario, host.Room.Seed, host.Room.Log, live.Count);
        Assert.Equal(CsvExport.ToStrings(host.Room.Scenario, live), CsvExport.ToStrings(host.Room.Scenario, replay));

        var scores = await teacher.InvokeAsync<IReadOnlyList<ScoreRow>>("GetScoreboard", c.Code);
        Assert.Equal(["CN", "JP", "US"], scores.Select(s => s.Country).Order());
        // Ranked highest first; scores that show alike (to 0.0001 % of GDP) share a rank, the next rank counts them all.
        Assert.Equal(scores.Select(s => s.Score).OrderDescending(), scores.Select(s => s.Score));
        static double Shown(ScoreRow s) => Math.Round(s.Score * 1e6);
        Assert.Equal(scores.Select(s => 1 + scores.Count(x => Shown(x) > Shown(s))), scores.Select(s => s.Rank));
        Assert.Equal(1, scores[0].Rank);
        Assert.All(scores, s => Assert.Equal(s.Parts.Loss + s.Parts.FiscalCost + s.Parts.ExportRevenue + s.Parts.ExportRent, s.Score, 1e-15));
        Assert.Contains(scores, s => s.ExportRevenue > 0); // China sells abroad, and the default weights count it
    }

    [Fact]
    public async Task A_student_who_drops_out_gets_a_stand_in_bot_and_their_seat_back_on_return()
    {
        await using var teacher = await Connect();
        var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b);
        var host = app.Classrooms.Find(c.Code)!;
        await a.DisposeAsync(); // the tab closes
        var seat = host.Room.Seats.Single(s => s.Id == c.Cn.SeatId);
        await Eventually(() => seat.Bot is not null, "no stand-in bot took the seat of the student who dropped out", 5);
        Assert.Equal((BotStrategies.Passive, false), (seat.Bot, seat.Connected));

        await using var back = await Connect();
        var again = await back.InvokeAsync<SeatGrant>("Rejoin", c.Code, c.Cn.Token);
        Assert.Equal((c.Cn.SeatId, "CN", "Ana"), (again.SeatId, again.Country, again.Name));
        Assert.Equal((null, true), (seat.Bot, seat.Connected));
    }

    [Fact]
    public async Task A_students_view_tells_what_happened_to_their_country_and_not_to_others()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b);
        await teacher.InvokeAsync("Start", c.Code, c.Teacher);
        await teacher.InvokeAsync<int>("Advance", c.Code, c.Teacher);
        var japan = await b.InvokeAsync<StudentView>("GetView", c.Code, c.Jp.Token);
        var china = await a.InvokeAsync<StudentView>("GetView", c.Code, c.Cn.Token);
        // Japan's national stockpiles and China's licensing are in force since 4 Apr 2025 (the scenario's spin-up), named on day
        // 0; China's licensing is China's news, not Japan's stockpiles.
        Assert.Contains(japan.Happened, n => n == "2026-01-01 · In force: Japan stockpile of Dysprosium oxide, since 2025-04-04 (day -272)");
        Assert.DoesNotContain(china.Happened, n => n.Contains("Japan stockpile", StringComparison.Ordinal));
        Assert.Contains(china.Happened, n => n.Contains("In force: China export", StringComparison.Ordinal));
        Assert.True(japan.Happened.Count <= 12);
    }

    [Fact]
    public async Task Bots_are_capped_at_the_playable_countries_and_a_fill_past_the_cap_adds_none()
    {
        await using var teacher = await Connect();
        var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, Small);
        var host = app.Classrooms.Find(created.Code)!;
        for (int i = 0; i < 2; i++) await teacher.InvokeAsync<SeatInfo>("AddBot", created.Code, created.InstructorToken, "CN", "passive");
        // Two bots on China, JP and US empty: filling them would make four bots in a class of three playable countries.
        await Refused(() => teacher.InvokeAsync<IReadOnlyList<SeatInfo>>("FillWithBots", created.Code, created.InstructorToken, "passive"),
            "code: classroom " + created.Code + " has 2 bots and 2 countries nobody holds");
        Assert.Equal(2, host.Room.Bots);
        await teacher.InvokeAsync<SeatInfo>("AddBot", created.Code, created.InstructorToken, "JP", "passive");
        await Refused(() => teacher.InvokeAsync<SeatInfo>("AddBot", created.Code, created.InstructorToken, "US", "passive"),
            "code: classroom " + created.Code + " has 3 bots, as many as it has playable countries");
        Assert.Equal(3, host.Room.Bots);
        await teacher.InvokeAsync("EndClassroom", created.Code, created.InstructorToken);
    }

    [Fact]
    public async Task A_student_whose_connection_closes_while_the_join_waits_for_a_round_gets_a_stand_in()
    {
        // The join waits for the round the teacher is running; the phone's connection closes meanwhile, so its disconnection
        // finds no seat to drop. Until Dec 2026 the seat then stayed "connected" for good with no stand-in (a review's probe).
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b, new ClassroomSettings { RoundTicks = 200, RoundSeconds = 0, Playable = ["CN", "JP", "US"], Capacity = 3 });
        await teacher.InvokeAsync("Start", c.Code, c.Teacher);
        var host = app.Classrooms.Find(c.Code)!;
        var advance = teacher.InvokeAsync<int>("Advance", c.Code, c.Teacher);
        await Task.Delay(200);
        var phone = await Connect();
        var join = phone.InvokeAsync<SeatGrant>("Join", c.Code, "Ghost", null);
        await Task.Delay(200); // the join waits behind the round (200 days take seconds)
        Assert.False(advance.IsCompleted, "the round ended before the phone's connection closed: the test needs a longer round");
        await phone.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => join); // the client gave up on it
        await advance;
        await Eventually(() => host.Room.Seats.SingleOrDefault(s => s.Name == "Ghost") is { Connected: false, Bot: not null },
            "the seat of a connection that closed during its join kept \"connected\" and no stand-in", 10);
    }

    [Fact]
    public async Task A_connection_that_joined_two_classes_leaves_both_seats_to_stand_ins_when_it_goes()
    {
        // One tab joined class 1, then class 2: on closing, only the last seat was freed, and the first stayed "connected"
        // with no stand-in for the rest of the class (a review, Dec 2026).
        await using var teacher = await Connect();
        var a = await Connect();
        await using var b = await Connect();
        var first = await NewClass(teacher, a, b);
        var second = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, Small);
        var other = await a.InvokeAsync<SeatGrant>("Join", second.Code, "Ana", null);
        await a.DisposeAsync();
        var seats = new[] { app.Classrooms.Find(first.Code)!.Room.Seats.Single(s => s.Id == first.Cn.SeatId),
                            app.Classrooms.Find(second.Code)!.Room.Seats.Single(s => s.Id == other.SeatId) };
        await Eventually(() => seats.All(s => s.Bot is not null), "a seat of the closed connection kept no stand-in", 5);
        Assert.All(seats, s => Assert.False(s.Connected));
        await using var back = await Connect();
        await back.InvokeAsync<SeatGrant>("Rejoin", first.Code, first.Cn.Token);
        Assert.True(seats[0].Connected);
    }

    [Fact]
    public async Task Bad_settings_and_events_are_refused_with_the_field_and_leave_nothing_behind()
    {
        await using var teacher = await Connect();
        var classes = app.Classrooms.All.Count;
        await Refused(() => teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, Small with { Playable = ["XX"] }), "playable: unknown country \"XX\"");
        await Refused(() => teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "nope.yaml", 7UL, Small), "scenario: \"nope.yaml\" is not a shipped scenario");
        // What the caller sent comes back cut to 40 characters (a 30 KB file name came back whole).
        var huge = await Assert.ThrowsAsync<HubException>(() => teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", new string('A', 30_000), null, null));
        Assert.Contains($"scenario: \"{new string('A', 40)}…\" is not a shipped scenario", huge.Message);
        Assert.True(huge.Message.Length < 300, $"{huge.Message.Length} characters");
        Assert.Equal(classes, app.Classrooms.All.Count);

        await using var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b);
        var before = await Snapshot(teacher, c.Code);
        await Refused(() => teacher.InvokeAsync<string>("Inject", c.Code, c.Teacher, null, "no-such-policy"), "policy: No policy with id \"no-such-policy\"");
        await Refused(() => teacher.InvokeAsync<string>("Inject", c.Code, c.Teacher, null, null), "policy: give either a policy or the id");
        var longId = await Assert.ThrowsAsync<HubException>(() => teacher.InvokeAsync<string>("Inject", c.Code, c.Teacher, null, new string('x', 30_000)));
        Assert.Contains("removePolicyId: must be at most 100 characters long", longId.Message);
        Assert.True(longId.Message.Length < 300, $"{longId.Message.Length} characters");
        // The rules scenario files are held to (PolicyRules), for the teacher's events too.
        JsonElement P(string json) => JsonDocument.Parse(json).RootElement;
        await Refused(() => teacher.InvokeAsync<string>("Inject", c.Code, c.Teacher,
            P("""{"$kind":"tariff","id":"t","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":1e308}"""), null), "policy.rate: 1E+308 is above 100");
        await Refused(() => teacher.InvokeAsync<string>("Inject", c.Code, c.Teacher,
            P("""{"$kind":"tariff","id":"CN","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}"""), null), "policy.id: \"CN\" is already the id of a country");
        await Refused(() => teacher.InvokeAsync<string>("Inject", c.Code, c.Teacher,
            P("""{"$kind":"tariff","id":"+1","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}"""), null), "policy.id: must not start with '+'");
        await Refused(() => teacher.InvokeAsync<string>("Inject", c.Code, c.Teacher,
            P("""{"$kind":"stockpile","id":"s","start":0,"country":"JP","commodity":"dy_oxide","size":"NaN","initial":0,"maxReleasePerDay":1}"""), null), "policy.size: NaN is not a finite number");
        Assert.Equal(before, await Snapshot(teacher, c.Code));
    }

    [Fact]
    public async Task Score_weights_are_the_teachers_and_a_bad_one_is_refused_with_its_name_and_creates_nothing()
    {
        await using var teacher = await Connect();
        var classes = app.Classrooms.All.Count;
        Task Create(ScoreWeights w) => teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, Small with { ScoreWeights = w });
        await Refused(() => Create(new() { Loss = double.NaN }), "scoreWeights.loss: NaN is not a finite number");
        await Refused(() => Create(new() { FiscalCost = double.NegativeInfinity }), "scoreWeights.fiscalCost: -Infinity is not a finite number");
        await Refused(() => Create(new() { ExportRevenue = 10.5 }), "scoreWeights.exportRevenue: 10.5 is outside 0–10");
        await Refused(() => Create(new() { ExportRent = -1 }), "scoreWeights.exportRent: -1 is outside 0–10");
        await Refused(() => Create(null!), "scoreWeights: is null");
        Assert.Equal(classes, app.Classrooms.All.Count);

        // An outside client's JSON: the weights by name, a missing one keeps its default.
        var json = JsonDocument.Parse("""{"roundTicks":5,"roundSeconds":0,"playable":["CN","JP"],"scoreWeights":{"loss":2,"exportRent":0}}""").RootElement;
        var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, json);
        var expected = new ScoreWeights { Loss = 2, FiscalCost = 1, ExportRevenue = 0.5, ExportRent = 0 };
        Assert.Equal(expected, app.Classrooms.Find(created.Code)!.Room.Settings.ScoreWeights);
        Assert.Equal(expected, (await teacher.InvokeAsync<ClassroomState>("Watch", created.Code)).ScoreWeights);
        await teacher.InvokeAsync("Start", created.Code, created.InstructorToken);
        await teacher.InvokeAsync<int>("Advance", created.Code, created.InstructorToken);
        var scores = await teacher.InvokeAsync<IReadOnlyList<ScoreRow>>("GetScoreboard", created.Code);
        // Nobody decided anything: every part is a change against the world nobody played, so 0, while the money is as run.
        Assert.All(scores, s => Assert.Equal(new ScoreParts(0, 0, 0, 0), s.Parts));
        Assert.Contains(scores, s => s.ExportRevenue > 0);
        await teacher.InvokeAsync("Finish", created.Code, created.InstructorToken);
    }

    [Fact]
    public async Task The_instructor_can_remove_a_seat_and_its_token_stops_working()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b);
        var before = await Snapshot(teacher, c.Code);
        await Refused(() => a.InvokeAsync("RemoveSeat", c.Code, c.Cn.Token, c.Jp.SeatId), "token: only the instructor may remove seats");
        await Refused(() => teacher.InvokeAsync("RemoveSeat", c.Code, c.Teacher, "s99"), "seatId: no seat \"s99\"");
        Assert.Equal(before, await Snapshot(teacher, c.Code));

        await teacher.InvokeAsync("RemoveSeat", c.Code, c.Teacher, c.Jp.SeatId);
        var host = app.Classrooms.Find(c.Code)!;
        Assert.DoesNotContain(host.Room.Seats, s => s.Id == c.Jp.SeatId);
        await Refused(() => b.InvokeAsync<StudentView>("GetView", c.Code, c.Jp.Token), "token: is not a token of classroom");
        // The place is free: someone else joins, with a new seat id.
        await using var d = await Connect();
        var seat = await d.InvokeAsync<SeatGrant>("Join", c.Code, "Dee", null);
        Assert.NotEqual(c.Jp.SeatId, seat.SeatId);
        Assert.NotEqual(c.Cn.SeatId, seat.SeatId);
    }

    [Fact]
    public async Task Classrooms_per_address_join_attempts_and_code_guesses_are_limited()
    {
        var limits = app.Services.GetRequiredService<MarketSim.Dashboard.Security.DashboardLimits>();
        await using var teacher = await Connect();
        var (classes, perClient, joins, guesses) = (app.Classrooms.All.Count, limits.MaxClassroomsPerClient, limits.JoinAttemptsPerMinute, limits.CodeGuessesPerMinute);
        try
        {
            limits.MaxClassroomsPerClient = 0;
            await Refused(() => teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, Small), "scenario: your address has created");
            Assert.Equal(classes, app.Classrooms.All.Count);
            limits.MaxClassroomsPerClient = perClient;
            var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, Small);

            limits.JoinAttemptsPerMinute = 0;
            await Refused(() => teacher.InvokeAsync<SeatGrant>("Join", created.Code, "Eve", null), "code: too many join attempts from your address");
            Assert.Empty(app.Classrooms.Find(created.Code)!.Room.Seats);
            limits.JoinAttemptsPerMinute = joins;

            limits.CodeGuessesPerMinute = 1;
            // From an address of its own: 127.0.0.1 may have named unknown codes in other tests this minute.
            await using var guesser = await app.ConnectFromAsync(DashboardApp.NewAddress(), ClassroomHub.Path);
            await Refused(() => guesser.InvokeAsync<ClassroomState>("Watch", "ZZZZZZ"), "code: no classroom");
            // Guessed once: now even a good code waits.
            await Refused(() => guesser.InvokeAsync<SeatGrant>("Join", created.Code, "Eve", null), "code: too many unknown codes tried from your address");
            Assert.Empty(app.Classrooms.Find(created.Code)!.Room.Seats);
        }
        finally
        {
            (limits.MaxClassroomsPerClient, limits.JoinAttemptsPerMinute, limits.CodeGuessesPerMinute) = (perClient, joins, guesses);
        }
    }

    [Fact]
    public async Task When_the_round_time_runs_out_the_round_closes_with_what_was_submitted()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b, Small with { RoundSeconds = 3 }); // long enough for the submission to land first on a loaded machine
        var rounds = new List<int>();
        teacher.On<ClassroomState>(ClassroomMessages.State, s => { lock (rounds) rounds.Add(s.Round); });
        await teacher.InvokeAsync("Start", c.Code, c.Teacher);
        await a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, new[] { new LeverChoice("export:dy_oxide", 30) });
        var host = app.Classrooms.Find(c.Code)!;
        await Eventually(() => host.Room.Round >= 2, "the timer did not close round 1", 15);
        Assert.Contains(host.Room.Log, d => d.Round == 1 && d.LeverId == "export:dy_oxide" && d.Value == 30 && d.Tick == 0);
        Assert.True(host.Session.Runner.Status.Tick >= 5);
        // Every viewer is told: the message leaves once the round has opened, so it may arrive a moment after the check above.
        bool Told() { lock (rounds) return rounds.Contains(2); }
        for (var i = 0; i < 100 && !Told(); i++) await Task.Delay(50);
        lock (rounds) Assert.Contains(2, rounds);
        await teacher.InvokeAsync("Finish", c.Code, c.Teacher); // no more rounds in the background
    }

    [Fact]
    public async Task The_teacher_seats_students_and_puts_bots_on_seats_and_bots_decide_when_a_round_opens()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL,
            Small with { Assignment = SeatAssignment.Teacher });
        var ana = await a.InvokeAsync<SeatGrant>("Join", created.Code, "Ana", null);
        Assert.Null(ana.Country);
        var waiting = await a.InvokeAsync<StudentView>("GetView", created.Code, ana.Token);
        Assert.Empty(waiting.Levers);
        await Refused(() => teacher.InvokeAsync("Assign", created.Code, created.InstructorToken, ana.SeatId, "XX"), "country: \"XX\" is not playable");
        await teacher.InvokeAsync("Assign", created.Code, created.InstructorToken, ana.SeatId, "JP");
        Assert.Equal("JP", (await a.InvokeAsync<StudentView>("GetView", created.Code, ana.Token)).Seat.Country);

        // A bot holds Ana's seat, then hands it back; a bot's own seat cannot be "handed back".
        await teacher.InvokeAsync("SetBot", created.Code, created.InstructorToken, ana.SeatId, "stockpile-first");
        var host = app.Classrooms.Find(created.Code)!;
        Assert.Equal("stockpile-first", host.Room.Seats.Single(s => s.Id == ana.SeatId).Bot);
        await teacher.InvokeAsync("Start", created.Code, created.InstructorToken);
        Assert.Contains(host.Room.PendingOf(ana.SeatId), c => c.Lever.StartsWith("stockpile:"));   // the bot decided at once
        await teacher.InvokeAsync("SetBot", created.Code, created.InstructorToken, ana.SeatId, null);
        Assert.Null(host.Room.Seats.Single(s => s.Id == ana.SeatId).Bot);
        var bot = await teacher.InvokeAsync<SeatInfo>("AddBot", created.Code, created.InstructorToken, "CN", "retaliatory");
        await Refused(() => teacher.InvokeAsync("SetBot", created.Code, created.InstructorToken, bot.Id, null), "is a bot's seat");
        await Refused(() => teacher.InvokeAsync("SetBot", created.Code, created.InstructorToken, "s99", "passive"), "seatId: no seat \"s99\"");
        await Refused(() => teacher.InvokeAsync<SeatInfo>("AddBot", created.Code, created.InstructorToken, "CN", "clever"), "strategy: \"clever\" is not one of");

        await teacher.InvokeAsync<int>("Advance", created.Code, created.InstructorToken);
        Assert.Contains(host.Room.Log, d => d.By == "bot:stockpile-first" && d.Country == "JP" && d.Round == 1);
        await teacher.InvokeAsync("Finish", created.Code, created.InstructorToken);
    }

    [Fact]
    public async Task A_classrooms_world_moves_only_through_the_classroom()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b);
        var host = app.Classrooms.Find(c.Code)!;
        await using var sim = await app.ConnectAsync();
        var sid = host.Session.Id;
        Assert.DoesNotContain(await sim.InvokeAsync<IReadOnlyList<SessionInfo>>("ListSessions"), s => s.SessionId == sid);
        var before = await Snapshot(teacher, c.Code);
        await Refused(() => sim.InvokeAsync<SessionStatus>("Step", sid, 5), $"sessionId: session \"{sid}\" is the world of classroom {c.Code}");
        await Refused(() => sim.InvokeAsync<SessionStatus>("Reset", sid), "moves only through the classroom");
        await Refused(() => sim.InvokeAsync<PolicyChangeMessage>("RemovePolicy", sid, "cn-licensing-2025"), "moves only through the classroom");
        await Refused(() => teacher.InvokeAsync<string>("Inject", c.Code, c.Teacher, null, "class-CN-export-dy_oxide-1"), "policy: ids starting with \"class-\" belong to the students' levers");
        Assert.Equal(before, await Snapshot(teacher, c.Code));
        // Watching is allowed: the projector's charts subscribe to it.
        var sub = await sim.InvokeAsync<SubscribeResult>("Subscribe", sid, 0);
        Assert.Equal(sid, sub.Session.SessionId);
    }

    [Fact]
    public async Task A_real_time_class_logs_the_tick_each_decision_really_applied_from_and_replays_to_the_same_csv()
    {
        await using var teacher = await Connect();
        await using var a = await Connect();
        await using var b = await Connect();
        var c = await NewClass(teacher, a, b, Small with { Mode = RoundMode.RealTime });
        var host = app.Classrooms.Find(c.Code)!;
        await teacher.InvokeAsync<IReadOnlyList<SeatInfo>>("FillWithBots", c.Code, c.Teacher, "diversifier");
        await teacher.InvokeAsync("Start", c.Code, c.Teacher);
        Task Until(int tick) => Eventually(() => host.Session.Runner.Status.Tick >= tick, $"the real-time class did not reach tick {tick} (at {host.Session.Runner.Status.Tick})");
        await Until(3);
        await a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, new[] { new LeverChoice("export:dy_oxide", 30) });
        await Until(12);
        await b.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Jp.Token, new[] { new LeverChoice("stockpile:dy_oxide", 3) });
        await a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, new[] { new LeverChoice("export:dy_oxide", 80) });
        await Until(20);
        await teacher.InvokeAsync("Pause", c.Code, c.Teacher);
        await Refused(() => a.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c.Code, c.Cn.Token, new[] { new LeverChoice("export:dy_oxide", 0) }), "round:");
        // The world stops after the step in flight: the runner is paused and has taken in the tick the grain is at (the grain
        // answers only once a step in flight is done).
        await Eventually(async () => !host.Session.Runner.Status.Playing && host.Session.Runner.Status.Tick == await host.Session.Grain.GetTickAsync(),
            "the world did not stop after Pause");

        var log = host.Room.Log;
        Assert.Equal(3, log.Count(d => d.By == "student"));
        // The bot decides at the start and again each time the world has run a round's days (periods 1, 2, 3 by tick 12).
        Assert.Contains(log, d => d.By == "bot:diversifier" && d.Round == 1);
        Assert.Contains(log, d => d.By == "bot:diversifier" && d.Round >= 2);
        var timeline = (await host.Session.Grain.GetPoliciesAsync()).Value;
        var first = log.First(d => d.LeverId == "export:dy_oxide");
        Assert.Equal(first.Tick, timeline.Single(p => p.Id == "class-CN-export-dy_oxide-1").Start); // the log says when it really applied
        var frames = (await host.Session.Grain.GetFramesAsync(0)).Value;
        var replay = ClassroomRecord.Replay(host.Room.Scenario, host.Room.Seed, log, frames.Count);
        Assert.Equal(CsvExport.ToStrings(host.Room.Scenario, frames), CsvExport.ToStrings(host.Room.Scenario, replay));
        await teacher.InvokeAsync("Finish", c.Code, c.Teacher);
    }
}
