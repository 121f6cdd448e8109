using MarketSim.Classrooms;
using MarketSim.Dashboard.Classrooms;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// The teacher's seat table on a phone and on a desk. At 390 px it scrolled inside its box (Dec 2026): the bot column and
/// every seat's buttons (put a bot, remove) were off to the right, unseen. Screenshots at both widths go to
/// TestResults/screenshots (console-seats-390.png, console-seats-1280.png).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SeatTableBrowserTests(DashboardApp app, Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    IBrowserContext? _context;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_context is not null) await _context.DisposeAsync();
    }

    [Fact]
    public async Task The_seat_table_shows_every_seat_and_its_buttons_within_a_phones_width_and_stays_a_table_on_a_desk()
    {
        await using var teacher = await app.ConnectAsync(ClassroomHub.Path);
        var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL,
            new ClassroomSettings { RoundTicks = 5, RoundSeconds = 0, Playable = ["CN", "JP", "US"], Capacity = 4, Assignment = SeatAssignment.Teacher });
        await using var students = await app.ConnectAsync(ClassroomHub.Path);
        foreach (var name in new[] { "Ana", "Maximiliana Wolfeschlegelsteinhausen", "Ben" })
            await students.InvokeAsync<SeatGrant>("Join", created.Code, name, null);
        await teacher.InvokeAsync<SeatInfo>("AddBot", created.Code, created.InstructorToken, "US", "retaliatory");

        _context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        _context.SetDefaultTimeout(60_000);
        var page = await _context.NewPageAsync();
        await page.GotoAsync($"classroom/{created.Code}/teach#{Uri.EscapeDataString(created.InstructorToken)}");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-testid=seat-row]').length === 4");
        var seats = page.Locator("[data-testid=seats]");
        await seats.ScrollIntoViewIfNeededAsync();
        await seats.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, "console-seats-390.png") });

        // Nothing of the table is hidden to the right of its box, and every seat's buttons are on the screen.
        var hidden = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('[data-testid=seats] *')]
            .filter(e => e.getBoundingClientRect().right > 390 || e.getBoundingClientRect().left < 0)
            .map(e => `${e.tagName.toLowerCase()} '${e.textContent.trim().slice(0, 30)}' spans ${Math.round(e.getBoundingClientRect().left)}-${Math.round(e.getBoundingClientRect().right)} px`)");
        Assert.True(hidden.Length == 0, $"on a 390-px screen: {string.Join("; ", hidden.Take(5))}");
        Assert.Equal(4, await page.Locator("[data-testid=seat-row] [data-testid=remove-seat]").CountAsync());
        foreach (var button in await page.Locator("[data-testid=seat-row] button").AllAsync())
            Assert.True(await button.IsVisibleAsync());
        // Each seat says what each value is (the table's header is not shown on a phone).
        var bot = page.Locator("[data-testid=seat-row][data-country=US] td", new() { HasTextString = "retaliatory" }).Last;
        Assert.Equal("\"Bot\"", await bot.EvaluateAsync<string>("td => getComputedStyle(td, '::before').content"));
        Assert.True(await bot.IsVisibleAsync());

        // On a desk it is a table, one line a seat, with its header.
        await page.SetViewportSizeAsync(1280, 900);
        await page.WaitForFunctionAsync("() => getComputedStyle(document.querySelector('[data-testid=seats] thead')).display !== 'none'");
        var heights = await page.Locator("[data-testid=seat-row]").EvaluateAllAsync<double[]>("rows => rows.map(r => r.getBoundingClientRect().height)");
        Assert.All(heights, h => Assert.True(h < 60, $"a seat's row is {h} px high on a desk"));
        await seats.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, "console-seats-1280.png") });
        await teacher.InvokeAsync("EndClassroom", created.Code, created.InstructorToken);
    }
}
