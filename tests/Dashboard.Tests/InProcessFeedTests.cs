using System.Text.Json;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Live;
using MarketSim.Dashboard.Sessions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// Pages read their sessions in process from the web host's frame relay (issue 14, item 4), not through a SignalR client
/// of their own server: nothing in the dashboard builds one, a page listens while it is shown and not after, and a page
/// that does not keep up holds a bounded buffer, never delays another page, and still gets every frame in order.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class InProcessFeedTests(DashboardApp app, Browser browser) : IClassFixture<Browser>
{
    const float Patience = 60_000;
    FrameRelay Relay => app.Services.GetRequiredService<FrameRelay>();

    [Fact]
    public void The_dashboard_builds_no_SignalR_client()
    {
        // HubConnection and its builder live in these assemblies: any use of them in the dashboard would reference one.
        var references = typeof(Program).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("Microsoft.AspNetCore.SignalR.Client", references);
        Assert.DoesNotContain("Microsoft.AspNetCore.SignalR.Client.Core", references);
        Assert.Null(app.Services.GetService<IHubConnectionBuilder>());
        // The pages' feeds come from the container instead.
        Assert.NotNull(app.Services.GetService<LiveFeeds>());
    }

    [Fact]
    public async Task A_session_page_listens_to_the_relay_while_shown_and_stops_when_left()
    {
        var session = await app.NewSessionAsync();
        await using var context = await browser.Instance.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString() });
        context.SetDefaultTimeout(Patience);
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync($"sessions/{session.Id}");
            await page.Locator($"[data-testid=session][data-session-id='{session.Id}']").WaitForAsync();
            Assert.Equal(1, Relay.ListenerCount(session.Id));
            await session.Runner.StepAsync(3);
            await page.Locator($"[data-testid=session][data-frames='3']").WaitForAsync();

            // Leave the page within the same circuit: the component is disposed, its listening ends.
            await page.EvaluateAsync("() => Blazor.navigateTo('/')");
            await page.Locator("[data-testid=session][data-session-id=default]").WaitForAsync();
            var until = DateTime.UtcNow.AddSeconds(30);
            while (Relay.ListenerCount(session.Id) > 0 && DateTime.UtcNow < until) await Task.Delay(100);
            Assert.Equal(0, Relay.ListenerCount(session.Id));
        }
        finally
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Paths.Screenshots, "in-process-feed.png"), FullPage = true });
        }
    }

    [Fact]
    public async Task A_page_that_does_not_keep_up_holds_a_bounded_buffer_delays_no_one_and_still_gets_every_frame_in_order()
    {
        var session = await app.NewSessionAsync();
        var feeds = new LiveFeeds(app.Services.GetRequiredService<SessionControl>(), Relay,
            app.Services.GetRequiredService<ILogger<LiveFeed>>()) { MaxPending = 5 };
        await using var slow = feeds.Open("test");
        await using var fast = feeds.Open("test");
        await slow.SubscribeAsync(session.Id);
        await fast.SubscribeAsync(session.Id);
        Assert.Equal(2, Relay.ListenerCount(session.Id));

        const int ticks = 40;
        await session.Runner.StepAsync(ticks);
        // The fast page gets all 40 while the slow one never flushes.
        await Until(() => { fast.Flush(); return fast.Series[session.Id].NextTick >= ticks; });
        Assert.Equal(5, slow.PendingCount(session.Id));

        // The slow page catches up from the history: every frame, in tick order, as the grain holds them.
        await Until(() => { slow.Flush(); return slow.Series[session.Id].NextTick >= ticks; });
        var history = (await session.Grain.GetFramesAsync(0)).Value;
        foreach (var feed in new[] { slow, fast })
        {
            var frames = feed.Series[session.Id].Frames;
            Assert.Equal(Enumerable.Range(0, ticks), frames.Select(f => f.Tick));
            Assert.Equal(history.Select(Json), frames.Select(Json));
        }

        await slow.DisposeAsync();
        Assert.Equal(1, Relay.ListenerCount(session.Id));
        await fast.DisposeAsync();
        Assert.Equal(0, Relay.ListenerCount(session.Id));
    }

    static string Json(MarketSim.Model.Simulation.Frame f) => JsonSerializer.Serialize(f, HubJson.Options);

    static async Task Until(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("condition not met in 60 s");
            await Task.Delay(50);
        }
    }
}
