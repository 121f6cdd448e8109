using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>
/// The price rule reads the flow buyers want (docs/MODEL.md, "Markets", demand): a larger shortage moves a price further, and a
/// processed good's price follows its inputs' cost. Before Dec 2026 every buyer short of its stock target counted a whole day's
/// use as unmet, so any lasting shortfall of high-temperature magnets, 0.6% or 15%, held their price near e ≈ 2.7× (a probe).
/// </summary>
public class PriceResponseTests
{
    static readonly ScenarioSpec Shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));

    /// <summary>The world price of high-temperature magnets on the last of two years, with China's car makers planning
    /// <paramref name="factor"/> times their output.</summary>
    static double MagnetPrice(double factor)
    {
        var spec = Shipped with
        {
            Days = 730,
            Manufacturers = Shipped.Manufacturers.Select(m => m.Id.StartsWith("cn-auto/", StringComparison.Ordinal) ? m with { PlannedOutput = factor * m.PlannedOutput } : m).ToList(),
        };
        var last = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).Last();
        return last.Prices.Single(p => p.Commodity == "magnet_ht" && p.Market == "world").Price / spec.Commodity("magnet_ht").ReferencePrice;
    }

    [Fact]
    public void A_larger_shortage_raises_the_price_several_times_as_much()
    {
        var small = MagnetPrice(1.1);
        var large = MagnetPrice(1.4);
        // Measured Dec 2026: 1.32× and 2.37× (before: 2.69× and 2.96×, the log rise 1.1 times as large).
        Assert.True(Math.Log(large) > 2.5 * Math.Log(small), $"demand ×1.1: {small:F2}×, ×1.4: {large:F2}×");
        Assert.InRange(small, 1.05, 1.6);
    }

    [Fact]
    public void A_magnet_price_follows_the_cost_of_its_Dy()
    {
        // China bans Dy exports for a year: magnet makers outside China pay the world Dy price, and the world magnet price must
        // cover it in the long run rather than revert to its reference while their output is cut.
        var spec = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml")) is var b ? b with
        {
            Policies = [.. b.Policies, new Policies.ExportControl { Id = "cn-dy-ban", Start = 0, Exporter = "CN", Commodities = ["dy_oxide"] }],
        } : null!;
        var frames = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
        double Price(string commodity, string market) => frames[^1].Prices.Single(p => p.Commodity == commodity && p.Market == market).Price
            / spec.Commodity(commodity).ReferencePrice;
        Assert.True(Price("dy_oxide", "world") > 5, $"world Dy {Price("dy_oxide", "world"):F2}×");
        // A magnet maker outside China: the reference cost of its Dy is a seventh of its magnet's price, so Dy at several times its
        // reference must lift the magnet well above its reference.
        Assert.True(Price("magnet_ht", "world") > 1.3, $"world magnet {Price("magnet_ht", "world"):F2}×, Dy {Price("dy_oxide", "world"):F2}×");
    }

    [Fact]
    public void A_trickle_of_supply_does_not_set_the_long_run_price()
    {
        // China bans Dy, Tb and high-temperature magnets to everyone. Magnet makers outside China then run for want of Dy on
        // whatever trickle they get; their cost at world Dy prices must not set the magnet price for everyone (a probe: a Dy
        // separator of 0.002% of world supply took world magnets from 14.3× to the 40× cap by day 274).
        double Magnets(double trickle)
        {
            var b = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
            var spec = b with
            {
                Days = 271,
                Producers = b.Producers.Select(p => p.Id == "au-sep-hree" ? p with { Capacity = trickle } : p).ToList(),
                Policies = [.. b.Policies, new Policies.ExportControl { Id = "cn-ban-all", Start = 0, Exporter = "CN", Commodities = ["dy_oxide", "tb_oxide", "magnet_ht"] }],
            };
            return new ReferenceRunner(spec, spec.Seed).Run(spec.Days).Last().Prices.Single(p => p.Commodity == "magnet_ht" && p.Market == "world").Price;
        }
        var none = Magnets(0);
        var trickle = Magnets(0.0001);
        Assert.InRange(trickle / none, 0.95, 1.05);
    }
}
