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
    public void A_freshly_initialised_firm_is_in_a_steady_state()
    {
        var s = new FirmState();
        Procurement.Initialise(s, "oxide", "CN", dailyUse: 3, coverDays: 20, leadTime: 7);
        Assert.Equal(60, Stock.Total(s.Inputs["oxide"]), 12);
        Assert.Equal(21, Procurement.InTransit(s, "oxide"), 12);
        Assert.Equal(7, s.Pipeline.Count); // one shipment arriving on each of the next 7 ticks
        Assert.Equal(3, Procurement.OrderUpTo(3, 20, s.ExpectedLeadTime["oxide"], Stock.Total(s.Inputs["oxide"]), Procurement.InTransit(s, "oxide")), 12);
    }

    [Fact]
    public void Shipments_arrive_on_their_arrival_tick_not_before()
    {
        var s = new FirmState();
        s.Pipeline.Add(new Shipment("oxide", "AU", 5, OrderTick: 0, ArrivalTick: 10));
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
