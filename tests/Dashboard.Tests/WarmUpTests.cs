using MarketSim.Dashboard.Sessions;
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
    public async Task A_started_host_runs_its_warm_up_ticks_in_the_background_and_lists_no_session_for_them()
    {
        await using var factory = Host("60");
        using var http = factory.CreateClient();
        var home = await http.GetAsync("/"); // served whether or not the warm-up has ended
        Assert.Equal(System.Net.HttpStatusCode.OK, home.StatusCode);

        var warmUp = factory.Services.GetRequiredService<WarmUp>();
        var ran = await warmUp.Completed.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(60, ran);
        Assert.Empty(factory.Services.GetRequiredService<SessionDirectory>().All);
    }

    [Fact]
    public async Task Zero_ticks_turns_it_off()
    {
        await using var factory = Host("0");
        _ = factory.Services; // starts the host
        Assert.Equal(0, await factory.Services.GetRequiredService<WarmUp>().Completed.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
