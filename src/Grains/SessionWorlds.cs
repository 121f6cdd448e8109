using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains;

/// <summary>
/// One copy of each session's scenario per silo, shared by the session's members there. A scenario of 100,000 firms is tens
/// of megabytes: it crosses to a silo once (fetched from the session on first need), not once per shard or per grain.
/// Keyed by session and generation (a fresh id per <c>StartAsync</c>), so a restarted session never reads an older world.
/// </summary>
public sealed class SessionWorlds
{
    readonly object _gate = new();
    readonly Dictionary<string, (string Generation, Task<ScenarioSpec> World)> _worlds = new(StringComparer.Ordinal);

    /// <summary>The world of <paramref name="session"/>'s run <paramref name="generation"/>, fetched from the session if this silo has not got it.</summary>
    public Task<ScenarioSpec> GetAsync(IGrainFactory grains, string session, string generation)
    {
        lock (_gate)
        {
            if (_worlds.TryGetValue(session, out var known) && known.Generation == generation && !known.World.IsFaulted && !known.World.IsCanceled)
                return known.World;
            var fetch = FetchAsync(grains, session, generation);
            _worlds[session] = (generation, fetch);
            return fetch;
        }
    }

    static async Task<ScenarioSpec> FetchAsync(IGrainFactory grains, string session, string generation) =>
        (await grains.GetGrain<ISessionGrain>(session).GetWorldAsync(generation)).Value;

    /// <summary>The session's own silo has the world already.</summary>
    public void Put(string session, string generation, ScenarioSpec world)
    {
        lock (_gate) _worlds[session] = (generation, Task.FromResult(world));
    }

    public void Forget(string session)
    {
        lock (_gate) _worlds.Remove(session);
    }
}
