using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>
/// The 2010 backcast (scenarios/japan-2010.yaml; docs/MODEL.md, "The 2010 backcast"): the rows of the calibration table the
/// model reaches, with the bands stated there, and the direction of the rows it misses (the table says by how much and why).
/// </summary>
public class BackcastTests
{
    static readonly Lazy<(ScenarioSpec Spec, IReadOnlyList<Frame> Frames)> Run = new(() =>
    {
        var spec = ScenarioLoader.LoadOrThrow(Paths.Scenario("japan-2010.yaml"));
        return (spec, new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList());
    });

    static double ShareFromChina(int year)
    {
        double cn = 0, all = 0;
        foreach (var f in Run.Value.Frames.Where(f => f.Date.Year == year).SelectMany(f => f.Flows))
            if (f.Destination == "JP" && f.Exporter != "JP" && f.Commodity is "ndpr_oxide" or "dy_oxide" or "tb_oxide")
            {
                all += f.Quantity;
                if (f.Exporter == "CN") cn += f.Quantity;
            }
        return cn / all;
    }

    static double DyPrice(string market, DateOnly day) =>
        Run.Value.Frames.First(f => f.Date == day).Prices.Single(p => p.Commodity == "dy_oxide" && p.Market == market).Price;

    const double Dy2008 = 118_000; // USD per t, the reference price: ≈$118/kg in 2008 (Lynas data via mining.com)

    [Fact]
    public void Japan_takes_about_82_percent_of_its_rare_earths_from_China_in_2010()
    {
        Assert.InRange(ShareFromChina(2010), 0.77, 0.87); // Ministry of Finance: 82%; band ±5 points
    }

    [Fact]
    public void Japans_share_from_China_falls_by_2014_as_supply_outside_China_comes_in()
    {
        // Published: 82% → 60%. The model overshoots (docs/MODEL.md): asserted here is the direction and a fall of 10+ points.
        Assert.True(ShareFromChina(2014) < ShareFromChina(2010) - 0.10, $"2010 {ShareFromChina(2010):P1}, 2014 {ShareFromChina(2014):P1}");
    }

    [Fact]
    public void The_Dy_price_outside_China_spikes_in_2010_11_and_falls_back_while_Chinas_stays_low()
    {
        double Peak(string market) => Run.Value.Frames.Where(f => f.Date.Year is 2010 or 2011)
            .Max(f => f.Prices.Single(p => p.Commodity == "dy_oxide" && p.Market == market).Price);
        // Published 19–26× (Oct 2011); missed low: 4.3× abroad on 20 Nov 2010 since quotas accrue through their period and
        // producers open at their store's target (Dec 2026). Before, each month's quota opened whole on its first day, shipped
        // at once and left the rest of the month without Chinese Dy, and producers' stores filled from 5 days through 2010:
        // 8.0× (27 Jan 2011), 11.7× before the flow demand count. What is missing: speculative and precautionary
        // stock-building by traders and firms outside the chain, which the model does not hold (docs/MODEL.md, the backcast).
        // Pinned: a spike of several times the pre-quota price abroad, none in China.
        Assert.True(Peak("world") > 3 * Dy2008, $"2010–11 peak {Peak("world") / Dy2008:F1}× the 2008 price (published 19–26×)");
        Assert.True(Peak("china") < 1.2 * Dy2008, $"China's 2010–11 peak {Peak("china") / Dy2008:F1}×");
        // Year-end 2011 ≈$1,400/kg ≈ 12× (USGS MCS 2016). Missed low (1.6× since Dec 2026's rules above; 3.2× before): magnets
        // trade at one price without a control (the law of one price), so magnet making moves into China at once and Dy demand
        // abroad falls; the barriers that slowed that in 2011 (magnet patents, speculative stock) are not modelled. Pinned: the
        // quota still a wedge, the price abroad above China's.
        var world = DyPrice("world", new DateOnly(2011, 12, 31));
        Assert.True(world > 1.3 * DyPrice("china", new DateOnly(2011, 12, 31)) && world > Dy2008, $"year-end 2011 abroad {world / Dy2008:F1}×");
        // And the spike ends: by the end of 2013 the price abroad is back under 3× the 2008 level.
        Assert.True(DyPrice("world", new DateOnly(2013, 12, 31)) < 3 * Dy2008);
    }
}
