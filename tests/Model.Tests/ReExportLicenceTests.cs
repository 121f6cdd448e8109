using System.Text.Json;
using MarketSim.Model.Market;
using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>
/// A licence that reaches a seller only through a re-export clause is the seller's (the re-exporter applies for its goods),
/// per (state, seller, destination), with its own first decision after its rule starts (ClearingRun.ReExports.cs). Before
/// Dec 2026 it was the buyer's licence from the state: a buyer holding the state's approvals met a new re-export rule with
/// its licence open, and the foreign seller's goods went on shipping as if nothing had changed.
/// </summary>
public class ReExportLicenceTests
{
    static readonly ScenarioSpec World = Make(internationalDays: 10);
    const int RuleStart = 150;

    // The state's licence on its own exports from day 0, and a re-export rule (by origin) from day 150, on the same terms.
    static readonly ExportControl Direct = new()
    {
        Id = "cn-direct", Start = 0, Exporter = "CN", Commodities = ["oxide"], Mode = ControlMode.License,
        ApprovalRate = 0.6, DelayMinDays = 28, DelayMaxDays = 63,
    };
    static readonly ExportControl ReExport = Direct with { Id = "cn-reexport", Start = RuleStart, ReExport = true };

    // Twelve US buyers, each ordering its normal requirement of 1 a day.
    static List<Bid> Bids() => Enumerable.Range(0, 12).Select(i => Bid($"us-{i:D2}", "US", 1) with { Normal = 1 }).ToList();

    // A Chinese separator selling 4 a day and a Japanese maker selling 40 a day of oxide of Chinese origin: the Japanese maker
    // supplies most of what the buyers need. The fills by the day they were made.
    static List<Ask> Asks() => [Ask("cn-sep", "CN", 4), Ask("jp-maker", "JP", 40, origin: "CN")];
    static (MarketState State, List<(int Tick, Fill Fill)> Fills) Run(int ticks, ulong seed = 3)
    {
        var state = MarketClearing.Initialise(World, World.Commodity("oxide"));
        var fills = new List<(int, Fill)>();
        for (int tick = 0; tick < ticks; tick++)
            foreach (var f in MarketClearing.Clear(World, state, tick, Asks(), Bids(), InForce(tick), seed).Fills) fills.Add((tick, f));
        return (state, fills);
    }

    // The controls in force on a tick (a session passes the market only those).
    static PolicySpec[] InForce(int tick) => tick < RuleStart ? [Direct] : [Direct, ReExport];

    static double From(List<(int Tick, Fill Fill)> fills, string seller, int from, int to) =>
        fills.Where(f => f.Fill.SellerId == seller && f.Tick >= from && f.Tick < to).Sum(f => f.Fill.Quantity);

    [Fact]
    public void A_buyer_holding_the_states_approvals_still_waits_for_the_re_exporters_first_decision()
    {
        var (_, fills) = Run(RuleStart + 63 + 60);
        // Before the rule the Japanese maker sells to the US buyers freely; they buy from China under their own approvals.
        Assert.True(From(fills, "jp-maker", RuleStart - 50, RuleStart) > 0);
        Assert.True(From(fills, "cn-sep", RuleStart - 50, RuleStart) > 0);
        // From the rule's start until the first decision can come (28 days), nothing of the Japanese maker's ships: its licence
        // is its own, lodged the day the rule starts. The buyers' Chinese approvals stay open for China's own goods.
        Assert.Equal(0, From(fills, "jp-maker", RuleStart, RuleStart + 28));
        Assert.True(From(fills, "cn-sep", RuleStart, RuleStart + 28) > 0);
    }

    [Fact]
    public void The_re_exporter_holds_its_licence_and_its_approvals_ration_its_exports_at_about_the_approval_rate()
    {
        var (state, fills) = Run(RuleStart + 63 + 60);
        // The state's licence for its own exports is each buyer's; the re-export licence is the seller's, for its sales to the US.
        Assert.Contains(state.LicenceValidUntil.Keys.Concat(state.LicenceBlockedUntil.Keys), k => k.StartsWith("us-00|CN", StringComparison.Ordinal));
        var reExport = state.LicenceValidUntil.Keys.Concat(state.LicenceBlockedUntil.Keys).Where(k => k.Contains('>')).ToList();
        Assert.NotEmpty(reExport);
        Assert.All(reExport, k => Assert.StartsWith("jp-maker|CN>US", k));
        // Once every first decision is in (63 days), the maker's exports run at about the share of its applications approved
        // (0.6), not at its former level: measured over the next 60 days against the 50 days before the rule, seeds 1–5.
        var ratios = new List<double>();
        foreach (var seed in new ulong[] { 1, 2, 3, 4, 5 })
        {
            var run = Run(RuleStart + 63 + 60, seed).Fills;
            ratios.Add(From(run, "jp-maker", RuleStart + 63, RuleStart + 123) / 60 / (From(run, "jp-maker", RuleStart - 50, RuleStart) / 50));
        }
        var mean = ratios.Average();
        Assert.True(mean > 0.3 && mean < 0.9, $"re-exports after the first decisions at {mean:F2} of before ({string.Join(", ", ratios.Select(r => r.ToString("F2")))})");
    }

    [Fact]
    public void A_state_read_back_from_json_each_tick_clears_re_exports_as_the_state_kept_in_memory()
    {
        var kept = MarketClearing.Initialise(World, World.Commodity("oxide"));
        var restored = MarketClearing.Initialise(World, World.Commodity("oxide"));
        for (int tick = RuleStart - 5; tick < RuleStart + 90; tick++)
        {
            restored = JsonSerializer.Deserialize<MarketState>(JsonSerializer.Serialize(restored))!;
            var a = MarketClearing.Clear(World, kept, tick, Asks(), Bids(), InForce(tick), 3);
            var b = MarketClearing.Clear(World, restored, tick, Asks(), Bids(), InForce(tick), 3);
            Assert.Equal(JsonSerializer.Serialize(a), JsonSerializer.Serialize(b));
        }
    }

    [Fact]
    public void A_re_exporters_volume_is_its_output_shared_over_its_buyers_by_their_normal_requirement()
    {
        // A Japanese maker making 12 a day sells to twelve US buyers (normal 1 a day each, ordering 5) and twelve Korean ones
        // (normal 3 each, ordering little): its buyers need 48 a day, four times its output, so its licence for the US covers
        // a quarter of the US buyers' requirement, V = 12 × 12 / 48 = 3 a day, 0.3 per application. Every application is
        // approved after 5 days, the first one 5 days after the rule starts, for 5 days' volume plus the 5 days it waited.
        var rule = ReExport with { Start = 0, Destinations = ["US"], ApprovalRate = 1, DelayMinDays = 5, DelayMaxDays = 5 };
        var bids = Enumerable.Range(0, 12).Select(i => Bid($"us-{i:D2}", "US", 5) with { Normal = 1 })
            .Concat(Enumerable.Range(0, 12).Select(i => Bid($"kr-{i:D2}", "KR", 0.01) with { Normal = 3 })).ToList();
        var state = MarketClearing.Initialise(World, World.Commodity("oxide"));
        double toUs = 0;
        for (int tick = 0; tick < 55; tick++)
            foreach (var f in MarketClearing.Clear(World, state, tick, [Ask("jp-maker", "JP", 12, origin: "CN")], bids, [rule], 3).Fills)
                if (f.BuyerCountry == "US") toUs += f.Quantity;
        // Ten applications, each approved on days 5, 10, …, 50: 0.3 × (5 + 5) first, then 0.3 × 5 nine times.
        Assert.Equal(10 * (0.3 * 10 + 9 * 0.3 * 5), toUs, 9);
    }
}
