using System.Text.Json;
using MarketSim.Dashboard.Security;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// What a strategist sees on the session and compare pages, in the browser: one clock, captions that follow the
/// drop-downs, nothing wider than the screen. Screenshots go to tests/Dashboard.Tests/TestResults/screenshots.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SessionViewBrowserTests(DashboardApp app, Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    const float Patience = 60_000;

    // The clock as every part of the page shows it, read in one go so that one render is compared with itself.
    const string Clock = """
        () => {
          const text = id => document.querySelector(`[data-testid=${id}]`)?.textContent ?? null;
          const chart = document.getElementById('price-chart');
          const xs = chart && chart.data && chart.data.length ? chart.data[0].x : [];
          return { status: text('status-date'), tile: text('tile-date'), tick: text('tick'), tileTick: text('tile-tick'),
                   chart: xs.length ? String(xs[xs.length - 1]).slice(0, 10) : null,
                   playing: document.querySelector('[data-testid=pause]') !== null };
        }
        """;

    IBrowserContext? _context;
    IPage _page = null!;

    public async Task InitializeAsync() => await Open(1400, 1000);

    async Task Open(int width, int height)
    {
        if (_context is not null) await _context.DisposeAsync();
        _context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        _context.SetDefaultTimeout(Patience);
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync() { if (_context is not null) await _context.DisposeAsync(); }

    async Task Screenshot(string name) =>
        await _page.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, name + ".png"), FullPage = true });

    sealed record ClockView(string? Status, string? Tile, string? Tick, string? TileTick, string? Chart, bool Playing);

    async Task<ClockView> ReadClock() =>
        (await _page.EvaluateAsync<JsonElement>(Clock)).Deserialize<ClockView>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    [Fact]
    public async Task The_status_line_the_date_tile_and_the_charts_show_one_clock_and_run_to_lands_on_the_date_asked()
    {
        var s = await app.NewSessionAsync();
        try
        {
            await _page.GotoAsync($"sessions/{s.Id}");
            await _page.Locator("[data-testid=session]").WaitForAsync();
            // Before the first tick: the start date, not a blank.
            Assert.Equal("2026-01-01", await _page.Locator("[data-testid=tile-date]").InnerTextAsync());
            Assert.Equal("2026-01-01", await _page.Locator("[data-testid=status-date]").InnerTextAsync());

            await _page.Locator("[data-testid=play]").ClickAsync();
            await _page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=tick]')?.textContent) >= 3");
            for (var i = 0; i < 5; i++)
            {
                var playing = await ReadClock();
                Assert.True(playing.Status == playing.Tile && playing.Tick == playing.TileTick, $"while playing: {playing}");
                await _page.WaitForTimeoutAsync(150);
            }

            await _page.Locator("[data-testid=pause]").ClickAsync();
            await _page.Locator("[data-testid=play]").WaitForAsync();
            await _page.WaitForTimeoutAsync(1000); // frames already computed arrive after the pause; the page must agree after them
            await _page.WaitForFunctionAsync($"() => {{ const c = ({Clock})(); return c.chart === c.status; }}");
            var paused = await ReadClock();
            Assert.True(paused.Status == paused.Tile && paused.Tick == paused.TileTick && paused.Chart == paused.Status, $"after a pause: {paused}");

            // Run to 20 days after the day shown: the page stops on that date, not the day before.
            var tick = int.Parse(paused.Tick!) + 20;
            var date = new DateOnly(2026, 1, 1).AddDays(tick).ToString("yyyy-MM-dd");
            await _page.Locator("[data-testid=run-to-date]").FillAsync(date);
            await _page.Locator("[data-testid=run-to]").ClickAsync();
            await _page.WaitForFunctionAsync($"() => {{ const c = ({Clock})(); return !c.playing && c.status === '{date}' && c.chart === c.status; }}");
            await _page.WaitForTimeoutAsync(1000);
            var there = await ReadClock();
            Assert.Equal(new ClockView(date, date, $"{tick}", $"{tick}", date, false), there);

            // A date already run is refused, saying so; the session stays where it is.
            await _page.Locator("[data-testid=run-to-date]").FillAsync("2026-01-02");
            await _page.Locator("[data-testid=run-to]").ClickAsync();
            Assert.Contains("has already run", await _page.Locator("[data-testid=control-error]").InnerTextAsync());
            Assert.Equal(there, await ReadClock());
        }
        finally { await Screenshot("one-clock"); }
    }

    [Fact]
    public async Task A_session_the_server_pauses_for_memory_says_so_and_play_says_why()
    {
        var s = await app.NewSessionAsync();
        var limits = app.Services.GetRequiredService<DashboardLimits>();
        var saved = limits.MaxHeapMegabytes;
        try
        {
            await _page.GotoAsync($"sessions/{s.Id}");
            await _page.Locator("[data-testid=session]").WaitForAsync();
            await _page.Locator("[data-testid=play]").ClickAsync();
            await _page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=tick]')?.textContent) >= 3");
            limits.MaxHeapMegabytes = 1;
            // The server pauses it and the page says why, not a bare "paused".
            var notice = _page.Locator("[data-testid=status-notice]");
            await notice.WaitForAsync();
            Assert.StartsWith("paused by the server: this server's sessions hold", await notice.InnerTextAsync());
            Assert.Contains("over its memory budget of 1 MB", await notice.InnerTextAsync());
            await _page.Locator("[data-testid=play]").ClickAsync();
            Assert.Contains("memory: this server's sessions hold", await _page.Locator("[data-testid=control-error]").InnerTextAsync());
            await Screenshot("paused-for-memory");

            limits.MaxHeapMegabytes = saved;
            await _page.Locator("[data-testid=play]").ClickAsync();
            await _page.Locator("[data-testid=pause]").WaitForAsync();
            Assert.Equal(0, await notice.CountAsync());
            Assert.Equal(0, await _page.Locator("[data-testid=control-error]").CountAsync());
            await _page.Locator("[data-testid=pause]").ClickAsync();
        }
        finally { limits.MaxHeapMegabytes = saved; }
    }

    [Fact]
    public async Task A_session_that_ended_on_an_error_says_so_on_its_page()
    {
        // A tick that fails twice the same way ends the session (docs/ARCHITECTURE.md); the page said only "paused" until a
        // control was pressed and refused.
        var s = await app.NewSessionAsync();
        var faults = app.Services.GetRequiredService<MarketSim.Grains.Session.SessionFaults>();
        faults.AtTick = (id, tick) => id == s.Id && tick == 5 ? new KeyNotFoundException("The given key 'JP' was not present in the dictionary.") : null;
        try
        {
            await _page.GotoAsync($"sessions/{s.Id}");
            await _page.Locator("[data-testid=session]").WaitForAsync();
            await _page.Locator("[data-testid=play]").ClickAsync();
            var ended = _page.Locator("[data-testid=session-error]");
            await ended.WaitForAsync();
            var text = await ended.InnerTextAsync();
            Assert.Contains("ended: tick 5 (2026-01-06) failed again", text);
            Assert.Contains("KeyNotFoundException: The given key 'JP'", text);
            await Screenshot("session-ended");
        }
        finally { faults.AtTick = null; }
    }

    // plotly.js made to throw on every draw of one chart (what a figure it cannot lay out does), the others left alone.
    const string BreakPriceChart = """
        () => {
          for (const f of ['newPlot', 'react', 'extendTraces']) {
            const original = window.Plotly[f];
            window.Plotly[f] = function (gd, ...rest) {
              if (gd === 'price-chart' || gd?.id === 'price-chart') throw new Error('a test broke plotly for this chart');
              return original.call(this, gd, ...rest);
            };
          }
        }
        """;

    static string Points(string chart) => $"(document.getElementById('{chart}')?.data?.[0]?.x?.length ?? 0)";

    [Fact]
    public async Task A_chart_plotly_cannot_draw_says_so_and_the_session_and_the_other_charts_go_on()
    {
        var s = await app.NewSessionAsync();
        try
        {
            await _page.GotoAsync($"sessions/{s.Id}");
            await _page.Locator("[data-testid=session]").WaitForAsync();
            await _page.Locator("[data-testid=step]").ClickAsync();
            await _page.WaitForFunctionAsync($"() => {Points("price-chart")} >= 1 && {Points("shortage-chart")} >= 1");
            await _page.EvaluateAsync(BreakPriceChart);
            var shortages = await _page.EvaluateAsync<int>($"() => {Points("shortage-chart")}");

            await _page.Locator("[data-testid=step]").ClickAsync();
            var failure = _page.Locator("[data-testid=price-chart-error]");
            await failure.WaitForAsync();
            Assert.Contains("could not be drawn (", await failure.InnerTextAsync());
            Assert.Contains("a test broke plotly for this chart", await failure.InnerTextAsync());
            // The charts after it on the page follow the session still (before, the exception stopped the frame's handler at
            // the price chart), and the session answers its controls.
            await _page.WaitForFunctionAsync($"() => {Points("shortage-chart")} > {shortages}");
            var tick = await _page.Locator("[data-testid=tick]").InnerTextAsync();
            await _page.Locator("[data-testid=step]").ClickAsync();
            await _page.WaitForFunctionAsync($"() => document.querySelector('[data-testid=tick]')?.textContent !== '{tick}'");
            await _page.WaitForFunctionAsync($"() => {Points("shortage-chart")} > {shortages + 1}");
            Assert.Equal(1, await failure.CountAsync());
        }
        finally { await Screenshot("chart-failure"); }
    }

    // Elements reaching past the right edge of the viewport (the deepest ones, which are the cause), for the message.
    const string Overflow = """
        () => {
          const w = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1
              && ![...e.children].some(c => c.getBoundingClientRect().right > w + 1) && !e.closest('.table-scroll, .why-scroll'));
          return { width: w, scroll: document.documentElement.scrollWidth,
                   culprits: wide.slice(0, 5).map(e => `${e.tagName.toLowerCase()}${e.dataset.testid ? '[' + e.dataset.testid + ']' : ''}.${e.className?.baseVal ?? e.className} ${Math.round(e.getBoundingClientRect().right)}px`) };
        }
        """;

    sealed record OverflowView(int Width, int Scroll, string[] Culprits);

    // Charts whose legend shows a scroll bar (plotly draws one when the legend is taller than it may be).
    const string ScrollingLegends = """
        () => Array.from(document.querySelectorAll('.js-plotly-plot')).filter(el =>
            (el.querySelector('.legend .scrollbar')?.getBoundingClientRect().height ?? 0) > 1).map(el => el.id)
        """;

    [Fact]
    public async Task No_page_is_wider_than_its_viewport_on_a_phone_a_tablet_or_a_desktop()
    {
        var s = await app.NewSessionAsync();
        await using (var hub = await app.ConnectAsync())
            await hub.InvokeAsync<MarketSim.Dashboard.Hubs.SessionStatus>("Step", s.Id, 40); // policies, events and losses on the page
        var fork = await app.Sessions.ForkAsync(s.Id);
        var failures = new List<string>();
        foreach (var (width, height) in new[] { (390, 844), (820, 1180), (1440, 900) })
        {
            await Open(width, height);
            foreach (var (name, url) in new[] { ("home", "/"), ("session", $"sessions/{s.Id}"), ("compare", $"compare?sessions={s.Id},{fork.Id}") })
            {
                await _page.GotoAsync(url);
                await _page.Locator(name == "compare" ? "[data-testid=compare]" : "[data-testid=session]").First.WaitForAsync();
                await _page.Locator(".main-svg").First.WaitForAsync();
                await _page.WaitForTimeoutAsync(500); // plotly sizes its charts to their boxes
                var o = (await _page.EvaluateAsync<JsonElement>(Overflow)).Deserialize<OverflowView>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
                if (o.Scroll > o.Width) failures.Add($"{name} at {width} px is {o.Scroll} px wide: {string.Join("; ", o.Culprits)}");
                // A legend that scrolls inside its band hides lines: plotly capped a legend at half the figure's height, and the
                // compare page's 22 shortage lines scrolled.
                foreach (var chart in await _page.EvaluateAsync<string[]>(ScrollingLegends))
                    failures.Add($"{name} at {width} px: the legend of {chart} scrolls");
                // A legend's count is of series: the compare page draws each series once per run (it said "8 of 11 shown" over
                // 22 lines, a review's screenshots).
                if (name == "compare" && !(await _page.EvaluateAsync<string>("() => document.body.innerText + [...document.querySelectorAll('.legendtitletext')].map(e => e.textContent).join(' ')")).Contains("in each of the 2 runs"))
                    failures.Add($"compare at {width} px: no legend says its count is per run");
                await Screenshot($"{name}-{width}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // The title plotly drew (not the component's parameter): what the user sees.
    async Task<string> DrawnTitle(string chart) =>
        await _page.EvaluateAsync<string>("id => { const el = document.getElementById(id); return el && el.layout && el.layout.title ? (el.layout.title.text ?? '') : ''; }", chart);

    [Fact]
    public async Task A_chart_title_follows_its_drop_down_with_the_scenarios_names_and_units()
    {
        var s = await app.NewSessionAsync();
        try
        {
            await _page.GotoAsync($"sessions/{s.Id}");
            await _page.Locator("[data-testid=session]").WaitForAsync();
            await _page.Locator("[data-testid=step]").ClickAsync();
            await _page.WaitForFunctionAsync("() => document.querySelector('[data-testid=tick]')?.textContent === '0'");

            await _page.WaitForFunctionAsync("() => (document.getElementById('shortage-chart')?.layout?.title?.text ?? '').includes('Japan')");
            await _page.Locator("[data-testid=shortage-country]").SelectOptionAsync("US");
            await _page.WaitForFunctionAsync("() => (document.getElementById('shortage-chart')?.layout?.title?.text ?? '').includes('United States')");
            Assert.DoesNotContain("JP", await DrawnTitle("shortage-chart"));

            Assert.Equal("Price of Dysprosium oxide", await DrawnTitle("price-chart"));
            await _page.Locator("[data-testid=price-commodity]").SelectOptionAsync("ndpr_oxide");
            await _page.WaitForFunctionAsync("() => document.getElementById('price-chart')?.layout?.title?.text === 'Price of NdPr oxide'");
            var yTitle = await _page.EvaluateAsync<string>("() => document.getElementById('price-chart').layout.yaxis.title.text");
            Assert.Equal("USD per t", yTitle);
            var legend = await _page.EvaluateAsync<string[]>("() => document.getElementById('shortage-chart').data.map(t => t.name)");
            Assert.Contains("electronics · Gallium", legend); // the United States' lines, by name
        }
        finally { await Screenshot("captions"); }
    }
}
