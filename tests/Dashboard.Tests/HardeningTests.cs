using MarketSim.Classrooms;
using MarketSim.Dashboard.Classrooms;
using MarketSim.Dashboard.Hosting;
using Microsoft.Extensions.Logging;
using System.Net;
using System.Diagnostics;
using System.Text.Json;
using MarketSim.Dashboard.Security;
using MarketSim.Dashboard.Hubs;
using MarketSim.Grains.Session;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Dashboard.Tests;

/// <summary>Issue 11 on the dashboard: a run never wedges; doors and quotas.</summary>
[Collection(DashboardCollection.Name)]
public sealed class HardeningTests(DashboardApp app)
{
    SessionFaults Faults => app.Services.GetRequiredService<SessionFaults>();

    [Fact]
    public void A_world_that_runs_longer_than_the_upload_limit_is_refused_by_name()
    {
        // A session keeps every tick's frame: 36,500 days would hold ≈1.7 GB (a Dec 2026 review). The longest shipped
        // scenario (japan-2010, 1,826 days) still starts.
        var limits = new DashboardLimits();
        var world = ScenarioLoader.LoadOrThrow(Path.Combine(Paths.RepoRoot, "scenarios", "japan-2010.yaml"));
        Assert.Equal(1826, world.Days);
        Assert.Null(WorldSize.Problem(world, limits));
        Assert.Contains("days: 36500, more than the 1826 a session on this server may run (MaxUploadDays)", WorldSize.Problem(world with { Days = 36_500 }, limits));
    }

    [Fact]
    public async Task Concurrent_steps_from_several_connections_stop_at_the_horizon()
    {
        // Each Step clamps to the horizon under the session's gate: four connections' Step(5) at tick 360 of a 365-day
        // session end it at 365. Clamped before the gate (until Dec 2026), every queued call read tick 360, and a review's
        // twelve concurrent Step(365) calls ran the default session to tick 4,380.
        var s = await app.NewSessionAsync();
        await using var first = await app.ConnectAsync();
        Assert.Equal(360, (await first.InvokeAsync<SessionStatus>("Step", s.Id, 360)).Tick);
        var hubs = new List<HubConnection> { first };
        for (int i = 0; i < 3; i++) hubs.Add(await app.ConnectAsync());
        try
        {
            var steps = await Task.WhenAll(hubs.Select(h => h.InvokeAsync<SessionStatus>("Step", s.Id, 5)));
            Assert.All(steps, x => Assert.True(x.Tick <= 365, $"a step answered tick {x.Tick}"));
            var status = await first.InvokeAsync<SessionStatus>("GetStatus", s.Id);
            Assert.Equal((365, 365), (status.Tick, status.Horizon));
        }
        finally
        {
            foreach (var h in hubs.Skip(1)) await h.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_tick_that_fails_again_after_one_recomputation_ends_the_session_with_a_clear_error()
    {
        var s = await app.NewSessionAsync();
        var attempts = 0;
        Faults.AtTick = (id, tick) =>
        {
            if (id != s.Id || tick != 7) return null;
            Interlocked.Increment(ref attempts);
            return new KeyNotFoundException("The given key 'JP' was not present in the dictionary.");
        };
        try
        {
            await using var hub = await app.ConnectAsync();
            await hub.InvokeAsync<SessionStatus>("Step", s.Id, 5);
            var sw = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SessionStatus>("Step", s.Id, 10));
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed}");
            Assert.Contains($"sessionId: Session \"{s.Id}\" ended: tick 7 (2026-01-08) failed again", e.Message);
            Assert.Contains("KeyNotFoundException: The given key 'JP'", e.Message);
            Assert.Equal(2, attempts); // the first try and one recomputation, no more

            var status = await hub.InvokeAsync<SessionStatus>("GetStatus", s.Id);
            Assert.Equal((7, false), (status.Tick, status.Playing));
            Assert.Contains("failed again", status.Error);
            // Ended: driving it again is refused at once, with the same error, and computes nothing.
            var again = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SessionStatus>("Step", s.Id, 1));
            Assert.Contains("ended: tick 7", again.Message);
            await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SessionStatus>("Play", s.Id));
            await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SessionStatus>("RunTo", s.Id, "2026-02-01"));
            Assert.Equal(2, attempts);
            var sub = await hub.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0);
            Assert.Equal(Enumerable.Range(0, 7), sub.Frames.Select(f => f.Tick)); // the frames before the failing tick are kept

            // Reset starts it afresh.
            Faults.AtTick = null;
            var reset = await hub.InvokeAsync<SessionStatus>("Reset", s.Id);
            Assert.Equal((0, (string?)null), (reset.Tick, reset.Error));
            Assert.Equal(10, (await hub.InvokeAsync<SessionStatus>("Step", s.Id, 10)).Tick);
        }
        finally { Faults.AtTick = null; }
    }

    [Fact]
    public async Task A_tick_that_keeps_failing_with_different_messages_ends_the_session_after_three_tries()
    {
        var s = await app.NewSessionAsync();
        var attempts = 0;
        Faults.AtTick = (id, tick) => id == s.Id && tick == 3 ? new InvalidOperationException($"attempt {Interlocked.Increment(ref attempts)}") : null;
        try
        {
            await using var hub = await app.ConnectAsync();
            await Refused(() => hub.InvokeAsync<SessionStatus>("Step", s.Id, 10), "ended: tick 3 (2026-01-04) failed again");
            Assert.Equal(3, attempts);
            Assert.Equal(3, (await hub.InvokeAsync<SessionStatus>("GetStatus", s.Id)).Tick);
        }
        finally { Faults.AtTick = null; }
    }

    [Fact]
    public async Task A_tick_that_fails_once_is_recomputed_and_the_run_goes_on_unchanged()
    {
        var clean = await app.NewSessionAsync();
        var s = await app.NewSessionAsync();
        var attempts = 0;
        Faults.AtTick = (id, tick) => id == s.Id && tick == 7 && Interlocked.Increment(ref attempts) == 1 ? new InvalidOperationException("once") : null;
        try
        {
            await using var hub = await app.ConnectAsync();
            Assert.Equal(12, (await hub.InvokeAsync<SessionStatus>("Step", s.Id, 12)).Tick);
            Assert.Equal(12, (await hub.InvokeAsync<SessionStatus>("Step", clean.Id, 12)).Tick);
            Assert.Equal(2, attempts);
            Assert.Null((await hub.InvokeAsync<SessionStatus>("GetStatus", s.Id)).Error);
            var a = await s.Grain.GetFramesAsync(0);
            var b = await clean.Grain.GetFramesAsync(0);
            Assert.Equal(Json(b.Value), Json(a.Value));
        }
        finally { Faults.AtTick = null; }
    }

    DashboardLimits Limits => app.Services.GetRequiredService<DashboardLimits>();

    /// <summary>Runs <paramref name="body"/> with a limit lowered, then puts the default back (the app is shared).</summary>
    async Task With(Action<DashboardLimits> set, Func<Task> body)
    {
        var saved = JsonSerializer.Serialize(Limits);
        set(Limits);
        try { await body(); }
        finally
        {
            var back = JsonSerializer.Deserialize<DashboardLimits>(saved)!;
            foreach (var p in typeof(DashboardLimits).GetProperties()) p.SetValue(Limits, p.GetValue(back));
        }
    }

    static async Task Refused(Func<Task> call, string expected)
    {
        var e = await Assert.ThrowsAsync<HubException>(call);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task History_comes_in_pages_not_all_at_once()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 8);
        await With(l => l.MaxFramesPerCall = 3, async () =>
        {
            var sub = await hub.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0);
            Assert.Equal([0, 1, 2], sub.Frames.Select(f => f.Tick));
            Assert.True(sub.More);
            var p2 = await hub.InvokeAsync<FramePage>("GetFrames", s.Id, 3);
            Assert.Equal([3, 4, 5], p2.Frames.Select(f => f.Tick));
            Assert.True(p2.More);
            var p3 = await hub.InvokeAsync<FramePage>("GetFrames", s.Id, 6);
            Assert.Equal([6, 7], p3.Frames.Select(f => f.Tick));
            Assert.False(p3.More);
            await Refused(() => hub.InvokeAsync<FramePage>("GetFrames", s.Id, -1), "fromTick: -1 is negative");
        });
    }

    [Fact]
    public async Task Forks_have_quotas_and_a_session_can_be_ended_which_frees_its_place()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        var ended = new TaskCompletionSource<string>();
        hub.On<string>(HubMessages.Ended, id => ended.TrySetResult(id));
        await With(l => l.MaxForksPerConnection = 1, async () =>
        {
            var fork = await hub.InvokeAsync<string>("Fork", s.Id);
            var count = app.Sessions.All.Count;
            await Refused(() => hub.InvokeAsync<string>("Fork", s.Id), "sessionId: this connection has made 1 forks, the most allowed (MaxForksPerConnection)");
            Assert.Equal(count, app.Sessions.All.Count);

            // Ending the fork: gone from the list, its grains dropped, its viewers told.
            await hub.InvokeAsync<SubscribeResult>("Subscribe", fork, 0);
            await hub.InvokeAsync("EndSession", fork);
            Assert.Equal(fork, await ended.Task.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.DoesNotContain(app.Sessions.All, x => x.Id == fork);
            Assert.Equal(count - 1, app.Sessions.All.Count);
            await Refused(() => hub.InvokeAsync<SubscribeResult>("Subscribe", fork, 0), $"sessionId: no session \"{fork}\"");
        });
        await With(l => l.MaxForksPerClient = 0, async () =>
        {
            await using var other = await app.ConnectAsync();
            var count = app.Sessions.All.Count;
            await Refused(() => other.InvokeAsync<string>("Fork", s.Id), "the most allowed (MaxForksPerClient = 0); end one with EndSession first");
            Assert.Equal(count, app.Sessions.All.Count);
        });
    }

    [Fact]
    public async Task Forks_made_at_once_from_many_connections_stay_within_the_addresss_quota()
    {
        // Found by a hostile-client probe (Dec 2026): the quota was checked before the fork and counted after it, so 40 forks
        // sent at once from one address all passed a limit of 20. Now a place is taken at the check.
        var s = await app.NewSessionAsync();
        var quotas = app.Services.GetRequiredService<ClientQuotas>();
        var hubs = new List<HubConnection>();
        for (var i = 0; i < 8; i++) hubs.Add(await app.ConnectAsync());
        try
        {
            var first = await hubs[0].InvokeAsync<string>("Fork", s.Id);
            await hubs[0].InvokeAsync("EndSession", first);
            var running = quotas.ForksRunning; // every connection here comes from one address
            await With(l => l.MaxForksPerClient = running + 3, async () =>
            {
                var calls = hubs.Select(h => h.InvokeAsync<string>("Fork", s.Id)).ToList();
                var made = new List<string>();
                var refusals = new List<string>();
                foreach (var c in calls)
                    try { made.Add(await c); }
                    catch (HubException e) { refusals.Add(e.Message); }
                Assert.True(made.Count == 3, $"{made.Count} made (limit {running} + 3); refused: {string.Join(" | ", refusals.Distinct())}");
                Assert.All(refusals, m => Assert.Contains("MaxForksPerClient", m));
                Assert.Equal(running + 3, quotas.ForksRunning);
                foreach (var f in made) await hubs[0].InvokeAsync("EndSession", f);
            });
            Assert.Equal(running, quotas.ForksRunning);
        }
        finally { foreach (var h in hubs) await h.DisposeAsync(); }
    }

    [Fact]
    public async Task Over_the_memory_budget_no_session_starts_or_runs_further_and_each_refusal_says_why()
    {
        // Per-client quotas bound one address; a classroom network is many, and every session keeps its frames: above the
        // host's budget nothing new starts and nothing runs further, what is held stays readable, and ending sessions frees it.
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 3);
        await hub.InvokeAsync<SessionStatus>("Play", s.Id);
        var held = 0;
        await With(l => l.MaxHeapMegabytes = 1, async () =>
        {
            var count = app.Sessions.All.Count;
            await Refused(() => hub.InvokeAsync<string>("Fork", s.Id), "memory: this server's sessions hold");
            Assert.Equal(count, app.Sessions.All.Count);
            await Refused(() => hub.InvokeAsync<SessionStatus>("Step", s.Id, 5), "over its memory budget of 1 MB (MaxHeapMegabytes)");
            await Refused(() => hub.InvokeAsync<SessionStatus>("Play", s.Id), "end a session you no longer need, then try again");
            // The session that was playing pauses where it is.
            await Waits.Eventually(async () => !(await hub.InvokeAsync<SessionStatus>("GetStatus", s.Id)).Playing, "the playing session pauses");
            var status = await hub.InvokeAsync<SessionStatus>("GetStatus", s.Id);
            Assert.False(status.Playing);
            Assert.StartsWith("paused by the server: this server's sessions hold", status.Notice);
            held = status.Tick;
            await Task.Delay(500);
            Assert.Equal(held, (await hub.InvokeAsync<SessionStatus>("GetStatus", s.Id)).Tick);
            var page = await hub.InvokeAsync<FramePage>("GetFrames", s.Id, 0);
            Assert.NotEmpty(page.Frames);
        });
        // Under the budget again, it runs on from where it stopped, and the notice goes.
        var after = await hub.InvokeAsync<SessionStatus>("Step", s.Id, 2);
        Assert.Equal((held + 2, null), (after.Tick, after.Notice));
    }

    [Fact]
    public void A_reading_over_the_memory_budget_is_confirmed_by_a_full_collection_so_ending_sessions_frees_the_host()
    {
        // An ephemeral collection still counts the old generation's dead objects (where ended sessions' frames lie): without a
        // confirming full collection, a host over its budget stayed refused after its sessions were ended (a review).
        const long MB = 1 << 20;
        GC.Collect();
        var before = GC.GetGCMemoryInfo().HeapSizeBytes;
        var budget = new MemoryBudget(new DashboardLimits { MaxHeapMegabytes = (int)(before / MB) + 300 }, confirmEvery: TimeSpan.Zero);
        Assert.Contains("over its memory budget", OverWhileHolding(budget, 600 * MB));
        GC.Collect(0);
        Assert.True(GC.GetGCMemoryInfo().HeapSizeBytes > before + 300 * MB, "the ephemeral collection's reading still counts the dead array");
        Assert.Null(budget.Problem());
    }

    /// <summary>The budget's answer while an array of <paramref name="bytes"/> is held; the array is unreachable once this returns
    /// (held in a frame of its own: a Debug build keeps a method's temporaries alive to its end).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static string? OverWhileHolding(MemoryBudget budget, long bytes)
    {
        var held = new byte[bytes];
        Array.Fill(held, (byte)1);
        GC.Collect();
        var problem = budget.Problem();
        GC.KeepAlive(held);
        return problem;
    }

    [Fact]
    public async Task Sessions_on_a_host_are_capped()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        await With(l => l.MaxSessions = 1, async () =>
        {
            var count = app.Sessions.All.Count;
            await Refused(() => hub.InvokeAsync<string>("Fork", s.Id), "the most allowed (MaxSessions = 1); end one first");
            Assert.Equal(count, app.Sessions.All.Count);
        });
    }

    [Fact]
    public async Task Policies_per_session_are_capped_and_a_refusal_changes_nothing()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        var before = await hub.InvokeAsync<IReadOnlyList<MarketSim.Model.Policies.PolicySpec>>("GetPolicies", s.Id);
        await With(l => l.MaxPoliciesPerSession = before.Count, async () =>
        {
            var policy = JsonDocument.Parse("""{"$kind":"tariff","id":"t-quota","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""").RootElement;
            await Refused(() => hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, policy), $"the most allowed (MaxPoliciesPerSession = {before.Count})");
        });
        var after = await hub.InvokeAsync<IReadOnlyList<MarketSim.Model.Policies.PolicySpec>>("GetPolicies", s.Id);
        Assert.Equal(Json(before), Json(after));
    }

    [Fact]
    public async Task Subscriptions_per_connection_are_capped()
    {
        var a = await app.NewSessionAsync();
        var b = await app.NewSessionAsync();
        var c = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        await With(l => l.MaxSubscriptionsPerConnection = 2, async () =>
        {
            await hub.InvokeAsync<SubscribeResult>("Subscribe", a.Id, 0);
            await hub.InvokeAsync<SubscribeResult>("Subscribe", b.Id, 0);
            await hub.InvokeAsync<SubscribeResult>("Subscribe", a.Id, 0); // again: still two
            await Refused(() => hub.InvokeAsync<SubscribeResult>("Subscribe", c.Id, 0), "sessionId: this connection is subscribed to 2 sessions, the most allowed (MaxSubscriptionsPerConnection)");
            await hub.InvokeAsync("Unsubscribe", a.Id);
            await hub.InvokeAsync<SubscribeResult>("Subscribe", c.Id, 0);
        });
    }

    [Fact]
    public async Task A_classroom_that_ends_tells_its_worlds_subscribers_and_frees_their_places()
    {
        // Found by a hub probe (Dec 2026): EndClassroom freed its world's subscribers' places under "class-CODE" while the world
        // is "class-code", so they stayed taken. Unsubscribe cannot name an ended world, and a projector-like watcher of 20
        // classes that ended could subscribe to nothing more until it reconnected. Nor were they told ("Ended", as EndSession
        // tells a session's): a program watching the world waited for frames that would never come.
        var other = await app.NewSessionAsync();
        await using var teacher = await app.ConnectAsync(ClassroomHub.Path);
        await using var watcher = await app.ConnectAsync();
        var ended = new TaskCompletionSource<string>();
        watcher.On<string>(HubMessages.Ended, id => ended.TrySetResult(id));
        var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, new ClassroomSettings { RoundSeconds = 0 });
        await With(l => l.MaxSubscriptionsPerConnection = 1, async () =>
        {
            await watcher.InvokeAsync<SubscribeResult>("Subscribe", created.SessionId, 0);
            await teacher.InvokeAsync("EndClassroom", created.Code, created.InstructorToken);
            Assert.Equal(created.SessionId, await ended.Task.WaitAsync(TimeSpan.FromSeconds(10)));
            await Refused(() => watcher.InvokeAsync("Unsubscribe", created.SessionId), "sessionId: no session");
            await watcher.InvokeAsync<SubscribeResult>("Subscribe", other.Id, 0);
        });
    }

    [Fact]
    public async Task Hub_connections_per_address_are_capped_so_unread_answers_cannot_pin_memory_without_bound()
    {
        // Found by a hostile-client probe (Dec 2026): every bound on what a hub client holds was per connection (an unread page
        // of history ≈2 MB, a queue of 512 messages, 20 subscriptions), and one address could open as many connections as it
        // liked: each deaf client below asks for a page and never reads, pinning its answer in the server's memory.
        var history = await app.NewSessionAsync();
        await history.Runner.StepAsync(20);
        var from = DashboardApp.NewAddress();
        var quotas = app.Services.GetRequiredService<ClientQuotas>();
        await With(l => l.MaxHubConnectionsPerClient = 4, async () =>
        {
            var deaf = new List<DeafClient>();
            try
            {
                // Four places, both hubs counted together.
                for (var i = 0; i < 4; i++)
                {
                    var d = await DeafClient.ConnectAsync(app.BaseAddress, i < 3 ? SimulationHub.Path : ClassroomHub.Path, from);
                    deaf.Add(d);
                    if (i < 3) await d.InvokeAsync("GetFrames", history.Id, 0);
                }
                // Their handshakes are in (a deaf client does not wait for answers): give the server a moment to count them.
                await Until(() => quotas.HubConnections(ClientAddress.Of(from)!) == 4, "the four deaf connections counted", fail: false);

                // A fifth from the same address, on either hub, is closed at once and told why; nothing of it is counted.
                foreach (var path in new[] { SimulationHub.Path, ClassroomHub.Path })
                {
                    var fifth = app.BuildFrom(from, path);
                    var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
                    fifth.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
                    try
                    {
                        await fifth.StartAsync();
                        var why = await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
                        Assert.Contains("connection: your address has 4 hub connections open, the most allowed (MaxHubConnectionsPerClient = 4)", why?.Message);
                    }
                    catch (TimeoutException) { Assert.Fail($"a fifth connection to {path} from one address stayed open"); }
                    finally { await fifth.DisposeAsync(); }
                }
                Assert.Equal(4, quotas.HubConnections(ClientAddress.Of(from)!));

                // Another address is not held back.
                await using (var other = await app.ConnectFromAsync(DashboardApp.NewAddress()))
                    Assert.NotNull(await other.InvokeAsync<SessionStatus>("GetStatus", history.Id));

                // A closed connection gives its place back.
                await deaf[0].DisposeAsync();
                deaf.RemoveAt(0);
                await Until(() => quotas.HubConnections(ClientAddress.Of(from)!) == 3, "a closed connection's place freed");
                await using var again = await app.ConnectFromAsync(from);
                Assert.NotNull(await again.InvokeAsync<SessionStatus>("GetStatus", history.Id));
            }
            finally
            {
                foreach (var d in deaf) await d.DisposeAsync();
            }
        });
        // Refusals are the caller's mistake: nothing at Error in the log for them.
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error && e.Text.Contains("MaxHubConnectionsPerClient", StringComparison.Ordinal));
        await app.Sessions.EndAsync(history.Id);
    }

    static async Task Until(Func<bool> condition, string what, bool fail = true)
    {
        var until = DateTime.UtcNow.AddSeconds(fail ? 10 : 3);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                if (fail) Assert.Fail($"not within 10 s: {what}");
                return;
            }
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Limits_are_read_from_configuration()
    {
        await using var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Logging:LogLevel:Default", "Warning").UseSetting("MarketSim:DefaultSession", "false").UseSetting(MarketSim.Dashboard.Sessions.WarmUp.TicksKey, "0")
            .UseSetting("MarketSim:Limits:MaxForksPerClient", "3").UseSetting("MarketSim:Limits:JoinAttemptsPerMinute", "7"));
        var limits = factory.Services.GetRequiredService<DashboardLimits>();
        Assert.Equal((3, 7, 50), (limits.MaxForksPerClient, limits.JoinAttemptsPerMinute, limits.MaxFramesPerCall)); // the last: the default, untouched
    }

    [Fact]
    public async Task The_operator_dashboard_is_off_unless_configured()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var orleans = await http.GetAsync("/orleans");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, orleans.StatusCode);
        Assert.DoesNotContain("Orleans Dashboard", await orleans.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unknown_address_gets_a_404_page_with_a_way_home_and_an_export_of_no_session_keeps_its_message()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var page = await http.GetAsync("/no/such/page");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("There is no page at this address", html);
        Assert.Contains("<a href=\"/\">Start page</a>", html);

        var export = await http.GetAsync("/sessions/nobody/export/csv.zip");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, export.StatusCode);
        var message = await export.Content.ReadAsStringAsync();
        Assert.Contains("No session", message);
        Assert.Contains("nobody", message);
        Assert.DoesNotContain("There is no page", message);

        // The icon browsers ask for first leads to the page's own.
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        var ico = await noRedirect.GetAsync("/favicon.ico");
        Assert.Equal("/favicon.svg", ico.Headers.Location?.OriginalString);
        var svg = await http.GetAsync("/favicon.svg");
        Assert.Equal(System.Net.HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void The_operator_dashboard_on_without_a_password_stops_the_host_with_a_clear_error()
    {
        using var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Logging:LogLevel:Default", "Warning").UseSetting("MarketSim:OperatorDashboard:Enabled", "true"));
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("MarketSim:OperatorDashboard:Password is not set", e.ToString());
    }

    /// <summary>A session grain <paramref name="id"/> started as another web host of a cluster starts it (the extension also
    /// steps its spin-up, to day 0), then adopted here by a subscription, as a cluster client adopts one (an embedded silo holds
    /// only its own sessions). The caller disposes the connection.</summary>
    async Task<(MarketSim.Grains.Interfaces.ISessionGrain Grain, HubConnection Hub, SubscribeResult Sub)> AdoptedAsync(string id)
    {
        var grain = MarketSim.Grains.SessionGrainExtensions.GetSession(app.Services.GetRequiredService<IGrainFactory>(), id);
        var world = MarketSim.Model.Scenario.ScenarioLoader.LoadOrThrow(Path.Combine(Paths.RepoRoot, "scenarios", "china-japan-2026.yaml"));
        await MarketSim.Grains.SessionGrainExtensions.StartAsync(grain, world, 7, MarketSim.Grains.Interfaces.SessionSettings.Default);
        var hub = await app.ConnectAsync();
        app.Sessions.AdoptsFromCluster = true;
        try { return (grain, hub, await hub.InvokeAsync<SubscribeResult>("Subscribe", id, 0)); }
        finally { app.Sessions.AdoptsFromCluster = false; }
    }

    [Fact]
    public async Task A_classroom_world_adopted_from_the_cluster_can_be_watched_but_not_driven()
    {
        // As a second web host of a cluster sees a classroom another host runs: a session grain "class-CODE" it did not create.
        var id = "class-zz" + Random.Shared.Next(1000, 9999);
        var (grain, hub, sub) = await AdoptedAsync(id);
        await using var _ = hub;
        Assert.Equal(id, sub.Session.SessionId);
        var policy = JsonDocument.Parse("""{"$kind":"tariff","id":"t","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""").RootElement;
        await Refused(() => hub.InvokeAsync<SessionStatus>("Step", id, 1), "is the world of classroom ZZ");
        await Refused(() => hub.InvokeAsync<SessionStatus>("Reset", id), "it moves only through the classroom");
        await Refused(() => hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", id, policy), "it moves only through the classroom");
        await Refused(() => hub.InvokeAsync("EndSession", id), "it moves only through the classroom");
        // Nor forked: a fork would publish the class's join code in its title and serve its exports without a token.
        await Refused(() => hub.InvokeAsync<string>("Fork", id), "it moves only through the classroom");
        Assert.Equal(0, await grain.GetTickAsync());
        Assert.DoesNotContain(app.Sessions.All, x => x.Id == id);
    }

    [Fact]
    public async Task A_session_adopted_from_the_cluster_refuses_its_timeline_in_words_not_with_an_error()
    {
        // A review (Dec 2026): a session another web host started comes here without its scenario file, and writing its
        // timeline (the upload with the session's policies) threw on the empty text: a 500, again at every try.
        var id = "adopted-" + Random.Shared.Next(10_000, 99_999);
        var (_, hub, _) = await AdoptedAsync(id);
        await using var _ = hub;
        try
        {
            using var http = app.HttpFrom(DashboardApp.NewAddress());
            var answer = await http.GetAsync($"/sessions/{id}/export/timeline.yaml");
            Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
            Assert.StartsWith($"timeline.yaml: session {id} was started on another web host of the cluster", await answer.Content.ReadAsStringAsync());
        }
        finally { await app.Sessions.EndAsync(id); }
    }

    [Fact]
    public async Task The_default_session_cannot_be_ended()
    {
        await using var hub = await app.ConnectAsync();
        await Refused(() => hub.InvokeAsync("EndSession", "default"), "sessionId: the default session stays");
        Assert.Contains(app.Sessions.All, x => x.Id == "default");
    }

    [Fact]
    public async Task A_misspelt_method_is_refused_as_that_call_and_the_connection_goes_on()
    {
        // Found by a hostile-client probe (Dec 2026): the refusal of an unknown method escaped as an exception and closed the
        // caller's connection, losing its subscriptions (and a student's seat to a stand-in bot).
        await using var hub = await app.ConnectAsync();
        await Refused(() => hub.InvokeAsync<SessionStatus>("GetStatuss", "default"), "there is no hub method GetStatuss");
        await Refused(() => hub.InvokeAsync("Wtch", "x"), "there is no hub method Wtch");
        Assert.Equal(HubConnectionState.Connected, hub.State);
        Assert.NotNull(await hub.InvokeAsync<SessionStatus>("GetStatus", "default"));
    }

    [Fact]
    public async Task Session_ids_are_held_to_the_id_rules_before_any_lookup_and_refusals_stay_short_and_out_of_the_error_log()
    {
        await using var hub = await app.ConnectFromAsync(DashboardApp.NewAddress());
        var huge = "x" + new string('y', 20_000); // 20 KB: a SignalR message holds 32 KB
        var logged = app.Logs.Entries.Count;
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        async Task<int> SessionGrains() => (await grains.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetSimpleGrainStatistics())
            .Where(g => g.GrainType.Contains("SessionGrain", StringComparison.Ordinal)).Sum(g => g.ActivationCount);
        var activeBefore = await SessionGrains();

        var sw = Stopwatch.StartNew();
        var messages = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            messages.Add((await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<FramePage>("GetFrames", huge + i, 0))).Message);
            messages.Add((await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SubscribeResult>("Subscribe", $"nobody-{i}-{Guid.NewGuid():N}", 0))).Message);
        }
        messages.Add((await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<FramePage>("GetFrames", "bad\nid", 0))).Message);
        Assert.All(messages, m => Assert.True(m.Length < 300, $"{m.Length} characters: {m[..Math.Min(m.Length, 200)]}…"));
        Assert.Contains("sessionId: must be at most 100 characters long, got 20002", messages[0]);
        Assert.Contains("sessionId: no session \"nobody-0-", messages[1]);
        Assert.Contains("sessionId: must not contain control characters", messages[^1]);
        // Nothing was activated to ask whether those sessions exist (an embedded silo holds only this host's sessions).
        Assert.True(await SessionGrains() <= activeBefore, $"{await SessionGrains() - activeBefore} session grains activated by unknown ids");

        using var http = app.HttpFrom(DashboardApp.NewAddress());
        var export = await http.GetAsync("/sessions/" + huge[..5_000] + "/export/csv.zip"); // Kestrel takes 8 KB of address
        Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
        Assert.True((await export.Content.ReadAsStringAsync()).Length < 200);

        // Refusals are the caller's mistakes: nothing at Warning or above, and nothing long.
        var since = app.Logs.Entries.Skip(logged).ToList();
        Assert.DoesNotContain(since, e => e.Level >= LogLevel.Error);
        Assert.True(since.Sum(e => e.Text.Length) < 2_000, string.Join("\n", since.Select(e => $"{e.Level} {e.Category}: {e.Text[..Math.Min(e.Text.Length, 300)]}")));
    }

    [Fact]
    public async Task A_session_id_derived_from_a_long_scenario_name_keeps_to_the_id_rules()
    {
        // A scenario named with 1,000,000 characters gave a session id of 1,000,009 (docs/SECURITY.md: at most 100).
        var path = Path.Combine(Paths.RepoRoot, "scenarios", ScenarioCatalog.DefaultFile);
        var world = ScenarioLoader.LoadOrThrow(path) with { Name = "Long " + new string('n', 1_000_000) };
        var s = await app.Sessions.CreateAsync(world, await File.ReadAllTextAsync(path));
        try
        {
            Assert.Null(IdRules.Problem(s.Id));
            Assert.StartsWith("long-nnn", s.Id);
        }
        finally { await app.Sessions.EndAsync(s.Id); }
    }

    [Theory]
    [InlineData("Class")]
    [InlineData("CLASS!")]
    [InlineData("class 7")]
    public async Task A_scenario_named_like_a_classroom_makes_a_session_its_user_can_end(string name)
    {
        // A review's probe (Dec 2026): a scenario named "Class" got the id "class-N", read as classroom N's world, which only
        // its classroom moves: Step, Reset, SetPolicy and EndSession were refused for everyone, and its upload place stayed taken.
        var path = Path.Combine(Paths.RepoRoot, "scenarios", ScenarioCatalog.DefaultFile);
        var world = ScenarioLoader.LoadOrThrow(path) with { Name = name };
        var s = await app.Sessions.CreateAsync(world, await File.ReadAllTextAsync(path));
        Assert.Null(MarketSim.Dashboard.Sessions.SessionDirectory.ClassroomCodeOf(s.Id));
        await using var hub = await app.ConnectAsync();
        var status = await hub.InvokeAsync<SessionStatus>("Step", s.Id, 1);
        Assert.Equal(1, status.Tick);
        await hub.InvokeAsync("EndSession", s.Id);
        Assert.DoesNotContain(app.Sessions.All, x => x.Id == s.Id);
    }

    [Fact]
    public async Task Timeline_files_are_written_once_per_state_and_bounded_as_csv_zips_are()
    {
        // Writing a timeline parses the session's upload two or three times (≈0.2 s and ≈30 MB for a 2 MB upload); before
        // Dec 2026 every request wrote one, however many came at once.
        await using var hub = await app.ConnectAsync();
        var s = await app.NewSessionAsync();
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 10);
        using var http = app.HttpFrom(DashboardApp.NewAddress());
        var url = $"/sessions/{s.Id}/export/timeline.yaml";
        await With(l => l.MaxExportsPerClient = 0, async () =>
        {
            var busy = await http.GetAsync(url);
            Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
            Assert.NotNull(busy.Headers.RetryAfter);
            Assert.StartsWith("busy: the server is building other timeline downloads", await busy.Content.ReadAsStringAsync());
        });
        var timelines = app.Services.GetRequiredService<MarketSim.Dashboard.Export.TimelineFiles>();
        var builds = timelines.Builds;
        var first = await http.GetStringAsync(url);
        Assert.Contains("at tick 10", first);
        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => http.GetStringAsync(url)));
        Assert.All(again, t => Assert.Equal(first, t));
        Assert.Equal(builds + 1, timelines.Builds); // one state, one file written
        await hub.InvokeAsync<SessionStatus>("Step", s.Id, 1);
        Assert.Contains("at tick 11", await http.GetStringAsync(url));
        Assert.Equal(builds + 2, timelines.Builds);
    }

    [Fact]
    public async Task Csv_zips_are_built_once_per_state_and_one_address_builds_one_at_a_time()
    {
        await using var hub = await app.ConnectAsync();
        var sessions = new List<MarketSim.Dashboard.Sessions.SessionEntry>();
        for (var i = 0; i < 4; i++)
        {
            var s = await app.NewSessionAsync();
            await hub.InvokeAsync<SessionStatus>("Step", s.Id, 120);
            sessions.Add(s);
        }
        using var http = app.HttpFrom(DashboardApp.NewAddress());
        // One address has one zip built at a time: the others are told to retry, in a sentence, with Retry-After. Four
        // requests at once need not overlap on a loaded machine (CI once saw all four served one after another), so up to
        // five bursts are sent, each at states not built yet (every session a tick further); one must meet a refusal.
        HttpResponseMessage[] answers = [];
        var busy = new List<HttpResponseMessage>();
        for (var burst = 0; burst < 5 && busy.Count == 0; burst++)
        {
            if (burst > 0) foreach (var s in sessions) await hub.InvokeAsync<SessionStatus>("Step", s.Id, 1);
            answers = await Task.WhenAll(sessions.Select(s => http.GetAsync($"/sessions/{s.Id}/export/csv.zip")));
            Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
            busy = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        }
        Assert.NotEmpty(busy);
        Assert.All(busy, b => Assert.NotNull(b.Headers.RetryAfter));
        Assert.StartsWith("busy: ", await busy[0].Content.ReadAsStringAsync());
        foreach (var s in sessions)
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/sessions/{s.Id}/export/csv.zip")).StatusCode);

        // Many downloads of one state share one build, and the next is served from memory until the session moves.
        var zips = app.Services.GetRequiredService<MarketSim.Dashboard.Export.CsvZips>();
        var fresh = await app.NewSessionAsync();
        await hub.InvokeAsync<SessionStatus>("Step", fresh.Id, 30);
        var builds = zips.Builds;
        var clients = Enumerable.Range(0, 6).Select(_ => app.HttpFrom(DashboardApp.NewAddress())).ToList();
        var same = await Task.WhenAll(clients.Select(c => c.GetByteArrayAsync($"/sessions/{fresh.Id}/export/csv.zip")));
        Assert.All(same, z => Assert.Equal(same[0], z));
        Assert.Equal(builds + 1, zips.Builds);
        Assert.Equal(same[0], await clients[0].GetByteArrayAsync($"/sessions/{fresh.Id}/export/csv.zip"));
        Assert.Equal(builds + 1, zips.Builds);
        await hub.InvokeAsync<SessionStatus>("Step", fresh.Id, 1);
        Assert.NotEqual(same[0], await clients[0].GetByteArrayAsync($"/sessions/{fresh.Id}/export/csv.zip"));
        Assert.Equal(builds + 2, zips.Builds);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_live_export_control_is_held_to_the_files_rules_for_end_users_and_sectors()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        var before = (await s.Grain.GetPoliciesAsync()).Value.Count;
        foreach (var (fields, expected) in new[]
        {
            ("\"endUsers\":[\"nobody\"]", "policy.endUsers: unknown end user 'nobody'"),
            ("\"sectors\":[\"auto\\nmotive\"]", "policy.sectors: must not contain control characters"),
            ($"\"sectors\":[\"{new string('s', 20_000)}\"]", "policy.sectors: must be at most 200 characters long, got 20000"),
        })
        {
            var ban = JsonDocument.Parse($$"""{"$kind":"export_control","id":"e-users","start":1,"exporter":"CN","commodities":["dy_oxide"],{{fields}}}""").RootElement;
            var e = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, ban));
            Assert.Contains(expected, e.Message);
            Assert.True(e.Message.Length < 300, $"{e.Message.Length} characters");
        }
        Assert.Equal(before, (await s.Grain.GetPoliciesAsync()).Value.Count);
    }

    [Fact]
    public async Task Null_commodity_lists_in_a_live_policy_are_refused_by_name_and_change_nothing()
    {
        var s = await app.NewSessionAsync();
        await using var hub = await app.ConnectAsync();
        var before = (await s.Grain.GetPoliciesAsync()).Value.Count;
        foreach (var (commodities, field) in new[] { ("null", "policy.commodities: is null"), ("[null]", "policy.commodities[0]: is null"), ("[\"dy_oxide\", null]", "policy.commodities[1]: is null") })
        {
            var tariff = JsonDocument.Parse($$"""{"$kind":"tariff","id":"t-null","start":1,"importer":"JP","commodities":{{commodities}},"rate":0.1}""").RootElement;
            var e = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, tariff));
            Assert.Contains(field, e.Message);
            var ban = JsonDocument.Parse($$"""{"$kind":"export_control","id":"e-null","start":1,"exporter":"CN","commodities":{{commodities}}}""").RootElement;
            e = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<PolicyChangeMessage>("SetPolicy", s.Id, ban));
            Assert.Contains(field, e.Message);
        }
        Assert.Equal(before, (await s.Grain.GetPoliciesAsync()).Value.Count);

        // The teacher's Inject reads policies the same way.
        await using var teacher = await app.ConnectAsync(ClassroomHub.Path);
        var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, new ClassroomSettings { RoundSeconds = 0 });
        var inject = JsonDocument.Parse("""{"$kind":"tariff","id":"t-null","start":1,"importer":"JP","commodities":null,"rate":0.1}""").RootElement;
        var refused = await Assert.ThrowsAsync<HubException>(() => teacher.InvokeAsync<string>("Inject", created.Code, created.InstructorToken, inject, null));
        Assert.Contains("policy.commodities: is null", refused.Message);
        Assert.Empty(app.Classrooms.Find(created.Code)!.Room.Log);
    }

    static string Json(object o) => System.Text.Json.JsonSerializer.Serialize(o, HubJson.Options);
}
