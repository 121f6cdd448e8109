namespace MarketSim.Model.Tests;

/// <summary>The lead time from order: the days an order waits unfilled count, oldest orders are met first.</summary>
public class OpenOrdersTests
{
    static Fill Import(double q, int tick, int arrival, string buyerCountry = "JP", string sellerCountry = "CN") =>
        new("m", buyerCountry, "p", sellerCountry, "magnet", sellerCountry, EndUse.Civil, q, 1, 0, 0, null, tick, arrival);

    [Fact]
    public void An_order_filled_the_day_it_is_asked_for_waited_nothing()
    {
        var open = new List<OpenOrder>();
        for (int t = 0; t < 5; t++)
        {
            OpenOrders.Post(open, t, 2);
            Assert.Equal(0, OpenOrders.Fill(open, t, 2), 12);
            Assert.Empty(open);
        }
    }

    [Fact]
    public void An_order_refused_for_ten_days_then_filled_waited_ten_days()
    {
        // One day's use (1) a day; nothing filled on days 0-9, so the firm asks for 1, 2, ... 10; on day 10 it asks for 11
        // and gets all of it: the oldest unit waited 10 days, the newest 0, on average 5.
        var open = new List<OpenOrder>();
        for (int t = 0; t < 10; t++)
        {
            OpenOrders.Post(open, t, t + 1);
            Assert.Equal(0, OpenOrders.Fill(open, t, 0));
        }
        OpenOrders.Post(open, 10, 11);
        Assert.Equal(11, open.Sum(o => o.Quantity), 12);
        Assert.Equal(5, OpenOrders.Fill(open, 10, 11), 12);
        Assert.Empty(open);
    }

    [Fact]
    public void A_part_fill_meets_the_oldest_orders_first()
    {
        var open = new List<OpenOrder>();
        OpenOrders.Post(open, 0, 4);
        OpenOrders.Post(open, 3, 6); // 2 more on day 3
        Assert.Equal(5, OpenOrders.Fill(open, 5, 2), 12); // two units of day 0's order, 5 days old
        Assert.Equal([new OpenOrder(0, 2), new OpenOrder(3, 2)], open);
        Assert.Equal((2 * 6 + 1 * 3) / 3.0, OpenOrders.Fill(open, 6, 3), 12);
        Assert.Equal([new OpenOrder(3, 1)], open);
    }

    [Fact]
    public void Asking_for_less_cancels_the_newest_orders_first()
    {
        var open = new List<OpenOrder>();
        OpenOrders.Post(open, 0, 4);
        OpenOrders.Post(open, 1, 7);
        OpenOrders.Post(open, 2, 5); // 2 of day 1's 3 are no longer wanted
        Assert.Equal([new OpenOrder(0, 4), new OpenOrder(1, 1)], open);
        OpenOrders.Post(open, 3, 0);
        Assert.Empty(open);
    }

    [Fact]
    public void A_firm_reports_its_imports_with_the_wait_and_the_delivery_and_learns_only_the_delivery()
    {
        // Asked for 6 on day 0, refused until day 4, then filled: 4 from China (arrives day 49), 2 at home (not an import).
        var s = new FirmState();
        s.ExpectedLeadTime["magnet"] = 45;
        s.Unfilled["magnet"] = [];
        OpenOrders.Post(s.Unfilled["magnet"], 0, 6);
        var imports = Procurement.Receive(s, [Import(4, 4, 49), Import(2, 4, 18, sellerCountry: "JP")], learning: 1, tick: 4, new Dictionary<string, double> { ["magnet"] = 1 }, rate: 6);
        var i = Assert.Single(imports);
        Assert.Equal(("magnet", 4.0), (i.Commodity, i.Quantity));
        Assert.Equal(4 * (4 + 45), i.QuantityDays, 9);
        Assert.Equal(4 * 4, i.QuantityWaited, 9);
        // What it plans with is the delivery time of what it got (4·45 + 2·14)/6: the wait is re-ordered every tick already.
        Assert.Equal((4 * 45 + 2 * 14) / 6.0, s.ExpectedLeadTime["magnet"], 9);
        Assert.Empty(s.Unfilled["magnet"]);
    }

    [Fact]
    public void Lead_totals_folded_in_any_grouping_give_the_same_bits()
    {
        AgentReport R(string id, double q, double days) => new(id, "JP", "auto", 0, 0, [], [], 0) { Imports = [new ImportLead("magnet", q, q * days, q * (days - 45))] };
        var reports = Enumerable.Range(0, 50).Select(i => R("m" + i, 0.1 + i * 0.37, 45 + i % 7 * 1.3)).ToList();
        var one = ReportTotals.Of(reports);
        var shards = new ReportTotals();
        foreach (var chunk in reports.AsEnumerable().Reverse().Chunk(7)) shards.Add(ReportTotals.Of(chunk));
        var (a, b) = (Assert.Single(one.Leads), Assert.Single(shards.Leads));
        Assert.Equal((a.Quantity, a.QuantityDays, a.QuantityWaited), (b.Quantity, b.QuantityDays, b.QuantityWaited));
        Assert.Equal(reports.Sum(r => r.Imports[0].Quantity), a.Quantity.Value, 9);
    }
}
