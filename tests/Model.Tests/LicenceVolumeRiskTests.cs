using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>
/// A licence's volume is the buyer's own (its normal requirement over the approval's days). Where the buyer's own stock-building
/// used it up early, the days its base then goes unserved were brought forward, not stopped by the supplier (docs/MODEL.md,
/// *Precaution teaches no risk*). Until Dec 2026 those days counted as fully stopped, so precaution taught risk through the
/// volume it used up and fed itself.
/// </summary>
public class LicenceVolumeRiskTests
{
    // Every application approved after 10 days: the first approval (day 10) runs days 10–19 with a volume of 20 days' normal
    // requirement (10 days of validity and the 10 waited for it).
    static readonly ExportControl Licence = new()
    {
        Id = "cn-licence", Start = 0, Exporter = "CN", Commodities = ["oxide"], Mode = ControlMode.License, ApprovalRate = 1,
        DelayMinDays = 10, DelayMaxDays = 10, Applications = 1,
    };

    /// <summary>The buyer's disruption at China on each of days 10–19, asking <paramref name="quantity"/> a day of which
    /// <paramref name="base"/> restores its own cover, with a normal requirement of 1 a day.</summary>
    static double[] Met(double quantity, double @base)
    {
        var world = Make(internationalDays: 10);
        var state = MarketClearing.Initialise(world, world.Commodity("oxide"));
        var met = new List<double>();
        for (int tick = 0; tick < 20; tick++)
        {
            var bid = Bid("jp-buyer", "JP", quantity) with { Normal = 1, Base = @base };
            var r = MarketClearing.Clear(world, state, tick, [Ask("cn-sep", "CN", 1000)], [bid], [Licence], 1);
            if (tick >= 10) met.Add(r.Disruptions.Single(d => d.BuyerId == "jp-buyer" && d.SellerCountry == "CN").Share);
        }
        return [.. met];
    }

    [Fact]
    public void A_volume_used_up_by_the_buyers_own_stock_building_is_not_a_disruption_up_to_the_stock_it_drew()
    {
        // Base 1, 9 more a day of precaution: days 10 and 11 draw the whole volume (18 of it stock), then its base goes unserved on
        // days 12–19 (8 days). Each such day counts as served with the approval's delay (10 of 10 + 10 transport days: 0.5), as
        // on the days it was served. Before Dec 2026 those days counted 1: the buyer learnt risk from its own stock-building.
        var met = Met(10, 1);
        Assert.All(met, e => Assert.Equal(0.5, e, 9));
    }

    [Fact]
    public void Precaution_excuses_only_as_much_base_as_it_brought_forward()
    {
        // Base 1 and 3 of stock a day: the volume of 20 lasts days 10–14 (15 of it stock), and the 5 days of base left unserved on
        // days 15–19 were all brought forward.
        Assert.All(Met(4, 1), e => Assert.Equal(0.5, e, 9));
        // Base 4 and 1 of stock a day: days 10–13 draw the volume (4 of it stock), which brings forward day 14's base and no more;
        // on days 15–19 the volume stops a base it never drew ahead, as the state licensed no more: stopped.
        var met = Met(5, 4);
        Assert.All(met[..5], e => Assert.Equal(0.5, e, 9));
        Assert.All(met[5..], e => Assert.Equal(1, e, 9));
    }

    [Fact]
    public void A_buyer_restocking_its_own_cover_that_the_volume_stops_still_meets_a_disruption()
    {
        // All base (10 a day restores its own cover after a shortfall): days 10 and 11 draw the volume, days 12–19 stop a need.
        var met = Met(10, 10);
        Assert.Equal([0.5, 0.5], met[..2]);
        Assert.All(met[2..], e => Assert.Equal(1, e, 9));
    }
}
