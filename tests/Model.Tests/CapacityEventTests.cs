using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>Expansions producers decide are the tick's events (events.csv, the dashboard's timeline), after the policies'
/// events and in producer order whatever order the reports were folded in.</summary>
public class CapacityEventTests
{
    [Fact]
    public void Decided_expansions_follow_the_policies_events_in_producer_order()
    {
        var world = Make();
        var session = SessionRules.Initialise(world);
        var plan = SessionRules.Begin(world, session);
        // Two shards' totals folded in reverse order: the frame's events do not depend on it.
        var a = new ReportTotals();
        a.Decisions.Add(new CapacityDecision("us-sep", "US", "oxide", 2.5, 730));
        var b = new ReportTotals();
        b.Decisions.Add(new CapacityDecision("au-sep", "AU", "oxide", 0.25, 365));
        var folded = new ReportTotals();
        folded.Add(a);
        folded.Add(b);
        var frame = SessionRules.Finish(world, session, plan, [], folded);
        var decided = frame.Events.Skip(plan.Events.Count).ToList();
        Assert.Equal(plan.Events, frame.Events.Take(plan.Events.Count));
        Assert.Equal(2, decided.Count);
        Assert.Equal($"expansion decided by au-sep (AU): +0.25 oxide a day of capacity from {world.DateOf(365):yyyy-MM-dd}, ramping up over {world.Investment.RampDays:0} days", decided[0]);
        Assert.StartsWith("expansion decided by us-sep (US): +2.5 oxide", decided[1]);
    }
}
