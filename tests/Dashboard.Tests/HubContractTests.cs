using System.IO.Compression;
using System.Text.Json;
using MarketSim.Dashboard.Hubs;
using MarketSim.Model.Output;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// /hubs/simulation driven by the .NET SignalR client against the running app, as an outside program would: method names
/// and argument shapes as docs/ARCHITECTURE.md documents them, policies sent as plain JSON objects with "$kind".
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class HubContractTests(DashboardApp app)
{
    static string Json(object o) => JsonSerializer.Serialize(o, HubJson.Options);

    static object DyBanToJapan(string id = "dy-ban-jp") =>
        new Dictionary<string, object> { ["$kind"] = "export_control", ["id"] = id, ["start"] = 0, ["exporter"] = "CN", ["commodities"] = new[] { "dy_oxide" }, ["destinations"] = new[] { "JP" }, ["mode"] = "ban" };

    [Fact]
    public async Task Subscribe_returns_the_history_then_live_frames_in_tick_order()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        var inbox = new FrameInbox(hub);

        var status = await hub.InvokeAsync<SessionStatus>("Step", s.Id, 5);
        Assert.Equal(5, status.Tick);
        var sub = await hub.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0);
        Assert.Equal(Enumerable.Range(0, 5), sub.Frames.Select(f => f.Tick));
        Assert.Equal(s.Id, sub.Session.SessionId);
        Assert.Contains(sub.Session.Countries, c => c.Id == "JP");
        Assert.Contains(sub.Policies, p => p.Id == "cn-licensing-2025");

        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 3);
        var live = await inbox.UntilTickAsync(s.Id, 7);
        // Live frames follow the history without a gap; the documented rule drops any repeat.
        var ticks = live.Select(m => m.Frame.Tick).Where(t => t >= sub.Frames.Count).Distinct().ToList();
        Assert.Equal([5, 6, 7], ticks);

        // The frames are the session's own, as the grain holds them.
        var held = await s.Grain.GetFramesAsync(0);
        Assert.Equal(Json(held.Value[6]), Json(live.First(m => m.Frame.Tick == 6).Frame));
    }

    [Fact]
    public async Task A_client_that_comes_back_receives_the_frames_it_missed()
    {
        var s = await app.NewSessionAsync();
        int seen;
        await using (var first = await app.ConnectAsync())
        {
            var sub = await first.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0);
            await first.InvokeAsync<SessionStatus>("Step", s.Id, 4);
            seen = 4;
        }
        // While it was away the session ran on.
        await s.Runner.StepAsync(6);
        await using var again = await app.ConnectAsync();
        var resumed = await again.InvokeAsync<SubscribeResult>("Subscribe", s.Id, seen);
        Assert.Equal(Enumerable.Range(4, 6), resumed.Frames.Select(f => f.Tick));
    }

    [Fact]
    public async Task Play_at_50_ticks_per_second_pushes_frames_until_paused()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        var inbox = new FrameInbox(hub);
        await hub.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0);

        var speed = await hub.InvokeAsync<SessionStatus>("SetSpeed", s.Id, 50.0);
        Assert.Equal(50, speed.TicksPerSecond);
        Assert.True((await hub.InvokeAsync<SessionStatus>("Play", s.Id)).Playing);
        var frames = await inbox.UntilTickAsync(s.Id, 20);
        Assert.Equal(Enumerable.Range(0, 21), frames.Select(f => f.Frame.Tick));
        var paused = await hub.InvokeAsync<SessionStatus>("Pause", s.Id);
        Assert.False(paused.Playing);
    }

    [Fact]
    public async Task RunTo_a_date_runs_there_and_stops()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        var inbox = new FrameInbox(hub);
        await hub.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0);
        // Through the date asked: its frame (tick 15) is the last one run, so the next tick to run is 16.
        var status = await hub.InvokeAsync<SessionStatus>("RunTo", s.Id, "2026-01-16");
        Assert.Equal(16, status.TargetTick);
        var frames = await inbox.UntilTickAsync(s.Id, 15);
        Assert.Equal(15, frames[^1].Frame.Tick);
        Assert.Equal(new DateOnly(2026, 1, 16), frames[^1].Frame.Date);
        // A day already run cannot be run to: it says so instead of playing.
        var past = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SessionStatus>("RunTo", s.Id, "2026-01-10"));
        Assert.Contains("date: 2026-01-10 has already run", past.Message);
    }

    [Fact]
    public async Task A_live_policy_reaches_every_viewer_applies_from_the_next_tick_and_is_in_the_timeline()
    {
        var s = await app.NewSessionAsync();
        await using var actor = await app.ConnectAsync();
        await using var viewer = await app.ConnectAsync();
        var seen = new FrameInbox(viewer);
        await viewer.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0);
        await actor.InvokeAsync<SessionStatus>("Step", s.Id, 3);

        var change = await actor.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, DyBanToJapan());
        Assert.Equal(3, change.EffectiveTick);
        var ban = Assert.IsType<ExportControl>(change.Policies.Single(p => p.Id == "dy-ban-jp"));
        Assert.Equal(3, ban.Start);
        Assert.Equal(ControlMode.Ban, ban.Mode);

        await actor.InvokeAsync<SessionStatus>("Step", s.Id, 1);
        var frames = await seen.UntilTickAsync(s.Id, 3);
        Assert.Contains(frames.Single(f => f.Frame.Tick == 3).Frame.Events, e => e.StartsWith("start dy-ban-jp", StringComparison.Ordinal));
        Assert.Contains(seen.Changes, c => c.Description.Contains("dy-ban-jp"));

        var ended = await actor.InvokeAsync<PolicyChangeMessage>("RemovePolicy", s.Id, "dy-ban-jp");
        Assert.Equal(4, ended.Policies.Single(p => p.Id == "dy-ban-jp").End);
    }

    public static TheoryData<string, object?[], string> BadCalls() => new()
    {
        { "Step", ["no-such-session", 1], "sessionId: no session \"no-such-session\"" },
        { "Subscribe", ["no-such-session", 0], "sessionId: no session" },
        { "Step", [null, 0], "ticks: 0 is outside" },
        { "SetSpeed", [null, double.NaN], "ticksPerSecond: NaN is outside" },
        { "SetSpeed", [null, -5.0], "ticksPerSecond: -5 is outside" },
        { "SetSpeed", [null, 5000.0], "ticksPerSecond: 5000 is outside" },
        { "RunTo", [null, "next tuesday"], "date: \"next tuesday\" is not a date" },
        // Arguments of the wrong type name the argument (they answered "Failed to invoke 'Step' due to an error on the server.").
        { "Step", [null, 1.5], "ticks: must be a whole number, got 1.5" },
        { "Step", [null, "abc"], "ticks: must be a whole number, got \"abc\"" },
        { "SetSpeed", [null, "fast"], "ticksPerSecond: must be a number, got \"fast\"" },
        { "RunTo", [null, new string('9', 20_000)], $"date: \"{new string('9', 40)}…\" is not a date" }, // echoed in full before
        { "RunTo", [null, "2031-01-01"], "date: 2031-01-01 is outside the session" },
        { "Subscribe", [null, -1], "fromTick: -1 is negative" },
        { "RemovePolicy", [null, "no-such-policy"], "No policy with id \"no-such-policy\"" },
    };

    [Theory, MemberData(nameof(BadCalls))]
    public async Task Bad_control_arguments_get_a_clear_error_and_change_nothing(string method, object?[] args, string expected)
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        var before = await hub.InvokeAsync<SessionStatus>("GetStatus", s.Id);
        var call = args.Select(a => a).ToArray();
        if (call[0] is null) call[0] = s.Id;
        var e = await Assert.ThrowsAsync<HubException>(() => hub.InvokeCoreAsync<object>(method, call));
        Assert.Contains(expected, e.Message);
        var after = await hub.InvokeAsync<SessionStatus>("GetStatus", s.Id);
        Assert.Equal(before, after);
    }

    public static TheoryData<string, string> BadPolicies() => new()
    {
        { """{"$kind":"price_floor","id":"f","start":0,"club":["JP"],"excluded":[],"floors":{"dy_oxide":"NaN"}}""", "policy.floors.dy_oxide: NaN is not a finite number" },
        { """{"$kind":"price_floor","id":"f","start":0,"club":["JP"],"excluded":[],"floors":{"dy_oxide":1e15}}""", "policy.floors.dy_oxide: 1E+15 is above any sane price" },
        { """{"$kind":"price_floor","id":"f","start":0,"club":["JP"],"excluded":[],"floors":{"dy_oxide":-3}}""", "policy.floors.dy_oxide: -3 is negative" },
        { """{"$kind":"tariff","id":"t","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":-0.5}""", "policy.rate: -0.5 is negative" },
        { """{"$kind":"export_control","id":"x","start":0,"exporter":"CN","commodities":["dy_oxide"],"destinations":["XX"]}""", "destinations: unknown country \"XX\"" },
        { """{"$kind":"export_control","id":"x","start":0,"exporter":"CN","commodities":["unobtainium"]}""", "commodities: unknown commodity \"unobtainium\"" },
        { """{"$kind":"export_control","id":"x","start":0,"exporter":"CN","commodities":["dy_oxide"],"mode":"license","approvalRate":1.5}""", "policy.approvalRate: 1.5 is above 1" },
        { """{"$kind":"stockpile","id":"s","start":0,"country":"JP","commodity":"dy_oxide","size":10,"initial":20,"maxReleasePerDay":1}""", "policy.initial: 20 is above the size 10" },
        { """{"$kind":"export_control","id":"x","start":9999,"exporter":"CN","commodities":["dy_oxide"]}""", "policy.start: tick 9999 is beyond the horizon" },
        { """{"id":"x","start":0,"exporter":"CN","commodities":["dy_oxide"]}""", "policy.$kind: missing" },
        { """{"$kind":"embargo","id":"x","start":0}""", "policy.$kind: \"embargo\" is not one of" },
        { """{"$kind":"export_control","id":"x","start":0,"commodities":["dy_oxide"]}""", "policy.exporter: is required" },
        { """{"$kind":"tariff","id":"cn-licensing-2025","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""", "cannot be replaced by a tariff" },
        // The rules scenario files are held to (PolicyRules), for hub arguments too (issue 11).
        { """{"$kind":"stockpile","id":"s","start":0,"country":"JP","commodity":"dy_oxide","size":1e308,"initial":0,"maxReleasePerDay":1}""", "policy.size: 1E+308 is above 1000000000000000, the largest quantity" },
        { """{"$kind":"stockpile","id":"s","start":0,"country":"JP","commodity":"dy_oxide","size":10,"initial":0,"maxReleasePerDay":"Infinity"}""", "policy.maxReleasePerDay: Infinity is not a finite number" },
        { """{"$kind":"export_control","id":"x","start":0,"exporter":"CN","commodities":["dy_oxide"],"mode":"quota","quotaQuantity":"NaN"}""", "policy.quotaQuantity: NaN is not a finite number" },
        { """{"$kind":"capacity_project","id":"p","start":0,"producer":"cn-mine-lree","addedCapacity":1e300,"leadTimeDays":10}""", "policy.addedCapacity: 1E+300 is above" },
        { """{"$kind":"capacity_project","id":"p","start":0,"producer":"cn-mine-lree","addedCapacity":10,"leadTimeDays":2000000000}""", "policy.leadTimeDays: 2000000000 is above 36500 days" },
        { """{"$kind":"tariff","id":"=HYPERLINK(\"x\")","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""", "policy.id: must not start with '='" },
        { """{"$kind":"tariff","id":"@cmd","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""", "policy.id: must not start with '@'" },
        { """{"$kind":"tariff","id":"a\nb","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""", "policy.id: must not contain control characters" },
        { """{"$kind":"tariff","id":"JP","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""", "policy.id: \"JP\" is already the id of a country" },
        { """{"$kind":"stockpile","id":"cn-mine-lree","start":0,"country":"JP","commodity":"dy_oxide","size":10,"initial":0,"maxReleasePerDay":1}""", "policy.id: \"cn-mine-lree\" is already the id of a producer" },
        { """{"$kind":"tariff","id":"t","start":-1,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""", "policy.start: tick -1 is negative" },
        { """{"$kind":"tariff","id":"t","start":10,"end":5,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""", "policy.end: tick 5 is not after the start, tick 10" },
        { """{"$kind":"tariff","id":"t","start":0,"end":2147483647,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""", "policy.end: tick 2147483647 is beyond the horizon" },
        { """{"$kind":"export_control","id":"x","start":0,"exporter":"CN","commodities":["dy_oxide"],"mode":"license","applications":0}""", "policy.applications: 0 is outside 1–1000" },
        // Cases the hub and the scenario loader once judged differently, now one rule (PolicyRules, CommodityGroups); the
        // loader's side is in tests/Model.Tests (PolicyRulesTests, ScenarioValidationTests).
        { """{"$kind":"export_control","id":"x","start":0,"exporter":"CN","commodities":["group:nosuch"]}""", "policy.commodities: unknown commodity group 'nosuch' (groups: " },
        { """{"$kind":"tariff","id":"t","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":101}""", "policy.rate: 101 is above 100 (10,000 %)" },
        { """{"$kind":"price_floor","id":"f","start":0,"club":["JP"],"excluded":[],"floors":{"dy_oxide":1e11}}""", "policy.floors.dy_oxide: 1E+11 is above any sane price: the price of dy_oxide is capped at" },
        // Found by a hostile-client probe (Dec 2026): accepted live, refused by `marketsim validate` in the exported timeline.
        { """{"$kind":"tariff","id":"JP ","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""", "policy.id: must not start or end with a space" },
        { """{"$kind":"tariff","id":" =1+1","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""", "policy.id: must not start or end with a space" },
        { """{"$kind":"export_control","id":"x","start":0,"exporter":"CN","commodities":["dy_oxide"],"reExport":true,"deMinimis":"NaN"}""", "policy.deMinimis: NaN is not a finite number" },
        { """{"$kind":"export_control","id":"x","start":0,"exporter":"CN","commodities":["dy_oxide"],"reExport":true,"deMinimis":-5}""", "policy.deMinimis: -5 is negative" },
        { """{"$kind":"export_control","id":"x","start":0,"exporter":"CN","commodities":["dy_oxide"],"deMinimis":0.001}""", "policy.deMinimis: applies to the re-export clause" },
        { """{"$kind":"export_control","id":"x","start":0,"exporter":"CN","commodities":["dy_oxide"],"mode":7}""", "policy.mode:" },
        // The files' field names are not the hub's: refused by name, not applied with the defaults.
        { """{"$kind":"export_control","id":"x","start":0,"exporter":"CN","commodities":["dy_oxide"],"mode":"license","approval_rate":0.1}""", "policy.approval_rate: is not a field of export_control policies" },
    };

    [Theory, MemberData(nameof(BadPolicies))]
    public async Task Bad_policies_get_a_clear_error_naming_the_field_and_the_session_is_unchanged(string policyJson, string expected)
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        var viewer = new FrameInbox(hub);
        await hub.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0);
        var before = Json(await hub.InvokeAsync<IReadOnlyList<PolicySpec>>("GetPolicies", s.Id));

        var policy = JsonDocument.Parse(policyJson).RootElement;
        var e = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, policy));
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"expected \"{expected}\" in: {e.Message}");
        Assert.True(e.Message.Length < 600, e.Message); // errors stay short whatever the argument

        Assert.Equal(before, Json(await hub.InvokeAsync<IReadOnlyList<PolicySpec>>("GetPolicies", s.Id)));
        // Viewers saw nothing: a valid change made after it reaches the viewer, in order, as the only change it got.
        var valid = await hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, DyBanToJapan());
        var until = DateTime.UtcNow + FrameInbox.Patience;
        while (true)
        {
            lock (viewer.Changes) if (viewer.Changes.Count > 0) break;
            Assert.True(DateTime.UtcNow < until, "the valid change after the refused one never reached the viewer");
            await Task.Delay(10);
        }
        lock (viewer.Changes) Assert.Equal([valid.Description], viewer.Changes.Select(c => c.Description));
    }

    [Fact]
    public async Task Fork_makes_a_session_with_the_same_state_and_history()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 4);
        await hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, DyBanToJapan());
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 6);

        var forkId = await hub.InvokeAsync<string>("Fork", s.Id);
        Assert.NotEqual(s.Id, forkId);
        var fork = await hub.InvokeAsync<SubscribeResult>("Subscribe", forkId, 0);
        var original = await hub.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0);
        Assert.Equal(10, fork.Status.Tick);
        Assert.Equal(s.Id, fork.Session.ForkedFrom);
        Assert.Equal(Json(original.Frames), Json(fork.Frames));
        Assert.Equal(Json(original.Policies), Json(fork.Policies));

        // From here they run independently.
        await hub.InvokeAsync<SessionStatus>("Step", forkId, 2);
        Assert.Equal(10, (await hub.InvokeAsync<SessionStatus>("GetStatus", s.Id)).Tick);
        Assert.Contains(await hub.InvokeAsync<IReadOnlyList<SessionInfo>>("ListSessions"), i => i.SessionId == forkId);
    }

    [Fact]
    public async Task Reset_returns_to_tick_0_and_tells_the_viewers()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        var inbox = new FrameInbox(hub);
        await hub.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0);
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 3);
        await hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, DyBanToJapan());
        var status = await hub.InvokeAsync<SessionStatus>("Reset", s.Id);
        Assert.Equal(0, status.Tick);
        Assert.DoesNotContain(await hub.InvokeAsync<IReadOnlyList<PolicySpec>>("GetPolicies", s.Id), p => p.Id == "dy-ban-jp");
        await WaitFor(() => { lock (inbox.Resets) return inbox.Resets.Contains(s.Id); });
    }

    [Fact]
    public async Task The_exports_are_the_CLIs_files_and_a_timeline_that_replays_the_session()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 5);
        await hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, DyBanToJapan());
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 10);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        var zip = new ZipArchive(await http.GetStreamAsync($"sessions/{s.Id}/export/csv.zip"));
        Assert.Equal(CsvTables.FileNames.Order(), zip.Entries.Select(e => e.FullName).Order());
        var frames = await s.Grain.GetFramesAsync(0);
        var expected = CsvExport.ToStrings(s.Scenario with { Policies = (await s.Grain.GetPoliciesAsync()).Value }, frames.Value);
        using (var prices = new StreamReader(zip.GetEntry("prices.csv")!.Open()))
            Assert.Equal(expected["prices.csv"], await prices.ReadToEndAsync());

        var yaml = await http.GetStringAsync($"sessions/{s.Id}/export/timeline.yaml");
        var loaded = ScenarioLoader.LoadText(yaml, "timeline.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Contains(loaded.Spec!.Policies, p => p.Id == "dy-ban-jp" && p.Start == 5);
        // The reference runner, from the exported file alone, reproduces the session's frames byte for byte.
        var replay = new ReferenceRunner(loaded.Spec, loaded.Spec.Seed).Run(15).ToList();
        Assert.Equal(CsvExport.ToStrings(loaded.Spec, replay), CsvExport.ToStrings(loaded.Spec, frames.Value));
    }

    [Fact]
    public async Task Editing_a_started_policy_keeps_its_past_so_the_exported_timeline_still_replays_the_session()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 5);
        await hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, DyBanToJapan());
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 10);
        // Edit both a live policy and one of the scenario's (a stockpile, whose holdings are kept by its id).
        var licence = new Dictionary<string, object>((Dictionary<string, object>)DyBanToJapan()) { ["mode"] = "license", ["approvalRate"] = 0.5, ["delayMinDays"] = 10, ["delayMaxDays"] = 20 };
        await hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, licence);
        var stockpile = new Dictionary<string, object> { ["$kind"] = "stockpile", ["id"] = "jp-stockpile-dy", ["start"] = 0, ["country"] = "JP",
            ["commodity"] = "dy_oxide", ["size"] = 42.3452, ["initial"] = 0, ["maxReleasePerDay"] = 0.5, ["releaseShortageShare"] = 0 };
        await hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, stockpile);
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 10);

        var timeline = (await s.Grain.GetPoliciesAsync()).Value;
        Assert.Equal([(5, (int?)15, "Ban"), (15, null, "License")],
            timeline.OfType<ExportControl>().Where(p => p.Id == "dy-ban-jp").Select(p => (p.Start, p.End, p.Mode.ToString())));
        // The scenario's stockpile is in force from 4 Apr 2025, the first day of its spin-up (day −272).
        Assert.Equal([(-272, (int?)15), (15, null)], timeline.Where(p => p.Id == "jp-stockpile-dy").Select(p => (p.Start, p.End)));

        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var loaded = ScenarioLoader.LoadText(await http.GetStringAsync($"sessions/{s.Id}/export/timeline.yaml"), "timeline.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        var frames = (await s.Grain.GetFramesAsync(0)).Value;
        var replay = new ReferenceRunner(loaded.Spec!, loaded.Spec!.Seed).Run(frames.Count).ToList();
        Assert.Equal(CsvExport.ToStrings(loaded.Spec, frames), CsvExport.ToStrings(loaded.Spec, replay));
    }

    static async Task WaitFor(Func<bool> condition)
    {
        var until = DateTime.UtcNow + FrameInbox.Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("condition not met");
            await Task.Delay(50);
        }
    }
}
