using MarketSim.Classrooms;
using MarketSim.Model.Attribution;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>
/// The world nobody played (<see cref="ClassBaseline"/>) as the classes sharing it read it: awaited, not blocked on. While
/// it steps a round for one class, the others' reads wait without holding a thread-pool thread (ten classes blocking
/// threads at each round's opening starve the pool the sessions and the hub run on).
/// </summary>
public sealed class SharedBaseline(ScenarioSpec world, ulong seed)
{
    readonly SemaphoreSlim _gate = new(1, 1);
    ClassBaseline? _baseline;

    public Task<IReadOnlyList<CountryOutcome>> OutcomesAsync(int ticks) => Alone(b => b.Outcomes(ticks));

    public Task<LeadingIndicators> IndicatorsAsync(string country, int from, int to) => Alone(b => b.Indicators(country, from, to));

    async Task<T> Alone<T>(Func<ClassBaseline, T> read)
    {
        await _gate.WaitAsync();
        try { return read(_baseline ??= new ClassBaseline(world, seed)); } // made on first use
        finally { _gate.Release(); }
    }
}
