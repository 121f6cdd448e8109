using MarketSim.Model.Policies;

namespace MarketSim.Model.Tests;

/// <summary>
/// A control's announcement and news weighed by what it reaches (docs/MODEL.md, Precautionary stock): an export control may be
/// `announced` before its start, and is news for precaution from then while it binds only from its start; its news weighs the
/// share of a firm's supply it could bind, a re-export clause's third-country sellers' lots included.
/// </summary>
public class AnnouncementNewsTests
{
    static readonly string Baseline = File.ReadAllText(Paths.Scenario("baseline.yaml"));

    /// <summary>The baseline's world with <paramref name="policies"/> instead of its own, and precaution as given.</summary>
    static ScenarioSpec World(int days, bool precaution, params string[] policies)
    {
        var text = Baseline[..Baseline.IndexOf("\npolicies:", StringComparison.Ordinal)].Replace("\ndays: 365", "\ndays: " + days)
            + (policies.Length == 0 ? "\npolicies: []\n" : "\npolicies:\n" + string.Concat(policies.Select(p => "  - " + p + "\n")));
        if (!precaution) text = text.Replace("precaution_max_cover_days: 180", "precaution_max_cover_days: 0");
        var r = ScenarioLoader.LoadText(text, "announced.yaml");
        Assert.True(r.Ok, string.Join(" | ", r.Errors));
        return r.Spec!;
    }

    static string Ban(string announced) =>
        $"{{id: ban, type: export_control, exporter: CN, commodities: [dy_oxide], destinations: [JP], mode: ban, {announced}start: 60, end: 75}}";

    static string Day(Frame f) => System.Text.Json.JsonSerializer.Serialize(new { f.Prices, f.Flows, f.Shortages, f.Cover, f.Rents, f.LeadTimes });

    static double JapanDyCover(Frame f) => f.Cover.Where(c => c.Country == "JP" && c.Commodity == "dy_oxide").Sum(c => c.Days);

    [Fact]
    public void An_announced_control_is_news_from_its_announcement_day_and_binds_only_from_its_start()
    {
        var world = World(80, true, Ban("announced: 5, "));
        var st = SessionRules.Initialise(world);
        TickPlan At(int t) { st.Tick = t; return SessionRules.Begin(world, st); }
        // News from day 5, none before; in force (bound, and read by stockpiles' release on control) only from day 60.
        Assert.Empty(At(4).Context.NewsOf("dy_oxide", "JP"));
        Assert.Equal([new NewsSource("CN", false, null)], At(5).Context.NewsOf("dy_oxide", "JP"));
        Assert.Empty(At(59).Context.Controllers);
        Assert.DoesNotContain(At(59).InForce, p => p.Id == "ban");
        Assert.Contains("dy_oxide|JP|CN", At(60).Context.Controllers);
        Assert.Contains(At(5).Events, e => e.StartsWith("announced ban: ", StringComparison.Ordinal) && e.EndsWith("in force from 2024-03-01 (day 60)", StringComparison.Ordinal));

        // In a run: up to the announcement the world is the one where it is not announced; from it Japan's firms build Dy stock, which arrives 45 days after it is ordered.
        var announced = new ReferenceRunner(world, 7).Run(60).ToList();
        var none = new ReferenceRunner(World(80, true, Ban("")), 7).Run(60).ToList(); // the same control, not announced
        for (int t = 0; t < 5; t++) Assert.Equal(Day(none[t]), Day(announced[t]));
        Assert.True(JapanDyCover(announced[59]) > JapanDyCover(none[59]) + 5,
            $"Japan's Dy cover on day 59: {JapanDyCover(announced[59]):0.#} announced, {JapanDyCover(none[59]):0.#} without");
        // Nothing binds before the start: with precaution off the announcement changes no day before it.
        var off = new ReferenceRunner(World(80, false, Ban("announced: 5, ")), 7).Run(60).ToList();
        var offNone = new ReferenceRunner(World(80, false, Ban("")), 7).Run(60).ToList();
        for (int t = 0; t < 60; t++) Assert.Equal(Day(offNone[t]), Day(off[t]));
    }

    [Fact]
    public void An_announcement_before_the_start_date_lengthens_the_spin_up()
    {
        var world = World(80, true, Ban("announced: -100, ").Replace("start: 60", "start: 10"));
        Assert.Equal(100, world.SpinUpDays);
        // And its news stands on day 0 as it would after 100 days: Japan holds more Dy cover on day 0 than without it.
        var day0 = new ReferenceRunner(world, 7).Run(1).Single();
        var none = new ReferenceRunner(World(80, true, Ban("").Replace("start: 60", "start: 10")), 7).Run(1).Single();
        Assert.True(JapanDyCover(day0) > JapanDyCover(none) + 5);
    }

    /// <summary>A US buyer of Japanese magnets, whose lot carries <paramref name="chineseContent"/> of Chinese value.</summary>
    static FirmState BuyerOfJapaneseMagnets(double chineseContent)
    {
        var s = new FirmState { Id = "us-auto" };
        var lot = Provenance.Compose("CN", "JP", new Dictionary<string, double> { ["CN"] = chineseContent, ["JP"] = 1 - chineseContent });
        s.SupplierShares["magnet|JP"] = 1;
        s.SupplierLots["magnet|JP"] = new() { [lot] = 1 };
        return s;
    }

    static double Precaution(FirmState s, string buyerCountry, params NewsSource[] news)
    {
        var b = new BuyerSettings { PrecautionMaxCoverDays = 180, PrecautionBuildDays = 30, PrecautionReleaseDays = 365 };
        for (int t = 0; t < 60; t++) SupplierRisk.UpdatePrecaution(s, b, "magnet", buyerCountry, news, t);
        return s.Precaution.GetValueOrDefault("magnet");
    }

    [Fact]
    public void A_buyer_of_a_re_exporters_goods_builds_stock_on_a_re_export_rules_news()
    {
        // China's 0.1% rule reaches Japanese magnets with Chinese content: their US buyer builds stock on its news. Under the
        // former rule the news weighed only the supply sold in China, none of this buyer's: it built nothing.
        NewsSource[] rule = [new("CN", false, null), new("CN", true, 0.001)];
        Assert.True(Precaution(BuyerOfJapaneseMagnets(0.3), "US", rule) > 0.5);
        // A lot below the threshold, a licence on China's own sales only, or a sale inside Japan is not reached: no stock.
        Assert.Equal(0, Precaution(BuyerOfJapaneseMagnets(0.3), "US", new("CN", false, null), new("CN", true, 0.5)));
        Assert.Equal(0, Precaution(BuyerOfJapaneseMagnets(0.3), "US", new NewsSource("CN", false, null)));
        Assert.Equal(0, Precaution(BuyerOfJapaneseMagnets(0.3), "JP", rule));
        // By origin (no threshold): reached, its first origin being China.
        Assert.True(Precaution(BuyerOfJapaneseMagnets(0.3), "US", new("CN", false, null), new("CN", true, null)) > 0.5);
    }

    [Fact]
    public void A_re_export_clause_is_fresh_news_for_the_supply_it_newly_reaches_not_for_the_exporters_own()
    {
        // A buyer with half its magnets from China and half from Japan (Chinese content 30%): China's own licence since day 0,
        // then on day 200 a re-export rule. China's sellers' news runs on from day 0; the Japanese half's starts on day 200.
        var s = BuyerOfJapaneseMagnets(0.3);
        s.SupplierShares["magnet|JP"] = 0.5;
        s.SupplierShares["magnet|CN"] = 0.5;
        foreach (var k in s.SupplierLots["magnet|JP"].Keys.ToList()) s.SupplierLots["magnet|JP"][k] = 0.5;
        var b = new BuyerSettings { PrecautionMaxCoverDays = 180, PrecautionBuildDays = 1, PrecautionReleaseDays = 365 };
        NewsSource[] own = [new("CN", false, null)], rule = [new("CN", false, null), new("CN", true, 0.001)];
        for (int t = 0; t < 200; t++) SupplierRisk.UpdatePrecaution(s, b, "magnet", "US", own, t);
        SupplierRisk.UpdatePrecaution(s, b, "magnet", "US", rule, 200);
        // Build days 1: the level is the target, 0.5·e^(−200/365) + 0.5·1.
        Assert.Equal(0.5 * Math.Exp(-200 / 365.0) + 0.5, s.Precaution["magnet"], 12);
        Assert.Equal(0, s.ControlledSince["magnet|CN"]);
        Assert.Equal(200, s.ControlledSince["magnet|CN|re"]);
    }

    [Fact]
    public void A_live_announcement_after_the_start_or_in_the_past_is_refused()
    {
        var control = new ExportControl { Id = "x", Exporter = "CN", Commodities = ["dy_oxide"], Start = 10, Announced = 12 };
        var problem = Assert.Single(PolicyRules.Check(control, new PolicyContext { Days = 100 }));
        Assert.Equal("announced", problem.Field);
        Assert.Contains("after the start", problem.Message);
        Assert.Empty(PolicyRules.Check(control with { Announced = 5 }, new PolicyContext { Days = 100 }));
        // A live change cannot reach the past (its context starts at tick 0), an announcement no more than a start.
        var past = Assert.Single(PolicyRules.Check(control with { Announced = -5 }, new PolicyContext { Days = 100 }));
        Assert.Equal(("announced", "tick -5 is negative"), (past.Field, past.Message));
    }
}
