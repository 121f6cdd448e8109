using MarketSim.Model.Policies;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>
/// Under a licence an order runs through several applications, each drawn on its own; what the approved ones buy serves the
/// whole order's need, so the unmet demand the price rule reads is the order's, not the sum of its refused parts'
/// (docs/MODEL.md, "Markets", demand). Before Dec 2026 each application counted its own shortfall: at an approval rate of 0.5
/// the refused half of every order counted half the buyer's need as unmet while the approved half bought all of it.
/// </summary>
public class LicenceDemandTests
{
    /// <summary>A year of the baseline world, precaution off, with China licensing Dy oxide to every destination with a one-day
    /// review at <paramref name="approval"/>: the world Dy price over its reference on the last day, and Japan's Dy imports
    /// over the last 95 days.</summary>
    static (double Price, double Imports) Run(double approval)
    {
        var b = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var spec = b with
        {
            Buyers = b.Buyers with { PrecautionMaxCoverDays = 0 },
            Policies = [.. b.Policies, new ExportControl
            {
                Id = "cn-dy-licence", Start = 0, Exporter = "CN", Commodities = ["dy_oxide"], Mode = ControlMode.License,
                ApprovalRate = approval, DelayMinDays = 1, DelayMaxDays = 1,
            }],
        };
        var frames = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
        var price = frames[^1].Prices.Single(p => p.Commodity == "dy_oxide" && p.Market == "world").Price / spec.Commodity("dy_oxide").ReferencePrice;
        var imports = frames.Where(f => f.Tick >= 270).SelectMany(f => f.Flows)
            .Where(x => x.Commodity == "dy_oxide" && x.Destination == "JP" && x.Exporter != "JP").Sum(x => x.Quantity);
        return (price, imports);
    }

    [Fact]
    public void Refused_applications_whose_need_the_approved_ones_met_do_not_raise_the_price()
    {
        var all = Run(1);
        var half = Run(0.5);
        var said = $"approval 1: world Dy {all.Price:F2}x, Japan's imports {all.Imports:F1} t; 0.5: {half.Price:F2}x, {half.Imports:F1} t";
        // Japan gets nearly the same Dy either way: refused applications come through with later approvals.
        Assert.True(half.Imports > 0.97 * all.Imports, said);
        // Measured Dec 2026, seed 7, producers opening at their store's target: 1.00x and 1.42x (counted per application: 1.00x
        // and 1.99x, on 95.8 t and 93.7 t). What is left of the gap is partly the lumpiness of supply under independent draws,
        // partly a day's overfill not netted against later days (docs/MODEL.md, known limitations).
        Assert.True(half.Price < 1.6 * all.Price, said);
    }
}
