using Microsoft.Extensions.DependencyInjection;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains;

/// <summary>
/// Base of the grains that belong to a session. The scenario is kept in memory only (persisting a copy per agent would cost
/// more than the agents' own state), one copy per silo (<see cref="SessionWorlds"/>), fetched from the session when a silo
/// first needs it; each member knows the run (generation) its state belongs to.
/// </summary>
public abstract class SessionMemberGrain : Grain
{
    ScenarioSpec? _world;

    /// <summary>The run this member's state belongs to (set at initialisation and by every record it loads).</summary>
    protected string Generation { get; set; } = "";

    protected string SessionId => GrainKeys.SessionOf(this.GetPrimaryKeyString());

    protected SessionWorlds Worlds => ServiceProvider.GetRequiredService<SessionWorlds>();

    protected void SetWorld(string generation, ScenarioSpec world) => (Generation, _world) = (generation, world);

    /// <summary>Initialisation: the world of run <paramref name="generation"/> from this silo's copy.</summary>
    protected async Task<ScenarioSpec> LoadWorldAsync(string generation)
    {
        var world = await Worlds.GetAsync(GrainFactory, SessionId, generation);
        SetWorld(generation, world);
        return world;
    }

    protected async ValueTask<ScenarioSpec> WorldAsync()
    {
        // GetWorldPartAsync interleaves on the session, so this works mid-tick.
        _world ??= await Worlds.GetAsync(GrainFactory, SessionId, Generation);
        return _world;
    }

    /// <summary>A loaded record of another run drops the world this activation held.</summary>
    protected void LoadedRun(string generation)
    {
        if (generation != Generation) _world = null;
        Generation = generation;
    }

    public Task<string> GetSiloAsync() => Task.FromResult(RuntimeIdentity);

    protected InvalidOperationException NotInitialised() =>
        new($"{GetType().Name} \"{this.GetPrimaryKeyString()}\" has not been initialised: start its session first.");
}
