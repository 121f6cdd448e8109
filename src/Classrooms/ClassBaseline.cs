using MarketSim.Model.Attribution;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Classrooms;

/// <summary>
/// The world nobody played: the classroom's scenario with only its own policies, the same seed, run on the reference runner
/// as far as the class has come. The score counts each country's outcome against it, so a country is ranked on what the
/// class's decisions changed, not on its size or trade structure (Myanmar exporting much for its GDP would lead from day one).
/// A function of (scenario, seed) alone, so classes of the same scenario and seed may share one. Thread-safe; steps only
/// forward: a class behind the others (or reset) is answered from what was kept (each tick's indicators, the outcomes at
/// each tick asked for), or else from a run of its own to that tick, never by restarting the shared run.
/// </summary>
public sealed class ClassBaseline(ScenarioSpec world, ulong seed)
{
    readonly object _gate = new();
    readonly ReferenceRunner _runner = new(world, seed);
    readonly OutcomeAccumulator _outcomes = new(world);
    // Per country, each tick's leading indicators (small rows, not the frames).
    readonly Dictionary<string, List<LeadingIndicators.Tick>> _indicators = new(StringComparer.Ordinal);
    // The outcomes over the first t ticks, for each t asked for.
    readonly Dictionary<int, IReadOnlyList<CountryOutcome>> _outcomesAt = new();
    int _ticks;

    void Reach(int ticks)
    {
        for (; _ticks < ticks; _ticks++)
        {
            var f = _runner.Step();
            _outcomes.Add(f);
            foreach (var c in world.Countries) (_indicators.TryGetValue(c.Id, out var l) ? l : _indicators[c.Id] = []).Add(LeadingIndicators.Of(world, f, c.Id));
        }
    }

    /// <summary>The country's leading indicators over ticks [<paramref name="from"/>, <paramref name="to"/>) of the world nobody played.</summary>
    public LeadingIndicators Indicators(string country, int from, int to)
    {
        lock (_gate)
        {
            Reach(to);
            var l = _indicators.GetValueOrDefault(country) ?? [];
            to = Math.Clamp(to, 0, l.Count);
            from = Math.Clamp(from, 0, to);
            return LeadingIndicators.Over(l.GetRange(from, to - from));
        }
    }

    /// <summary>Each country's outcome over the first <paramref name="ticks"/> ticks of the world nobody played.</summary>
    public IReadOnlyList<CountryOutcome> Outcomes(int ticks)
    {
        lock (_gate)
        {
            if (_outcomesAt.TryGetValue(ticks, out var kept)) return kept;
            IReadOnlyList<CountryOutcome> built;
            if (ticks >= _ticks)
            {
                Reach(ticks);
                built = _outcomes.Build();
            }
            else
            {
                // Behind the shared run, at a tick nobody asked for on the way: a run of its own to there.
                var runner = new ReferenceRunner(world, seed);
                var outcomes = new OutcomeAccumulator(world);
                for (var t = 0; t < ticks; t++) outcomes.Add(runner.Step());
                built = outcomes.Build();
            }
            _outcomesAt[ticks] = built;
            return built;
        }
    }
}
