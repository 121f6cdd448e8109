using MarketSim.Model.Market;
using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>
/// What a buyer has applied for under a licence and not had decided is reported to it (ClearingResult.Applied: the licensed
/// requirement of the days until each decision) and counted in its order-up-to position up to the wait its expected lead time
/// holds: without it the position fell short by that wait for good (docs/MODEL.md, Licences). A refused application is not
/// counted as coming.
/// </summary>
public class LicenceInFlightTests
{
    static readonly ScenarioSpec World = Make(internationalDays: 10);

    static ExportControl Licence(double approval, int delay, int applications = 1) => new()
    {
        Id = "cn-licence", Start = 0, Exporter = "CN", Commodities = ["oxide"], Mode = ControlMode.License, ApprovalRate = approval,
        DelayMinDays = delay, DelayMaxDays = delay, Applications = applications,
    };

    /// <summary>What the market reports in flight for jp-buyer (its normal requirement is 1 a day, so days) after each of the
    /// first <paramref name="ticks"/> ticks.</summary>
    static List<double> Reported(ExportControl licence, int ticks, Func<int, bool>? inForce = null)
    {
        var state = MarketClearing.Initialise(World, World.Commodity("oxide"));
        var days = new List<double>();
        for (int tick = 0; tick < ticks; tick++)
        {
            PolicySpec[] policies = inForce is null || inForce(tick) ? [licence] : [];
            var r = MarketClearing.Clear(World, state, tick, [Ask("cn-sep", "CN", 100)], [Bid("jp-buyer", "JP", 5) with { Normal = 1 }], policies, 3);
            days.Add(r.Applied.SingleOrDefault(a => a.BuyerId == "jp-buyer")?.Quantity ?? 0);
        }
        return days;
    }

    [Fact]
    public void An_application_waiting_for_its_decision_is_reported_for_the_days_it_covers_and_the_next_one_after_an_approval()
    {
        // Every application approved after exactly 10 days: the first waits from day 0 to day 10, then each approval lodges the
        // next for 10 days. Always 10 days in flight.
        var days = Reported(Licence(1, 10), 40);
        Assert.All(days, d => Assert.Equal(10, d, 12));
    }

    [Fact]
    public void A_refused_application_is_not_counted_as_coming()
    {
        // Every application refused: the first is in flight until its decision on day 10, and nothing after it.
        var days = Reported(Licence(0, 10), 40);
        Assert.All(days.Take(10), d => Assert.Equal(10, d, 12));
        Assert.All(days.Skip(10), d => Assert.Equal(0, d));
    }

    [Fact]
    public void Each_of_n_applications_counts_a_share_of_the_requirement()
    {
        // Four applications, half refused: each counts a quarter of its days while in flight, and none once refused.
        var days = Reported(Licence(0.5, 8, applications: 4), 80);
        Assert.All(days, d => Assert.True(d >= 0 && d <= 8 + 1e-12, $"{d} days"));
        Assert.All(days, d => Assert.Equal(0, d * 4 / 8 - Math.Round(d * 4 / 8), 12)); // whole applications of 8 days / 4
        Assert.Contains(days, d => d > 0 && d < 8); // some refused, some in flight
    }

    [Fact]
    public void Nothing_is_in_flight_once_no_licence_is_in_force()
    {
        var days = Reported(Licence(1, 10), 30, inForce: t => t < 20);
        Assert.Equal(10, days[19], 12);
        Assert.All(days.Skip(20), d => Assert.Equal(0, d));
    }

    [Fact]
    public void A_firm_counts_what_it_has_applied_for_as_on_order_up_to_the_wait_its_lead_time_holds()
    {
        // Cover 5 days, lead time 12 (transport and a licence's wait), 17 days' use held: its position lacks one day's use.
        // What it has applied for and not had decided is on order, up to the wait its expected lead time holds (W).
        var world = Make(producers: [new ProducerSpec { Id = "cn-sep", Country = "CN", Output = "oxide", Capacity = 100, UnitCost = 500 }]);
        double Ordered(double applied, double wait, double held = 7)
        {
            var s = new FirmState();
            Stock.For(s.Inputs, "oxide")["CN"] = held;
            s.ExpectedLeadTime["oxide"] = 12;
            if (applied > 0) s.Applied["oxide"] = applied;
            if (wait > 0) s.ExpectedWait["oxide"] = wait;
            var bids = new List<Bid>();
            Procurement.BidFor(bids, world, s, "jp-maker", "JP", "magnets", "oxide", dailyUse: 1, ownCoverDays: 5, limit: 1e9, militaryShare: 0, tick: 0);
            return bids.Where(b => !b.IsUrgent).Sum(b => b.Quantity);
        }
        Assert.Equal(1, Ordered(0, 0, held: 17), 12);
        // 10 days of its 12 are a licence's wait: holding 7 days' use, with 10 days applied for its position is full but for
        // the day's use; with nothing applied for it orders the wait's 10 days as well, every tick, and cannot get them.
        Assert.Equal(1, Ordered(10, 10), 12);
        Assert.Equal(11, Ordered(0, 10), 12);
        Assert.Equal(10.5, Ordered(0.5, 10), 12);
        // Applied for beyond what its lead time holds (a wait not learnt yet, or supply it buys elsewhere) is not counted.
        Assert.Equal(7, Ordered(10, 4), 12);
        // The report replaces the last: an input no market reports has nothing in flight.
        var firm = new FirmState();
        Procurement.NoteApplied(firm, [new Applied("jp-maker", "oxide", 4)]);
        Assert.Equal(4, firm.Applied["oxide"]);
        Procurement.NoteApplied(firm, []);
        Assert.Empty(firm.Applied);
    }
}
