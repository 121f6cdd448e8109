using System.Text.Json;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Attribution;

/// <summary>
/// What differs between two scenarios apart from their policies. A baseline from another file is only a measure of the run's
/// policies when the world is the same: otherwise every difference in vs_baseline.csv mixes the policies' effect with the
/// worlds' (another year's capacities, firms' stocks, a start date), and nothing in the numbers shows it.
/// </summary>
public static class WorldDifferences
{
    static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    /// <summary>One line per difference, in the user's words; empty when only policies (and name, seed, days) differ.</summary>
    public static IReadOnlyList<string> Between(ScenarioSpec run, ScenarioSpec baseline)
    {
        var found = new List<string>();
        if (run.StartDate != baseline.StartDate) found.Add($"start date {run.StartDate:yyyy-MM-dd} against {baseline.StartDate:yyyy-MM-dd}");
        if (run.Currency != baseline.Currency) found.Add($"currency {run.Currency} against {baseline.Currency}");
        void Setting(string what, object a, object b)
        {
            if (!Same(a, b)) found.Add($"{what} differ");
        }
        Setting("demand settings", run.Demand, baseline.Demand);
        Setting("buyers' settings", run.Buyers, baseline.Buyers);
        Setting("investment settings", run.Investment, baseline.Investment);
        Setting("transport times", run.Transport, baseline.Transport);
        Setting("price segments", run.Segments, baseline.Segments);
        if (run.ContentOrigin != baseline.ContentOrigin) found.Add("content-origin tracking differs");
        Members("commodities", run.Commodities, baseline.Commodities, c => c.Id, found);
        Members("countries", run.Countries, baseline.Countries, c => c.Id, found);
        Members("producers", run.Producers, baseline.Producers, p => p.Id, found);
        Members("manufacturers", run.Manufacturers, baseline.Manufacturers, m => m.Id, found);
        return found;
    }

    static void Members<T>(string what, IReadOnlyList<T> run, IReadOnlyList<T> baseline, Func<T, string> id, List<string> found)
    {
        var there = baseline.ToDictionary(id, StringComparer.Ordinal);
        var here = run.ToDictionary(id, StringComparer.Ordinal);
        var onlyRun = run.Select(id).Where(x => !there.ContainsKey(x)).ToList();
        var onlyBaseline = baseline.Select(id).Where(x => !here.ContainsKey(x)).ToList();
        var changed = run.Where(x => there.TryGetValue(id(x), out var b) && !Same(x!, b!)).Select(id).ToList();
        if (onlyRun.Count > 0) found.Add($"{what} only in the run: {List(onlyRun)}");
        if (onlyBaseline.Count > 0) found.Add($"{what} only in the baseline: {List(onlyBaseline)}");
        if (changed.Count > 0) found.Add($"{what} that differ: {List(changed)}");
    }

    static bool Same(object a, object b) => JsonSerializer.Serialize(a, a.GetType(), Json) == JsonSerializer.Serialize(b, b.GetType(), Json);

    static string List(List<string> ids) => ids.Count <= 6 ? string.Join(", ", ids) : string.Join(", ", ids.Take(6)) + $" and {ids.Count - 6} more";
}
