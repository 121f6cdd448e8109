using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Classrooms;

/// <summary>
/// What a student watches before any GDP is lost: over a window of ticks (the last round), their country's shortage, export
/// revenue, the lead time of what it bought from order to arrival, its lowest stock cover at the window's end, and the prices
/// of the commodities it uses (its own price segment, weighted by daily use, as a share of reference). Shown beside the same
/// numbers in the world nobody played (<see cref="ClassBaseline"/>), so a student sees what the class's decisions changed.
/// </summary>
public sealed record LeadingIndicators(double Shortage, double ExportRevenue, double? LeadTimeDays, double? LowestCoverDays, double? InputPriceIndex)
{
    /// <summary>One tick's rows for one country: accumulated by <see cref="Over"/>.</summary>
    public sealed record Tick(double Required, double Unmet, double ExportRevenue, double LeadQuantity, double LeadDaysQuantity,
        double? LowestCover, double? PriceIndex);

    public static Tick Of(ScenarioSpec world, Frame f, string country)
    {
        double required = 0, unmet = 0, exports = 0, q = 0, dq = 0;
        foreach (var s in f.Shortages) if (s.Country == country) { required += s.Required; unmet += s.Unmet; }
        foreach (var a in f.Accounts) if (a.Country == country) exports += a.ExportRevenue;
        foreach (var l in f.LeadTimes) if (l.Destination == country && l.Quantity > 0) { q += l.Quantity; dq += l.Quantity * l.Days; }
        double? cover = null;
        foreach (var c in f.Cover) if (c.Country == country) cover = cover is { } m ? Math.Min(m, c.Days) : c.Days;
        var use = LeverCatalog.DailyUse(world, country);
        var segment = world.SegmentOf(country);
        double weight = 0, index = 0;
        foreach (var p in f.Prices)
            if (p.Market == segment && use.TryGetValue(p.Commodity, out var u) && u > 0 && world.Commodity(p.Commodity).ReferencePrice is > 0 and var reference)
            {
                var w = u * reference;
                weight += w;
                index += w * p.Price / reference;
            }
        return new Tick(required, unmet, exports, q, dq, cover, weight > 0 ? index / weight : null);
    }

    /// <summary>The indicators over consecutive ticks (oldest first): sums and quantity-weighted means; cover and prices at the last.</summary>
    public static LeadingIndicators Over(IReadOnlyList<Tick> ticks)
    {
        var required = ticks.Sum(t => t.Required);
        var q = ticks.Sum(t => t.LeadQuantity);
        return new LeadingIndicators(required > 0 ? ticks.Sum(t => t.Unmet) / required : 0, ticks.Sum(t => t.ExportRevenue),
            q > 0 ? ticks.Sum(t => t.LeadDaysQuantity) / q : null, ticks.Count > 0 ? ticks[^1].LowestCover : null,
            ticks.Count > 0 ? ticks[^1].PriceIndex : null);
    }
}
