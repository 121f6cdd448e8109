using MarketSim.Dashboard.Sessions;
using MarketSim.Grains;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Dashboard.Tests;

/// <summary>The host's start-up warm-up (WarmUp): it runs in the background, answers requests meanwhile, and leaves nothing.</summary>
public sealed class WarmUpTests
{
    static WebApplicationFactory<Program> Host(string ticks) => new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
        .UseSetting("Logging:LogLevel:Default", "Warning").UseSetting("MarketSim:DefaultSession", "false")
        .UseSetting(WarmUp.TicksKey, ticks));

    [Fact]
    public async Task A_started_host_runs_its_warm_up_ticks_then_ends_the_session_and_lists_none()
    {
        await using var factory = Host("60");
        using var http = factory.CreateClient();
        var home = await http.GetAsync("/");
        Assert.Equal(System.Net.HttpStatusCode.OK, home.StatusCode);

        var warmUp = factory.Services.GetRequiredService<WarmUp>();
        var ran = await warmUp.Completed.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(60, ran);
        Assert.Empty(factory.Services.GetRequiredService<SessionDirectory>().All);
        // Ended: its grain holds no world any more (asking it activates an empty one, which says it was never started).
        var session = factory.Services.GetRequiredService<Orleans.IGrainFactory>().GetSession(warmUp.SessionId);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => session.GetReplayAsync());
        Assert.Contains("has not been started", e.Message);
    }

    [Fact]
    public async Task Zero_ticks_turns_it_off()
    {
        await using var factory = Host("0");
        _ = factory.Services; // starts the host
        Assert.Equal(0, await factory.Services.GetRequiredService<WarmUp>().Completed.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
