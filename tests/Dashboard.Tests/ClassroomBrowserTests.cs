using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.SignalR.Client;
using System.Globalization;
using Microsoft.Playwright;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// A short class in three browsers (the instructor and two students, each their own context: their own localStorage) on
/// the real app: create, join, submit, advance, a refused action, a student who closes the tab and takes the seat back,
/// the projector's scoreboard. Screenshots of every page go to tests/Dashboard.Tests/TestResults/screenshots whether the
/// test passes or not. Waits are for conditions on the pages, with generous limits; nothing is timed.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ClassroomBrowserTests(DashboardApp app, Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    const float Patience = 60_000;
    readonly List<IBrowserContext> _contexts = new();
    readonly List<(string Name, IPage Page)> _pages = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var c in _contexts) await c.DisposeAsync();
    }

    async Task<IPage> OpenAsync(string name, int width, int height)
    {
        var context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(Patience);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        _pages.Add((name, page));
        return page;
    }

    async Task ScreenshotsAsync()
    {
        foreach (var (name, page) in _pages)
            if (!page.IsClosed)
                try { await page.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, $"classroom-{name}.png"), FullPage = true }); }
                catch (PlaywrightException) { } // a screenshot must not hide the test's own failure
    }

    static Task WaitForRound(IPage page, int round) =>
        page.WaitForFunctionAsync($"() => document.querySelector('[data-testid=round]')?.textContent === '{round}'", null, new() { Timeout = Patience });

    static Task WaitForPhase(IPage page, string phase) =>
        page.WaitForFunctionAsync($"() => document.querySelector('[data-testid=phase]')?.textContent === '{phase}'", null, new() { Timeout = Patience });

    /// <summary>Joins through /join; returns the seat's country from the student's page.</summary>
    static async Task<(string SeatId, string Country)> JoinAsync(IPage page, string code, string name)
    {
        await page.GotoAsync("join");
        await page.Locator("[data-testid=join][data-interactive=yes]").WaitForAsync();
        await page.Locator("[data-testid=join-code]").FillAsync(code.ToLowerInvariant()); // typed loosely: the page normalises it
        await page.Locator("[data-testid=join-name]").FillAsync(name);
        await page.Locator("[data-testid=join-submit]").ClickAsync();
        var play = page.Locator("[data-testid=play]");
        await play.WaitForAsync();
        Assert.Equal(name, await page.Locator("[data-testid=seat-name]").InnerTextAsync());
        return (await play.GetAttributeAsync("data-seat-id") ?? "", await play.GetAttributeAsync("data-country") ?? "");
    }

    /// <summary>Types a value into the student's first lever and submits.</summary>
    static async Task SubmitFirstLeverAsync(IPage page, Func<double, double, double> value)
    {
        var input = page.Locator("[data-testid=lever-input]").First;
        var min = double.Parse(await input.GetAttributeAsync("data-min") ?? "0", CultureInfo.InvariantCulture);
        var max = double.Parse(await input.GetAttributeAsync("data-max") ?? "0", CultureInfo.InvariantCulture);
        await input.FillAsync(value(min, max).ToString(CultureInfo.InvariantCulture));
        await page.Locator("[data-testid=submit]").ClickAsync();
    }

    [Fact]
    public async Task The_projector_page_and_the_instructors_console_count_unknown_codes_against_the_callers_address()
    {
        var quotas = app.Services.GetRequiredService<MarketSim.Dashboard.Security.ClientQuotas>();
        // Counted from now: earlier tests' guesses from 127.0.0.1 may leave the one-minute window while this one runs.
        var since = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var page = await OpenAsync("screen-guess", 1440, 900);
        await page.GotoAsync("classroom/ZZZZZZ/screen");
        await page.WaitForFunctionAsync("() => document.body.innerText.includes('no classroom')", null, new() { Timeout = Patience });
        Assert.Equal(1, quotas.CodeGuessesSince("127.0.0.1", since)); // once, when interactive (not while prerendering)
        await page.GotoAsync("classroom/ZZZZZZ/teach");
        await page.WaitForFunctionAsync("() => document.body.innerText.includes('no classroom here with this code and instructor')", null, new() { Timeout = Patience });
        Assert.Equal(2, quotas.CodeGuessesSince("127.0.0.1", since));
    }

    [Fact]
    public async Task A_browser_that_keeps_no_storage_is_told_so_and_no_seat_is_left_without_its_token()
    {
        await using var teacher = await app.ConnectAsync(MarketSim.Dashboard.Classrooms.ClassroomHub.Path);
        var created = await teacher.InvokeAsync<MarketSim.Dashboard.Classrooms.ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL,
            new MarketSim.Classrooms.ClassroomSettings { RoundTicks = 5, RoundSeconds = 0, Playable = ["CN", "JP"], Capacity = 3 });
        var page = await OpenAsync("join-no-storage", 390, 844);
        // As in private browsing with storage turned off: localStorage refuses every write.
        await page.AddInitScriptAsync("Storage.prototype.setItem = function () { throw new DOMException('denied', 'SecurityError'); };");
        await page.GotoAsync("join");
        await page.Locator("[data-testid=join][data-interactive=yes]").WaitForAsync();
        await page.Locator("[data-testid=join-code]").FillAsync(created.Code);
        await page.Locator("[data-testid=join-name]").FillAsync("Nadia");
        await page.Locator("[data-testid=join-submit]").ClickAsync();
        await page.WaitForFunctionAsync("() => document.body.innerText.includes('could not keep your seat')", null, new() { Timeout = Patience });
        // (Before, the seat was made and the failed write ended the page's circuit: no message, and a seat nobody could hold.)
        Assert.Empty(app.Classrooms.Find(created.Code)!.Room.Seats);
        await ScreenshotsAsync();
    }

    [Fact]
    public async Task The_join_page_counts_unknown_codes_against_the_callers_address()
    {
        var quotas = app.Services.GetRequiredService<MarketSim.Dashboard.Security.ClientQuotas>();
        var since = app.Services.GetRequiredService<TimeProvider>().GetUtcNow(); // as in the test above
        var page = await OpenAsync("join-guess", 390, 844);
        await page.GotoAsync("join");
        await page.Locator("[data-testid=join][data-interactive=yes]").WaitForAsync();
        await page.Locator("[data-testid=join-code]").FillAsync("ZZZZZZ");
        await page.Locator("[data-testid=join-name]").FillAsync("Mallory");
        await page.Locator("[data-testid=join-submit]").ClickAsync();
        await page.WaitForFunctionAsync("() => document.body.innerText.includes('no classroom')", null, new() { Timeout = Patience });
        Assert.True(quotas.CodeGuessesSince("127.0.0.1", since) > 0, "the join page did not see the client's address");
    }

    [Fact]
    public async Task Hostile_uploads_that_once_killed_the_server_are_refused_with_a_located_error_and_the_server_keeps_answering()
    {
        // The crash classes of issue 11: a key that contains itself through an alias (22 bytes), 200,000 nested brackets, and an
        // alias bomb (9 levels of 9 aliases). Each used to overflow the stack or hold a core inside the YAML library.
        var bomb = new System.Text.StringBuilder("name: x\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 9; i++) bomb.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        (string Name, string Text, string Expect)[] files =
        [
            ("self-key.yaml", "name: x\n? &a [*a]\n: 1\n", "self-key.yaml:"),
            ("deep.yaml", "name: x\nc: " + new string('[', 200_000) + "\n", "deep.yaml:2:"),
            ("bomb.yaml", bomb.ToString(), "bomb.yaml:"),
        ];
        var count = app.Sessions.All.Count;
        var page = await OpenAsync("hostile-upload", 1280, 900);
        await page.GotoAsync("");
        await page.Locator("[data-testid=new-session]").WaitForAsync();
        var errors = page.Locator("[data-testid=upload-errors]");
        foreach (var (name, text, expect) in files)
        {
            await UploadUntilErrorsShow(page, name, text, expect);
            Assert.Contains(expect, await errors.InnerTextAsync());
        }
        Assert.Equal(count, app.Sessions.All.Count); // nothing started
        // The server still answers: a fresh page load, and the hub.
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task An_upload_with_more_policies_or_markets_than_the_server_runs_is_refused_and_starts_nothing()
    {
        // Found by a probe (Dec 2026): the start page bounded an upload's countries, firms and days, not its policies or
        // markets (the default scenario's 8 policies and 1,500 added). Every tick checks every order against every policy: the default world with 19,000 one-line export bans
        // (2 MB) took ≈11 s of CPU a tick. A frame holds a price per market and a session keeps every frame: 1,000 unused
        // commodities in 9 segments (190 KB) wrote 263 KB of prices a day against 0.75 KB. Here 1,500 policies (150 KB) and
        // 100 more commodities, over the defaults (1,000 policies; 200 markets).
        var world = await File.ReadAllTextAsync(Path.Combine(Paths.RepoRoot, "scenarios", "china-japan-2026.yaml"));
        var commodities = world.IndexOf("commodities:\n", StringComparison.Ordinal) + "commodities:\n".Length;
        (string Name, string Text, string Expect)[] files =
        [
            ("many-policies.yaml", world + string.Concat(Enumerable.Range(0, 1500).Select(i =>
                    $"  - {{id: probe-ban-{i}, type: export_control, exporter: CN, commodities: [dy_oxide], destinations: [DE], mode: ban, start: 0}}\n")),
                "many-policies.yaml: policies: 1508, more than the 1000 a session on this server may have (MaxUploadPolicies)"),
            ("many-markets.yaml", world[..commodities] + string.Concat(Enumerable.Range(0, 100).Select(i =>
                    $"  - {{id: probe-c{i}, name: Probe {i}, unit: t, stage: oxide, reference_price: 1000, price_adjustment: 0.03, price_reversion: 0.01, price_window_days: 30, initial_origin: CN}}\n"))
                    + world[commodities..],
                "many-markets.yaml: markets (commodities × price segments): 218 (109 commodities in 2 segments), more than the 200 a session on this server may have (MaxUploadMarkets)"),
        ];
        var count = app.Sessions.All.Count;
        var page = await OpenAsync("upload-size-limits", 1280, 900);
        await page.GotoAsync("");
        await page.Locator("[data-testid=new-session]").WaitForAsync();
        var errors = page.Locator("[data-testid=upload-errors]");
        foreach (var (name, text, expect) in files)
        {
            await UploadUntilErrorsShow(page, name, text, expect);
            Assert.Contains(expect, await errors.InnerTextAsync());
            Assert.Contains("marketsim run", await errors.InnerTextAsync());
        }
        Assert.Equal(count, app.Sessions.All.Count); // nothing started
    }

    /// <summary>Starts the default scenario from the start page and returns the errors it shows instead.</summary>
    async Task<string> StartRefusedAsync(string pageName)
    {
        var page = await OpenAsync(pageName, 1280, 900);
        await page.GotoAsync("");
        await page.Locator("[data-testid=new-session]").WaitForAsync();
        // A click before the circuit is up does nothing: click until the page answers.
        var errors = page.Locator("[data-testid=upload-errors]");
        for (var i = 0; i < 30 && await errors.CountAsync() == 0; i++)
        {
            await page.Locator("[data-testid=new-start]").ClickAsync();
            try { await errors.WaitForAsync(new() { Timeout = 2000 }); } catch (TimeoutException) { }
        }
        return await errors.InnerTextAsync();
    }

    [Fact]
    public async Task The_start_page_refuses_a_session_over_the_addresss_quota_and_starts_nothing()
    {
        var limits = app.Services.GetRequiredService<MarketSim.Dashboard.Security.DashboardLimits>();
        var saved = limits.MaxUploadsPerClient;
        limits.MaxUploadsPerClient = 0;
        try
        {
            var count = app.Sessions.All.Count;
            Assert.Contains("MaxUploadsPerClient = 0", await StartRefusedAsync("upload-quota"));
            // Refused before it is parsed (a review, Dec 2026: an address at its cap made the host check file after file): a
            // broken upload gets the quota's words, not its own YAML errors.
            var page = await OpenAsync("upload-quota-broken", 1280, 900);
            await page.GotoAsync("");
            await page.Locator("[data-testid=new-session]").WaitForAsync();
            await UploadUntilErrorsShow(page, "broken.yaml", "name: [unclosed", "MaxUploadsPerClient = 0");
            var said = await page.Locator("[data-testid=upload-errors]").InnerTextAsync();
            Assert.Contains("MaxUploadsPerClient = 0", said);
            Assert.DoesNotContain("broken.yaml:", said);
            Assert.Equal(count, app.Sessions.All.Count);
        }
        finally { limits.MaxUploadsPerClient = saved; }
    }

    [Fact]
    public async Task The_start_page_refuses_a_world_larger_than_the_server_runs_and_starts_nothing()
    {
        // The shipped default has 74 producers and firms; with the limit at 10 it is too large for this server.
        var limits = app.Services.GetRequiredService<MarketSim.Dashboard.Security.DashboardLimits>();
        var saved = limits.MaxUploadAgents;
        limits.MaxUploadAgents = 10;
        try
        {
            var count = app.Sessions.All.Count;
            var text = await StartRefusedAsync("upload-size");
            Assert.Contains("more than the 10 a session on this server may have (MaxUploadAgents)", text);
            Assert.Contains("marketsim run", text);
            Assert.Equal(count, app.Sessions.All.Count);
        }
        finally { limits.MaxUploadAgents = saved; }
    }

    [Fact]
    public async Task Chinas_student_page_fits_its_primary_levers_in_two_phone_screens_with_names_and_a_wide_chart()
    {
        try
        {
            var created = await app.Classrooms.CreateAsync("china-japan-2026.yaml", null,
                new MarketSim.Classrooms.ClassroomSettings { Playable = ["CN"], RoundSeconds = 0 });
            var phone = await OpenAsync("china-phone", 390, 844);
            var (_, country) = await JoinAsync(phone, created.Code, "Mei");
            Assert.Equal("CN", country);
            await phone.Locator("[data-testid=lever-group]").First.WaitForAsync();
            // The primary group (export licences) is open; the rest is behind "More levers".
            var primary = phone.Locator("[data-testid=levers] > [data-testid=lever-group] [data-testid=lever-input]");
            Assert.True(await primary.CountAsync() > 0);
            Assert.Equal("export", await phone.Locator("[data-testid=levers] > [data-testid=lever-group]").First.GetAttributeAsync("data-kind"));
            Assert.False(await phone.Locator("[data-testid=more-levers]").EvaluateAsync<bool>("d => d.open"));
            var bottoms = await primary.EvaluateAllAsync<double[]>("els => els.map(e => e.getBoundingClientRect().bottom + window.scrollY)");
            Assert.All(bottoms, b => Assert.True(b <= 2 * 844, $"a primary lever ends at {b} px, below two 844-px screens"));
            // Names, not producer ids; nothing wider than the phone.
            var labels = string.Join("\n", await phone.Locator(".lever-label").AllInnerTextsAsync());
            Assert.DoesNotContain("cn-", labels);
            Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "the page is wider than the phone");
            // The chart's plot gets the phone's width (its legend goes under it).
            var plot = phone.Locator("[data-testid=play-chart] .nsewdrag").First;
            await plot.WaitForAsync(new() { State = WaitForSelectorState.Attached });
            var plotWidth = await plot.EvaluateAsync<double>("e => e.getBoundingClientRect().width");
            Assert.True(plotWidth > 250, $"the phone chart's plot is {plotWidth} px wide");
        }
        finally { await ScreenshotsAsync(); }
    }

    [Fact]
    public async Task A_short_class_on_china_japan_2026_runs_in_three_browsers()
    {
        try
        {
            // The instructor creates the class on the page: 5 days a round, no timer.
            var teacher = await OpenAsync("teach", 1400, 1000);
            await teacher.GotoAsync("classroom");
            await teacher.Locator("[data-testid=classroom-new][data-interactive=yes]").WaitForAsync();
            await teacher.Locator("[data-testid=class-scenario]").SelectOptionAsync("china-japan-2026.yaml");
            await teacher.Locator("[data-testid=class-round-ticks]").FillAsync("5");
            await teacher.Locator("[data-testid=class-round-seconds]").FillAsync("0");
            await teacher.Locator("[data-testid=weight-export-revenue]").FillAsync("0.25"); // the teacher's weight, shown with the scoreboard
            await teacher.Locator("[data-testid=class-create]").ClickAsync();
            await teacher.Locator("[data-testid=teach]").WaitForAsync();
            var code = (await teacher.Locator("[data-testid=code]").InnerTextAsync()).Trim();
            Assert.Matches("^[A-Z2-9]{6}$", code);
            Assert.NotNull(await teacher.Locator("[data-testid=qr] svg").First.ElementHandleAsync());
            // The join link and its QR code use the configured public address, not the 127.0.0.1 this browser opened.
            var joinUrl = $"{DashboardApp.PublicUrl}join/{code}";
            Assert.Equal(joinUrl, (await teacher.Locator("[data-testid=join-url]").InnerTextAsync()).Trim());
            Assert.Equal(joinUrl, await teacher.Locator("[data-testid=qr]").GetAttributeAsync("title"));
            Assert.Contains("configured", await teacher.Locator("[data-testid=join-source]").InnerTextAsync());
            // Nothing to finish in the lobby.
            Assert.True(await teacher.Locator("[data-testid=finish]").IsDisabledAsync());

            // Two students join on phones; each gets a country of their own (assignment: auto).
            var alice = await OpenAsync("alice", 390, 844);
            var bob = await OpenAsync("bob", 390, 844);
            var (aliceSeat, aliceCountry) = await JoinAsync(alice, code, "Alice");
            var (_, bobCountry) = await JoinAsync(bob, code, "Bob");
            Assert.NotEqual("", aliceCountry);
            Assert.NotEqual("", bobCountry);
            Assert.NotEqual(aliceCountry, bobCountry);
            await teacher.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=seat-row]').length === 2");

            // A teacher on a phone: the join code and the QR code fit the width, and the seats table scrolls in place instead of
            // widening the page (at 390 px the QR code was cut at the right edge and the table's last column ran off the screen).
            await teacher.SetViewportSizeAsync(390, 844);
            await teacher.WaitForFunctionAsync("() => document.querySelector('[data-testid=qr] svg').getBoundingClientRect().width <= 150");
            var qrRight = await teacher.Locator("[data-testid=qr] svg").EvaluateAsync<double>("e => e.getBoundingClientRect().right");
            Assert.True(qrRight <= 390, $"the QR code reaches {qrRight} px on a 390-px screen");
            // The chart redraws at the new width a moment after the resize: wait for the page to settle, then name what is wide.
            try { await teacher.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= 390", null, new() { Timeout = 5000 }); }
            catch (TimeoutException) { }
            var wide = await teacher.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 390 && !e.closest('.table-scroll'))
                .map(e => `${e.tagName.toLowerCase()} in ${e.closest('[data-testid]')?.getAttribute('data-testid')} reaches ${e.getBoundingClientRect().right} px`)");
            Assert.True(wide.Length == 0, $"on a 390-px screen: {string.Join("; ", wide.Take(5))}");
            Assert.True(await teacher.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "the console is wider than the phone");
            await teacher.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, "classroom-teach-390.png") });
            await teacher.SetViewportSizeAsync(1400, 1000);

            // Round 1: both submit a lever value inside its limits.
            await teacher.Locator("[data-testid=start]").ClickAsync();
            await WaitForRound(alice, 1);
            await WaitForRound(bob, 1);
            await SubmitFirstLeverAsync(alice, (min, max) => min + (max - min) / 2);
            await SubmitFirstLeverAsync(bob, (min, max) => max);
            await alice.Locator("[data-testid=submitted]").WaitForAsync();
            await bob.Locator("[data-testid=submitted]").WaitForAsync();
            await teacher.Locator("[data-testid=all-submitted]").WaitForAsync();
            // What is left of the seat's share of the class's policies is on its page (nothing used yet: the round is open).
            Assert.Matches(@"You may add \d+ more policies in this class", await bob.Locator("[data-testid=policies-left]").InnerTextAsync());
            await bob.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, "classroom-bob-round-1.png"), FullPage = true });

            // Two rounds: the students' pages follow to round 3.
            await teacher.Locator("[data-testid=advance]").ClickAsync();
            await WaitForRound(teacher, 2);
            await teacher.Locator("[data-testid=advance]").ClickAsync();
            await WaitForRound(teacher, 3);
            await WaitForRound(alice, 3);
            await WaitForRound(bob, 3);
            // One clock: the round line and the world's Date tile show the same day, the last day run (the round line showed
            // the next day until Dec 2026: a review's screenshots).
            await teacher.WaitForFunctionAsync(@"() => { const a = document.querySelector('[data-testid=date]')?.textContent;
                return a && a === document.querySelector('[data-testid=tile-date]')?.textContent; }", null, new() { Timeout = Patience });
            // What happened to Japan is on Bob's phone, and an event's long list of commodities wraps inside the 390 px (it
            // made the page 831 px wide).
            await bob.Locator("[data-testid=happened]").WaitForAsync(new() { Timeout = Patience });
            // …in the scenario's names: no commodity or country ids (a review read "dy_oxide+tb_oxide+magnet_ht to JP" there).
            Assert.DoesNotMatch(@"_oxide|magnet_ht| JP\b| CN\b", await bob.Locator("[data-testid=happened]").InnerTextAsync());
            Assert.True(await bob.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"),
                $"Bob's page is {await bob.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide on a 390-px screen");
            Assert.Equal(0, await alice.Locator("[data-testid=submitted]").CountAsync());

            // Refused: a value beyond the lever's maximum. The field is marked with the reason; nothing is submitted.
            await SubmitFirstLeverAsync(alice, (_, max) => max + 1000);
            await alice.Locator("[data-testid=levers-invalid]").WaitForAsync();
            var marked = alice.Locator("[data-testid=lever]").First;
            Assert.Contains("is outside", await marked.Locator("[data-testid=lever-error]").InnerTextAsync());
            Assert.Equal("true", await marked.Locator("[data-testid=lever-input]").GetAttributeAsync("aria-invalid"));
            Assert.Equal(0, await alice.Locator("[data-testid=submitted]").CountAsync());
            Assert.Equal("", (await teacher.Locator($"[data-testid=seat-row][data-seat-id={aliceSeat}] [data-testid=seat-submitted]").InnerTextAsync()).Trim());

            // Refused: submitting while the teacher has paused the class.
            await teacher.Locator("[data-testid=pause]").ClickAsync();
            await WaitForPhase(bob, "Paused");
            await SubmitFirstLeverAsync(bob, (min, _) => min);
            await bob.Locator("[data-testid=error]").WaitForAsync();
            Assert.Contains("closed", await bob.Locator("[data-testid=error]").InnerTextAsync());
            Assert.Equal(0, await bob.Locator("[data-testid=submitted]").CountAsync());
            await teacher.Locator("[data-testid=resume]").ClickAsync();
            await WaitForPhase(bob, "Open");

            // The teacher's events: both presets apply, and the students read them in their news.
            await teacher.Locator("[data-testid=inject-cn-jp-25]").ClickAsync();
            await teacher.WaitForFunctionAsync("() => document.querySelector('[data-testid=inject-result]')?.textContent.includes('license on dy_oxide+tb_oxide+magnet_ht to JP')");
            await teacher.Locator("[data-testid=inject-cn-lift-2025]").ClickAsync();
            await teacher.WaitForFunctionAsync("() => document.querySelector('[data-testid=inject-result]')?.textContent.includes('cn-licensing-2025 lifted')");
            Assert.Equal(0, await teacher.Locator("[data-testid=inject-error]").CountAsync());
            await bob.WaitForFunctionAsync("() => document.querySelector('[data-testid=news]')?.textContent.includes('cn-licensing-2025 lifted')");

            // Alice closes the tab and comes back through the join link: "Continue as" gives her the same seat and country.
            await alice.CloseAsync();
            var aliceAgain = await alice.Context.NewPageAsync();
            _pages.Add(("alice-again", aliceAgain));
            await aliceAgain.GotoAsync($"join/{code}");
            await aliceAgain.Locator("[data-testid=join][data-interactive=yes]").WaitForAsync();
            var resume = aliceAgain.Locator("[data-testid=continue]");
            await resume.WaitForAsync();
            Assert.Contains("Continue as Alice", await resume.InnerTextAsync());
            await resume.ClickAsync();
            var play = aliceAgain.Locator("[data-testid=play]");
            await play.WaitForAsync();
            Assert.Equal(aliceSeat, await play.GetAttributeAsync("data-seat-id"));
            Assert.Equal(aliceCountry, await play.GetAttributeAsync("data-country"));
            await WaitForRound(aliceAgain, 3);

            // The projector: join code and the ranked scoreboard, one row per playable country.
            var screen = await OpenAsync("screen", 1440, 900);
            await screen.GotoAsync($"classroom/{code}/screen");
            await screen.Locator("[data-testid=scoreboard]").WaitForAsync();
            Assert.Equal(code, (await screen.Locator("[data-testid=code]").InnerTextAsync()).Trim());
            await screen.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=score-row]').length >= 2");
            var ranked = await screen.Locator("[data-testid=score-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.country)");
            Assert.Contains(aliceCountry, ranked);
            Assert.Contains(bobCountry, ranked);
            Assert.Contains("0.25 × export revenue", await screen.Locator("[data-testid=score-formula]").InnerTextAsync());
            Assert.All(await screen.Locator("[data-testid=score]").AllInnerTextsAsync(), t => Assert.EndsWith("%", t.Trim()));
            // A student sees their country's score, its rank and the same formula.
            // Ranks only when scores differ: ten days in, the class may have changed no outcome yet, and then nobody is ranked.
            var headScore = await bob.Locator("[data-testid=head-score]").InnerTextAsync();
            if (await screen.Locator("[data-testid=no-differences]").CountAsync() > 0)
            {
                Assert.Equal("no differences yet", headScore.Trim());
                Assert.All(await screen.Locator("[data-testid=rank]").AllInnerTextsAsync(), t => Assert.Equal("–", t.Trim()));
            }
            else Assert.Contains(" of ", headScore);
            Assert.Contains("0.25 × export revenue", await bob.Locator("[data-testid=head-formula]").InnerTextAsync());
            await WaitForRound(screen, 3);
            Assert.Equal($"{DashboardApp.PublicUrl}join", (await screen.Locator("[data-testid=screen-join-url]").InnerTextAsync()).Trim());
            Assert.Equal(0, await screen.Locator("select").CountAsync()); // the projector has nothing to choose
            // The projector fills a 1440-px screen: its two columns span the page.
            var width = await screen.Locator(".screen-grid").EvaluateAsync<double>("e => e.getBoundingClientRect().width");
            Assert.True(width > 1300, $"the projector's grid is {width} px wide on a 1440-px screen");
            // A 1280×720 projector shows every row of the scoreboard without scrolling once the class is under way (the last
            // row, the country with the consequences, was below the screen: a review), and the price chart beside it.
            await screen.SetViewportSizeAsync(1280, 720);
            await screen.Locator("[data-testid=screen].running").WaitForAsync();
            await screen.WaitForFunctionAsync("() => Array.from(document.querySelectorAll('.js-plotly-plot')).every(el => " +
                "Math.abs((el.querySelector('.main-svg')?.getBoundingClientRect().width ?? 0) - el.parentElement.getBoundingClientRect().width) < 2)");
            var bottoms = await screen.Locator("[data-testid=score-row]").EvaluateAllAsync<double[]>("rows => rows.map(r => r.getBoundingClientRect().bottom)");
            Assert.True(bottoms.Max() <= 720, $"the scoreboard's last row ends at {bottoms.Max():F0} px on a 720-px projector");
            var chartBottom = await screen.Locator("[data-testid=screen-price-chart]").EvaluateAsync<double>("e => e.getBoundingClientRect().bottom");
            Assert.True(chartBottom <= 720, $"the price chart ends at {chartBottom:F0} px on a 720-px projector");
            await screen.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, "classroom-screen-1280x720.png") });

            // A student sees the last round's leading indicators beside the world nobody played.
            Assert.Equal(5, await bob.Locator("[data-testid=changed] [data-testid=changed-row]").CountAsync());

            // Finish asks first: "Keep playing" changes nothing, "Yes, finish" ends the class.
            await teacher.Locator("[data-testid=finish]").ClickAsync();
            await teacher.Locator("[data-testid=finish-no]").ClickAsync();
            Assert.Equal("Open", await teacher.Locator("[data-testid=phase]").InnerTextAsync());
            await teacher.Locator("[data-testid=finish]").ClickAsync();
            await teacher.Locator("[data-testid=finish-yes]").ClickAsync();
            await WaitForPhase(teacher, "Finished");
            await WaitForPhase(bob, "Finished");
            await bob.Locator("[data-testid=result]").WaitForAsync(); // a student sees their result, not greyed-out inputs
            Assert.Equal(0, await bob.Locator("[data-testid=lever-input]").CountAsync());
        }
        finally { await ScreenshotsAsync(); }
    }
    /// <summary>Uploads a file on the start page until the page's errors include <paramref name="expect"/> (at most 30 tries
    /// of 2 s): an upload before the circuit is up does nothing.</summary>
    static async Task UploadUntilErrorsShow(IPage page, string name, string text, string expect)
    {
        for (var i = 0; i < 30; i++)
        {
            await page.Locator("[data-testid=upload]").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "application/yaml", Buffer = System.Text.Encoding.UTF8.GetBytes(text) });
            try { await page.WaitForFunctionAsync("e => document.querySelector('[data-testid=upload-errors]')?.innerText.includes(e)", expect, new() { Timeout = 2000 }); return; }
            catch (TimeoutException) { }
        }
    }
}
