using MarketSim.Classrooms;
using MarketSim.Dashboard.Classrooms;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static MarketSim.Dashboard.Tests.Waits;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// A student may hold their seat through the student page (a Blazor circuit) and a classroom hub connection at once (a
/// program, a second device). The seat is dropped, and a stand-in bot plays it, only when the last of them goes
/// (docs/CLASSROOM.md, "Bots"). Before Dec 2026 the hub and the pages counted their holders apart: either closing dropped
/// the seat while the other still held it.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SeatHoldersTests(DashboardApp app, Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    readonly List<IBrowserContext> _contexts = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var c in _contexts) await c.DisposeAsync();
    }

    /// <summary>Checks for <paramref name="seconds"/> that <paramref name="condition"/> keeps holding (long enough for a
    /// connection's close to have been handled: it takes milliseconds on loopback).</summary>
    static async Task Stays(Func<bool> condition, string what, double seconds = 3)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            Assert.True(condition(), what);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_seat_held_by_the_page_and_a_connection_stays_until_both_go_and_survives_a_reload()
    {
        await using var teacher = await app.ConnectAsync(ClassroomHub.Path);
        var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL,
            new ClassroomSettings { RoundTicks = 5, RoundSeconds = 0, Playable = ["CN", "JP"], Capacity = 3 });
        var connection = await app.ConnectAsync(ClassroomHub.Path);
        var grant = await connection.InvokeAsync<SeatGrant>("Join", created.Code, "Ana", null);
        var seat = app.Classrooms.Find(created.Code)!.Room.Seats.Single(s => s.Id == grant.SeatId);
        bool Here() => seat is { Connected: true, Bot: null };

        // The same student's page: this browser keeps the seat's token, as the join page leaves it.
        var context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        context.SetDefaultTimeout(60_000);
        _contexts.Add(context);
        await context.AddInitScriptAsync($"localStorage.setItem('marketsim.classroom.{created.Code}.seat', '{grant.Token}')");
        var page = await context.NewPageAsync();
        await page.GotoAsync($"classroom/{created.Code}/play");
        await page.Locator("[data-testid=play]").WaitForAsync();

        // The connection goes; the page still holds the seat.
        await connection.DisposeAsync();
        await Stays(Here, "the seat was dropped when its connection closed, though the student's page holds it");

        // A reload: the seat is the student's again once the page is back, with no stand-in.
        await page.ReloadAsync();
        await page.Locator("[data-testid=play]").WaitForAsync();
        await Eventually(Here, "the seat did not come back to the student after a reload", 10);

        // Another connection takes the seat back too; then the page goes, and the connection still holds it.
        await using var again = await app.ConnectAsync(ClassroomHub.Path);
        await again.InvokeAsync<SeatGrant>("Rejoin", created.Code, grant.Token);
        await page.CloseAsync(new() { RunBeforeUnload = true });
        await Stays(Here, "the seat was dropped when the student's page closed, though a connection of theirs holds it");

        // The last holder goes: now a stand-in plays the seat (botTakeover), as the rules say.
        await again.DisposeAsync();
        await Eventually(() => seat is { Connected: false, Bot: BotStrategies.Passive, StandIn: true }, "no stand-in once the seat's last holder went", 30);
        await teacher.InvokeAsync("EndClassroom", created.Code, created.InstructorToken);
    }
}
