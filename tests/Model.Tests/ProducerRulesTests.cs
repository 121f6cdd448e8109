namespace MarketSim.Model.Tests;

public class ProducerRulesTests
{
    static readonly ScenarioSpec World = TestWorld.Make(commodities:
    [
        new CommoditySpec { Id = "oxide", ReferencePrice = 1000, InitialOrigin = "CN" },
        new CommoditySpec { Id = "magnet", ReferencePrice = 2000, InitialOrigin = "CN" },
        new CommoditySpec { Id = "ore", ReferencePrice = 100, InitialOrigin = "AU" },
        new CommoditySpec { Id = "dy", ReferencePrice = 5000, InitialOrigin = "CN" },
        new CommoditySpec { Id = "tb", ReferencePrice = 20000, InitialOrigin = "CN" },
    ]);

    static FirmState Start(ProducerSpec p, Dictionary<string, Dictionary<string, double>> inputs)
    {
        var s = ProducerRules.Initialise(World, p);
        s.Pipeline.Clear(); // nothing arrives during the test: the stock below is all there is
        s.Inputs = inputs;
        return s;
    }

    static void Settle(ProducerSpec p, FirmState s) =>
        ProducerRules.Settle(World, p, s, new AgentSettlement(0, [], [], 0), TestWorld.Context(World));

    [Fact]
    public void Lost_output_is_what_the_producer_would_have_sold_not_its_spare_capacity()
    {
        // Capacity 10 a day, buyers take 6: when its oxide runs out, it loses 6 days' worth of value added a day, not 10 (the
        // other 4 would have gone to stock nobody ordered), and its expected sales hold while it has nothing to sell.
        var p = new ProducerSpec
        {
            Id = "jp-magnet", Country = "JP", Output = "magnet", Capacity = 10, UnitCost = 100,
            Inputs = new Dictionary<string, double> { ["oxide"] = 0.5 },
        };
        var s = Start(p, new() { ["oxide"] = new() { ["CN"] = 1e6 } });
        AgentReport Day(int tick, double sold) => ProducerRules.Settle(World, p, s, new AgentSettlement(tick, [],
            sold > 0 ? [new Fill("jp-maker", "JP", p.Id, "JP", "magnet", "CN", EndUse.Civil, sold, 2000, 0, 0, null, tick, tick + 1)] : [], 0),
            TestWorld.Context(World, tick));
        // It makes 10 a day, 4 of them for stock, until its store holds 30 days of sales, then 6.
        for (int t = 0; t < 200; t++) Assert.Equal(0, Day(t, 6).Loss);
        Assert.Equal(6, s.ExpectedSales, 1);
        var expected = s.ExpectedSales;

        s.Inputs["oxide"].Clear(); // cut off; buyers still take 6 a day from its stock
        const double valueAdded = 2000 - 0.5 * 1000; // per magnet at reference prices
        for (int t = 200; t < 220; t++)
        {
            var r = Day(t, 6);
            Assert.Equal(expected * valueAdded, r.Loss, 3);
            Assert.Equal(expected * 0.5, r.Shortages.Single().Required, 6);
        }
        Assert.Equal(expected, s.ExpectedSales);
    }

    [Fact]
    public void A_producer_with_spare_capacity_buys_inputs_for_its_sales_once_its_store_is_full()
    {
        // Capacity 10 a day, buyers take 6. While its store fills it also buys oxide for the store's room, once; once the store
        // holds 30 days of sales it buys for the 6 it sells. Buying for capacity would bid a scarce input away, for output
        // nobody ordered.
        var p = new ProducerSpec
        {
            Id = "jp-magnet", Country = "JP", Output = "magnet", Capacity = 10, UnitCost = 100,
            Inputs = new Dictionary<string, double> { ["oxide"] = 0.5 },
        };
        var s = Start(p, new() { ["oxide"] = new() { ["CN"] = 1e6 } });
        AgentPlan Plan(int tick)
        {
            // With no oxide on hand or on its way, its order is the whole position it aims for.
            var held = s.Inputs;
            s.Inputs = new() { ["oxide"] = new() };
            try { return ProducerRules.Plan(World, p, s, TestWorld.Context(World, tick)); }
            finally { s.Inputs = held; }
        }
        double Normal(int tick) => Plan(tick).Bids.Sum(b => b.Normal); // its daily use: what licences and the price rule read
        double Ordered(int tick) => Plan(tick).Bids.Sum(b => b.Quantity);
        void Day(int tick, double sold) => ProducerRules.Settle(World, p, s, new AgentSettlement(tick, [],
            sold > 0 ? [new Fill("jp-maker", "JP", p.Id, "JP", "magnet", "CN", EndUse.Civil, sold, 2000, 0, 0, null, tick, tick + 1)] : [], 0),
            TestWorld.Context(World, tick));
        double Store() => Stock.Total(s.Finished["magnet"]);

        Assert.Equal(5, Normal(0), 9);
        var first = Ordered(0);
        for (int t = 0; t < 90; t++) Day(t, 6);
        Assert.Equal(180, Store(), 1);
        Assert.Equal(3, Normal(90), 3);
        var horizon = Ordered(90) / Normal(90); // cover + lead time + 1 day: no store room left to buy for
        Assert.InRange(horizon, 2, 100);
        // At the start it expects to sell all it can make (Ŝ = capacity): no spare capacity to fill its store, so no room bought.
        Assert.Equal(horizon * 5, first, 6);

        // Its buyers leave for 200 days: it makes nothing more for its store and stops buying.
        for (int t = 90; t < 290; t++) Day(t, 0);
        Assert.Equal(180, Store(), 1);
        Assert.True(Normal(290) < 0.01, $"buys for {Normal(290) / 0.5:F3} a day");

        // They come back and take 8 a day: it learns its sales again and buys for them, and for the room its store now has.
        for (int t = 290; t < 300; t++) Day(t, 8);
        Assert.True(Normal(300) > 0.5 * 4, $"buys for {Normal(300) / 0.5:F2} a day");
        Assert.True(Ordered(300) > Normal(300) * horizon + 1, "the store's room is bought on top");

        // Expecting to sell nothing, with its store sold out, it still makes and keeps its opening stock (5 days of capacity):
        // without anything on offer it would never see buyers come back.
        s.ExpectedSales = 0;
        s.Finished["magnet"].Clear();
        Assert.Equal(0.5 * 50, Ordered(300), 6);
        for (int t = 300; t < 310; t++) Day(t, 0);
        Assert.Equal(50, Store(), 1);
    }

    [Fact]
    public void Under_short_inputs_expected_sales_rise_on_what_buyers_took_but_do_not_fall()
    {
        // Inputs limit it to 2 a day. Buyers take all it has: 2 a day says they want at least 2, so expected sales learnt at 1 rise
        // towards 2; they do not fall below what it expected before because it had nothing more to sell.
        var p = new ProducerSpec
        {
            Id = "jp-magnet", Country = "JP", Output = "magnet", Capacity = 10, UnitCost = 100, InitialInventoryDays = 0, MinInventoryDays = 0,
            Inputs = new Dictionary<string, double> { ["oxide"] = 0.5 },
        };
        var s = Start(p, new() { ["oxide"] = new() });
        void Day(int tick, double oxide, double sold)
        {
            s.Inputs["oxide"]["CN"] = oxide;
            ProducerRules.Settle(World, p, s, new AgentSettlement(tick, [],
                sold > 0 ? [new Fill("jp-maker", "JP", p.Id, "JP", "magnet", "CN", EndUse.Civil, sold, 2000, 0, 0, null, tick, tick + 1)] : [], 0),
                TestWorld.Context(World, tick));
        }
        s.ExpectedSales = 1;
        for (int t = 0; t < 40; t++) Day(t, 0.5 * 2, 2);
        Assert.InRange(s.ExpectedSales, 1.95, 2);
        s.ExpectedSales = 5;
        for (int t = 40; t < 80; t++) Day(t, 0.5 * 2, 2);
        Assert.Equal(5, s.ExpectedSales);
    }

    [Fact]
    public void Origin_travels_a_magnet_made_from_CN_oxide_in_a_third_country_is_CN_origin()
    {
        var p = new ProducerSpec
        {
            Id = "jp-magnet", Country = "JP", Output = "magnet", Capacity = 10, UnitCost = 100, InitialInventoryDays = 0, MinInventoryDays = 0,
            Inputs = new Dictionary<string, double> { ["oxide"] = 0.5 },
        };
        var s = Start(p, new() { ["oxide"] = new() { ["CN"] = 30, ["AU"] = 10 } });
        Settle(p, s);
        var made = s.Finished["magnet"];
        Assert.DoesNotContain("JP", made.Keys);
        Assert.Equal(7.5, made["CN"], 9); // 10 magnets from oxide that was ¾ Chinese
        Assert.Equal(2.5, made["AU"], 9);

        // And it is offered as Chinese-origin material, which a re-export clause would catch.
        var asks = ProducerRules.Plan(World, p, s, TestWorld.Context(World)).Asks;
        Assert.Equal(["AU", "CN"], asks.Select(a => a.Origin).Order());
        Assert.All(asks, a => Assert.Equal("JP", a.SellerCountry));
    }

    [Fact]
    public void A_primary_producer_gives_its_output_its_own_country_as_origin()
    {
        var p = new ProducerSpec { Id = "au-mine", Country = "AU", Output = "ore", Capacity = 10, UnitCost = 10, InitialInventoryDays = 0, MinInventoryDays = 0 };
        var s = Start(p, new());
        Settle(p, s);
        Assert.Equal(10, s.Finished["ore"]["AU"], 9);
        Assert.Single(s.Finished["ore"]);
    }

    [Fact]
    public void Co_products_are_made_in_proportion_to_main_output()
    {
        var p = new ProducerSpec
        {
            Id = "au-sep", Country = "AU", Output = "dy", Capacity = 10, UnitCost = 100, InitialInventoryDays = 0, MinInventoryDays = 0,
            Inputs = new Dictionary<string, double> { ["ore"] = 2 }, CoProducts = new Dictionary<string, double> { ["tb"] = 0.2 },
        };
        var s = Start(p, new() { ["ore"] = new() { ["AU"] = 8 } }); // enough ore for 4 units, not 10
        Settle(p, s);
        Assert.Equal(4, Stock.Total(s.Finished["dy"]), 9);
        Assert.Equal(0.8, Stock.Total(s.Finished["tb"]), 9);
        Assert.Equal(0.8, s.Finished["tb"]["AU"], 9);
    }

    [Fact]
    public void A_joint_producer_makes_its_co_product_while_that_store_has_room_though_the_main_outputs_is_full()
    {
        // Dy's store at its target (30 days of 10) and Tb's empty: Tb's buyers take what is made, so it runs, holding the Dy.
        // Before Dec 2026 the main output's store alone set the room: no output, and Tb ran short with capacity idle (a review).
        var p = new ProducerSpec
        {
            Id = "au-sep", Country = "AU", Output = "dy", Capacity = 10, UnitCost = 100, InitialInventoryDays = 0, MinInventoryDays = 0,
            Inputs = new Dictionary<string, double> { ["ore"] = 2 }, CoProducts = new Dictionary<string, double> { ["tb"] = 0.2 },
        };
        var s = Start(p, new() { ["ore"] = new() { ["AU"] = 100 } });
        s.Finished["dy"] = new() { ["AU"] = 300 };
        Assert.Equal(300, ProducerRules.Room(p, s), 9); // room for 300 of Dy's units: Tb's store (60 t at 0.2) is empty
        Settle(p, s);
        Assert.Equal(2, Stock.Total(s.Finished["tb"]), 9);
        Assert.Equal(310, Stock.Total(s.Finished["dy"]), 9);

        // Both full: no room, no output.
        s.Finished["tb"] = new() { ["AU"] = 60 };
        Assert.Equal(0, ProducerRules.Room(p, s), 9);
    }

    [Fact]
    public void Expected_sales_do_not_fall_on_a_day_inputs_cut_what_the_producer_offered()
    {
        // Capacity 10, expected sales 10, its store full (30 days), ore for 6 units: it offered 6 a day, buyers took 5, and the
        // room they left (5) is what it made. Those sales say what its inputs allowed, not what buyers want: before Dec 2026
        // expected sales learnt down (10 → 9.5) and the loss benchmark and the store's target with them (a review's probe).
        var p = new ProducerSpec { Id = "au-sep", Country = "AU", Output = "dy", Capacity = 10, UnitCost = 100, Inputs = new Dictionary<string, double> { ["ore"] = 2 } };
        var s = Start(p, new() { ["ore"] = new() { ["AU"] = 12 } });
        s.ExpectedSales = 10;
        s.Finished["dy"] = new() { ["AU"] = 300 };
        var sold = new Fill("jp-buyer", "JP", "au-sep", "AU", "dy", "AU", EndUse.Civil, 5, 5000, 0, 0, null, 0, 45);
        ProducerRules.Settle(World, p, s, new AgentSettlement(0, [], [sold], 0), TestWorld.Context(World));
        Assert.Equal(5, Stock.Total(s.Finished["dy"]) - 295, 9); // it made the room: 5
        Assert.Equal(10, s.ExpectedSales, 9);
    }

    [Fact]
    public void Output_falls_by_the_missing_input_for_producers_too()
    {
        var p = new ProducerSpec
        {
            Id = "jp-magnet", Country = "JP", Output = "magnet", Capacity = 10, UnitCost = 100, InitialInventoryDays = 0, MinInventoryDays = 0,
            Inputs = new Dictionary<string, double> { ["oxide"] = 0.5, ["dy"] = 0.1 },
        };
        var s = Start(p, new() { ["oxide"] = new() { ["CN"] = 100 }, ["dy"] = new() { ["CN"] = 0.3 } });
        Settle(p, s);
        Assert.Equal(3, Stock.Total(s.Finished["magnet"]), 9); // 0.3 dy / 0.1 per magnet
        Assert.Equal(100 - 1.5, Stock.Total(s.Inputs["oxide"]), 9);
    }

    [Fact]
    public void Below_its_variable_cost_a_producer_cuts_its_rate_by_revenue_over_that_cost_to_the_supply_elasticity()
    {
        // Ore at 100; a unit cost of 400, half of it avoidable (the default variable share): 200 a tonne saved by not mining.
        var p = new ProducerSpec { Id = "au-mine", Country = "AU", Output = "ore", Capacity = 10, UnitCost = 400, SupplyElasticity = 2 };
        var s = ProducerRules.Initialise(World, p);
        Assert.Equal(10 * Math.Pow(100.0 / 200, 2), ProducerRules.DesiredRate(p, s, TestWorld.Context(World)), 9);
        Assert.Equal(10, ProducerRules.DesiredRate(p, s, TestWorld.Context(World, priceFactor: 2)), 9);
        // With the whole unit cost avoidable, as before Dec 2026: the full cost is the threshold.
        Assert.Equal(10 * Math.Pow(100.0 / 400, 2), ProducerRules.DesiredRate(p with { VariableCostShare = 1 }, s, TestWorld.Context(World)), 9);
    }

    [Fact]
    public void A_producer_below_its_full_cost_but_above_its_variable_cost_runs_at_capacity()
    {
        // Ore at 100 against a unit cost of 150: a loss on the full cost, but running saves 75 and earns 100. Before Dec 2026 it
        // cut output to 2/3 of capacity, so any dip of a price below the reference cut every producer's output one for one.
        var p = new ProducerSpec { Id = "au-mine", Country = "AU", Output = "ore", Capacity = 10, UnitCost = 150 };
        var s = ProducerRules.Initialise(World, p);
        Assert.Equal(10, ProducerRules.DesiredRate(p, s, TestWorld.Context(World)), 9);
    }

    [Fact]
    public void Output_lost_for_want_of_an_input_is_valued_at_reference_prices_whatever_the_market_price()
    {
        // A magnet (reference 2,000) from 0.5 oxide (1,000) and 0.1 dy (5,000): 1,000 of value added per magnet at
        // reference prices. Dy for 3 of the 10 magnets planned: 7 lost, 7,000 lost, at reference prices and at 3×.
        var p = new ProducerSpec
        {
            Id = "jp-magnet", Country = "JP", Output = "magnet", Capacity = 10, UnitCost = 100, InitialInventoryDays = 0, MinInventoryDays = 0,
            Inputs = new Dictionary<string, double> { ["oxide"] = 0.5, ["dy"] = 0.1 },
        };
        foreach (var factor in new[] { 1.0, 3.0 })
        {
            var s = Start(p, new() { ["oxide"] = new() { ["CN"] = 100 }, ["dy"] = new() { ["CN"] = 0.3 } });
            var report = ProducerRules.Settle(World, p, s, new AgentSettlement(0, [], [], 0), TestWorld.Context(World, priceFactor: factor));
            Assert.Equal(7 * 1000, report.Loss, 6);
            Assert.Equal(3 * 1000, report.ValueAddedMade, 6);
        }
    }
    [Fact]
    public void The_loss_is_measured_against_a_rate_input_prices_do_not_move()
    {
        // Dy (reference 5,000) at 30×: the magnet maker's desired rate falls to 10 × 2,000/15,550 ≈ 1.29 a day (its variable cost:
        // half its unit cost of 100, and its inputs at the prices paid, 500 + 15,000). With Dy for 0.5
        // magnets its loss is 9.5 magnets' value added however its plentiful oxide is priced: cheaper oxide raises its desired
        // rate, which must not raise its loss (measured against the desired rate, as before Dec 2026, it rose from 0.78 to 0.82
        // magnets). With Dy on hand and only its price high, the magnets it does not make for that price are lost too.
        var p = new ProducerSpec
        {
            Id = "jp-magnet", Country = "JP", Output = "magnet", Capacity = 10, UnitCost = 100, InitialInventoryDays = 0, MinInventoryDays = 0,
            Inputs = new Dictionary<string, double> { ["oxide"] = 0.5, ["dy"] = 0.1 },
        };
        double Loss(double dyStock, double oxidePrice)
        {
            var s = Start(p, new() { ["oxide"] = new() { ["CN"] = 100 }, ["dy"] = new() { ["CN"] = dyStock } });
            s.LastPrice["dy"] = 30 * 5000;
            s.LastPrice["oxide"] = oxidePrice;
            return ProducerRules.Settle(World, p, s, new AgentSettlement(0, [], [], 0), TestWorld.Context(World)).Loss;
        }
        Assert.Equal(9.5 * 1000, Loss(0.05, 1000), 6);
        Assert.Equal(9.5 * 1000, Loss(0.05, 100), 6);
        Assert.Equal((10 - 10 * 2000.0 / 15550) * 1000, Loss(100, 1000), 6);
    }
}
