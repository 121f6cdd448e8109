using MarketSim.Dashboard.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// Blazor circuits (open pages) per address and per host (CircuitQuota): before Dec 2026 /_blazor kept the framework's
/// defaults, so one machine could open pages without bound, each holding its rendered page and its data (≈1.5 MB for a
/// session page at tick 365). The browsers here all come from 127.0.0.1, as every browser test's do.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class CircuitQuotaTests(DashboardApp app, Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    readonly List<IBrowserContext> _contexts = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var c in _contexts) await c.DisposeAsync();
    }

    async Task<IPage> OpenAsync()
    {
        var context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString() });
        context.SetDefaultTimeout(60_000);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    static async Task RefusedAsync(IPage page, string why)
    {
        await page.Locator("#blazor-error-ui[data-refused=yes]").WaitForAsync();
        Assert.True(await page.Locator("#blazor-error-ui").IsVisibleAsync());
        Assert.Contains(why, await page.Locator("#blazor-error-ui .message").InnerTextAsync());
        Assert.Equal(0, await page.Locator("[data-testid=session]").CountAsync()); // the page never came to life
    }

    [Fact]
    public async Task Past_the_pages_an_address_or_the_host_may_hold_a_new_page_is_refused_and_says_why_while_open_pages_keep_working()
    {
        var quotas = app.Services.GetRequiredService<ClientQuotas>();
        var limits = app.Services.GetRequiredService<DashboardLimits>();
        var (perClient, total) = (limits.MaxCircuitsPerClient, limits.MaxCircuits);
        var session = await app.NewSessionAsync();
        // Other tests' pages (the same address) are closed by now; wait for their connections to go.
        await Waits.Eventually(() => quotas.Circuits("127.0.0.1") == 0, "other tests' pages closed");
        limits.MaxCircuitsPerClient = 2;
        try
        {
            var first = await OpenAsync();
            await first.GotoAsync($"sessions/{session.Id}");
            await first.Locator("[data-testid=session]").WaitForAsync();
            var second = await OpenAsync();
            await second.GotoAsync("");
            await second.Locator("[data-testid=session]").WaitForAsync();
            Assert.Equal(2, quotas.Circuits("127.0.0.1"));

            // A third page from the address is refused, says why, and holds no place.
            var third = await OpenAsync();
            await third.GotoAsync($"sessions/{session.Id}");
            await RefusedAsync(third, "the most allowed (MaxCircuitsPerClient = 2); close a page you no longer need, then reload this one");
            Assert.Equal(2, quotas.Circuits("127.0.0.1"));

            // The first page goes on working: a step reaches it.
            await first.Locator("[data-testid=step]").ClickAsync();
            await first.WaitForFunctionAsync("() => document.querySelector('[data-testid=tick]')?.textContent === '0'");

            // A closed page frees its place: the refused one, reloaded, comes to life.
            await second.CloseAsync();
            await Waits.Eventually(() => quotas.Circuits("127.0.0.1") == 1, "the closed page's place freed");
            await third.ReloadAsync();
            await third.Locator("[data-testid=session]").WaitForAsync();

            // The host's cap holds whatever the address: full, a new page is refused in its own words.
            limits.MaxCircuitsPerClient = perClient;
            limits.MaxCircuits = quotas.CircuitsOpen;
            var fourth = await OpenAsync();
            await fourth.GotoAsync("");
            await RefusedAsync(fourth, "pages open, the most allowed (MaxCircuits)");
            await third.Locator("[data-testid=step]").ClickAsync();
            await third.WaitForFunctionAsync("() => document.querySelector('[data-testid=tick]')?.textContent === '1'");
        }
        finally
        {
            (limits.MaxCircuitsPerClient, limits.MaxCircuits) = (perClient, total);
            await app.Sessions.EndAsync(session.Id);
        }
        // A refusal is the caller's doing: nothing at Error.
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error && e.Text.Contains("MaxCircuits", StringComparison.Ordinal));
    }
}
