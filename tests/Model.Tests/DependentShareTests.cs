using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>
/// An input that only a share σ of a manufacturer's output needs (`dependent_share`; docs/MODEL.md, Manufacturers): output is at
/// least (1 − σ)·q*, the output that needs it uses aθ/σ per unit, and use at plan stays aθ·q*. Before Dec 2026 every recipe
/// was fixed over all output, so a Chinese gallium ban stopped 77% of electronics outside China (known limitations).
/// </summary>
public class DependentShareTests
{
    static readonly ScenarioSpec World = TestWorld.Make(commodities:
    [
        new CommoditySpec { Id = "ga", ReferencePrice = 100, InitialOrigin = "CN" },
        new CommoditySpec { Id = "mag", ReferencePrice = 100, InitialOrigin = "CN" },
    ]);

    // 10 units a day, 300 of value added each; 2 of ga and 1 of mag per unit of ALL output (ga needed by a fifth of it).
    static ManufacturerSpec Maker(double? gaShare) => new()
    {
        Id = "us-electronics", Country = "US", Sector = "electronics", PlannedOutput = 10, OutputValue = 1000, ValueAdded = 300,
        Inputs = new Dictionary<string, double> { ["ga"] = 2, ["mag"] = 1 }, CoverDays = 30,
        DependentShare = gaShare is { } g ? new Dictionary<string, double> { ["ga"] = g } : new Dictionary<string, double>(),
    };

    static (AgentReport Report, FirmState State) Produce(double? gaShare, double ga, double mag)
    {
        var s = new FirmState { Id = "us-electronics", HomeSegment = "world" };
        s.Inputs["ga"] = new() { ["CN"] = ga };
        s.Inputs["mag"] = new() { ["CN"] = mag };
        var r = ManufacturerRules.Settle(World, Maker(gaShare), s, new AgentSettlement(0, [], [], 0), TestWorld.Context(World));
        return (r, s);
    }

    [Fact]
    public void Without_an_input_that_a_share_of_output_needs_only_that_share_is_lost()
    {
        // No gallium at all: the fixed recipe (σ = 1) loses the whole day; σ = 0.2 loses a fifth of it and makes the rest.
        var (whole, _) = Produce(null, ga: 0, mag: 100);
        Assert.Equal(10 * 300, whole.Loss, 9);
        var (part, s) = Produce(0.2, ga: 0, mag: 100);
        Assert.Equal(0.2 * 10 * 300, part.Loss, 9);
        Assert.Equal(8, part.Made, 12);
        // The output made without gallium still uses its magnets; the shortage of gallium is reported in full.
        Assert.Equal(100 - 8, Stock.Total(s.Inputs["mag"]), 9);
        Assert.Equal(20, part.Shortages.Single(x => x.Commodity == "ga").Unmet, 9);
    }

    [Fact]
    public void A_short_input_makes_what_its_stock_allows_of_the_output_that_needs_it_and_is_used_up()
    {
        // σ = 0.2: 2 units of the 10 need ga, at 2/0.2 = 10 ga each. 10 ga make one of them: output 8 + 1 = 9, loss one unit.
        var (r, s) = Produce(0.2, ga: 10, mag: 100);
        Assert.Equal(9, r.Made, 12);
        Assert.Equal(300, r.Loss, 9);
        Assert.Equal(0, Stock.Total(s.Inputs["ga"]), 12);
        Assert.Equal(100 - 9, Stock.Total(s.Inputs["mag"]), 9);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.01)]
    [InlineData(1.0)]
    public void Use_at_plan_is_the_recipe_whatever_the_share(double share)
    {
        // The published use per $ of all output is kept: σ moves where a shortage bites, not how much is used.
        var (r, s) = Produce(share, ga: 25, mag: 100);
        Assert.Equal(0, r.Loss);
        Assert.Equal(25 - 2 * 10, Stock.Total(s.Inputs["ga"]), 12);
        Assert.Equal(100 - 10, Stock.Total(s.Inputs["mag"]), 12);
    }

    [Fact]
    public void A_share_of_one_is_the_fixed_recipe()
    {
        foreach (var (ga, mag) in new[] { (10.0, 100.0), (0.0, 100.0), (25.0, 4.0), (13.7, 7.3) })
        {
            var (a, sa) = Produce(null, ga, mag);
            var (b, sb) = Produce(1.0, ga, mag);
            Assert.Equal(a.Loss, b.Loss);
            Assert.Equal(a.Made, b.Made);
            Assert.Equal(Stock.Total(sa.Inputs["ga"]), Stock.Total(sb.Inputs["ga"]));
            Assert.Equal(Stock.Total(sa.Inputs["mag"]), Stock.Total(sb.Inputs["mag"]));
        }
    }

    [Fact]
    public void Another_inputs_shortage_still_binds_all_output()
    {
        // Magnets (needed by all output) for 6 units: output 6 whatever gallium's share, and gallium used for those 6 only.
        var (r, s) = Produce(0.2, ga: 100, mag: 6);
        Assert.Equal(6, r.Made, 12);
        Assert.Equal(100 - 2 * 6, Stock.Total(s.Inputs["ga"]), 9);
    }

    [Fact]
    public void The_limit_price_is_the_value_added_of_the_output_the_input_makes()
    {
        // A unit of ga makes σ/(aθ) units of output: the most it is worth is p + VA·σ/(aθ) = 100 + 300·0.2/2 = 130 (the fixed
        // recipe: 100 + 150). By-value rationing ranks buyers by it.
        var s = ManufacturerRules.Initialise(World, Maker(0.2));
        var plan = ManufacturerRules.Plan(World, Maker(0.2), s, TestWorld.Context(World));
        Assert.All(plan.Bids.Where(b => b.Commodity == "ga"), b => Assert.Equal(130, b.LimitPrice, 9));
        Assert.All(plan.Bids.Where(b => b.Commodity == "mag"), b => Assert.Equal(400, b.LimitPrice, 9));
    }

    [Fact]
    public void A_complement_is_bought_for_the_output_made_without_the_scarce_input()
    {
        // Gallium (σ = 0.1) supplied at nothing, magnets in full: gallium still lets the firm make 90% of plan, so magnets are
        // bought for 90%. Read over all output (the rule before Dec 2026) magnets were bought for nothing, and China's magnet
        // makers lost their foreign buyers under a gallium ban (docs/MODEL.md, Counterfactuals).
        var s = new FirmState { Supplied = { ["ga"] = 0, ["mag"] = 1 }, MadeShare = 0.9 };
        var share = new double[2];
        Procurement.PlanShares(s, ["ga", "mag"], [2.0, 1.0], 10, share, [0.1, 1.0]);
        Assert.Equal(1, share[0], 12);
        Assert.Equal(0.9, share[1], 12);
        Procurement.PlanShares(s, ["ga", "mag"], [2.0, 1.0], 10, share);
        Assert.Equal(0.9, share[1], 12); // the floor ȳ = 0.9 alone; with ȳ = 0 the fixed recipe buys none
        s.MadeShare = 0;
        Procurement.PlanShares(s, ["ga", "mag"], [2.0, 1.0], 10, share);
        Assert.Equal(0, share[1], 12);
        Procurement.PlanShares(s, ["ga", "mag"], [2.0, 1.0], 10, share, [0.1, 1.0]);
        Assert.Equal(0.9, share[1], 12);
    }

    // ---- the scenario field ----

    static ScenarioLoadResult Load(string field) =>
        ScenarioLoader.LoadText(ScenarioYaml.Valid.Replace("    inputs: {oxide: 0.1}\n", "    inputs: {oxide: 0.1}\n" + field), "test.yaml");

    [Fact]
    public void The_field_is_read_per_input_and_defaults_to_all_output()
    {
        var r = Load("    dependent_share: {oxide: 0.25}\n");
        Assert.Empty(r.Errors);
        Assert.All(r.Spec!.Manufacturers, m => Assert.Equal(0.25, m.DependentShareOf("oxide")));
        Assert.All(Load("").Spec!.Manufacturers, m => Assert.Equal(1, m.DependentShareOf("oxide")));
    }

    [Theory]
    [InlineData("{ore: 0.5}", "manufacturers[0].dependent_share.ore", "is not one of this firm's inputs")]
    [InlineData("{oxide: 1.5}", "manufacturers[0].dependent_share.oxide", "must be at most 1")]
    [InlineData("{oxide: 0}", "manufacturers[0].dependent_share.oxide", "must be at least")]
    [InlineData("{oxide: lots}", "manufacturers[0].dependent_share.oxide", "must be a number")]
    public void A_bad_share_is_refused_at_its_line(string map, string field, string message)
    {
        var r = Load($"    dependent_share: {map}\n");
        Assert.Null(r.Spec);
        var e = Assert.Single(r.Errors);
        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Message);
        Assert.Equal(ScenarioYaml.Valid.Split('\n').ToList().FindIndex(l => l == "    inputs: {oxide: 0.1}") + 2, e.Line);
    }

    // ---- the shipped world ----

    [Fact]
    public void Under_a_gallium_ban_no_electronics_sector_loses_more_than_the_output_that_needs_gallium()
    {
        // The baseline with a Chinese gallium ban on every destination for 120 days: each electronics sector outside China loses
        // at most σ_Ga of its planned value added (its magnets are not touched by the ban). With fixed recipes the US lost 93%.
        var spec = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        spec = spec with
        {
            Days = 120,
            Policies = [.. spec.Policies, new ExportControl { Id = "cn-ga-ban", Start = 0, Exporter = "CN", Commodities = ["gallium"] }],
        };
        var frames = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
        var last = frames[^1];
        var lost = 0.0;
        foreach (var m in spec.Manufacturers.Where(m => m.Sector == "electronics" && m.Country != "CN").GroupBy(m => m.Country))
        {
            var sigma = m.First().DependentShareOf("gallium");
            Assert.True(sigma < 1, $"{m.Key}: electronics should carry a gallium dependent share");
            var planned = m.Sum(x => x.PlannedOutput * x.ValueAdded) * spec.Days;
            var loss = last.Losses.Where(x => x.Country == m.Key && x.Sector == "electronics").Sum(x => x.Cumulative);
            Assert.True(loss <= sigma * planned * (1 + 1e-9), $"{m.Key}: lost {loss:0} of {planned:0} planned, more than σ = {sigma}");
            lost += loss;
        }
        Assert.True(lost > 0, "the ban should cost something: gallium outside China is 12 t a year against ≈193 t of foreign use");
    }
}
