using MarketSim.Model.Attribution;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Classrooms;

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
    // Per country, each tick's leading indicators (small rows, not the frames).
    Dictionary<string, List<LeadingIndicators.Tick>> _indicators = new(StringComparer.Ordinal);
    int _ticks;

    void Step()
    {
        var f = _runner.Step();
        _outcomes.Add(f);
        foreach (var c in world.Countries) (_indicators.TryGetValue(c.Id, out var l) ? l : _indicators[c.Id] = []).Add(LeadingIndicators.Of(world, f, c.Id));
    }

    void Reach(int ticks)
    {
        if (ticks < _ticks) { _runner = new(world, seed); _outcomes = new(world); _indicators = new(StringComparer.Ordinal); _ticks = 0; }
        for (; _ticks < ticks; _ticks++) Step();
    }

    /// <summary>The country's leading indicators over ticks [<paramref name="from"/>, <paramref name="to"/>) of the world nobody played.</summary>
    public LeadingIndicators Indicators(string country, int from, int to)
    {
        lock (_gate)
        {
            Reach(to);
            var l = _indicators.GetValueOrDefault(country) ?? [];
            from = Math.Clamp(from, 0, l.Count);
            return LeadingIndicators.Over(l.GetRange(from, Math.Clamp(to, from, l.Count) - from));
        }
    }

    /// <summary>Each country's outcome over the first <paramref name="ticks"/> ticks of the world nobody played.</summary>
    public IReadOnlyList<CountryOutcome> Outcomes(int ticks)
    {
        lock (_gate)
        {
            Reach(ticks);
            return _outcomes.Build();
        }
    }
}
