using MarketSim.Model.Simulation;
using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>
/// Prices across a controlled border: a two-segment world (CN at home, everyone else abroad) with one seller in CN and buyers on
/// both sides. An export restriction must leave more supply at home (the home price falls or holds) and make the material
/// scarcer abroad (the price there rises); licensing lands in between; the gap times the licensed quantity is the rent.
/// </summary>
public class SegmentPricingTests
{
    static readonly CommoditySpec Oxide = new()
    {
        Id = "oxide", ReferencePrice = 1000, InitialOrigin = "CN", PriceAdjustment = 0.03, PriceReversion = 0.01,
    };

    static readonly ScenarioSpec World = Make(commodities: [Oxide]) with
    {
        Segments = [new SegmentSpec("home", ["CN"]), new SegmentSpec("abroad", [])],
    };

    static ExportControl Control(ControlMode mode, double approval = 1) => new()
    {
        Id = "cn-control", Start = 0, Exporter = "CN", Commodities = ["oxide"], Destinations = ["JP"], Mode = mode,
        ApprovalRate = mode == ControlMode.License ? approval : 1, DelayMinDays = 10, DelayMaxDays = 20, Applications = 10,
    };

    /// <summary>Clears the same daily flows for a number of days; returns the prices after and every fill.</summary>
    static (double Home, double Abroad, List<(double Home, double Abroad, Fill Fill)> Fills) Run(int days, params PolicySpec[] policies)
    {
        var state = MarketClearing.Initialise(World, Oxide);
        var fills = new List<(double, double, Fill)>();
        for (int t = 0; t < days; t++)
        {
            double home = state.Prices["home"], abroad = state.Prices["abroad"];
            // CN makes 100 a day; CN's buyers want 50 and Japan's 50, each with its normal requirement stated.
            var asks = new[] { Ask("cn-sep", "CN", 100) };
            var bids = new[] { Bid("cn-buyer", "CN", 50) with { Normal = 50 }, Bid("jp-buyer", "JP", 50) with { Normal = 50 } };
            var r = MarketClearing.Clear(World, state, t, asks, bids, policies.Where(p => p.InForce(t)).ToList(), 1);
            fills.AddRange(r.Fills.Select(f => (home, abroad, f)));
        }
        return (state.Prices["home"], state.Prices["abroad"], fills);
    }

    [Fact]
    public void Without_a_control_both_segments_keep_one_price()
    {
        var (home, abroad, fills) = Run(60);
        Assert.Equal(home, abroad, 6);
        Assert.All(fills, f => Assert.Equal(0, f.Fill.Rent));
    }

    [Fact]
    public void When_the_control_ends_the_segments_prices_meet_over_days_not_overnight()
    {
        var ban = Control(ControlMode.Ban) with { End = 30 };
        var (home, abroad, _) = Run(30, ban);
        Assert.True(abroad > 1.3 * home, $"during the ban: home {home}, abroad {abroad}");
        // The day after, each price moves at most a day's step (κ = 0.03 in log) towards the other, plus the shared excess demand.
        var (home1, abroad1, _) = Run(31, ban);
        Assert.InRange(Math.Log(abroad / home) - Math.Log(abroad1 / home1), 0.01, 2 * 0.03 + 1e-9);
        // Within weeks they are one price again, and stay one.
        var (home60, abroad60, _) = Run(60, ban);
        Assert.Equal(home60, abroad60);
    }

    [Fact]
    public void Segments_the_controls_treat_alike_pool_whatever_their_order()
    {
        var world = World with { Segments = [new SegmentSpec("china", ["CN"]), new SegmentSpec("japan", ["JP"]), new SegmentSpec("world", [])] };
        Assert.Equal([["china", "japan", "world"]], SegmentPooling.Groups(world, []));
        // A control to Japan only: China and Japan apart; the rest of the world, separated from neither, joins neither (the
        // model has no traders to carry material through it), whatever the segments' order.
        Assert.Equal([["china"], ["japan"], ["world"]], SegmentPooling.Groups(world, [Control(ControlMode.License)]));
        var reversed = world with { Segments = world.Segments.Reverse().ToList() };
        Assert.Equal([["world"], ["japan"], ["china"]], SegmentPooling.Groups(reversed, [Control(ControlMode.License)]));
        // A control to every destination leaves China alone; Japan and the world, treated alike, trade as one.
        Assert.Equal([["china"], ["japan", "world"]], SegmentPooling.Groups(world, [Control(ControlMode.Quota) with { Destinations = [] }]));
        // Controls on military end use only, or on named buyers, leave civil trade free: they separate nothing.
        Assert.Single(SegmentPooling.Groups(world, [Control(ControlMode.Ban) with { EndUse = EndUseScope.Military }]));
        Assert.Single(SegmentPooling.Groups(world, [Control(ControlMode.Ban) with { Sectors = ["defence"] }]));
    }

    [Fact]
    public void A_ban_raises_the_price_abroad_and_lowers_the_price_at_home()
    {
        var (home, abroad, _) = Run(60, Control(ControlMode.Ban));
        Assert.True(abroad > 1000 * 1.5, $"abroad {abroad}: Japan's unmet demand must push the price outside China up");
        Assert.True(home < 1000, $"home {home}: supply that can no longer leave must push China's price down");
    }

    [Fact]
    public void A_tariff_on_licensed_sales_comes_out_of_the_rent_first()
    {
        // Japan's 25% tariff on Chinese oxide under China's licence: the buyer pays the price abroad delivered, duty included (the
        // scarcity sets it), and the seller gets that less the duty, never below its home price. Before Dec 2026 the duty was
        // added on top of the price abroad.
        var tariff = new Tariff { Id = "jp-tariff", Start = 0, Importer = "JP", Commodities = ["oxide"], Origins = ["CN"], Rate = 0.25 };
        var (_, _, fills) = Run(120, Control(ControlMode.License, approval: 0.25), tariff);
        var licensed = fills.Where(f => f.Fill.BuyerCountry == "JP").ToList();
        Assert.Contains(licensed, f => f.Abroad / 1.25 > f.Home * 1.01); // some fills where the rent covers the duty
        foreach (var (h, a, f) in licensed)
        {
            Assert.Equal(Math.Max(h, a / 1.25), f.Price, 9);
            Assert.Equal(0.25 * f.Price, f.Tariff, 9);
            Assert.Equal(f.Price - h, f.Rent, 9);
        }
    }

    [Fact]
    public void Licensing_lands_between_free_trade_and_a_ban_and_the_gap_is_the_exporters_rent()
    {
        var (freeHome, freeAbroad, _) = Run(120);
        var (banHome, banAbroad, _) = Run(120, Control(ControlMode.Ban));
        var (home, abroad, fills) = Run(120, Control(ControlMode.License, approval: 0.25));
        Assert.InRange(abroad, freeAbroad * 1.05, banAbroad * 0.95);
        Assert.InRange(home, banHome * 1.0001, freeHome);

        var licensed = fills.Where(f => f.Fill.BuyerCountry == "JP").ToList();
        Assert.NotEmpty(licensed);
        foreach (var (h, a, f) in licensed)
        {
            // Sold at the buyer's segment price; the rent per unit is that price less the exporter's home price.
            Assert.Equal(Math.Max(h, a), f.Price, 9);
            Assert.Equal(Math.Max(h, a) - h, f.Rent, 9);
            Assert.Equal("exporter", f.Rent > 0 ? f.RentHolder : "exporter");
        }
        Assert.True(licensed.Sum(f => f.Fill.Rent * f.Fill.Quantity) > 0);
        // China's own buyers pay the home price and earn nobody a rent.
        Assert.All(fills.Where(f => f.Fill.BuyerCountry == "CN"), f => Assert.Equal(f.Home, f.Fill.Price, 9));
    }

    [Fact]
    public void The_rent_goes_to_the_state_when_the_control_says_so()
    {
        var control = Control(ControlMode.License, approval: 0.5) with { RentToState = true };
        var (_, _, fills) = Run(60, control);
        var rented = fills.Where(f => f.Fill.Rent > 0).ToList();
        Assert.NotEmpty(rented);
        Assert.All(rented, f => Assert.Equal("state", f.Fill.RentHolder));

        // The state's rent is its revenue: China's fiscal cost is minus the rent it collected, tick by tick.
        var world = World with { Policies = [control] };
        var session = SessionRules.Initialise(world);
        var state = MarketClearing.Initialise(world, Oxide);
        double collected = 0;
        Frame? frame = null;
        for (int t = 0; t < 60; t++)
        {
            var plan = SessionRules.Begin(world, session);
            var bids = new[] { Bid("cn-buyer", "CN", 50) with { Normal = 50 }, Bid("jp-buyer", "JP", 50) with { Normal = 50 } };
            var result = MarketClearing.Clear(world, state, t, [Ask("cn-sep", "CN", 100)], bids, plan.InForce, 1);
            collected += result.Fills.Sum(f => f.Rent * f.Quantity);
            frame = SessionRules.Finish(world, session, plan, [result], new ReportTotals());
        }
        Assert.True(collected > 0);
        Assert.Equal(-collected, frame!.Fiscal.Single(f => f.Country == "CN").Cumulative, 6);
    }

    [Fact]
    public void With_many_applications_and_an_order_that_does_not_grow_the_licensed_volume_follows_the_approval_rate()
    {
        // One Japanese buyer: with one draw per buyer its whole supply would hang on a coin; with ten applications, each with a
        // volume of its share of the normal requirement, about the approval rate of the requirement gets through over time
        // when the buyer never asks for more than a day's need (the low point of 2025: ≈25% approvals, exports down ≈75%).
        foreach (var approval in new[] { 0.25, 0.6 })
        {
            var (_, _, fills) = Run(720, Control(ControlMode.License, approval));
            var toJapan = fills.Where(f => f.Fill.BuyerCountry == "JP").Sum(f => f.Fill.Quantity) / (720 * 50.0);
            Assert.InRange(toJapan, approval - 0.12, approval + 0.12);
        }
    }

    [Fact]
    public void A_buyer_that_asks_again_for_what_refusals_kept_out_gets_it_when_approved()
    {
        // The same licence, but Japan's buyer orders its daily 50 plus whatever it has not received yet (up to 60 days' worth,
        // as order-up-to would): a refusal postpones its demand, and the next approval of that application covers the days
        // refused. Over two years nearly all of the requirement gets through at 25% approvals, late; with its order held at 50
        // a day (above) only about 25% does.
        var state = MarketClearing.Initialise(World, Oxide);
        var control = Control(ControlMode.License, 0.25);
        double received = 0, owed = 0;
        const int Days = 720;
        for (int t = 0; t < Days; t++)
        {
            owed = Math.Min(owed + 50, 60 * 50);
            var bids = new[] { Bid("cn-buyer", "CN", 50) with { Normal = 50 }, Bid("jp-buyer", "JP", owed) with { Normal = 50 } };
            var r = MarketClearing.Clear(World, state, t, [Ask("cn-sep", "CN", 200)], bids, [control], 1);
            var got = r.Fills.Where(f => f.BuyerCountry == "JP").Sum(f => f.Quantity);
            received += got;
            owed -= got;
        }
        Assert.InRange(received / (Days * 50.0), 0.85, 1.0);
    }

    [Fact]
    public void A_refused_buyer_with_no_other_supplier_adds_its_demand_abroad_not_in_the_exporters_segment()
    {
        // Licence never approved: Japan is cut off. Its unmet demand must lift the price abroad and leave China's price alone.
        var (home, abroad, _) = Run(30, Control(ControlMode.License, approval: 0));
        var (banHome, banAbroad, _) = Run(30, Control(ControlMode.Ban));
        Assert.Equal(banAbroad, abroad, 6);
        Assert.Equal(banHome, home, 6);
    }
}
