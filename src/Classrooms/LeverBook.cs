using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Classrooms;

/// <summary>
/// The current value and decision count of every country's levers, and the policy changes each decision makes. The live
/// classroom and its replay feed it the same decisions in the same order, so they make the same changes.
/// </summary>
public sealed class LeverBook(ScenarioSpec world)
{
    readonly Dictionary<string, IReadOnlyList<Lever>> _levers = new(StringComparer.Ordinal);
    readonly Dictionary<string, (double Value, int Version)> _state = new(StringComparer.Ordinal);

    public IReadOnlyList<Lever> LeversOf(string country)
    {
        if (!_levers.TryGetValue(country, out var l)) _levers[country] = l = LeverCatalog.For(world, country);
        return l;
    }

    public Lever? Find(string country, string leverId) => LeversOf(country).FirstOrDefault(l => l.Id == leverId);

    /// <summary>The value in force (persistent levers) or last chosen (one-off actions), default if never decided.</summary>
    public double ValueOf(Lever lever) => _state.TryGetValue(Key(lever), out var s) && lever.Persistent ? s.Value : lever.Default;

    /// <summary>The policy changes of a decision, in the order they must apply.</summary>
    public IReadOnlyList<PolicyChange> Apply(Decision d)
    {
        if (d.Injected is { } p) return [new PolicyChange(p, null)];
        if (d.Removed is { } id) return [new PolicyChange(null, id)];
        var lever = Find(d.Country, d.LeverId) ?? throw new InvalidOperationException($"{d.Country} holds no lever {d.LeverId}");
        var key = Key(lever);
        var had = _state.TryGetValue(key, out var s);
        var version = (had ? s.Version : 0) + 1;
        var changes = LeverCatalog.Changes(world, lever, d.Value, had ? s.Value : null, version, d.Tick);
        _state[key] = (d.Value, version);
        return changes;
    }

    /// <summary>The book's state now, to put back with <see cref="Restore"/> if the changes it produced were not applied.</summary>
    public object Snapshot() => new Dictionary<string, (double, int)>(_state, StringComparer.Ordinal);

    public void Restore(object snapshot)
    {
        _state.Clear();
        foreach (var (k, v) in (Dictionary<string, (double, int)>)snapshot) _state[k] = v;
    }

    static string Key(Lever l) => l.Country + "/" + l.Id;
}
