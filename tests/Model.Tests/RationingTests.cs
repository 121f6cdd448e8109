using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>How an oversubscribed seller shares: bases first, then pro rata to the rest of the orders (the default), or needs
/// first (buyers.needs_first).</summary>
public class RationingTests
{
    static double[] Allocate(double[] q, double[] need, double capacity)
    {
        var r = new double[q.Length];
        Rationing.Allocate(q, need, capacity, r);
        return r;
    }

    [Fact]
    public void Enough_for_everyone_fills_every_request()
    {
        Assert.Equal([3, 4], Allocate([3, 4], [1, 4], 10));
    }

    [Fact]
    public void Without_needs_the_sharing_is_pro_rata_to_the_requests()
    {
        Assert.Equal([2, 8], Allocate([10, 40], [0, 0], 10));
    }

    [Fact]
    public void Needs_are_met_first_and_what_is_left_goes_pro_rata_to_the_rest_of_each_request()
    {
        // Needs 5 and 5 of requests 100 and 10; capacity 16: needs met, 6 left for 95 + 5 of remaining requests.
        var r = Allocate([100, 10], [5, 5], 16);
        Assert.Equal(5 + 95 * 0.06, r[0], 12);
        Assert.Equal(5 + 5 * 0.06, r[1], 12);
        Assert.Equal(16, r.Sum(), 12);
    }

    [Fact]
    public void Short_of_the_needs_themselves_the_needs_are_shared_pro_rata()
    {
        Assert.Equal([1, 3], Allocate([100, 10], [2, 6], 4));
    }

    static double[] ByValue(double[] q, double[] need, double[] value, double capacity)
    {
        var r = new double[q.Length];
        Rationing.AllocateByValue(q, need, value, capacity, r);
        return r;
    }

    [Fact]
    public void By_value_the_buyer_who_values_the_input_most_is_served_first_and_equal_values_share_as_before()
    {
        Assert.Equal([10, 0], ByValue([10, 40], [0, 0], [2, 1], 10));
        Assert.Equal([10, 20], ByValue([10, 40], [0, 0], [2, 1], 30));
        // A group of equal value shares what the group above left by the usual rule (needs, then pro rata): 20 after the first 5.
        Assert.Equal([5, 5, 15], ByValue([5, 10, 30], [0, 0, 0], [3, 2, 2], 25));
        Assert.Equal([5, 8 + 2 * 0.375, 30 * 0.375], ByValue([5, 10, 30], [0, 8, 0], [3, 2, 2], 25)); // need 8 met, 12 for 2 + 30
        // Enough for everyone: every request exactly (need + rest is not always the request's bits).
        Assert.Equal([3.57, 1.0], ByValue([3.57, 1.0], [1.24, 0.5], [2, 1], 100));
        // Needs before anyone's precautionary rest: the lower-valued buyer's need (5) comes before the higher one's rest (8).
        Assert.Equal([3, 5], ByValue([10, 5], [2, 5], [2, 1], 8));
        // One value for all: the proportional rule to the bit, requests of no quantity included.
        double[] q = [100, 0, 10, 7.3], need = [5, 0, 5, 1.1];
        foreach (var capacity in new[] { 3.7, 11.9, 16, 200 })
            Assert.Equal(Allocate(q, need, capacity), ByValue(q, need, [4, 4, 4, 4], capacity));
    }

    [Fact]
    public void By_value_a_seller_serves_the_buyer_with_the_higher_limit_price_first()
    {
        var asks = new[] { Ask("cn-seller", "CN", 10) };
        var bids = new[] { Bid("low-buyer", "JP", 40) with { LimitPrice = 1e6 }, Bid("high-buyer", "KR", 10) with { LimitPrice = 1e9 } };
        var proportional = Clear(Make(), asks, bids).Fills.ToDictionary(f => f.BuyerId, f => f.Quantity);
        Assert.Equal(8, proportional["low-buyer"], 9);
        Assert.Equal(2, proportional["high-buyer"], 9);
        var efficient = Make() with { Buyers = new BuyerSettings { RationByValue = true } };
        var got = Clear(efficient, asks, bids).Fills.ToDictionary(f => f.BuyerId, f => f.Quantity);
        Assert.Equal(10, got["high-buyer"], 9);
        Assert.False(got.ContainsKey("low-buyer"));
    }

    [Fact]
    public void By_value_a_region_that_makes_its_own_gallium_keeps_it_under_a_Chinese_ban_and_the_world_loses_less()
    {
        // Baseline plus a Chinese gallium ban on everyone for 120 days, with the rest of the world's electronics given the gallium
        // intensity the scenarios had before Dec 2026 (6.25e-6 t per $ million, 5 t a year: unsourced, kept here as the test's
        // premise; the shipped one, 3.2e-5, is the US's, so the region is short of its own 12 t). The region then makes more
        // gallium than its own electronics use, and they use less of it per unit of output than any other buyer: proportional
        // sharing sends most of it abroad (8.70 of 8.81 t over 180 days in a review's probe) and those electronics run short;
        // served by value they are served first and lose nothing (docs/MODEL.md, known limitations).
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml")) with { Days = 120 };
        var baseline = shipped with
        {
            Manufacturers = [.. shipped.Manufacturers.Select(m => (m.Country, m.Sector) != ("RW", "electronics") ? m
                : m with { Inputs = new Dictionary<string, double>(m.Inputs) { ["gallium"] = 6.25e-6 } })],
        };
        Assert.Equal(2, baseline.Manufacturers.Count(m => m.Country == "RW" && m.Sector == "electronics" && m.Inputs["gallium"] == 6.25e-6));
        var ban = new ExportControl
        {
            Id = "cn-ga", Start = 0, Exporter = "CN", Commodities = ["gallium"], EndUse = EndUseScope.All, Mode = ControlMode.Ban,
        };
        (double Rw, double World) Loss(ScenarioSpec w)
        {
            var spec = w with { Policies = [.. w.Policies, ban] };
            var last = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).Last().Losses;
            return (last.Where(l => l.Country == "RW").Sum(l => l.Cumulative), last.Sum(l => l.Cumulative));
        }
        var proportional = Loss(baseline);
        var byValue = Loss(baseline with { Buyers = baseline.Buyers with { RationByValue = true } });
        // $0.34 bn: only the 1% of the region's electronics that needs gallium stops (dependent_share; with fixed recipes, before
        // Dec 2026, this asserted over $1 bn).
        Assert.True(proportional.Rw > 1e8, $"proportional: the rest of the world lost ${proportional.Rw / 1e9:0.00} bn");
        Assert.True(byValue.Rw < 1e-6 * proportional.Rw, $"by value: the rest of the world lost ${byValue.Rw / 1e6:0.00} m");
        Assert.True(byValue.World < proportional.World, $"world: ${byValue.World / 1e9:0.0} bn by value against ${proportional.World / 1e9:0.0} bn");
    }

    [Fact]
    public void A_seller_on_allocation_serves_the_firm_about_to_stop_ahead_of_the_one_building_stock()
    {
        // One seller with 10; a hoarder orders 100 (daily need 5), a lean firm orders 10 (daily need 5).
        Bid Order(string id, double q) => Bid(id + "-buyer", "JP", q) with { Normal = 5 };
        var asks = new[] { Ask("cn-seller", "CN", 10) };
        var bids = new[] { Order("hoarder", 100), Order("lean", 10) };

        var spot = Clear(Make(), asks, bids).Fills.ToDictionary(f => f.BuyerId, f => f.Quantity);
        Assert.Equal(10 * 100 / 110.0, spot["hoarder-buyer"], 9);   // pro rata to the orders: the big order takes most
        Assert.Equal(10 * 10 / 110.0, spot["lean-buyer"], 9);

        var allocation = Make() with { Buyers = new BuyerSettings { NeedsFirst = true } };
        var needs = Clear(allocation, asks, bids).Fills.ToDictionary(f => f.BuyerId, f => f.Quantity);
        Assert.Equal(5, needs["hoarder-buyer"], 9);                   // each gets its day's need
        Assert.Equal(5, needs["lean-buyer"], 9);
    }

    [Fact]
    public void By_default_a_seller_serves_every_buyers_base_before_anyones_precautionary_stock()
    {
        // One seller with 20. A firm about to stop orders 10, all of it its base (its own cover); a firm that heard the news
        // orders 100, of which 4 restores its own cover and 96 is precaution.
        var asks = new[] { Ask("cn-seller", "CN", 20) };
        var bids = new[] { Bid("lean-buyer", "JP", 10) with { Base = 10 }, Bid("hoarder-buyer", "JP", 100) with { Base = 4 } };
        var got = Clear(Make(), asks, bids).Fills.ToDictionary(f => f.BuyerId, f => f.Quantity);
        Assert.Equal(10, got["lean-buyer"], 9);                      // its whole base (pro rata to orders it got 20·10/110 = 1.8)
        Assert.Equal(10, got["hoarder-buyer"], 9);                   // its base 4, and the 6 left over

        // An urgent bid is all need, with or without needs first: a firm about to run out is served before stock-building.
        var urgent = new[] { Bid("lean-buyer", "JP", 10) with { WithinDays = 1000 }, Bid("hoarder-buyer", "JP", 100) with { Normal = 5, Base = 4 } };
        var allocation = Make() with { Buyers = new BuyerSettings { NeedsFirst = true } };
        var needs = Clear(allocation, asks, urgent).Fills.ToDictionary(f => f.BuyerId, f => f.Quantity);
        Assert.Equal(10, needs["lean-buyer"], 9);
        Assert.Equal(10, needs["hoarder-buyer"], 9);
    }

    [Fact]
    public void Precaution_adds_little_to_the_loss_of_a_country_denied_Dy_while_others_stock_up()
    {
        // china-japan-2026 with China's Dy to Japan under a quota of 0 for the year. Every importer hears of the 2025 licences and
        // raises its cover; with orders rationed pro rata, foreign stock-building took the magnets Japan's own maker made, and
        // precaution raised Japan's loss: $8.78 bn on against $4.75 bn off (a probe, Dec 2026; $8.45 bn and $6.61 bn with the
        // flow demand count). Served base first: $4.29 bn and $6.61 bn; $4.36 bn and $6.54 bn with needs net of earlier rounds.
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        var quota = new ExportControl
        {
            Id = "cn-dy-quota-jp", Start = 0, End = 365, Exporter = "CN", Commodities = ["dy_oxide"], Destinations = ["JP"],
            Mode = ControlMode.Quota, QuotaQuantity = 0,
        };
        double JapanLoss(double precaution)
        {
            var spec = shipped with
            {
                Policies = [.. shipped.Policies, quota],
                Buyers = shipped.Buyers with { PrecautionMaxCoverDays = precaution },
            };
            return new ReferenceRunner(spec, spec.Seed).Run(spec.Days).Last().Losses.Where(l => l.Country == "JP").Sum(l => l.Cumulative);
        }
        // Since supply is read per seller over the price window (Dec 2026) $0.97 bn on against $0.96 bn off: precaution now
        // costs Japan's machinery makers $200 m (as it did before: $200.9 m on, $100.8 m off) and saves its defence sector
        // $203 m ($634 m against $837 m). Other importers' stock-building does raise the price of the magnets Japan's users
        // must buy abroad; what this guards against is the doubling above, not that.
        var on = JapanLoss(shipped.Buyers.PrecautionMaxCoverDays);
        var off = JapanLoss(0);
        Assert.True(on <= off * 1.05, $"Japan's loss with precaution {on / 1e9:F2} bn, without {off / 1e9:F2} bn");
    }
}
