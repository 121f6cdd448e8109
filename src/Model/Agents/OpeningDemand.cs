using System.Runtime.CompilerServices;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Agents;

/// <summary>
/// The no-policy world's opening flows: what buyers take of each commodity on day 0 (manufacturers their planned output's
/// inputs, producers the inputs of the sales they expect) against what its producers can make. A producer opens expecting to
/// sell its share of that demand in proportion to its capacity (buyers' opening orders take supply reserved for their country
/// first, then capacity: Procurement.OpenSuppliers). Before Dec 2026 every producer opened expecting to sell its whole capacity while with ≈3% spare
/// capacity it sold ≈97% of it; it learnt the lower sales from buyers running their own positions down, and the cut was
/// amplified up the chain: light-REE concentrate traded 956 t on day 0 and none on days 3–14 of the baseline, its price
/// 0.79× on day 10.
/// </summary>
public static class OpeningDemand
{
    static readonly StringComparer Ord = StringComparer.Ordinal;

    /// <summary>
    /// uₖ = min(1, Dₖ/Cₖ) for every commodity: Dₖ = Σ manufacturers aₖ·q̄ + Σ producers aₖ·uₒ·K (what they make: their main
    /// output's sales, o, which their store holds them to; a joint producer too, though it plans its buying on capacity, as
    /// what it buys beyond its use stays in its position), Cₖ = Σ producers K·(1, or the co-product's ratio). 1 where the
    /// scenario has no buyer of the commodity (its demand is outside the model) or no producer; on a cycle of inputs (none in
    /// the shipped scenarios) a commodity met again while its own demand is being worked out counts at 1. Sums run over the
    /// scenario's lists in their order, so every engine gets the same figures.
    /// </summary>
    public static Dictionary<string, double> Utilisations(ScenarioSpec world)
    {
        var users = world.Commodities.ToDictionary(k => k.Id, _ => new List<ProducerSpec>(), Ord);
        foreach (var p in world.Producers)
            foreach (var k in p.InputOrder())
                if (users.TryGetValue(k, out var list)) list.Add(p);
        var manufactured = new Dictionary<string, double>(Ord);
        foreach (var m in world.Manufacturers)
            foreach (var k in m.InputOrder())
                manufactured[k] = manufactured.GetValueOrDefault(k) + m.Inputs[k] * m.PlannedOutput;

        var u = new Dictionary<string, double>(Ord);
        var open = new HashSet<string>(Ord);
        double Of(string k)
        {
            if (u.TryGetValue(k, out var known)) return known;
            if (!open.Add(k)) return 1;
            var demand = manufactured.GetValueOrDefault(k);
            foreach (var p in users.GetValueOrDefault(k) ?? [])
                demand += p.Inputs[k] * p.Capacity * Of(p.Output);
            double capacity = 0;
            foreach (var p in world.ProducersOf(k)) capacity += p.Capacity * (p.Output == k ? 1 : p.CoProducts.GetValueOrDefault(k));
            open.Remove(k);
            return u[k] = demand > 0 && capacity > 0 ? Math.Min(1, demand / capacity) : 1;
        }
        foreach (var c in world.Commodities) Of(c.Id);
        return u;
    }

    static readonly ConditionalWeakTable<ScenarioSpec, Dictionary<(string Country, string Commodity), double>> ByCountry = new();

    /// <summary>A country's buyers' opening demand for a commodity a day: its manufacturers' aₖ·q̄ and its producers' aₖ·uₒ·K, as
    /// in <see cref="Utilisations"/>. Built once per world.</summary>
    public static double OfCountry(ScenarioSpec world, string country, string commodity) =>
        ByCountry.GetValue(world, static w =>
        {
            var d = new Dictionary<(string, string), double>();
            foreach (var m in w.Manufacturers)
                foreach (var k in m.InputOrder())
                    d[(m.Country, k)] = d.GetValueOrDefault((m.Country, k)) + m.Inputs[k] * m.PlannedOutput;
            foreach (var p in w.Producers)
                foreach (var k in p.InputOrder())
                    d[(p.Country, k)] = d.GetValueOrDefault((p.Country, k)) + p.Inputs[k] * p.Capacity * w.OpeningUtilisation(p.Output);
            return d;
        }).GetValueOrDefault((country, commodity));
}
