using MarketSim.Dashboard.Components.Charts;
using MarketSim.Dashboard.Sessions;
using Microsoft.Playwright;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// plotly.js (4.9 MB) loads once per page before its charts are made (ChartCircuit). Made before it had loaded, a
/// Plotly.Blazor chart's dispose waited for its own load calls, which a closed page never answers: the page's circuit and
/// its goodbye request (POST /_blazor/disconnect) were held until the calls timed out, 60 s later (this test's first
/// version saw the request open 56 s and gone at 61 s).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ChartLoadTests(DashboardApp app, Browser browser) : IClassFixture<Browser>
{
    const string Disconnect = "/_blazor/disconnect";

    [Fact]
    public async Task A_page_closed_while_plotly_is_still_loading_lets_its_circuit_go_at_once()
    {
        // plotly.js never arrives: the page's load of it stays in flight.
        var requested = new TaskCompletionSource();
        await ClosedMidCallIsLetGoAsync(
            context => context.RouteAsync("**/plotly-3.7.0.min.js", _ => { requested.TrySetResult(); return Task.CompletedTask; }),
            page => requested.Task.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task A_page_closed_while_plotly_draws_lets_its_circuit_go_at_once()
    {
        // Plotly.Blazor's module as served, but its first draw never answers: the page's draws stay in flight, as a draw does
        // when the page goes while it is being made.
        await ClosedMidCallIsLetGoAsync(
            ServeNewPlotAs("export function newPlot(id) { return new Promise(() => {}); }"),
            // The charts are made (plotly.js loaded) and their first draws asked for.
            async page =>
            {
                await page.WaitForFunctionAsync("() => document.getElementById('price-chart') && !document.querySelector('.chart-loading')");
                await Task.Delay(1000);
            });
    }

    [Fact]
    public async Task A_chart_whose_first_draw_plotly_lost_is_drawn_again()
    {
        // plotly.js' first draw of every chart is lost (Plotly.Blazor's newPlot does nothing), as its queue dropped draws
        // before: the draw check (PlotlyDrawCheck) finds the chart blank and draws it whole; nothing else would, since the
        // session is paused.
        var session = await app.NewSessionAsync();
        await session.Runner.StepAsync(8);
        var page = await OpenSessionAsync(session, ServeNewPlotAs("export function newPlot(id) { }"));
        await using var _ = page.Context;
        await page.WaitForFunctionAsync("() => (document.getElementById('price-chart')?.data ?? []).some(t => t.x && t.x.length >= 8)");
    }

    /// <summary>Plotly.Blazor's module as served, its newPlot replaced by <paramref name="newPlot"/> (the original kept under
    /// another name).</summary>
    static Func<IBrowserContext, Task> ServeNewPlotAs(string newPlot) => context => context.RouteAsync("**/plotly-interop-7.2.0.js", async route =>
    {
        const string original = "export function newPlot(id, data = [], layout = {}, config = {}, frames = []) {";
        var served = await route.FetchAsync();
        var text = await served.TextAsync();
        Assert.Contains(original, text);
        await route.FulfillAsync(new() { Response = served, Body = text.Replace(original, newPlot + "\nfunction originalNewPlot(id, data = [], layout = {}, config = {}, frames = []) {") });
    });

    /// <summary>A session's page in a browser context of its own (dispose its Context), <paramref name="hold"/> set up first.</summary>
    async Task<IPage> OpenSessionAsync(SessionEntry session, Func<IBrowserContext, Task> hold, BrowserNewContextOptions? options = null)
    {
        options ??= new();
        options.BaseURL = app.BaseAddress.ToString();
        var context = await browser.Instance.NewContextAsync(options);
        context.SetDefaultTimeout(60_000);
        await hold(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"sessions/{session.Id}");
        await page.Locator("[data-testid=session]").WaitForAsync();
        return page;
    }

    /// <summary>A session page, its calls to plotly held in flight by <paramref name="hold"/> once <paramref name="held"/> says
    /// so, closed: the browser's goodbye is answered once its circuit has ended, within 20 s (it waited 60 s or for good
    /// before; Blazor's default JS call timeout, 60 s, is kept).</summary>
    async Task ClosedMidCallIsLetGoAsync(Func<IBrowserContext, Task> hold, Func<IPage, Task> held)
    {
        var page = await OpenSessionAsync(await app.NewSessionAsync(), hold);
        await using var _ = page.Context;
        await held(page);

        // No other page's goodbye is pending (a page of an earlier test, held up to 60 s), so the next one answered is this page's.
        await Waits.Eventually(() => app.Open.Count("POST", Disconnect) == 0, "earlier pages' goodbyes answered", seconds: 90);
        var answered = app.Open.Finished("POST", Disconnect);
        await page.CloseAsync(new() { RunBeforeUnload = true });
        await Waits.Eventually(() => app.Open.Finished("POST", Disconnect) > answered, "the closed page's goodbye answered", seconds: 20);
    }

    [Fact]
    public async Task Charts_draw_once_a_slow_plotly_has_loaded()
    {
        var release = new TaskCompletionSource();
        var page = await OpenSessionAsync(await app.NewSessionAsync(),
            context => context.RouteAsync("**/plotly-3.7.0.min.js", async route => { await release.Task; await route.ContinueAsync(); }),
            new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        await using var _ = page.Context;
        await page.Locator(".chart-loading").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Task.Delay(1000); // the page goes on waiting, its charts not made (Plotly.Blazor's div for them not there)
        Assert.Equal("Loading the chart…", await page.Locator("[data-testid=price-chart-loading]").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, "charts-loading.png"), FullPage = true });
        Assert.Equal(0, await page.Locator("#price-chart").CountAsync());

        release.SetResult();
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.chart .js-plotly-plot .main-svg').length >= 3 && !document.querySelector('.chart-loading')");
    }

    [Fact]
    public async Task The_paths_loaded_are_Plotly_Blazors_own_and_served()
    {
        var interop = typeof(Plotly.Blazor.PlotlyJsInterop);
        string Constant(string name) => (string)interop.GetField(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetRawConstantValue()!;
        Assert.Equal(Constant("InteropPath"), ChartCircuit.InteropModule);
        Assert.Equal(Constant("PlotlyPath"), ChartCircuit.Script);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        foreach (var path in new[] { ChartCircuit.InteropModule, ChartCircuit.Script })
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(path.TrimStart('.', '/'))).StatusCode);
    }
}
