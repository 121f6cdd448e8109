namespace MarketSim.Model.Tests;

/// <summary>Thrift lowers an input's use per unit only while its price is above the reference, and never below the floor.</summary>
public class ThriftTests
{
    static readonly DemandSettings Demand = new() { Elasticity = 0.5, LagDays = 10, Floor = 0.6 };
    static readonly Dictionary<string, ThriftSpec> NoSpecs = new();

    [Fact]
    public void At_or_below_the_reference_price_intensity_stays_at_one()
    {
        var s = new FirmState();
        for (int i = 0; i < 50; i++) Thrift.Update(s, NoSpecs, Demand, "oxide", price: 1000, reference: 1000);
        for (int i = 0; i < 50; i++) Thrift.Update(s, NoSpecs, Demand, "oxide", price: 400, reference: 1000);
        Assert.Equal(1, s.Intensity["oxide"]);
    }

    [Fact]
    public void Above_the_reference_price_intensity_falls_with_a_lag_towards_the_target()
    {
        Assert.Equal(Math.Pow(2, -0.5), Thrift.Target(2000, 1000, elasticity: 0.5, floor: 0.1), 12);
        var s = new FirmState();
        Thrift.Update(s, NoSpecs, Demand, "oxide", price: 2000, reference: 1000);
        // One tenth of the way from 1 to 2^−0.5.
        Assert.Equal(1 + (Math.Pow(2, -0.5) - 1) / 10, s.Intensity["oxide"], 12);
    }

    [Fact]
    public void Intensity_never_goes_below_the_floor()
    {
        var s = new FirmState();
        for (int i = 0; i < 1000; i++)
        {
            Thrift.Update(s, NoSpecs, Demand, "oxide", price: 40_000, reference: 1000); // target (40)^−0.5 ≈ 0.16 < floor 0.6
            Assert.True(s.Intensity["oxide"] >= 0.6, $"intensity {s.Intensity["oxide"]} below the floor at step {i}");
        }
        Assert.Equal(0.6, s.Intensity["oxide"], 6);
    }

    [Fact]
    public void When_the_price_falls_back_intensity_recovers_towards_one_but_not_above()
    {
        var s = new FirmState();
        for (int i = 0; i < 30; i++) Thrift.Update(s, NoSpecs, Demand, "oxide", 4000, 1000);
        var low = s.Intensity["oxide"];
        Assert.True(low < 0.95);
        var previous = low;
        for (int i = 0; i < 200; i++)
        {
            Thrift.Update(s, NoSpecs, Demand, "oxide", 1000, 1000);
            Assert.True(s.Intensity["oxide"] > previous && s.Intensity["oxide"] <= 1);
            previous = s.Intensity["oxide"];
        }
        Assert.Equal(1, s.Intensity["oxide"], 6);
    }

    [Fact]
    public void A_firms_own_floor_and_lag_override_the_scenario_defaults()
    {
        var specs = new Dictionary<string, ThriftSpec> { ["dy"] = new ThriftSpec(Floor: 0.9, Elasticity: null, LagDays: 1) };
        var s = new FirmState();
        Thrift.Update(s, specs, Demand, "dy", 40_000, 1000);
        Assert.Equal(0.9, s.Intensity["dy"], 12); // lag 1: reaches the target (its own floor 0.9) at once
    }
}
