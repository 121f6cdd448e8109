namespace MarketSim.Model.Tests;

public class ProcurementTests
{
    [Fact]
    public void Order_up_to_orders_one_days_use_in_a_steady_state()
    {
        // 30 days of cover on hand and 10 days' use on the way: only today's use is missing.
        Assert.Equal(2, Procurement.OrderUpTo(dailyUse: 2, coverDays: 30, leadTimeDays: 10, onHand: 60, inTransit: 20), 12);
    }

    [Fact]
    public void Order_up_to_refills_cover_and_pipeline_from_empty()
    {
        Assert.Equal(2 * (30 + 10 + 1), Procurement.OrderUpTo(2, 30, 10, onHand: 0, inTransit: 0), 12);
    }

    [Fact]
    public void Order_up_to_never_orders_a_negative_quantity()
    {
        Assert.Equal(0, Procurement.OrderUpTo(2, 30, 10, onHand: 500, inTransit: 0));
    }

    [Fact]
    public void A_position_above_its_target_is_drawn_down_over_the_horizon_not_at_once()
    {
        // Horizon 41 days, use 2 a day: 10 days' use (20) above the steady position orders 2 − 20/41 a day, not nothing; the
        // steady position orders one day's use, and a position short of it orders the whole gap, as before.
        Assert.Equal(2 - 20.0 / 41, Procurement.OrderUpTo(2, 30, 10, onHand: 80, inTransit: 20), 12);
        Assert.Equal(2, Procurement.OrderUpTo(2, 30, 10, onHand: 60, inTransit: 20), 12);
        Assert.Equal(12, Procurement.OrderUpTo(2, 30, 10, onHand: 50, inTransit: 20), 12);
        // Continuous at the steady state: a crumb above it orders a crumb less.
        Assert.Equal(2 - 1e-6 / 41, Procurement.OrderUpTo(2, 30, 10, onHand: 60 + 1e-6, inTransit: 20), 9);
        // A position more than a horizon's use above the steady one orders nothing.
        Assert.Equal(0, Procurement.OrderUpTo(2, 30, 10, onHand: 60 + 2 * 41, inTransit: 20));
    }

    [Fact]
    public void A_freshly_initialised_firm_is_in_a_steady_state()
    {
        var s = new FirmState();
        Initialise(s, "oxide", "CN", dailyUse: 3, coverDays: 20, supply: [(7, 1)]);
        Assert.Equal(60, Stock.Total(s.Inputs["oxide"]), 12);
        Assert.Equal(21, Procurement.InTransit(s, "oxide"), 12);
        Assert.Equal(7, s.Pipeline.Count); // one shipment arriving on each of the next 7 ticks
        Assert.Equal(3, Procurement.OrderUpTo(3, 20, s.ExpectedLeadTime["oxide"], Stock.Total(s.Inputs["oxide"]), Procurement.InTransit(s, "oxide")), 12);
    }

    [Fact]
    public void A_firm_buying_from_a_near_and_a_far_supplier_receives_one_days_use_every_day_from_the_start()
    {
        // Two thirds from home (14 days), a third from abroad (45 days); every tick it orders one day's use, split alike.
        var s = new FirmState();
        Initialise(s, "oxide", "CN", dailyUse: 3, coverDays: 20, supply: [(14, 2.0 / 3), (45, 1.0 / 3)]);
        Assert.Equal(3 * (14 * 2.0 / 3 + 45 * 1.0 / 3), Procurement.InTransit(s, "oxide"), 9);
        Assert.Equal(14 * 2.0 / 3 + 45 * 1.0 / 3, s.ExpectedLeadTime["oxide"], 12);
        Assert.Equal(3, Procurement.OrderUpTo(3, 20, s.ExpectedLeadTime["oxide"], Stock.Total(s.Inputs["oxide"]), Procurement.InTransit(s, "oxide")), 9);
        for (int t = 0; t < 90; t++)
        {
            var before = Stock.Total(s.Inputs["oxide"]);
            s.Pipeline.Book(new Shipment("oxide", "CN", 2, t + 14));
            s.Pipeline.Book(new Shipment("oxide", "CN", 1, t + 45));
            Procurement.Arrive(s, t);
            Assert.Equal(3, Stock.Total(s.Inputs["oxide"]) - before, 9);
        }
    }

    [Fact]
    public void Opening_supply_takes_what_is_reserved_for_the_buyers_country_first_and_the_rest_by_open_capacity()
    {
        ProducerSpec P(string id, string country, double capacity, double reserved = 0, params string[] reservedFor) => new()
        {
            Id = id, Country = country, Sector = "separation", Output = "oxide", Capacity = capacity, UnitCost = 1, ReservedShare = reserved, ReservedFor = reservedFor,
        };
        ManufacturerSpec M(string id, string country, double use) => new()
        {
            Id = id, Country = country, Sector = "cars", PlannedOutput = use, OutputValue = 1, ValueAdded = 1, CoverDays = 10,
            Inputs = new Dictionary<string, double> { ["oxide"] = 1 },
        };
        var world = TestWorld.Make() with
        {
            Producers = [P("cn", "CN", 80), P("au", "AU", 20, 0.5, "JP")],
            Manufacturers = [M("jp-maker", "JP", 25), M("cn-maker", "CN", 55)],
            Transport = new TransportSpec { DomesticDays = 14, InternationalDays = 45 },
        };
        // Buyers take 80 of 100 (u = 0.8). Japan's reserved 10 sells 8 a day, 8/25 = 32% of Japan's need; the other 68% spreads
        // over the open 90 (Australia's open 10 and China's 80), producers in id order. Before Dec 2026: 0.2 and 0.8.
        var jp = OpeningSupply(world, "oxide", "jp-maker", "JP", null);
        Assert.Equal(2, jp.Count);
        Assert.Equal(45.0, jp[0].Days);
        Assert.Equal(0.32 + 0.68 * 10 / 90, jp[0].Share, 12);
        Assert.Equal(0.68 * 80 / 90, jp[1].Share, 12);
        // China: the open half of Australia's 20 abroad, its own 80 at home.
        var cn = OpeningSupply(world, "oxide", "cn-maker", "CN", null);
        Assert.Equal(2, cn.Count);
        Assert.Equal((45.0, 10.0 / 90), (cn[0].Days, cn[0].Share));
        Assert.Equal((14.0, 80.0 / 90), (cn[1].Days, cn[1].Share));
        // Where the reservation covers the country's whole need, its buyers open with nothing else.
        var captive = world with { Manufacturers = [M("jp-maker", "JP", 5), M("cn-maker", "CN", 75)] };
        Assert.Equal([(45.0, 1.0)], OpeningSupply(captive, "oxide", "jp-maker", "JP", null));
        // A firm with its own lead time in the scenario keeps it.
        Assert.Equal([(30.0, 1.0)], OpeningSupply(world, "oxide", "x", "CN", 30));
    }

    // The opening of one origin, and the suppliers' lead times and shares, as the rules' OpeningLots gives them.
    static void Initialise(FirmState s, string commodity, string origin, double dailyUse, double coverDays, IReadOnlyList<(double Days, double Share)> supply) =>
        Procurement.Initialise(s, commodity, dailyUse, coverDays, supply.Select(x => new OpeningLots.Source(x.Days, x.Share, [new(origin, 1)])).ToList());

    static List<(double Days, double Share)> OpeningSupply(ScenarioSpec world, string commodity, string buyerId, string buyerCountry, double? leadTimeDays) =>
        OpeningLots.Supply(world, commodity, buyerId, buyerCountry, leadTimeDays).Select(x => (x.Days, x.Share)).ToList();

    static Dictionary<string, double> Recipe(string input) => new() { [input] = 1 };

    [Fact]
    public void A_days_fills_move_the_input_price_in_proportion_to_a_days_use()
    {
        // A firm using 4 a day values its input at 1000. A sliver at 4000 moves it by no more than the sliver's share of a day's
        // use; half a day's use moves it halfway; a full day's use sets it. The lead time is learnt from every regular fill alike.
        var s = new FirmState();
        s.LastPrice["oxide"] = 1000;
        s.ExpectedLeadTime["oxide"] = 10;
        Fill At(double q, double price, int days) => new("jp", "JP", "cn", "CN", "oxide", "CN", EndUse.Civil, q, price, 0, 0, null, 0, days);
        Procurement.Receive(s, [At(4e-9, 4000, 10)], learning: 1, tick: 0, Recipe("oxide"), rate: 4);
        Assert.Equal(1000, s.LastPrice["oxide"], 4);
        Procurement.Receive(s, [At(2, 3000, 20)], learning: 1, tick: 0, Recipe("oxide"), rate: 4);
        Assert.Equal(2000, s.LastPrice["oxide"], 3);
        Assert.Equal(20, s.ExpectedLeadTime["oxide"], 9);
        Procurement.Receive(s, [At(1, 500, 30), At(3, 500, 30)], learning: 1, tick: 0, Recipe("oxide"), rate: 4);
        Assert.Equal(500, s.LastPrice["oxide"], 6);
    }

    [Fact]
    public void A_days_fills_move_the_tariff_a_firm_faces_alike()
    {
        // A sliver bought across a 100% tariff barely moves what thrift reads; a day's use at 100% sets it; a day's use with no
        // tariff clears it.
        var s = new FirmState();
        s.LastPrice["oxide"] = 1000;
        Fill At(double q, double tariff) => new("jp", "JP", "cn", "CN", "oxide", "CN", EndUse.Civil, q, 1000, tariff, 0, null, 0, 10);
        Procurement.Receive(s, [At(4e-9, 1000)], learning: 0.1, tick: 0, Recipe("oxide"), rate: 4);
        Assert.InRange(s.TariffRate.GetValueOrDefault("oxide"), 0, 1e-8);
        Procurement.Receive(s, [At(4, 1000)], learning: 0.1, tick: 1, Recipe("oxide"), rate: 4);
        Assert.Equal(1, s.TariffRate["oxide"], 9);
        Procurement.Receive(s, [At(4, 0)], learning: 0.1, tick: 2, Recipe("oxide"), rate: 4);
        Assert.False(s.TariffRate.ContainsKey("oxide"));
    }

    [Fact]
    public void A_pipeline_holds_one_entry_per_arrival_input_and_origin_however_long_orders_take()
    {
        // Every tick for 200 ticks the firm orders from home (14 days) and abroad (45 days, two origins): the pipeline's size
        // is bounded by the lead time, not by how many ticks it has ordered for; and what arrives is what was ordered.
        var s = new FirmState();
        double ordered = 0, arrived = 0;
        for (int t = 0; t < 200; t++)
        {
            var fills = new List<Fill>
            {
                F("CN", 2, t, t + 14), F("AU", 1, t, t + 45), F("CN", 0.5, t, t + 45),
                F("CN", 0.25, t, t + 14 + t % 3), // a licence delay that lands on days other orders arrive
            };
            ordered += fills.Sum(f => f.Quantity);
            Procurement.Receive(s, fills, learning: 0.1, tick: t, Recipe("oxide"), rate: 3.75);
            var before = Stock.Total(s.Inputs.GetValueOrDefault("oxide"));
            Procurement.Arrive(s, t);
            arrived += Stock.Total(s.Inputs.GetValueOrDefault("oxide")) - before;
            Assert.True(s.Pipeline.Zip(s.Pipeline.Skip(1)).All(p => p.First.ArrivalTick <= p.Second.ArrivalTick), "arrival order");
            Assert.True(s.Pipeline.Count <= 3 * 46, $"tick {t}: {s.Pipeline.Count} entries");
        }
        Assert.Equal(ordered, arrived + Procurement.InTransit(s, "oxide"), 9);
        Assert.Equal(s.Pipeline.Count, s.Pipeline.Select(p => (p.ArrivalTick, p.Commodity, p.Origin)).Distinct().Count());
    }

    static Fill F(string origin, double q, int orderTick, int arrivalTick) =>
        new("jp-maker", "JP", "seller-" + origin, origin, "oxide", origin, EndUse.Civil, q, 10, 0, 0, null, orderTick, arrivalTick);

    [Fact]
    public void Shipments_arrive_on_their_arrival_tick_not_before()
    {
        var s = new FirmState();
        s.Pipeline.Add(new Shipment("oxide", "AU", 5, ArrivalTick: 10));
        Procurement.Arrive(s, 9);
        Assert.Equal(0, Stock.Total(s.Inputs.GetValueOrDefault("oxide")));
        Procurement.Arrive(s, 10);
        Assert.Equal(5, s.Inputs["oxide"]["AU"]);
        Assert.Empty(s.Pipeline);
    }

    [Fact]
    public void Orders_split_into_civil_and_military_bids_by_military_share()
    {
        var bids = new List<Bid>();
        Procurement.AddBids(bids, "jp-defence", "JP", "oxide", 10, 5000, militaryShare: 0.3);
        Assert.Equal(7, bids.Single(b => b.EndUse == EndUse.Civil).Quantity, 12);
        Assert.Equal(3, bids.Single(b => b.EndUse == EndUse.Military).Quantity, 12);
    }
}
