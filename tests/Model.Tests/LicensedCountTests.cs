using MarketSim.Model.Simulation;
using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>
/// What ships under a licence counts as demand up to the order's day's want, not beyond (docs/MODEL.md, Price): an approval's
/// volume carries the days its application waited, whose want was counted on those days. A buyer taking more than its want
/// from an open market is building stock, and that counts in full.
/// </summary>
public class LicensedCountTests
{
    static readonly CommoditySpec Oxide = new() { Id = "oxide", ReferencePrice = 1000, InitialOrigin = "CN", PriceAdjustment = 0.03 };

    static readonly ScenarioSpec World = Make(commodities: [Oxide]) with
    {
        Segments = [new SegmentSpec("home", ["CN"]), new SegmentSpec("abroad", [])],
    };

    // Japan's buyer needs 10 a day and is 100 short of its stock target (w = 10 + 90/10 = 19 a day); China's seller has 1,000.
    static Bid JapanBid => Bid("jp-buyer", "JP", 100) with { Normal = 10, Horizon = 10 };

    static readonly ExportControl Licence = new()
    {
        Id = "cn-licence", Start = 0, Exporter = "CN", Commodities = ["oxide"], Destinations = ["JP"], Mode = ControlMode.License,
        ApprovalRate = 1, DelayMinDays = 5, DelayMaxDays = 5, Applications = 1,
    };

    /// <summary>Clears 8 days; returns the price abroad after each day and what Japan got each day.</summary>
    static (double[] Abroad, double[] Got) Run(PolicySpec[] policies, int window = 1)
    {
        var oxide = Oxide with { PriceWindowDays = window };
        var world = World with { Commodities = [oxide] };
        var state = MarketClearing.Initialise(world, oxide);
        var abroad = new double[8];
        var got = new double[8];
        for (int t = 0; t < 8; t++)
        {
            var r = MarketClearing.Clear(world, state, t, [Ask("cn-sep", "CN", 1000)], [JapanBid], policies, 1);
            got[t] = r.Fills.Where(f => f.BuyerId == "jp-buyer").Sum(f => f.Quantity);
            abroad[t] = state.Prices["abroad"];
        }
        return (abroad, got);
    }

    [Fact]
    public void A_licensed_lot_beyond_the_days_want_reads_as_supply_not_as_demand_again()
    {
        // A licence with a five-day review: nothing ships on days 0–4, while Japan's want stands unmet abroad (z = 1, the price
        // climbs); on day 5 the approval's volume, five waited days and five to come, ships at once (100). Counted in full the
        // lot would read as 100 of demand against 100 of supply (z = 0, the price holds); counted up to the day's want, 19
        // against 100, so the price falls that day.
        var (abroad, got) = Run([Licence]);
        Assert.All(got.Take(5), g => Assert.Equal(0, g));
        Assert.Equal(100, got[5], 9);
        Assert.True(abroad[4] > 1.1 * 1000, $"the wait reads as a shortage: {abroad[4]:F1}");
        var z = Math.Log(abroad[5] / abroad[4]) / 0.03;
        Assert.Equal((19.0 - 100) / (19 + 100), z, 6);
    }

    [Fact]
    public void A_buyer_taking_more_than_its_want_from_an_open_market_counts_all_it_takes()
    {
        // No control: Japan buys its whole gap on day 0. It counts as 100 of demand against 1,000 of supply (the seller's flow;
        // no producer is named, so the market's normal utilisation is 1), as it did before licences were counted to the want.
        var (abroad, got) = Run([]);
        Assert.Equal(100, got[0], 9);
        var z = Math.Log(abroad[0] / 1000) / 0.03;
        Assert.Equal((100.0 - 1000) / (100 + 1000), z, 6);
    }

    [Fact]
    public void The_clearing_reads_the_lot_against_the_want_of_its_window()
    {
        // With a three-day window the lot of day 5 is read against days 3–5: 3 × 19 of want against 100 of supply.
        var (abroad, _) = Run([Licence], window: 3);
        var z = Math.Log(abroad[5] / abroad[4]) / 0.03;
        Assert.Equal((57.0 - 100) / (57 + 100), z, 6);
    }
}
