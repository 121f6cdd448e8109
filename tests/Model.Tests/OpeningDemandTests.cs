using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>A producer opens expecting to sell its capacity's share of what buyers take, so a no-policy world opens in step.</summary>
public class OpeningDemandTests
{
    static readonly CommoditySpec Ore = new() { Id = "ore", ReferencePrice = 10, InitialOrigin = "AU" };
    static readonly CommoditySpec Tb = new() { Id = "tb", ReferencePrice = 5000, InitialOrigin = "CN" };

    [Fact]
    public void Demand_flows_up_the_chain_from_manufacturers_to_mines()
    {
        // A manufacturer takes 40 oxide a day from separators of 50; they take 2 ore per oxide from mines of 100.
        var world = TestWorld.Make(
            commodities: [Ore, TestWorld.Oxide, Tb],
            producers:
            [
                new() { Id = "au-mine", Country = "AU", Output = "ore", Capacity = 100, UnitCost = 5 },
                new() { Id = "cn-sep", Country = "CN", Output = "oxide", Capacity = 30, UnitCost = 500, Inputs = new Dictionary<string, double> { ["ore"] = 2 } },
                new() { Id = "jp-sep", Country = "JP", Output = "oxide", Capacity = 20, UnitCost = 500, Inputs = new Dictionary<string, double> { ["ore"] = 2 } },
            ],
            manufacturers: [new() { Id = "jp-maker", Country = "JP", Sector = "car", PlannedOutput = 40, OutputValue = 1e6, ValueAdded = 1e5, CoverDays = 30, Inputs = new Dictionary<string, double> { ["oxide"] = 1 } }]);

        Assert.Equal(0.8, world.OpeningUtilisation("oxide"), 12);
        Assert.Equal(0.8, world.OpeningUtilisation("ore"), 12);   // 2 × 40 of 100
        Assert.Equal(1, world.OpeningUtilisation("tb"));           // no producer and no buyer: outside the model

        // Each separator expects its capacity's share of the 40 and holds its inputs and its store for that, not for its capacity.
        var cn = ProducerRules.Initialise(world, world.Producers[1]);
        Assert.Equal(24, cn.ExpectedSales, 12);
        Assert.Equal(30 * 24, Stock.Total(cn.Finished["oxide"]), 9);
        Assert.Equal(30 * 2 * 24, Stock.Total(cn.Inputs["ore"]), 9);
    }

    [Fact]
    public void A_joint_producer_uses_inputs_for_its_main_outputs_sales_and_a_commodity_nobody_buys_plans_on_capacity()
    {
        // The separator makes tb beside oxide: its store of oxide holds its output to oxide's sales, so it uses ore for those
        // (it plans its buying on capacity, but what it buys beyond its use stays in its position).
        var world = TestWorld.Make(
            commodities: [Ore, TestWorld.Oxide, Tb],
            producers:
            [
                new() { Id = "au-mine", Country = "AU", Output = "ore", Capacity = 100, UnitCost = 5 },
                new() { Id = "cn-sep", Country = "CN", Output = "oxide", Capacity = 50, UnitCost = 500, Inputs = new Dictionary<string, double> { ["ore"] = 1 }, CoProducts = new Dictionary<string, double> { ["tb"] = 0.2 } },
            ],
            manufacturers: [new() { Id = "jp-maker", Country = "JP", Sector = "car", PlannedOutput = 25, OutputValue = 1e6, ValueAdded = 1e5, CoverDays = 30, Inputs = new Dictionary<string, double> { ["oxide"] = 1 } }]);

        Assert.Equal(0.5, world.OpeningUtilisation("oxide"), 12);
        Assert.Equal(0.25, world.OpeningUtilisation("ore"), 12); // the 25 its oxide sells, of 100
        Assert.Equal(1, world.OpeningUtilisation("tb"));          // made, but no buyer in the scenario
    }

    [Fact]
    public void The_shipped_baseline_opens_in_step()
    {
        // Before Dec 2026 every producer opened expecting to sell its capacity: light-REE concentrate traded 956 t on day 0,
        // none on days 3-14, and its price fell to 0.79x on day 10 with no policy in force.
        var spec = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml")) with { Days = 31 };
        var frames = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
        double Traded(Frame f) => f.Flows.Where(x => x.Commodity == "lree_concentrate").Sum(x => x.Quantity);
        var first = Traded(frames[0]);
        Assert.True(first > 0);
        foreach (var f in frames) Assert.InRange(Traded(f), 0.99 * first, 1.01 * first);
        foreach (var p in frames[30].Prices)
            Assert.InRange(p.Price / spec.Commodity(p.Commodity).ReferencePrice, 0.97, 1.0);
    }

    [Fact]
    public void With_no_policy_the_baseline_holds_its_reference_prices_for_a_year()
    {
        // The reference prices are what buyers paid at the world's opening utilisation (capacity = output × 1.03, producers
        // breaking even at them), so the market reads supply at that utilisation. Before Dec 2026 spare capacity counted in
        // full and by day 364 every price had slid: magnets 0.934×, NdPr 0.934×, Dy 0.947×, gallium 0.958×.
        var spec = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        foreach (var f in new ReferenceRunner(spec, spec.Seed).Run(spec.Days))
            foreach (var p in f.Prices)
                Assert.InRange(p.Price / spec.Commodity(p.Commodity).ReferencePrice, 0.995, 1.005);
    }
}
