using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

public class StockpileTests
{
    static readonly Stockpile JapanOxide = new()
    {
        Id = "jp-stockpile", Start = 0, Country = "JP", Commodity = "oxide", Size = 50, Initial = 30, MaxReleasePerDay = 2, ReleaseShortageShare = 0.01,
    };
    static readonly ScenarioSpec World = Make(policies: [JapanOxide]);

    static AgentPlan Plan(CountryState s, double unmetShare) =>
        StockpileRules.Plan(World, s, [JapanOxide], Context(World), new Dictionary<string, double> { ["oxide"] = unmetShare });

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.005)]
    [InlineData(0.01)] // at the threshold: not above it
    public void A_stockpile_holds_while_the_unmet_share_is_not_above_the_threshold(double unmet)
    {
        // It stands by: only urgent bids (firms about to run out before their supply arrives) may buy, and it counts as no supply.
        var s = StockpileRules.Initialise(World, World.Country("JP"));
        Assert.All(Plan(s, unmet).Asks, a => Assert.True(a.UrgentOnly && a.Flow == 0));
        Assert.Equal(30, StockpileRules.Held(s, "jp-stockpile"));
    }

    [Fact]
    public void A_stockpile_releases_only_to_its_own_country_when_its_unmet_share_is_above_the_threshold()
    {
        var s = StockpileRules.Initialise(World, World.Country("JP"));
        var asks = Plan(s, 0.05).Asks;
        var ask = Assert.Single(asks);
        Assert.Equal(2, ask.Quantity, 9); // at most the daily release
        Assert.Equal(["JP"], ask.OnlyFor);
        Assert.Equal("CN", ask.Origin); // what it holds at the start is of the commodity's initial origin

        // The US wants more than Japan, but cannot buy from Japan's stockpile even though some is left.
        var fills = Clear(World, asks, [Bid("jp-buyer", "JP", 1), Bid("us-buyer", "US", 5)]).Fills;
        var f = Assert.Single(fills);
        Assert.Equal(("jp-buyer", 1.0), (f.BuyerId, f.Quantity));

        // The sale leaves the stockpile and earns the treasury the price, less a day's cost of holding the 30 held when planning.
        var report = StockpileRules.Settle(s, new AgentSettlement(0, [], fills, 0));
        Assert.Equal(29, StockpileRules.Held(s, "jp-stockpile"), 9);
        var carrying = 30 * World.Commodity(f.Commodity).ReferencePrice * Stockpile.DefaultCarryingCost / 365;
        Assert.Equal(carrying - f.Price, report.FiscalCost, 9);
    }

    [Fact]
    public void A_stockpile_buying_across_its_own_states_tariff_costs_the_price_not_the_duty_paid_to_itself()
    {
        // 2 t of Chinese oxide at 1,000 with Japan's 100% tariff (1,000 a tonne): the state pays its customs the duty, so the
        // measure costs 2,000, not 4,000 (a review's probe, Dec 2026: $22.1 m for $10.6 m of Dy).
        var s = StockpileRules.Initialise(World, World.Country("JP"));
        var bought = new Fill("jp-stockpile", "JP", "cn-sep", "CN", "oxide", "CN", EndUse.Civil, 2, 1000, 1000, 0, null, 0, 45);
        StockpileRules.Settle(s, new AgentSettlement(0, [], [], 0)); // no day's carrying cost is pending after it
        var report = StockpileRules.Settle(s, new AgentSettlement(1, [bought], [], 0));
        Assert.Equal(2000, report.FiscalCost, 6);
    }

    [Fact]
    public void An_empty_stockpile_offers_nothing()
    {
        var empty = JapanOxide with { Initial = 0 };
        var s = StockpileRules.Initialise(World, World.Country("JP"));
        Assert.Empty(StockpileRules.Plan(World, s, [empty], Context(World), new Dictionary<string, double> { ["oxide"] = 0.5 }).Asks);
    }

    [Fact]
    public void An_empty_stockpile_does_not_buy_while_its_release_trigger_holds()
    {
        // It may refill at up to 3× reference, and the price is at reference: without a shortage it bids; while its country is
        // short (the trigger) it waits, instead of buying abroad against its own firms (before Dec 2026 it bid then too).
        var refilling = JapanOxide with { Initial = 0, RefillPriceFactor = 3, RefillPerDay = 1 };
        var s = StockpileRules.Initialise(World, World.Country("JP"));
        AgentPlan At(double unmet) =>
            StockpileRules.Plan(World, s, [refilling], Context(World), new Dictionary<string, double> { ["oxide"] = unmet });
        Assert.Single(At(0).Bids);
        Assert.Empty(At(0.5).Bids);
        Assert.Empty(At(0.5).Asks);
    }

    [Fact]
    public void A_stockpile_reports_the_day_its_release_or_refill_begins_and_ends_and_why()
    {
        // events.csv names what moved a price or the fiscal cost: the first day of each mode, once, with its reason.
        IReadOnlyList<string> Day(CountryState s, Stockpile sp, int tick, double unmet)
        {
            StockpileRules.Plan(World, s, [sp], Context(World), new Dictionary<string, double> { ["oxide"] = unmet });
            return StockpileRules.Settle(s, new AgentSettlement(tick, [], [], 0)).Events;
        }
        var s = StockpileRules.Initialise(World, World.Country("JP"));
        Assert.Empty(Day(s, JapanOxide, 0, 0)); // standing by, as at the start
        Assert.Equal(["jp-stockpile released to JP's firms: 5% of its firms' need unmet last tick (trigger 1%); 30 t held of 50"],
            Day(s, JapanOxide, 1, 0.05));
        Assert.Empty(Day(s, JapanOxide, 2, 0.2));
        Assert.Equal(["jp-stockpile's release ends; 30 t held of 50"], Day(s, JapanOxide, 3, 0.01)); // at the threshold: not above it
        Assert.Equal(["jp-stockpile released to JP's firms: 5% of its firms' need unmet last tick (trigger 1%); 30 t held of 50"],
            Day(s, JapanOxide, 4, 0.05));
        // Its policy ends while it releases: said once, and a later version with the same id starts from standing by.
        StockpileRules.Plan(World, s, [], Context(World), new Dictionary<string, double> { ["oxide"] = 0.05 });
        Assert.Equal(["jp-stockpile is no longer in force: its release ends; 30 held"], StockpileRules.Settle(s, new AgentSettlement(5, [], [], 0)).Events);
        Assert.Equal(["jp-stockpile released to JP's firms: 5% of its firms' need unmet last tick (trigger 1%); 30 t held of 50"],
            Day(s, JapanOxide, 6, 0.05));

        var empty = JapanOxide with { Initial = 0 };
        var e = StockpileRules.Initialise(World, World.Country("JP"));
        Assert.Equal(["jp-stockpile would be released (50% of its firms' need unmet last tick (trigger 1%)) but is empty"], Day(e, empty, 0, 0.5));
        Assert.Equal(["jp-stockpile's release trigger no longer holds; 0 t held of 50"], Day(e, empty, 1, 0));

        var refilling = JapanOxide with { RefillPriceFactor = 3, RefillPerDay = 1 };
        var r = StockpileRules.Initialise(World, World.Country("JP"));
        Assert.Equal(["jp-stockpile refills at up to 3x the reference price (today 1x); 30 t held of 50"], Day(r, refilling, 0, 0));
        Assert.Empty(Day(r, refilling, 1, 0)); // still refilling
        Assert.Equal(["jp-stockpile released to JP's firms: 5% of its firms' need unmet last tick (trigger 1%); 30 t held of 50"],
            Day(r, refilling, 2, 0.05));
    }
}
