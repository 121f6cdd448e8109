using MarketSim.Classrooms;
using MarketSim.Dashboard.Classrooms;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// The pages showing a class and its world when the teacher ends it: before Dec 2026 the hub's watchers were told
/// ("Ended", "ClassroomEnded") but the pages were not, and sat frozen where the class stopped, their buttons answering
/// "no session". Screenshots go to TestResults/screenshots.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ClassEndedBrowserTests(DashboardApp app, Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    readonly List<IBrowserContext> _contexts = new();
    readonly List<(string Name, IPage Page)> _pages = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (name, page) in _pages)
            try { await page.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, $"class-ended-{name}.png"), FullPage = true }); }
            catch (PlaywrightException) { } // a screenshot must not hide the test's own failure
        foreach (var c in _contexts) await c.DisposeAsync();
    }

    async Task<IPage> OpenAsync(string name, int width, string? seatOf = null, string? token = null)
    {
        var context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        _contexts.Add(context);
        if (seatOf is not null) await context.AddInitScriptAsync($"localStorage.setItem('marketsim.classroom.{seatOf}.seat', '{token}')");
        var page = await context.NewPageAsync();
        _pages.Add((name, page));
        return page;
    }

    [Fact]
    public async Task When_the_teacher_ends_the_class_its_world_page_the_projector_and_a_students_page_say_so()
    {
        await using var teacher = await app.ConnectAsync(ClassroomHub.Path);
        var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL,
            new ClassroomSettings { RoundTicks = 5, RoundSeconds = 0, Playable = ["CN", "JP"], Capacity = 3 });
        await using var student = await app.ConnectAsync(ClassroomHub.Path);
        var seat = await student.InvokeAsync<SeatGrant>("Join", created.Code, "Ana", null);

        var world = await OpenAsync("world", 1280);
        await world.GotoAsync($"sessions/{created.SessionId}");
        await world.Locator("[data-testid=session]").WaitForAsync();
        var screen = await OpenAsync("screen", 1280);
        await screen.GotoAsync($"classroom/{created.Code}/screen");
        await screen.Locator("[data-testid=screen]").WaitForAsync();
        var play = await OpenAsync("play", 390, created.Code, seat.Token);
        await play.GotoAsync($"classroom/{created.Code}/play");
        await play.Locator("[data-testid=submit]").WaitForAsync();

        await teacher.InvokeAsync("Start", created.Code, created.InstructorToken);
        await teacher.InvokeAsync<int>("Advance", created.Code, created.InstructorToken);
        await world.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=session]')?.dataset.frames) >= 5");
        await teacher.InvokeAsync("EndClassroom", created.Code, created.InstructorToken);

        // The world's page: told, its charts kept, no controls that would answer "no session".
        var ended = world.Locator("[data-testid=session-ended]");
        await ended.WaitForAsync();
        Assert.Contains($"Classroom {created.Code} has ended", await ended.InnerTextAsync());
        Assert.Equal(0, await world.Locator("[data-testid=controls]").CountAsync());
        Assert.Equal(1, await world.Locator("[data-testid=session]").CountAsync());

        // The projector and the student's page: the class ended, and nothing left to submit.
        await screen.Locator("[data-testid=class-ended]").WaitForAsync();
        await play.Locator("[data-testid=class-ended]").WaitForAsync();
        Assert.Equal(0, await play.Locator("[data-testid=submit]").CountAsync());
    }

    [Fact]
    public async Task A_session_page_says_so_when_someone_ends_its_session()
    {
        var session = await app.NewSessionAsync();
        await session.Runner.StepAsync(3);
        var page = await OpenAsync("session", 1280);
        await page.GotoAsync($"sessions/{session.Id}");
        await page.Locator("[data-testid=controls]").WaitForAsync();
        await using var other = await app.ConnectAsync();
        await other.InvokeAsync("EndSession", session.Id);
        var ended = page.Locator("[data-testid=session-ended]");
        await ended.WaitForAsync();
        Assert.Contains("This session has been ended", await ended.InnerTextAsync());
        Assert.Equal(0, await page.Locator("[data-testid=controls]").CountAsync());
    }
}
