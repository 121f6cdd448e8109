using System.Diagnostics;
using MarketSim.Dashboard.Hubs;
using MarketSim.Grains.Session;
using MarketSim.Model.Simulation;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Dashboard.Tests;

/// <summary>Issue 11 on the dashboard: a run never wedges; doors and quotas.</summary>
[Collection(DashboardCollection.Name)]
public sealed class HardeningTests(DashboardApp app)
{
    SessionFaults Faults => app.Services.GetRequiredService<SessionFaults>();

    [Fact]
    public async Task A_tick_that_fails_again_after_one_recomputation_ends_the_session_with_a_clear_error()
    {
        var s = await app.NewSessionAsync();
        var attempts = 0;
        Faults.AtTick = (id, tick) =>
        {
            if (id != s.Id || tick != 7) return null;
            Interlocked.Increment(ref attempts);
            return new KeyNotFoundException("The given key 'JP' was not present in the dictionary.");
        };
        try
        {
            await using var hub = await app.ConnectAsync();
            await hub.InvokeAsync<SessionStatus>("Step", s.Id, 5);
            var sw = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SessionStatus>("Step", s.Id, 10));
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed}");
            Assert.Contains($"sessionId: Session \"{s.Id}\" ended: tick 7 (2026-01-08) failed again", e.Message);
            Assert.Contains("KeyNotFoundException: The given key 'JP'", e.Message);
            Assert.Equal(2, attempts); // the first try and one recomputation, no more

            var status = await hub.InvokeAsync<SessionStatus>("GetStatus", s.Id);
            Assert.Equal((7, false), (status.Tick, status.Playing));
            Assert.Contains("failed again", status.Error);
            // Ended: driving it again is refused at once, with the same error, and computes nothing.
            var again = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SessionStatus>("Step", s.Id, 1));
            Assert.Contains("ended: tick 7", again.Message);
            await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SessionStatus>("Play", s.Id));
            await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<SessionStatus>("RunTo", s.Id, "2026-02-01"));
            Assert.Equal(2, attempts);
            var sub = await hub.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0);
            Assert.Equal(Enumerable.Range(0, 7), sub.Frames.Select(f => f.Tick)); // the frames before the failing tick are kept

            // Reset starts it afresh.
            Faults.AtTick = null;
            var reset = await hub.InvokeAsync<SessionStatus>("Reset", s.Id);
            Assert.Equal((0, (string?)null), (reset.Tick, reset.Error));
            Assert.Equal(10, (await hub.InvokeAsync<SessionStatus>("Step", s.Id, 10)).Tick);
        }
        finally { Faults.AtTick = null; }
    }

    [Fact]
    public async Task A_tick_that_fails_once_is_recomputed_and_the_run_goes_on_unchanged()
    {
        var clean = await app.NewSessionAsync();
        var s = await app.NewSessionAsync();
        var attempts = 0;
        Faults.AtTick = (id, tick) => id == s.Id && tick == 7 && Interlocked.Increment(ref attempts) == 1 ? new InvalidOperationException("once") : null;
        try
        {
            await using var hub = await app.ConnectAsync();
            Assert.Equal(12, (await hub.InvokeAsync<SessionStatus>("Step", s.Id, 12)).Tick);
            Assert.Equal(12, (await hub.InvokeAsync<SessionStatus>("Step", clean.Id, 12)).Tick);
            Assert.Equal(2, attempts);
            Assert.Null((await hub.InvokeAsync<SessionStatus>("GetStatus", s.Id)).Error);
            var a = await s.Grain.GetFramesAsync(0);
            var b = await clean.Grain.GetFramesAsync(0);
            Assert.Equal(Json(b.Value), Json(a.Value));
        }
        finally { Faults.AtTick = null; }
    }

    static string Json(object o) => System.Text.Json.JsonSerializer.Serialize(o, HubJson.Options);
}
