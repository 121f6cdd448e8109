using MarketSim.Model.Market;
using MarketSim.Model.Scenario;
using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>The window's demand is demand at today's price: a bid priced out of a segment stops raising its price
/// (docs/MODEL.md, Price).</summary>
public class PriceOvershootTests
{
    [Fact]
    public void A_buyer_priced_out_stops_raising_the_price_while_supply_goes_unsold()
    {
        // One buyer wants 10 a day and pays at most 1.5× the reference; one seller makes 5 a day. The shortage (z = 1/3) raises
        // the price about 1% a day until, past 1.5×, the buyer no longer buys: from then on the seller's 5 a day go unsold.
        // Before Dec 2026 the 30-day window still held the days the buyer wanted 10 at the lower prices, so the price went on
        // rising with nothing sold, to 1.63× (1,632 against the limit of 1,500), though at that price there is no demand. Now it
        // goes at most a day's step past the limit (1,511) and the buyer buys on 87 of the 109 days from the first it could not.
        var oxide = Oxide with { PriceWindowDays = 30, PriceAdjustment = 0.03, PriceReversion = 0 };
        var world = Make(commodities: [oxide]);
        var state = MarketClearing.Initialise(world, oxide);
        const double limit = 1500;
        var prices = new List<double>();
        var sold = new List<double>();
        for (int t = 0; t < 150; t++)
        {
            var r = MarketClearing.Clear(world, state, t, [Ask("au", "AU", 5)], [Bid("jp", "JP", 10, limit)], [], 1);
            prices.Add(r.NextPrices.Single().Price);
            sold.Add(r.Fills.Sum());
        }
        var said = $"highest {prices.Max():F1}; first day unsold {sold.FindIndex(q => q == 0)}; day 149 {prices[^1]:F1}";
        Assert.Contains(0.0, sold); // the buyer was priced out: the mechanism is exercised
        Assert.True(prices.Max() <= limit * Math.Exp(oxide.PriceAdjustment), said); // at most one day's step past the limit
        // And it does not rest above the limit: most days after the first unsold one the buyer buys again.
        var first = sold.FindIndex(q => q == 0);
        Assert.True(sold.Skip(first).Count(q => q > 0) > (150 - first) / 2, said);
    }

    [Fact]
    public void The_window_counts_a_days_demand_only_from_bids_whose_reservation_reaches_the_price()
    {
        SegmentSpec[] segments = [new("world", [])];
        var state = new MarketState { Prices = new() { ["world"] = 100 } };
        Dictionary<string, double> D(double x) => new() { ["world"] = x };
        // Day 0: 4 from a bid with reservation 150 and 6 from one with 120; day 1: 3 at 150 (the 0.1 + 0.2 kind of sums stand
        // as they were while no bid is priced out).
        PriceWindows.Read(state, segments, 3, 0, D(4 + 6), D(1), demandAt: [new(0, 150, 4), new(0, 120, 6)]);
        var (d, _) = PriceWindows.Read(state, segments, 3, 1, D(0.1 + 0.2), D(1), demandAt: [new(0, 150, 0.1), new(0, 150, 0.2)]);
        Assert.Equal(10 + (0.1 + 0.2), d["world"]);
        state.Prices["world"] = 130; // the bid of 120 is priced out: day 0 counts its 4 alone
        (d, _) = PriceWindows.Read(state, segments, 3, 2, D(0), D(1), demandAt: []);
        Assert.Equal(4 + (0.1 + 0.2), d["world"]);
        state.Prices["world"] = 160; // day 0 has left the window, and day 1's bids (150) are priced out: no demand at 160
        (d, _) = PriceWindows.Read(state, segments, 3, 3, D(0), D(1), demandAt: []);
        Assert.Equal(0, d["world"]);
        state.Prices["world"] = 100; // day 3 cleared again at 100: day 1's 0.1 + 0.2 counts again, bit for bit
        (d, _) = PriceWindows.Read(state, segments, 3, 3, D(0), D(1), demandAt: []);
        Assert.Equal(0.1 + 0.2, d["world"]);
    }
}
