using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// The session page's "Why" panel as a strategist uses it, in the browser against the real app: press Why, watch the runs
/// go by, read the split of the loss so far (the shares add up to the shown total), compare with the baseline; a second
/// viewer and another session are refused while it runs; cancel. Screenshots at 1440 and 390 px wide go to
/// tests/Dashboard.Tests/TestResults/screenshots.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class WhyBrowserTests(DashboardApp app, Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    const float Patience = 60_000;
    readonly List<IBrowserContext> _contexts = new();
    readonly List<(string Name, IPage Page)> _pages = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var c in _contexts) await c.DisposeAsync();
    }

    async Task<IPage> OpenAsync(string name, string sessionId, int width = 1440, int height = 1000)
    {
        var context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(Patience);
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        _pages.Add((name, page));
        await page.GotoAsync($"sessions/{sessionId}");
        await page.Locator("[data-testid=why-run]:enabled").WaitForAsync();
        return page;
    }

    static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, name + ".png"), FullPage = true });

    static double Number(string s) => double.Parse(s.Replace("−", "-").Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>"1.64 bn USD", "−20.1 m USD", "512,345 USD" → the amount.</summary>
    static double Money(string shown)
    {
        var m = MoneyPattern().Match(shown.Trim());
        Assert.True(m.Success, $"not money as the panel writes it: \"{shown}\"");
        var scale = m.Groups[2].Value switch { "tn" => 1e12, "bn" => 1e9, "m" => 1e6, _ => 1 };
        return Number(m.Groups[1].Value) * scale;
    }

    /// <summary>"69.4 %", "−103.1 %" → 69.4, −103.1.</summary>
    static double Percent(string shown)
    {
        Assert.EndsWith(" %", shown.Trim());
        return Number(shown.Trim()[..^2]);
    }

    [GeneratedRegex(@"^([−-]?[\d,]+(?:\.\d+)?)(?: (tn|bn|m))? USD$")]
    private static partial Regex MoneyPattern();

    [Fact]
    public async Task Why_splits_the_loss_so_far_among_the_policies_shows_progress_and_refuses_a_second_request()
    {
        var s = await app.NewSessionAsync("japan-cutoff-3m.yaml");
        await s.Runner.CatchUpAsync(100);
        try
        {
            var page = await OpenAsync("why", s.Id);
            var other = await OpenAsync("why-other-viewer", s.Id);
            // Nothing is computed until asked.
            Assert.Equal(0, await page.Locator("[data-testid=why-table]").CountAsync());

            await page.Locator("[data-testid=why-run]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=why-progress]")).ToHaveTextAsync(RunOf16(), new() { Timeout = Patience });
            await page.Locator("[data-testid=why-cancel]").WaitForAsync();

            // While it runs, another viewer of the session is refused in words (another session would be too: WhyTests).
            await other.Locator("[data-testid=why-run]").ClickAsync();
            var refusal = other.Locator("[data-testid=why-message]");
            await Assertions.Expect(refusal).ToContainTextAsync("This session is already computing an attribution");
            Assert.Contains("Try again when it has finished", await refusal.InnerTextAsync());
            await other.CloseAsync(); // one browser page less to draw on two cores

            // The split: Japan (the country with the largest loss), the first 100 days, shares adding up to the total.
            await page.Locator("[data-testid=why-table]").WaitForAsync(new() { Timeout = Patience });
            Assert.Equal("JP", await page.Locator("[data-testid=why-result]").GetAttributeAsync("data-country"));
            var caption = await page.Locator("[data-testid=why-caption]").InnerTextAsync();
            Assert.Contains("Japan's production loss from 2024-01-01 to 2024-04-09", caption);
            Assert.Contains("100 days: the session so far", caption);
            Assert.Contains("16 runs in", await page.Locator("[data-testid=why-method]").InnerTextAsync());

            var rows = page.Locator("[data-testid=why-row]");
            Assert.Equal(4, await rows.CountAsync());
            double shares = 0, parts = 0, partsError = 0, exact = 0;
            for (int i = 0; i < 4; i++)
            {
                var cells = await rows.Nth(i).Locator("td").AllInnerTextsAsync();
                var value = Money(cells[1]);
                shares += Percent(cells[2]);
                parts += value;
                partsError += 0.005 * Math.Abs(value) + 0.5; // three significant digits shown
                exact += Number(await rows.Nth(i).GetAttributeAsync("data-value") ?? "");
            }
            var totalCells = await page.Locator("[data-testid=why-total] td").AllInnerTextsAsync();
            var total = Money(totalCells[0]);
            Assert.True(total > 0, $"Japan's loss so far is {totalCells[0]}");
            Assert.Equal(100, Percent(totalCells[1]));
            Assert.InRange(shares, 100 - 4 * 0.05 - 1e-9, 100 + 4 * 0.05 + 1e-9);
            Assert.InRange(parts, total - partsError - 0.005 * total, total + partsError + 0.005 * total);
            var exactTotal = Number(await page.Locator("[data-testid=why-total]").GetAttributeAsync("data-value") ?? "");
            Assert.Equal(exactTotal, exact, 1e-6 * exactTotal);
            Assert.Contains($"The shares add up to the total, {totalCells[0]}", await page.Locator("[data-testid=why-sum]").InnerTextAsync());

            // Compared with what: all four policies off by default.
            await page.Locator("[data-testid=why-compare]").ClickAsync();
            var loss = page.Locator("[data-testid=why-compare-cumulative_loss]");
            await loss.WaitForAsync(new() { Timeout = Patience });
            var run = Number(await loss.GetAttributeAsync("data-run") ?? "");
            var baseline = Number(await loss.GetAttributeAsync("data-baseline") ?? "");
            Assert.Equal(exactTotal, run - baseline, 1e-6 * exactTotal); // all − none, as in the split
            Assert.Equal("+" + totalCells[0], (await loss.Locator("td").AllInnerTextsAsync())[3]);
            Assert.Contains("without jp-stockpile-dy, jp-stockpile-tb, jp-stockpile-ndpr, cn-cutoff-jp", await page.Locator("[data-testid=why-compare-caption]").InnerTextAsync());
            foreach (var metric in new[] { "fiscal_cost", "export_revenue", "export_rent", "value_added" })
                await page.Locator($"[data-testid=why-compare-{metric}]").WaitForAsync();

            await page.Locator(".why-more summary").ClickAsync();
            await page.Locator("[data-testid=why-panel]").ScrollIntoViewIfNeededAsync();
            await Screenshot(page, "why-1440");
            await page.Locator("[data-testid=why-panel]").ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, "why-1440-panel.png") });
            await NoSidewaysOverflow(page, 1440);

            // A phone: the panel fits the width, nothing in it to scroll sideways.
            await page.SetViewportSizeAsync(390, 844);
            await page.Locator("[data-testid=why-panel]").ScrollIntoViewIfNeededAsync();
            await Screenshot(page, "why-390");
            await page.Locator("[data-testid=why-panel]").ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, "why-390-panel.png") });
            await NoSidewaysOverflow(page, 390);

            // Cancel: ask again, then cancel; the last result stays and the server's place is free.
            await page.Locator("[data-testid=why-run]").ClickAsync();
            await page.Locator("[data-testid=why-cancel]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=why-message]")).ToHaveTextAsync("Cancelled: nothing was computed.");
            Assert.Equal(1, await page.Locator("[data-testid=why-table]").CountAsync());
            Assert.Equal(0, app.Services.GetRequiredService<MarketSim.Dashboard.Why.WhyService>().Gate.Running(MarketSim.Dashboard.Why.WhyKind.Attribution));
        }
        finally
        {
            foreach (var (name, p) in _pages)
                if (!p.IsClosed)
                    try { await Screenshot(p, $"{name}-end"); }
                    catch (PlaywrightException) { } // a screenshot must not hide the test's own failure
        }
    }

    [GeneratedRegex(@"^run \d+ of 16$")]
    private static partial Regex RunOf16();

    /// <summary>The panel and everything in it end within the viewport's width; no table needs a sideways scroll.</summary>
    static async Task NoSidewaysOverflow(IPage page, int width)
    {
        var wide = await page.EvaluateAsync<string[]>(@"w => {
            const panel = document.querySelector('[data-testid=why-panel]');
            return [panel, ...panel.querySelectorAll('*')].filter(el => el.getBoundingClientRect().right > w)
                .map(el => `${el.tagName.toLowerCase()}.${el.className} ${el.getAttribute('data-testid') ?? ''} reaches ${el.getBoundingClientRect().right} px`); }", width);
        Assert.True(wide.Length == 0, $"in a {width} px viewport: {string.Join("; ", wide.Take(5))}");
        var scrolls = await page.EvaluateAsync<int[]>("() => [...document.querySelectorAll('.why-scroll')].map(e => e.scrollWidth - e.clientWidth)");
        Assert.All(scrolls, s => Assert.True(s <= 0, $"a table of the Why panel scrolls sideways by {s} px at {width} px"));
    }
}
