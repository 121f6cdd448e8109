using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Grains;

/// <summary>Conveniences over <see cref="ISessionGrain"/> for callers that do not care about <see cref="Immutable{T}"/>.</summary>
public static class SessionGrainExtensions
{
    public static ISessionGrain GetSession(this IGrainFactory grains, string sessionId) => grains.GetGrain<ISessionGrain>(sessionId);

    /// <summary>Starts the session and runs its spin-up (<see cref="SpinUpAsync"/>), so it stands at tick 0.</summary>
    public static async Task StartAsync(this ISessionGrain session, ScenarioSpec scenario, ulong seed, SessionSettings? settings = null)
    {
        await session.StartAsync(scenario.AsImmutable(), seed, settings ?? SessionSettings.Default);
        if (scenario.SpinUpDays > 0) await session.SpinUpAsync();
    }

    /// <summary>
    /// Steps a started session through the days before tick 0 (ScenarioSpec.SpinUpDays: a policy in force before the start
    /// date), which make no frames, in calls of <paramref name="chunk"/> ticks so none runs longer than a chunk of ordinary
    /// ticks would (the cluster's call timeout). Returns at tick 0; nothing to do for a scenario without a spin-up.
    /// </summary>
    public static async Task SpinUpAsync(this ISessionGrain session, int chunk = 30, CancellationToken ct = default)
    {
        for (var tick = await session.GetTickAsync(); tick < 0;)
        {
            ct.ThrowIfCancellationRequested();
            var reached = await session.RunToAsync(Math.Min(0, tick + Math.Max(1, chunk)));
            if (reached <= tick) await Task.Delay(200, ct); // the silo is handing the session over: ask again after a pause
            tick = reached;
        }
    }

    public static async Task<IReadOnlyList<Frame>> GetAllFramesAsync(this ISessionGrain session) => (await session.GetFramesAsync(0)).Value;
}
