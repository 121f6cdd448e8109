using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

public class PriceFloorTests
{
    static PriceFloor Floor(double price) => new()
    {
        Id = "club-floor", Start = 0, Club = ["JP"], Excluded = ["CN"], Floors = new Dictionary<string, double> { ["oxide"] = price },
    };

    static readonly Ask[] Asks = [Ask("cn-sep", "CN", 5), Ask("us-sep", "US", 5)];

    [Fact]
    public void A_price_floor_pays_the_gap_as_a_subsidy_to_eligible_sellers_only()
    {
        var world = Make(policies: [Floor(1500)]);
        var fills = Clear(world, Asks, [Bid("jp-buyer", "JP", 20)], Floor(1500)).Fills;
        var us = fills.Single(f => f.SellerCountry == "US");
        Assert.Equal(1500 - us.Price, us.Subsidy, 9);
        Assert.Equal("club-floor", us.SubsidyPayer);
        var cn = fills.Single(f => f.SellerCountry == "CN"); // the excluded country
        Assert.Equal(0, cn.Subsidy);
        Assert.Null(cn.SubsidyPayer);
    }

    [Fact]
    public void Above_the_floor_there_is_no_subsidy()
    {
        var fills = Clear(Make(), Asks, [Bid("jp-buyer", "JP", 20)], Floor(800)).Fills;
        Assert.NotEmpty(fills);
        Assert.All(fills, f => Assert.Equal(0, f.Subsidy));
    }

    [Fact]
    public void The_club_bears_the_subsidy_as_fiscal_cost()
    {
        var world = Make(policies: [Floor(1500)]);
        var session = SessionRules.Initialise(world);
        var plan = SessionRules.Begin(world, session);
        var result = MarketClearing.Clear(world, MarketClearing.Initialise(world, world.Commodity("oxide")), 0, Asks, [Bid("jp-buyer", "JP", 20)], plan.InForce, 1);
        var frame = SessionRules.Finish(world, session, plan, [result], new ReportTotals());
        Assert.Equal(5 * 500, frame.Fiscal.Single(r => r.Country == "JP").Cost, 6);
        Assert.All(frame.Fiscal.Where(r => r.Country != "JP"), r => Assert.Equal(0, r.Cost));
        // The other side of the transfer: the US producer's country received it (accounts.csv floor_subsidy).
        Assert.Equal(5 * 500, frame.Accounts.Single(r => r.Country == "US").FloorSubsidy, 6);
        Assert.All(frame.Accounts.Where(r => r.Country != "US"), r => Assert.Equal(0, r.FloorSubsidy));
    }

    [Fact]
    public void A_state_selling_from_its_stockpile_gets_no_top_up()
    {
        // A US stockpile releases beside a US producer under the club's floor: only the producer is topped up (before Dec 2026
        // the stockpile was too, so a club paid a state for selling its own reserve).
        var stockpile = new Stockpile { Id = "us-reserve", Country = "US", Commodity = "oxide", Start = 0, Size = 10, Initial = 5, MaxReleasePerDay = 5 };
        var fills = Clear(Make(), [Ask("us-reserve", "US", 5), Ask("us-sep", "US", 5)], [Bid("jp-buyer", "JP", 20)], Floor(1500), stockpile).Fills;
        Assert.Equal(0, fills.Single(f => f.SellerId == "us-reserve").Subsidy);
        Assert.Null(fills.Single(f => f.SellerId == "us-reserve").SubsidyPayer);
        Assert.True(fills.Single(f => f.SellerId == "us-sep").Subsidy > 0);
    }

    [Theory]
    [InlineData("a-jp", "b-club")]
    [InlineData("z-jp", "b-club")]
    public void Floors_at_the_same_level_share_the_top_up_whatever_their_names(string jpOnly, string club)
    {
        // A Japanese floor and a Japanese–Korean club's floor at the same level cover the US producer: each pays half of its
        // top-up (Japan half, the club the other half by GDP), whichever id sorts first (before Dec 2026 the first took it all).
        PriceFloor[] floors =
        [
            new() { Id = jpOnly, Start = 0, Club = ["JP"], Excluded = ["CN"], Floors = new Dictionary<string, double> { ["oxide"] = 1500 } },
            new() { Id = club, Start = 0, Club = ["JP", "KR"], Excluded = ["CN"], Floors = new Dictionary<string, double> { ["oxide"] = 1500 } },
        ];
        var world = Make(policies: floors);
        var session = SessionRules.Initialise(world);
        var plan = SessionRules.Begin(world, session);
        var result = MarketClearing.Clear(world, MarketClearing.Initialise(world, world.Commodity("oxide")), 0, Asks, [Bid("jp-buyer", "JP", 20)], plan.InForce, 1);
        var frame = SessionRules.Finish(world, session, plan, [result], new ReportTotals());
        var total = 5 * 500.0;
        var gdp = world.Country("JP").Gdp + world.Country("KR").Gdp;
        Assert.Equal(total / 2 + total / 2 * world.Country("JP").Gdp / gdp, frame.Fiscal.Single(r => r.Country == "JP").Cost, 6);
        Assert.Equal(total / 2 * world.Country("KR").Gdp / gdp, frame.Fiscal.Single(r => r.Country == "KR").Cost, 6);
        Assert.Equal(total, frame.Accounts.Single(r => r.Country == "US").FloorSubsidy, 6); // topped up once, not twice
    }
}
