using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>How an oversubscribed seller shares: pro rata to orders (spot, the default) or needs first (buyers.needs_first).</summary>
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
}
