using System.Text.Json;
using MarketSim.Model.Market;
using MarketSim.Model.Simulation;
using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>
/// A buyer holds one licence per licensing state and commodity, reviewed under the strictest of that state's licence
/// requirements that cover it (MarketClearing.LicencesFor); and only a control that could bind is news (SessionRules.CanBind).
/// </summary>
public class LicenceOverlapTests
{
    static readonly ScenarioSpec World = Make(internationalDays: 10);

    static ExportControl Licence(string id, double approval, double delayMin, double delayMax, params string[] destinations) => new()
    {
        Id = id, Start = 0, Exporter = "CN", Commodities = ["oxide"], Destinations = destinations, Mode = ControlMode.License,
        ApprovalRate = approval, DelayMinDays = delayMin, DelayMaxDays = delayMax,
    };

    static List<Bid> Bids() => Enumerable.Range(0, 12).Select(i => Bid($"jp-{i:D2}", "JP", 5) with { Normal = 1 }).ToList();

    /// <summary>Clears 120 ticks under the policies; returns every tick's fills as JSON and the total bought.</summary>
    static (string Json, double Bought) Run(params PolicySpec[] policies)
    {
        var state = MarketClearing.Initialise(World, World.Commodity("oxide"));
        var all = new List<Fill>();
        for (int tick = 0; tick < 120; tick++)
            all.AddRange(MarketClearing.Clear(World, state, tick, [Ask("cn-sep", "CN", 40)], Bids(), policies, 3).Fills);
        return (JsonSerializer.Serialize(all), all.Sum());
    }

    [Fact]
    public void Renaming_overlapping_licences_changes_nothing()
    {
        // A general licence and one for Japan, alike: which one "wins" used to follow their ids, and with it the draws.
        var a = Run(Licence("a-general", 0.4, 5, 15), Licence("b-japan", 0.4, 5, 15, "JP"));
        var b = Run(Licence("z-general", 0.4, 5, 15), Licence("b-japan", 0.4, 5, 15, "JP"));
        Assert.Equal(a.Json, b.Json);
        Assert.True(a.Bought > 0);
    }

    [Fact]
    public void A_stricter_licence_added_never_lets_more_through()
    {
        // The added licence refuses more often but decides at once: the buyer is reviewed at its approval rate and under the
        // longer delays of the two, not under the looser terms of whichever has the lowest approval rate.
        var one = Run(Licence("cn-general", 0.5, 20, 40));
        var two = Run(Licence("cn-general", 0.5, 20, 40), Licence("cn-japan", 0.45, 1, 1, "JP"));
        Assert.True(two.Bought <= one.Bought, $"{two.Bought} bought with the stricter licence added, {one.Bought} without");
    }

    [Fact]
    public void Only_a_control_that_could_bind_is_news()
    {
        var world = Make(producers:
        [
            new ProducerSpec { Id = "cn-sep", Country = "CN", Sector = "separation", Output = "oxide", Capacity = 10, UnitCost = 1 },
        ], manufacturers:
        [
            new ManufacturerSpec { Id = "jp-maker", Country = "JP", Sector = "magnets", PlannedOutput = 1, OutputValue = 10, ValueAdded = 3, CoverDays = 10,
                Inputs = new Dictionary<string, double> { ["oxide"] = 1 } },
        ]);
        ExportControl Control(string exporter, ControlMode mode, double quota = 0) => new()
        {
            Id = "x", Start = 0, Exporter = exporter, Commodities = ["oxide"], Destinations = ["JP"], Mode = mode,
            QuotaQuantity = quota, QuotaPeriodDays = 30,
        };
        bool CanBind(ExportControl c, params PolicySpec[] inForce) => SessionRules.CanBind(world, c, "oxide", inForce);
        Assert.True(CanBind(Control("CN", ControlMode.Ban)));
        Assert.False(CanBind(Control("AU", ControlMode.Ban))); // Australia makes no oxide here
        Assert.True(CanBind(Control("AU", ControlMode.Ban) with { ReExport = true })); // its content might
        Assert.True(CanBind(Control("CN", ControlMode.Quota, quota: 299)));
        Assert.False(CanBind(Control("CN", ControlMode.Quota, quota: 300))); // China's whole output in 30 days
        // A destination with no buyer of oxide: nothing to stop, unless a stockpile there buys it.
        var toKorea = Control("CN", ControlMode.Ban) with { Destinations = ["KR"] };
        Assert.False(CanBind(toKorea));
        Assert.True(CanBind(toKorea, new Stockpile { Id = "kr-stock", Country = "KR", Commodity = "oxide", Start = 0, Size = 10, Initial = 0, MaxReleasePerDay = 1 }));

        var phantom = world with { Policies = [Control("AU", ControlMode.Ban), Control("CN", ControlMode.Quota, 1e9) with { Id = "y" }] };
        Assert.Empty(SessionRules.Begin(phantom, SessionRules.Initialise(phantom)).Context.Controlled);
        var real = world with { Policies = [Control("CN", ControlMode.Ban)] };
        Assert.Equal(["oxide|JP"], SessionRules.Begin(real, SessionRules.Initialise(real)).Context.Controlled);
    }
    [Fact]
    public void A_licence_for_both_end_uses_covers_the_civil_and_the_military_requirement()
    {
        // One buyer, 80% civil and 20% military use (normal requirement 0.8 + 0.2 a day), ordering far more than it needs; a
        // licence for every end use, always approved after 10 days. Its volume is the whole requirement for the days it runs:
        // set from the civil share alone (as before Dec 2026) the buyer got 0.8 a day in all.
        var licence = Licence("cn-all", 1, 10, 10) with { Applications = 1 };
        var state = MarketClearing.Initialise(World, World.Commodity("oxide"));
        double bought = 0;
        for (int tick = 0; tick < 100; tick++)
            bought += MarketClearing.Clear(World, state, tick, [Ask("cn-sep", "CN", 40)],
                [Bid("jp-maker", "JP", 5) with { Normal = 0.8 }, Bid("jp-maker", "JP", 5, use: EndUse.Military) with { Normal = 0.2 }],
                [licence], 3).Fills.Sum();
        // Ten approvals of 10 days each: 1.0 × 10 per approval.
        Assert.Equal(100, bought, 6);
    }
}
