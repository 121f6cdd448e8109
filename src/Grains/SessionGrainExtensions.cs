using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Grains;

/// <summary>Conveniences over <see cref="ISessionGrain"/> for callers that do not care about <see cref="Immutable{T}"/>.</summary>
public static class SessionGrainExtensions
{
    public static ISessionGrain GetSession(this IGrainFactory grains, string sessionId) => grains.GetGrain<ISessionGrain>(sessionId);

    public static Task StartAsync(this ISessionGrain session, ScenarioSpec scenario, ulong seed, SessionSettings? settings = null) =>
        session.StartAsync(scenario.AsImmutable(), seed, settings ?? SessionSettings.Default);

    public static async Task<IReadOnlyList<Frame>> GetAllFramesAsync(this ISessionGrain session) => (await session.GetFramesAsync(0)).Value;
}
