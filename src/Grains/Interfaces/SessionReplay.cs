using MarketSim.Model.Scenario;

namespace MarketSim.Grains.Interfaces;

/// <summary>
/// Everything needed to rebuild a session's state: the scenario with the session's whole policy timeline (live changes
/// included) as its policies, the seed, and the next tick to run. A run is a function of (scenario, seed), so starting a
/// session from <see cref="Scenario"/> and running it to <see cref="Tick"/> reproduces the same state and frames: a fork.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SessionReplay(
    [property: Id(0)] ScenarioSpec Scenario,
    [property: Id(1)] ulong Seed,
    [property: Id(2)] int Tick,
    [property: Id(3)] SessionSettings Settings);
