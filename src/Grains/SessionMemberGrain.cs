using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains;

/// <summary>
/// Base of the grains that belong to a session. The scenario arrives once, at initialisation, and is kept in memory only
/// (persisting a copy per agent would cost more than the agents' own state); after a reactivation from a checkpoint the
/// grain asks its session for it once (GetScenarioAsync interleaves, so this works mid-tick).
/// </summary>
public abstract class SessionMemberGrain : Grain
{
    ScenarioSpec? _world;

    protected string SessionId => GrainKeys.SessionOf(this.GetPrimaryKeyString());

    protected void SetWorld(ScenarioSpec world) => _world = world;

    protected async ValueTask<ScenarioSpec> WorldAsync()
    {
        if (_world is null)
            _world = (await GrainFactory.GetGrain<ISessionGrain>(SessionId).GetScenarioAsync()).Value;
        return _world;
    }

    public Task<string> GetSiloAsync() => Task.FromResult(RuntimeIdentity);

    protected InvalidOperationException NotInitialised() =>
        new($"{GetType().Name} \"{this.GetPrimaryKeyString()}\" has not been initialised: start its session first.");
}
