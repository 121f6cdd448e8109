using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>Expediting: a buyer that would run out before what it has in transit arrives buys the gap from sellers that deliver
/// sooner (an urgent bid), and a national stockpile on standby sells to such bids only.</summary>
public class ExpeditingTests
{
    // Transport: 10 days abroad, 2 at home. Only China makes oxide.
    static readonly ScenarioSpec World = Make(producers:
        [new ProducerSpec { Id = "cn-sep", Country = "CN", Output = "oxide", Capacity = 100, UnitCost = 500 }]);

    static FirmState Firm(double onHand, params (double Quantity, int Arrival)[] pipeline)
    {
        var s = new FirmState();
        if (onHand > 0) Stock.For(s.Inputs, "oxide")["CN"] = onHand;
        foreach (var (q, at) in pipeline) s.Pipeline.Book(new Shipment("oxide", "CN", q, at));
        s.ExpectedLeadTime["oxide"] = 10;
        return s;
    }

    static List<Bid> Bids(FirmState s, int tick)
    {
        var bids = new List<Bid>();
        Procurement.BidFor(bids, World, s, "jp-maker", "JP", "magnets", "oxide", dailyUse: 1, ownCoverDays: 5, limit: 1e9, militaryShare: 0, tick);
        return bids;
    }

    [Fact]
    public void A_firm_whose_whole_position_is_in_a_ship_still_far_away_bids_urgently_for_what_bridges_the_gap()
    {
        // Nothing on hand, 32 days' use arriving on day 9: its position (5 + 10 + 1 days) is more than full (it would draw the
        // excess down over 16 days: Procurement.OrderUpTo), so it posts no regular bid, but nothing it holds arrives within the
        // 2 days home sellers need: it asks them for 2 + 1 days' use.
        var bids = Bids(Firm(0, (32, 9)), tick: 0);
        var urgent = Assert.Single(bids);
        Assert.Equal(2, urgent.WithinDays);
        Assert.Equal(3, urgent.Quantity, 12);
        Assert.Equal(0, urgent.Normal); // its normal requirement stays with the regular bid
    }

    [Fact]
    public void A_firm_in_a_steady_state_bids_only_regularly()
    {
        // 5 days on hand and a day's use arriving every day for 10 days.
        var bids = Bids(Firm(5, [.. Enumerable.Range(0, 10).Select(d => (1.0, d))]), tick: 0);
        var regular = Assert.Single(bids);
        Assert.Null(regular.WithinDays);
        Assert.Equal(1, regular.Quantity, 12);
    }

    [Fact]
    public void A_plant_not_built_does_not_narrow_the_urgent_window()
    {
        // A Korean separator with no capacity, one day from Japan: counting its route made the window 1 day, shutting Japan's
        // firms out of their own stockpile (2 days) for a seller that sells nothing.
        var world = World with
        {
            Producers = [.. World.Producers, new ProducerSpec { Id = "kr-sep", Country = "KR", Output = "oxide", Capacity = 0, UnitCost = 500 }],
            Transport = World.Transport with { Routes = [new RouteSpec("KR", "JP", 1)] },
        };
        var bids = new List<Bid>();
        Procurement.BidFor(bids, world, Firm(0, (32, 9)), "jp-maker", "JP", "magnets", "oxide", dailyUse: 1, ownCoverDays: 5, limit: 1e9, militaryShare: 0, tick: 0);
        Assert.Equal(2, Assert.Single(bids).WithinDays);
    }

    [Fact]
    public void An_expedited_fill_teaches_nothing_about_the_regular_lead_time()
    {
        // A firm expecting 10 days buys 3 t from its stockpile (2 days) on an urgent bid: its lead time stays 10, so its regular
        // position stays sized for the supplier it will go back to; a regular fill of 2 days does teach it.
        var s = Firm(0);
        Fill Bought(bool urgent) => new("jp-maker", "JP", "jp-stock", "JP", "oxide", "CN", EndUse.Civil, 3, 1000, 0, 0, null, 5, 7) { Urgent = urgent };
        Procurement.Receive(s, [Bought(urgent: true)], learning: 0.5, tick: 5, new Dictionary<string, double> { ["oxide"] = 1 }, rate: 3);
        Assert.Equal(10, s.ExpectedLeadTime["oxide"], 12);
        Procurement.Receive(s, [Bought(urgent: false)], learning: 0.5, tick: 6, new Dictionary<string, double> { ["oxide"] = 1 }, rate: 3);
        Assert.Equal(6, s.ExpectedLeadTime["oxide"], 12);
    }

    [Fact]
    public void An_urgent_bid_buys_only_from_sellers_near_enough_and_its_shortfall_is_no_extra_demand()
    {
        var urgent = Bid("jp-maker", "JP", 10) with { WithinDays = 2 };
        var far = Clear(World, [Ask("cn-sep", "CN", 100)], [urgent]);
        Assert.Empty(far.Fills);
        // Unfilled, it moves no price: the same need is in the buyer's regular bid.
        Assert.Equal(Clear(World, [Ask("cn-sep", "CN", 100)], []).NextPrices.Single().Price, far.NextPrices.Single().Price, 12);
        var near = Clear(World, [Ask("jp-stock", "JP", 100, onlyFor: ["JP"])], [urgent]);
        Assert.Equal(10, Assert.Single(near.Fills).Quantity, 9);
    }

    [Fact]
    public void A_buyers_regular_and_urgent_bids_clear_alike_in_either_input_order()
    {
        // Same buyer, end use and application: the sort puts the regular bid first, so the input order decides nothing.
        var regular = Bid("jp-maker", "JP", 30);
        var urgent = Bid("jp-maker", "JP", 8) with { WithinDays = 2 };
        Ask[] asks = [Ask("cn-sep", "CN", 20), Ask("jp-stock", "JP", 5, onlyFor: ["JP"])];
        string Key(ClearingResult r) => string.Join(";", r.Fills.Select(f => $"{f.SellerId}:{f.Quantity:R}:{f.Urgent}"));
        Assert.Equal(Key(Clear(World, asks, [regular, urgent])), Key(Clear(World, asks, [urgent, regular])));
    }

    [Fact]
    public void A_stockpile_on_standby_sells_to_urgent_bids_only()
    {
        var standby = Ask("jp-stock", "JP", 100, onlyFor: ["JP"]) with { UrgentOnly = true };
        Assert.Empty(Clear(World, [standby], [Bid("jp-maker", "JP", 10)]).Fills);
        Assert.Equal(10, Assert.Single(Clear(World, [standby], [Bid("jp-maker", "JP", 10) with { WithinDays = 2 }]).Fills).Quantity, 9);
    }

    [Fact]
    public void An_untriggered_stockpile_stands_by_with_no_supply_counted_and_a_triggered_one_offers_to_all()
    {
        var world = World;
        var pile = new Stockpile { Id = "jp-pile", Start = 0, Country = "JP", Commodity = "oxide", Size = 50, Initial = 50, MaxReleasePerDay = 5 };
        var s = StockpileRules.Initialise(world, world.Countries.Single(c => c.Id == "JP"));
        var calm = Assert.Single(StockpileRules.Plan(world, s, [pile], Context(world), new Dictionary<string, double>()).Asks);
        Assert.True(calm.UrgentOnly);
        Assert.Equal(5, calm.Quantity, 12);
        Assert.Equal(0, calm.Flow);
        var short_ = Assert.Single(StockpileRules.Plan(world, s, [pile], Context(world), new Dictionary<string, double> { ["oxide"] = 0.5 }).Asks);
        Assert.False(short_.UrgentOnly);
        Assert.Equal(5, short_.Flow, 12);
    }

    [Fact]
    public void With_precaution_off_a_shorter_cut_off_costs_Japan_no_more_than_a_longer_one()
    {
        // japan-cutoff-3m with precaution off, the ban lifted on day 75 or on day 90. Before Dec 2026 the earlier end cost Japan
        // $5.05 bn against $2.88 bn: when the ban lifted every magnet maker ordered its whole position from China, 45 days
        // away, and with its stock at 0 and its position full it bought nothing from the national stockpile, which held Dy.
        var w = ScenarioLoader.LoadOrThrow(Paths.Scenario("japan-cutoff-3m.yaml"));
        double Loss(int end)
        {
            var ban = (ExportControl)w.Policies.Single(p => p.Id == "cn-cutoff-jp");
            var spec = w with { Buyers = w.Buyers with { PrecautionMaxCoverDays = 0 }, Policies = [.. w.Policies.Select(p => p == ban ? ban with { End = end } : p)] };
            return new ReferenceRunner(spec, spec.Seed).Run(spec.Days).Last().Losses.Where(l => l.Country == "JP").Sum(l => l.Cumulative);
        }
        var at75 = Loss(75);
        var at90 = Loss(90);
        Assert.True(at75 <= at90, $"Japan's loss with the ban lifted on day 75: {at75 / 1e6:F1} m; on day 90: {at90 / 1e6:F1} m");
    }
}
