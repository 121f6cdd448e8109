using MarketSim.Model.Attribution;
using MarketSim.Classrooms;

namespace MarketSim.Model.Tests;

/// <summary>
/// The classroom scoreboard counts what the run's outputs count: a country's loss, fiscal cost, export revenue and export
/// rent, each weighted and over its annual GDP; the teacher's weights decide the ranking, and a bad weight is refused.
/// </summary>
public class ScoreboardTests
{
    static readonly ScoreWeights LossOnly = new() { Loss = 1, FiscalCost = 0, ExportRevenue = 0, ExportRent = 0 };

    static ScoreRow Row(ScenarioSpec world, IReadOnlyList<Frame> frames, string country, ScoreWeights weights) =>
        Scoreboard.Build(world, world.Countries.Select(c => c.Id).ToList(), frames, weights).Single(r => r.Country == country);

    [Fact]
    public void An_export_ban_that_blocks_the_exporters_own_producers_costs_it_on_the_export_revenue_part()
    {
        // China's chain (mine → separator → magnet maker) sells its magnets to Japan's car maker; then China bans them.
        var ban = new ExportControl { Id = "cn-ban", Start = 0, Exporter = "CN", Commodities = ["magnet"], Destinations = ["JP"] };
        var freeWorld = ValueAddedTests.Chain();
        var bannedWorld = ValueAddedTests.Chain(ban);
        var freeFrames = new ReferenceRunner(freeWorld, 1).Run(200).ToList();
        var bannedFrames = new ReferenceRunner(bannedWorld, 1).Run(200).ToList();
        var weights = new ScoreWeights();
        var free = Row(freeWorld, freeFrames, "CN", weights);
        var banned = Row(bannedWorld, bannedFrames, "CN", weights);

        // Export revenue is flows.csv's value of China's sales abroad, in the scenario's currency.
        Assert.Equal(freeFrames.SelectMany(f => f.Flows).Where(f => f.Exporter == "CN" && f.Destination != "CN").Sum(f => f.Value),
            free.ExportRevenue, free.ExportRevenue * 1e-12);
        Assert.True(free.ExportRevenue > 0);
        Assert.True(banned.ExportRevenue < 0.1 * free.ExportRevenue, $"banned {banned.ExportRevenue} vs free {free.ExportRevenue}");
        // The part is weight × revenue / annual GDP, and the ban lowers it and the score.
        Assert.Equal(0.5 * free.ExportRevenue / 1e12, free.Parts.ExportRevenue, 1e-18);
        Assert.True(banned.Parts.ExportRevenue < free.Parts.ExportRevenue);
        Assert.True(banned.Score < free.Score, $"banned {banned.Score} vs free {free.Score}");

        // The direct loss does not see it (China's producers lack no input, they lack buyers): on the loss alone, as before,
        // the ban cost China nothing.
        Assert.Equal(0, free.Loss);
        Assert.Equal(0, banned.Loss);
        Assert.Equal(Row(freeWorld, freeFrames, "CN", LossOnly).Score, Row(bannedWorld, bannedFrames, "CN", LossOnly).Score);
        // Japan, whose car maker runs out of magnets, loses on its loss part.
        Assert.True(Row(bannedWorld, bannedFrames, "JP", weights).Parts.Loss < Row(freeWorld, freeFrames, "JP", weights).Parts.Loss);
    }

    [Fact]
    public void Against_the_world_nobody_played_a_class_that_changed_nothing_scores_zero_and_a_ban_costs_its_author()
    {
        var world = ValueAddedTests.Chain();
        var baseline = new ClassBaseline(world, 1);
        var countries = world.Countries.Select(c => c.Id).ToList();
        // Nobody played: every part of every score is exactly 0, whatever the country's size or trade.
        var untouched = new ReferenceRunner(world, 1).Run(120).ToList();
        Assert.All(Scoreboard.Build(world, countries, untouched, new ScoreWeights(), baseline.Outcomes(120)),
            r => Assert.Equal(new ScoreParts(0, 0, 0, 0), r.Parts));
        // Without the baseline the same run ranks China first on its exports alone.
        Assert.True(Scoreboard.Build(world, countries, untouched, new ScoreWeights()).Single(r => r.Country == "CN").Score > 0);

        // The class bans China's magnets to Japan at tick 30: China's score falls below 0 on its export revenue, Japan's on its loss.
        var ban = new ExportControl { Id = "class-ban", Start = 30, Exporter = "CN", Commodities = ["magnet"], Destinations = ["JP"] };
        var played = new ReferenceRunner(ValueAddedTests.Chain(ban), 1).Run(120).ToList();
        var rows = Scoreboard.Build(world, countries, played, new ScoreWeights(), baseline.Outcomes(120)).ToDictionary(r => r.Country);
        Assert.True(rows["CN"].Parts.ExportRevenue < 0, $"China's export part {rows["CN"].Parts.ExportRevenue}");
        Assert.True(rows["JP"].Parts.Loss < 0, $"Japan's loss part {rows["JP"].Parts.Loss}");
        // The money columns stay as run.
        Assert.Equal(OutcomeAccumulator.Compute(world, played).Single(o => o.Country == "CN").ExportRevenue, rows["CN"].ExportRevenue);
        // A class behind the others sharing the baseline (or a reset one) asks for fewer ticks: it gets what a fresh one gives,
        // and the shared run goes on from where it was.
        static IEnumerable<(string, double, double, double, double)> Key(IReadOnlyList<CountryOutcome> os) =>
            os.Select(o => (o.Country, o.Loss, o.FiscalCost, o.ExportRevenue, o.ValueAdded));
        Assert.Equal(Key(new ClassBaseline(world, 1).Outcomes(40)), Key(baseline.Outcomes(40)));
        Assert.Equal(new ClassBaseline(world, 1).Indicators("JP", 0, 30), baseline.Indicators("JP", 0, 30));
        Assert.Equal(Key(new ClassBaseline(world, 1).Outcomes(150)), Key(baseline.Outcomes(150)));
    }

    [Fact]
    public void Equal_scores_are_not_ranked_and_the_leading_indicators_show_a_ban_on_export_revenue()
    {
        var world = ValueAddedTests.Chain();
        var countries = world.Countries.Select(c => c.Id).ToList();
        var baseline = new ClassBaseline(world, 1);
        var untouched = new ReferenceRunner(world, 1).Run(60).ToList();
        Assert.False(Scoreboard.Differs(Scoreboard.Build(world, countries, untouched, new ScoreWeights(), baseline.Outcomes(60))));
        // The baseline's indicators are the ones computed from the same run's frames.
        Assert.Equal(LeadingIndicators.Over(untouched.Skip(30).Select(f => LeadingIndicators.Of(world, f, "JP")).ToList()), baseline.Indicators("JP", 30, 60));

        var ban = new ExportControl { Id = "class-ban", Start = 30, Exporter = "CN", Commodities = ["magnet"], Destinations = ["JP"] };
        var played = new ReferenceRunner(ValueAddedTests.Chain(ban), 1).Run(120).ToList();
        Assert.True(Scoreboard.Differs(Scoreboard.Build(world, countries, played, new ScoreWeights(), baseline.Outcomes(120))));
        // China's export revenue after the ban falls against the world nobody played.
        var cn = LeadingIndicators.Over(played.Skip(30).Select(f => LeadingIndicators.Of(world, f, "CN")).ToList());
        Assert.True(cn.ExportRevenue < baseline.Indicators("CN", 30, 120).ExportRevenue, $"{cn.ExportRevenue} vs {baseline.Indicators("CN", 30, 120).ExportRevenue}");
    }

    [Fact]
    public void Scores_that_show_differently_differ_though_less_than_a_step_apart()
    {
        static ScoreRow Row(string c, double score) => new(0, c, score, new ScoreParts(0, 0, 0, 0), 0, 0, 0, 0, 0, 1, 0, 0);
        // −0.00006 % shows as −0.0001 %, 0.00004 % as 0.0000 %: the page shows a difference, so it ranks.
        Assert.True(Scoreboard.Differs([Row("MM", -6e-7), Row("JP", 0), Row("CN", 4e-7)]));
        Assert.False(Scoreboard.Differs([Row("MM", -4e-7), Row("JP", 0), Row("CN", 4e-7)]));
        Assert.False(Scoreboard.Differs([Row("JP", 0)]));
        Assert.False(Scoreboard.Differs([]));
    }

    [Fact]
    public void Scores_that_show_alike_share_a_rank()
    {
        var world = ValueAddedTests.Chain();
        var countries = world.Countries.Select(c => c.Id).ToList();
        var baseline = new ClassBaseline(world, 1);
        var ban = new ExportControl { Id = "class-ban", Start = 30, Exporter = "CN", Commodities = ["magnet"], Destinations = ["JP"] };
        var rows = Scoreboard.Build(world, countries, new ReferenceRunner(ValueAddedTests.Chain(ban), 1).Run(120).ToList(), new ScoreWeights(), baseline.Outcomes(120));
        foreach (var r in rows)
            Assert.Equal(1 + rows.Count(x => Math.Round(x.Score * 1e6) > Math.Round(r.Score * 1e6)), r.Rank);
        Assert.Equal(1, rows[0].Rank);
        Assert.True(rows.Select(r => r.Rank).Distinct().Count() < rows.Count, "no two scores show alike here: the test shows nothing");
    }

    // Two ticks made by hand, so every number is known. China (GDP 2 trillion) sells 3 bn a tick to Japan, pays 1 bn a tick
    // in fiscal cost and earns 1 bn of export rent; Japan (GDP 1 trillion) loses 1 bn a tick of value added.
    static readonly ScenarioSpec Two = TestWorld.Make() with
    {
        Countries = [new CountrySpec { Id = "CN", Gdp = 2e12 }, new CountrySpec { Id = "JP", Gdp = 1e12 }],
    };

    static IReadOnlyList<Frame> TwoTicks() => Enumerable.Range(0, 2).Select(t => new Frame(t, new DateOnly(2025, 1, 1).AddDays(t), [],
        [new FlowRow("CN", "CN", "JP", "oxide", 3000, 3e9)],
        [new ShortageRow("JP", "auto", "oxide", 10, 2)],
        [new LossRow("CN", "auto", 0, 0, 0), new LossRow("JP", "auto", 1e9, 1e9 * (t + 1), 1e9 * (t + 1) / 1e12)],
        [new FiscalRow("CN", 1e9, 1e9 * (t + 1)), new FiscalRow("JP", 0, 0)], [], [], [])
    {
        Rents = t == 0 ? [new RentRow("CN", "oxide", "state", 3000, 1e9)] : [],
    }).ToList();

    [Fact]
    public void The_score_is_the_weighted_sum_of_the_parts_each_over_annual_gdp()
    {
        var rows = Scoreboard.Build(Two, ["CN", "JP"], TwoTicks(), new ScoreWeights());
        var cn = rows.Single(r => r.Country == "CN");
        Assert.Equal((2e9, 6e9, 1e9, 0.0, 2e12), (cn.FiscalCost, cn.ExportRevenue, cn.ExportRent, cn.Loss, cn.Gdp));
        // −1 × 2 bn/2 tn − ... : fiscal −0.1 %, export revenue +0.5 × 0.3 %, export rent +0.05 %.
        Assert.Equal(new ScoreParts(-0.0, -0.001, 0.0015, 0.0005), cn.Parts);
        Assert.Equal(0.001, cn.Score, 1e-15);
        var jp = rows.Single(r => r.Country == "JP");
        Assert.Equal((2e9, 0.002, -0.002, 0.2), (jp.Loss, jp.GdpShare, jp.Score, jp.Shortage));
        Assert.Equal(1.0, cn.MarketShare);
        Assert.Equal(["CN", "JP"], rows.Select(r => r.Country));
        Assert.Equal([1, 2], rows.Select(r => r.Rank));

        // The CSV has the score, its parts (which add up to it) and the money, in the scenario's currency.
        var csv = ClassroomRecord.ScoreboardCsv(rows, Two.Currency).Split('\n');
        Assert.Equal("rank,country,score,loss_part,fiscal_cost_part,export_revenue_part,export_rent_part,loss_usd,gdp_share,fiscal_cost_usd,"
            + "export_revenue_usd,export_rent_usd,gdp_usd,market_share,shortage", csv[0]);
        Assert.Equal("1,CN,0.001,0,-0.001,0.0015,0.0005,0,0,2000000000,6000000000,1000000000,2000000000000,1,0", csv[1]);
        Assert.Equal("2,JP,-0.002,-0.002,0,0,0,2000000000,0.002,0,0,0,1000000000000,0,0.2", csv[2]);
    }

    [Fact]
    public void Swapping_the_weights_swaps_the_ranking()
    {
        // China pays a fiscal cost and loses no production; Japan pays nothing and loses production.
        IReadOnlyList<string> Ranking(ScoreWeights w) => Scoreboard.Build(Two, ["CN", "JP"], TwoTicks(), w).Select(r => r.Country).ToList();
        Assert.Equal(["CN", "JP"], Ranking(LossOnly));
        Assert.Equal(["JP", "CN"], Ranking(LossOnly with { Loss = 0, FiscalCost = 1 }));
        // Export revenue and rent count for China; with the defaults it is ahead.
        Assert.Equal(["CN", "JP"], Ranking(new ScoreWeights()));
        // Loss and fiscal cost weighed alike: Japan's loss (0.2 % of its GDP) is behind China's fiscal cost (0.1 % of its GDP);
        // the loss weighed a quarter as much, Japan is ahead.
        Assert.Equal(["CN", "JP"], Ranking(new ScoreWeights { Loss = 3, FiscalCost = 3, ExportRevenue = 0, ExportRent = 0 }));
        Assert.Equal(["JP", "CN"], Ranking(new ScoreWeights { Loss = 0.25, FiscalCost = 1, ExportRevenue = 0, ExportRent = 0 }));
    }

    [Fact]
    public void Weights_on_the_loss_alone_rank_as_the_old_scoreboard_did_by_loss_share_then_fiscal_cost()
    {
        // Eight months of china-japan-2026 with China banning heavy rare earths and high-temperature magnets to everyone:
        // several countries lose, by different shares of GDP.
        var scenario = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        var world = scenario with
        {
            Policies = [.. scenario.Policies, new ExportControl { Id = "cn-ban", Start = 0, Exporter = "CN", Commodities = ["dy_oxide", "tb_oxide", "magnet_ht"] }],
        };
        var frames = new ReferenceRunner(world, 7).Run(240).ToList();
        var countries = world.Countries.Select(c => c.Id).ToList();
        // The ranking before issue 10: the last frame's cumulative loss share of GDP, fiscal cost to break ties.
        var last = frames[^1];
        double OldShare(string c) => last.Losses.Where(l => l.Country == c).Sum(l => l.GdpShare);
        var old = countries.OrderBy(OldShare).ThenBy(c => last.Fiscal.Where(x => x.Country == c).Sum(x => x.Cumulative))
            .ThenBy(c => c, StringComparer.Ordinal).ToList();
        Assert.True(countries.Select(OldShare).Where(s => s > 0).Distinct().Count() >= 3, "the run must rank several losers: " + string.Join(", ", countries.Select(c => $"{c} {OldShare(c)}")));

        foreach (var w in new[] { LossOnly, LossOnly with { Loss = 7.5 } })
        {
            var rows = Scoreboard.Build(world, countries, frames, w);
            Assert.Equal(old, rows.Select(r => r.Country));
            Assert.All(rows, r => Assert.Equal(OldShare(r.Country), r.GdpShare, 1e-12));
        }
        // With the defaults the exporters' revenue and rents count too, and the ranking is not the old one.
        Assert.NotEqual(old, Scoreboard.Build(world, countries, frames, new ScoreWeights()).Select(r => r.Country));
    }

    [Fact]
    public void The_score_uses_the_run_outcomes_as_the_baseline_comparison_does()
    {
        var world = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        var frames = new ReferenceRunner(world, 7).Run(60).ToList();
        var outcomes = OutcomeAccumulator.Compute(world, frames).ToDictionary(o => o.Country);
        foreach (var r in Scoreboard.Build(world, world.Countries.Select(c => c.Id).ToList(), frames, new ScoreWeights()))
        {
            var o = outcomes[r.Country];
            Assert.Equal((o.Loss, o.LossGdpShare, o.FiscalCost, o.ExportRevenue, o.ExportRent, o.Gdp),
                (r.Loss, r.GdpShare, r.FiscalCost, r.ExportRevenue, r.ExportRent, r.Gdp));
        }
    }

    [Theory]
    [InlineData("loss", double.NaN, "scoreWeights.loss: NaN is not a finite number")]
    [InlineData("fiscalCost", double.PositiveInfinity, "scoreWeights.fiscalCost: Infinity is not a finite number")]
    [InlineData("exportRevenue", -0.5, "scoreWeights.exportRevenue: -0.5 is outside 0–10")]
    [InlineData("exportRent", 10.01, "scoreWeights.exportRent: 10.01 is outside 0–10")]
    public void A_weight_that_is_not_finite_or_outside_0_to_10_is_refused_with_its_field(string field, double value, string message)
    {
        var w = field switch
        {
            "loss" => new ScoreWeights { Loss = value },
            "fiscalCost" => new ScoreWeights { FiscalCost = value },
            "exportRevenue" => new ScoreWeights { ExportRevenue = value },
            _ => new ScoreWeights { ExportRent = value },
        };
        var world = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        Assert.Equal([message], new ClassroomSettings { ScoreWeights = w }.Problems(world));
        var e = Assert.Throws<ClassroomError>(() => new Classroom("ABC234", "t", world, 7, new ClassroomSettings { ScoreWeights = w }));
        Assert.Equal("scoreWeights." + field, e.Field);
        Assert.Equal(message, e.Message);
        // The bounds themselves are allowed.
        Assert.Empty(new ClassroomSettings { ScoreWeights = new() { Loss = 0, FiscalCost = 10, ExportRevenue = 0, ExportRent = 10 } }.Problems(world));
        Assert.Equal(["scoreWeights: is null; leave it out for the defaults"], new ClassroomSettings { ScoreWeights = null! }.Problems(world));
    }

    [Fact]
    public void Names_that_read_alike_are_one_name_in_a_classroom()
    {
        // Found by a hostile-client probe (Dec 2026): a full-width form of a name took a second seat.
        var world = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        var room = new Classroom("ABC234", "t", world, 7, new ClassroomSettings());
        room.Join("Alicé", null, "t1");
        foreach (var twin in new[] { "ＡＬＩＣÉ", "Ａｌｉｃé", "alicé" })
        {
            var e = Record.Exception(() => room.Join(twin, null, "t2"));
            Assert.True(e is ClassroomError { Field: "name" }, $"{twin}: {e?.Message ?? "joined"}");
        }
        room.Join("Alice", null, "t3"); // without the accent: another name
    }
}
