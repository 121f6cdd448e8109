using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>Bans, the re-export clause, quotas and licences, cleared on hand-made offers and orders.</summary>
public class ExportControlTests
{
    static readonly ScenarioSpec World = Make(internationalDays: 10);

    // CN sells its own oxide; a Korean trader sells oxide of Chinese origin and of Korean origin.
    static readonly Ask[] Asks = [Ask("cn-sep", "CN", 100), Ask("kr-trader", "KR", 100, origin: "CN"), Ask("kr-trader", "KR", 100, origin: "KR")];
    static readonly Bid[] Bids = [Bid("jp-buyer", "JP", 30), Bid("us-buyer", "US", 30)];

    static ExportControl Ban(bool reExport) => new()
    {
        Id = "cn-ban-jp", Start = 0, Exporter = "CN", Commodities = ["oxide"], Destinations = ["JP"], ReExport = reExport,
    };

    [Fact]
    public void A_banned_link_carries_no_flow()
    {
        var fills = Clear(World, Asks, Bids, Ban(reExport: false)).Fills;
        var toJapan = fills.Where(f => f.BuyerCountry == "JP").ToList();
        Assert.DoesNotContain(toJapan, f => f.SellerCountry == "CN");
        Assert.Equal(30, toJapan.Sum(), 9); // served by Korea instead
        // Without the re-export clause, Chinese-origin material sold by a third country still reaches Japan.
        Assert.Contains(toJapan, f => f.Origin == "CN" && f.SellerCountry == "KR" && f.Quantity > 0);
        // The ban names Japan only: the US still buys from China.
        Assert.Contains(fills, f => f.BuyerCountry == "US" && f.SellerCountry == "CN" && f.Quantity > 0);
    }

    [Fact]
    public void Without_a_ban_Japan_buys_from_China_too()
    {
        var fills = Clear(World, Asks, Bids).Fills;
        Assert.Contains(fills, f => f.BuyerCountry == "JP" && f.SellerCountry == "CN" && f.Quantity > 0);
    }

    [Fact]
    public void The_re_export_clause_also_bans_a_third_country_selling_material_of_the_exporters_origin()
    {
        var fills = Clear(World, Asks, Bids, Ban(reExport: true)).Fills;
        var toJapan = fills.Where(f => f.BuyerCountry == "JP").ToList();
        Assert.DoesNotContain(toJapan, f => f.Origin == "CN");
        Assert.All(toJapan, f => Assert.Equal(("KR", "KR"), (f.SellerCountry, f.Origin)));
        Assert.Equal(30, toJapan.Sum(), 9);
        Assert.Contains(fills, f => f.BuyerCountry == "US" && f.Origin == "CN" && f.Quantity > 0);
    }

    [Fact]
    public void A_military_end_use_ban_leaves_civil_purchases_open()
    {
        var ban = Ban(reExport: false) with { EndUse = EndUseScope.Military };
        var fills = Clear(World, [Ask("cn-sep", "CN", 100)], [Bid("jp-civil", "JP", 10), Bid("jp-defence", "JP", 10, use: EndUse.Military)], ban).Fills;
        Assert.Equal(10, fills.Where(f => f.BuyerId == "jp-civil").Sum(), 9);
        Assert.Equal(0, fills.Where(f => f.BuyerId == "jp-defence").Sum());
    }

    [Fact]
    public void A_quota_caps_the_quantity_per_period()
    {
        var quota = new ExportControl
        {
            Id = "cn-quota", Start = 0, Exporter = "CN", Commodities = ["oxide"], Mode = ControlMode.Quota, QuotaQuantity = 15, QuotaPeriodDays = 30,
        };
        var state = MarketClearing.Initialise(World, World.Commodity("oxide"));
        double Exported(int tick) => MarketClearing.Clear(World, state, tick, [Ask("cn-sep", "CN", 100)], [Bid("jp-buyer", "JP", 10)], [quota], 1)
            .Fills.Sum();
        // The quota accrues through its period, 0.5 a day, what is not used carried forward within the period.
        Assert.Equal(0.5, Exported(0), 9);
        Assert.Equal(0.5, Exported(1), 9);
        Assert.Equal(10, Exported(25), 9); // days 2–25 unused: 13 open, 10 asked
        Assert.Equal(4, Exported(29), 9);  // the rest of the period's 15 (11 used)
        Assert.Equal(0.5, Exported(30), 9); // a new period
    }

    [Fact]
    public void A_quota_does_not_bind_sales_at_home()
    {
        var quota = new ExportControl
        {
            Id = "cn-quota", Start = 0, Exporter = "CN", Commodities = ["oxide"], Mode = ControlMode.Quota, QuotaQuantity = 0,
        };
        var fills = Clear(World, [Ask("cn-sep", "CN", 100)], [Bid("cn-magnet", "CN", 10), Bid("jp-buyer", "JP", 10)], quota).Fills;
        Assert.Equal(10, fills.Where(f => f.BuyerCountry == "CN").Sum(), 9);
        Assert.Equal(0, fills.Where(f => f.BuyerCountry == "JP").Sum());
    }

    // One application per buyer, so each buyer's fate is one draw (MarketTests cover several applications per buyer).
    static ExportControl Licence(double approval, double minDays, double maxDays, int applications = 1) => new()
    {
        Id = "cn-licence", Start = 0, Exporter = "CN", Commodities = ["oxide"], Destinations = ["JP"], Mode = ControlMode.License,
        ApprovalRate = approval, DelayMinDays = minDays, DelayMaxDays = maxDays, Applications = applications,
    };

    /// <summary>Clears the oxide market on one state tick after tick, the same offers and orders each tick, with the policies in
    /// force that tick (start inclusive, end exclusive).</summary>
    static List<Fill>[] ClearDaily(int ticks, IReadOnlyList<Ask> asks, IReadOnlyList<Bid> bids, params PolicySpec[] policies)
    {
        var state = MarketClearing.Initialise(World, World.Commodity("oxide"));
        return Enumerable.Range(0, ticks).Select(t => MarketClearing.Clear(World, state, t, asks, bids,
            policies.Where(p => p.Start <= t && (p.End is null || t < p.End)).ToList(), 1).Fills.ToList()).ToArray();
    }

    static double ToJapan(List<Fill>[] days, int from, int to) =>
        days[from..to].SelectMany(d => d).Where(f => f.BuyerCountry == "JP").Sum(f => f.Quantity);

    // Found by a review (Dec 2026): the first-decision wait is once per application. A tighter review from day 19 with longer
    // delays moved the first decision's day, and a lapsed approval then waited again (80 days of nothing, every application
    // approved); a licence that lapsed and started again later shipped at once on the old approvals.
    [Fact]
    public void The_first_decisions_wait_comes_once_per_application_and_again_only_for_a_licence_started_afresh()
    {
        var general = Licence(1, 10, 10) with { Id = "cn-general" };
        var tight = Licence(1, 100, 100) with { Id = "cn-tight", Start = 19 };
        var days = ClearDaily(100, [Ask("cn-sep", "CN", 100)], [Bid("jp-buyer", "JP", 10)], general, tight);
        Assert.Equal(0, ToJapan(days, 0, 10), 9); // the first decision, 10 days on
        Assert.True(ToJapan(days, 20, 100) >= 0.99 * 80 * 10, $"{ToJapan(days, 20, 100):F1} of 800 shipped on days 20-99");

        var ends = Licence(1, 28, 28) with { Id = "cn-2025", End = 150 };
        var again = Licence(1, 28, 28) with { Id = "cn-2026", Start = 170 };
        days = ClearDaily(220, [Ask("cn-sep", "CN", 100)], [Bid("jp-buyer", "JP", 10)], ends, again);
        Assert.True(ToJapan(days, 150, 170) > 0, "no licence in force: trade is free");
        Assert.Equal(0, ToJapan(days, 170, 198), 9); // applied for afresh on day 170: nothing before its first decision
        Assert.True(ToJapan(days, 198, 220) > 0);
    }

    // The processing delay holds the goods at the exporter: nothing ships under an application until its decision, and what
    // ships then arrives after transport alone. Before Dec 2026 an approval shipped at once and added the delay to transport, so
    // exports rose on the day licensing began while the goods were still "under review".
    [Fact]
    public void Under_a_licence_nothing_ships_until_the_decision_then_it_arrives_after_transport()
    {
        var days = ClearDaily(25, [Ask("cn-sep", "CN", 100)], [Bid("jp-buyer", "JP", 10), Bid("us-buyer", "US", 10)], Licence(1, 20, 20));
        for (int t = 0; t < 20; t++) Assert.DoesNotContain(days[t], f => f.BuyerCountry == "JP");
        var jp = Assert.Single(days[20], f => f.BuyerCountry == "JP");
        Assert.Equal(10, jp.Quantity, 9);
        Assert.Equal(20 + 10, jp.ArrivalTick); // shipped on the day of the decision, after transport alone
        Assert.Equal(0, jp.OrderTick); // under the application lodged one delay before: lead time = delay + transport
        foreach (var d in days)
        {
            var us = Assert.Single(d, f => f.BuyerCountry == "US"); // unlicensed: ships every day, after transport
            Assert.Equal(10, us.ArrivalTick - us.OrderTick);
        }
    }

    [Fact]
    public void Licence_delays_are_drawn_between_the_minimum_and_maximum()
    {
        var bids = Enumerable.Range(0, 20).Select(i => Bid($"jp-{i:D2}", "JP", 1)).ToList();
        var days = ClearDaily(45, [Ask("cn-sep", "CN", 100)], bids, Licence(1, 10, 40));
        // Each buyer's first shipment comes on the day its decision does: between the minimum and maximum delay.
        var first = bids.Select(b => Array.FindIndex(days, d => d.Any(f => f.BuyerId == b.BuyerId))).ToList();
        Assert.All(first, d => Assert.InRange(d, 10, 40));
        Assert.True(first.Distinct().Count() > 1, "delays should vary between applicants");
    }

    [Fact]
    public void A_licence_that_is_never_approved_blocks_the_link()
    {
        var fills = Clear(World, [Ask("cn-sep", "CN", 100)], [Bid("jp-buyer", "JP", 10), Bid("us-buyer", "US", 10)], Licence(0, 5, 5)).Fills;
        Assert.DoesNotContain(fills, f => f.BuyerCountry == "JP");
        Assert.Equal(10, fills.Where(f => f.BuyerCountry == "US").Sum(), 9);
    }

    [Fact]
    public void With_an_approval_rate_in_between_some_applicants_are_refused()
    {
        var bids = Enumerable.Range(0, 40).Select(i => Bid($"jp-{i:D2}", "JP", 1)).ToList();
        // Decisions come after the 5-day delay: by then the approved applicants ship, the refused ones wait to apply again.
        var served = ClearDaily(6, [Ask("cn-sep", "CN", 100)], bids, Licence(0.5, 5, 5))[5].Select(f => f.BuyerId).Distinct().Count();
        Assert.InRange(served, 1, 39);
    }

    // Controls that cannot bind, each added to the baseline. Before, each split China's price segment from the world's: the
    // 10⁹ t quota held world Dy at 1.000× where the baseline's falls to 0.984×, and a ban on Myanmar (which buys none) left the
    // world price to noise: 4.1× at its peak, paid by no trade.
    public static TheoryData<string> ControlsThatCannotBind =>
        ["quota above capacity", "ban on a country that buys none", "ban by a country that makes none", "licence by a country that makes none"];

    static ExportControl CannotBind(string which) => which switch
    {
        "quota above capacity" => new ExportControl
        {
            Id = "cn-quota-big", Start = 0, Exporter = "CN", Commodities = ["dy_oxide"], Mode = ControlMode.Quota, QuotaQuantity = 1e9, QuotaPeriodDays = 30,
        },
        "ban on a country that buys none" => new ExportControl
        {
            Id = "cn-ban-mm", Start = 0, Exporter = "CN", Commodities = ["dy_oxide", "tb_oxide", "magnet_ht"], Destinations = ["MM"],
        },
        // Before Dec 2026 it split every magnet order into ten licence applications that no licence was ever asked for, and the
        // split alone moved prices (by 1.8e-5 in japan-cutoff-3m) and Japan's loss (by $54).
        "licence by a country that makes none" => new ExportControl
        {
            Id = "mm-licence", Start = 0, Exporter = "MM", Commodities = ["magnet_ht"], Mode = ControlMode.License, ApprovalRate = 1,
        },
        _ => new ExportControl { Id = "kr-ban-cn", Start = 0, Exporter = "KR", Commodities = ["dy_oxide", "magnet_ht"], Destinations = ["CN"] },
    };

    [Theory]
    [MemberData(nameof(ControlsThatCannotBind))]
    public void A_control_that_cannot_bind_changes_no_price_and_earns_no_rent(string which)
    {
        var spec = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml")) with { Days = 200 };
        SamePricesNoRent(spec, spec with { Policies = [.. spec.Policies, CannotBind(which)] });
    }

    [Fact]
    public void A_control_that_cannot_bind_earns_no_rent_where_another_control_separates_the_markets()
    {
        // The cut-off of Japan holds China's and the world's prices apart; a Chinese Dy quota of 10⁹ t a month binds nothing.
        // Before, every Chinese Dy sale it covered was priced across it at the world price: $96 m of rent booked to it, $115 m
        // more export revenue for China and $100 m more input cost for Japan over the year.
        var spec = ScenarioLoader.LoadOrThrow(Paths.Scenario("japan-cutoff-3m.yaml")) with { Days = 150 };
        SamePricesNoRent(spec, spec with { Policies = [.. spec.Policies, CannotBind("quota above capacity")] });
    }

    [Fact]
    public void A_licence_that_cannot_bind_splits_no_order_into_applications()
    {
        // Myanmar makes no magnets: its licence is never applied for. Splitting orders into its ten applications alone moved the
        // cut-off's high-temperature magnet price by up to 1.8e-5 and Japan's loss by $54 before Dec 2026.
        var spec = ScenarioLoader.LoadOrThrow(Paths.Scenario("japan-cutoff-3m.yaml")) with { Days = 150 };
        SamePricesNoRent(spec, spec with { Policies = [.. spec.Policies, CannotBind("licence by a country that makes none")] });
    }

    /// <summary>A shipped scenario with a Chinese Dy export quota of <paramref name="tonnes"/> a month added.</summary>
    static ScenarioSpec WithDyQuota(string scenario, double tonnes, int days)
    {
        var b = ScenarioLoader.LoadOrThrow(Paths.Scenario(scenario));
        var quota = new ExportControl
        {
            Id = "cn-quota-dy", Start = 0, Exporter = "CN", Commodities = ["dy_oxide"], Mode = ControlMode.Quota, QuotaQuantity = tonnes, QuotaPeriodDays = 30,
        };
        return b with { Days = days, Policies = [.. b.Policies, quota] };
    }

    [Fact]
    public void A_quota_with_room_earns_no_rent_where_another_control_separates_the_markets()
    {
        // A Chinese Dy quota of 160 t a month, below capacity but far above what is exported during the cut-off of Japan (its
        // first three periods): it has no shadow price then, so no rent. Before, it booked $5.4 m over those 90 days ($74 m in
        // the year, when the backlog after the cut-off used it up in some periods: those earn rent, as they should).
        var spec = WithDyQuota("japan-cutoff-3m.yaml", 160, days: 90);
        var runner = new ReferenceRunner(spec, spec.Seed);
        var frames = runner.Run(spec.Days).ToList();
        var used = runner.States.Markets.Single(m => m.Commodity == "dy_oxide").QuotaUsed;
        Assert.All(used.Values, u => Assert.True(u < 160 - 1, $"the test needs a quota with room: {u} t used in a period"));
        Assert.Empty(frames.SelectMany(f => f.Rents).Where(r => r.Commodity == "dy_oxide"));
    }

    [Fact]
    public void A_quota_used_up_every_period_keeps_Chinas_price_below_the_worlds_all_year()
    {
        // China's Dy exports capped at 20 t a month, less than it exports in the baseline: the whole quota ships on each period's
        // first day. Before, sharing it left 1.1e-9 t of a period's 20 t, which counted as room: from day 211 the segments
        // merged and China's and the world's Dy prices met (1.87× reference both on days 246–271) while the quota still bound.
        var spec = WithDyQuota("baseline.yaml", 20, days: 300);
        var frames = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
        double Exported(int from) => frames.Skip(from).Take(30).SelectMany(f => f.Flows)
            .Where(f => f.Commodity == "dy_oxide" && f.Exporter == "CN" && f.Destination != "CN").Sum(f => f.Quantity);
        for (int period = 0; period < 10; period++) Assert.Equal(20, Exported(30 * period), 6); // it binds every period
        for (int t = 31; t < spec.Days; t++)
        {
            var dy = frames[t].Prices.Where(p => p.Commodity == "dy_oxide").ToDictionary(p => p.Market, p => p.Price);
            Assert.True(dy["china"] < 0.8 * dy["world"], $"day {t}: China {dy["china"]:F0}, world {dy["world"]:F0}");
        }
    }

    [Fact]
    public void A_firm_that_makes_nothing_is_no_buyer_a_control_could_bind()
    {
        // A Myanmar magnet maker with no capacity buys no Dy: a Chinese ban on Myanmar still cannot bind.
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var idle = shipped.Producers.Single(p => p.Id == "jp-magnet-ht") with { Id = "mm-magnet-ht", Country = "MM", Capacity = 0 };
        var spec = shipped with { Days = 200, Producers = [.. shipped.Producers, idle] };
        SamePricesNoRent(spec, spec with { Policies = [.. spec.Policies, CannotBind("ban on a country that buys none")] });
    }

    static void SamePricesNoRent(ScenarioSpec spec, ScenarioSpec with)
    {
        var plain = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
        var other = new ReferenceRunner(with, with.Seed).Run(with.Days).ToList();
        for (int t = 0; t < spec.Days; t++)
            foreach (var p in plain[t].Prices)
            {
                var q = other[t].Prices.Single(x => x.Market == p.Market && x.Commodity == p.Commodity).Price;
                Assert.True(Math.Abs(q / p.Price - 1) < 1e-9, $"day {t}, {p.Market} {p.Commodity}: {q} against {p.Price}");
            }
        Assert.Empty(other.SelectMany(f => f.Rents));
        Assert.Equal(plain.Sum(f => f.Losses.Sum(l => l.Loss)), other.Sum(f => f.Losses.Sum(l => l.Loss)), 6);
    }

    [Fact]
    public void A_ban_is_enforced_though_its_exporter_makes_the_commodity_only_later()
    {
        // Australia's heavy separator has no capacity at the start; a project gives it 0.5 t/day from day 30. Its ban on Dy to
        // Japan from day 0 must stop those sales once it has Dy, not be dropped as a control that cannot bind.
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var project = new CapacityProject { Id = "au-hree-project", Start = 0, Producer = "au-sep-hree", AddedCapacity = 0.5, LeadTimeDays = 30 };
        var ban = new ExportControl { Id = "au-ban-jp", Start = 0, Exporter = "AU", Commodities = ["dy_oxide"], Destinations = ["JP"] };
        var spec = shipped with { Days = 200, Policies = [.. shipped.Policies, project] };
        double AustralianDyToJapan(ScenarioSpec s) => new ReferenceRunner(s, s.Seed).Run(s.Days).SelectMany(f => f.Flows)
            .Where(f => f.Exporter == "AU" && f.Destination == "JP" && f.Commodity == "dy_oxide").Sum(f => f.Quantity);
        Assert.True(AustralianDyToJapan(spec) > 1, "without the ban Australia sells Dy to Japan");
        Assert.Equal(0, AustralianDyToJapan(spec with { Policies = [.. spec.Policies, ban] }));
    }

    [Fact]
    public void A_quota_the_exporter_can_exceed_still_splits_the_segments_and_earns_a_rent()
    {
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var spec = shipped with { Days = 120 };
        var binding = (ExportControl)CannotBind("quota above capacity") with { QuotaQuantity = 1 };
        var bound = new ReferenceRunner(spec with { Policies = [.. spec.Policies, binding] }, spec.Seed).Run(spec.Days).ToList();
        Assert.Contains(bound.SelectMany(f => f.Rents), r => r.Exporter == "CN" && r.Commodity == "dy_oxide" && r.Rent > 0);
    }

    [Fact]
    public void A_licence_that_approves_every_application_leaves_the_exporters_price_as_it_was_once_its_first_wait_is_over()
    {
        // China licenses its Dy with every application approved after 14 days: after the first wait its exports flow as before,
        // in lots a fortnight apart. Read per day, each waiting lot counted as home supply on the 13 days it waited and abroad on
        // the day it shipped, and China's Dy stood at 0.74× reference on days 240–364 (a review's probe, Dec 2026). Precaution
        // off: what is measured is the supply count, not firms' response to news of controls.
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var licence = new ExportControl
        {
            Id = "cn-dy-licence", Start = 0, Exporter = "CN", Commodities = ["dy_oxide"], Mode = ControlMode.License, ApprovalRate = 1,
            DelayMinDays = 14, DelayMaxDays = 14,
        };
        var spec = shipped with { Policies = [.. shipped.Policies, licence], Buyers = shipped.Buyers with { PrecautionMaxCoverDays = 0 } };
        var late = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).Where(f => f.Tick >= 240).ToList();
        double Mean(string segment) => late.Average(f => f.Prices.Single(p => p.Commodity == "dy_oxide" && p.Market == segment).Price) / 250_000;
        // 0.977 measured (Dec 2026; 0.996 since buyers count their applications in flight as on order). The importer's side:
        // the next test.
        Assert.InRange(Mean("china"), 0.97, 1.03);
    }

    [Fact]
    public void A_licence_that_approves_every_application_after_a_wait_leaves_the_importers_price_near_one_without_a_wait()
    {
        // The same probe against a licence that decides each application the next day, over two years. A licensed fill teaches
        // its buyer the lead time from application to arrival (14 days + transport), so its order-up-to target holds 14 more
        // days of use. Until buyers counted the applications they have in flight as on order (the market reports them: Applied;
        // up to the wait their lead time holds), their position never held those days (a licence admits running needs, not
        // stock), the gap was posted every tick as want, and world Dy stood at 1.138× over days 240–364 and 1.136× over days
        // 480–729, against 1.000× (Dec 2026). Now 1.022× and 1.001×. Over days 240–364 what is left is the first wait's peak
        // (1.42× on day 30: nothing ships for 14 days), still reverting at the price rule's μ = 0.01 a day (≈1.025× expected
        // over those days from that peak alone), hence 0.03 there; a year later, 0.005.
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        List<double> WorldDy(int delay)
        {
            var licence = new ExportControl
            {
                Id = "cn-dy-licence", Start = 0, Exporter = "CN", Commodities = ["dy_oxide"], Mode = ControlMode.License, ApprovalRate = 1,
                DelayMinDays = delay, DelayMaxDays = delay,
            };
            var spec = shipped with
            {
                Days = 730, Policies = [.. shipped.Policies, licence], Buyers = shipped.Buyers with { PrecautionMaxCoverDays = 0 },
            };
            return new ReferenceRunner(spec, spec.Seed).Run(spec.Days)
                .Select(f => f.Prices.Single(p => p.Commodity == "dy_oxide" && p.Market == "world").Price / 250_000).ToList();
        }
        var waited = WorldDy(14);
        var prompt = WorldDy(0);
        double Mean(List<double> run, int from, int to) => run.Skip(from).Take(to - from + 1).Average();
        Assert.InRange(Mean(prompt, 240, 364), 0.99, 1.01);
        Assert.InRange(Mean(waited, 240, 364) - Mean(prompt, 240, 364), -0.03, 0.03);
        Assert.InRange(Mean(waited, 480, 729) - Mean(prompt, 480, 729), -0.005, 0.005);
    }
}
