using MarketSim.Model.Attribution;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Classrooms;

/// <summary>
/// The world nobody played: the classroom's scenario with only its own policies, the same seed, run on the reference runner
/// as far as the class has come. The score counts each country's outcome against it, so a country is ranked on what the
/// class's decisions changed, not on its size or trade structure (Myanmar exporting much for its GDP would lead from day one).
/// Thread-safe; steps only forward, and restarts if asked for fewer ticks than it has run (a reset class).
/// </summary>
public sealed class ClassBaseline(ScenarioSpec world, ulong seed)
{
    readonly object _gate = new();
    ReferenceRunner _runner = new(world, seed);
    OutcomeAccumulator _outcomes = new(world);
    int _ticks;

    /// <summary>Each country's outcome over the first <paramref name="ticks"/> ticks of the world nobody played.</summary>
    public IReadOnlyList<CountryOutcome> Outcomes(int ticks)
    {
        lock (_gate)
        {
            if (ticks < _ticks) { _runner = new(world, seed); _outcomes = new(world); _ticks = 0; }
            for (; _ticks < ticks; _ticks++) _outcomes.Add(_runner.Step());
            return _outcomes.Build();
        }
    }
}
