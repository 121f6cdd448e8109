namespace MarketSim.Model.Tests;

public class ManufacturerRulesTests
{
    static readonly ScenarioSpec World = TestWorld.Make(commodities:
    [
        new CommoditySpec { Id = "a", ReferencePrice = 100, InitialOrigin = "CN" },
        new CommoditySpec { Id = "b", ReferencePrice = 100, InitialOrigin = "CN" },
    ]);

    static ManufacturerSpec Maker => new()
    {
        Id = "jp-auto", Country = "JP", Sector = "automotive", PlannedOutput = 10, OutputValue = 1000, ValueAdded = 300,
        Inputs = new Dictionary<string, double> { ["a"] = 2, ["b"] = 1 }, CoverDays = 30,
    };

    static (AgentReport Report, FirmState State) Produce(double stockA, double stockB)
    {
        var s = new FirmState { Id = "jp-auto", HomeSegment = "world" };
        s.Inputs["a"] = new() { ["CN"] = stockA };
        s.Inputs["b"] = new() { ["CN"] = stockB };
        var r = ManufacturerRules.Settle(World, Maker, s, new AgentSettlement(0, [], [], 0), TestWorld.Context(World));
        return (r, s);
    }

    [Fact]
    public void Output_falls_by_the_missing_input_Leontief()
    {
        // 10 units of a make 5 units of output (2 a per unit); b is plentiful but cannot stand in for a.
        var (r, s) = Produce(stockA: 10, stockB: 100);
        Assert.Equal(5 * 300, r.Loss, 9);
        Assert.Equal(10 * 300, r.PlannedValueAdded, 9);
        var a = r.Shortages.Single(x => x.Commodity == "a");
        Assert.Equal(20, a.Required, 9);
        Assert.Equal(10, a.Unmet, 9);
        Assert.Equal(0, r.Shortages.Single(x => x.Commodity == "b").Unmet);
        Assert.Equal(0, Stock.Total(s.Inputs["a"]), 9);
        Assert.Equal(95, Stock.Total(s.Inputs["b"]), 9); // only what 5 units of output use
    }

    [Fact]
    public void With_enough_of_every_input_output_is_as_planned_and_there_is_no_loss()
    {
        var (r, s) = Produce(stockA: 25, stockB: 10);
        Assert.Equal(0, r.Loss);
        Assert.All(r.Shortages, x => Assert.Equal(0, x.Unmet));
        Assert.Equal(5, Stock.Total(s.Inputs["a"]), 9);
        Assert.Equal(0, Stock.Total(s.Inputs["b"]), 9);
    }

    [Fact]
    public void Without_one_input_nothing_is_made()
    {
        var (r, _) = Produce(stockA: 1000, stockB: 0);
        Assert.Equal(10 * 300, r.Loss, 9);
    }
}
