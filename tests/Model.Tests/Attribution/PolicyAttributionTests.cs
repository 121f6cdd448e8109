using MarketSim.Model.Attribution;

namespace MarketSim.Model.Tests.Attribution;

/// <summary>Attribution over real counterfactual runs of a tiny world: ore to magnets to cars, four policies.</summary>
public class PolicyAttributionTests
{
    const int Days = 80;   // "late" starts at tick 88: it is never in force
    const ulong Seed = 11;

    const string Yaml = """
        name: attribution-small
        start_date: 2026-01-01
        days: 90
        currency: USD
        seed: 11
        transport: {domestic_days: 5, international_days: 20}
        countries:
          - {id: CN, gdp: 18000000000000}
          - {id: JP, gdp: 4200000000000}
          - {id: AU, gdp: 1800000000000}
        commodities:
          - {id: oxide, reference_price: 60000, initial_origin: CN}
          - {id: magnet, reference_price: 90000, initial_origin: CN}
        producers:
          - {id: cn-mine, country: CN, output: oxide, capacity: 10, unit_cost: 30000}
          - {id: au-mine, country: AU, output: oxide, capacity: 0.1, unit_cost: 30000}
          - {id: cn-magnets, country: CN, output: magnet, capacity: 8, unit_cost: 20000, inputs: {oxide: 0.3}}
          - {id: jp-magnets, country: JP, output: magnet, capacity: 0.5, unit_cost: 20000, inputs: {oxide: 0.3}}
        manufacturers:
          - id: jp-auto
            country: JP
            sector: automotive
            planned_output: 1000
            output_value: 30000
            value_added: 9000
            inputs: {magnet: 0.002}
            firms: [{id: big, share: 0.6, cover_days: 40}, {id: small, share: 0.4, cover_days: 10}]
        policies:
          - {id: cn-ban-jp, type: export_control, exporter: CN, commodities: [magnet, oxide], destinations: [JP], start: 20}
          - {id: jp-tariff, type: tariff, importer: JP, commodities: [magnet], rate: 0.1, start: 0}
          - {id: jp-stockpile, type: stockpile, country: JP, commodity: magnet, size: 5, max_release_per_day: 1, start: 0}
          - {id: late, type: tariff, importer: JP, commodities: [oxide], rate: 0.5, start: 88}
        """;

    static ScenarioSpec World()
    {
        var r = ScenarioLoader.LoadText(Yaml);
        Assert.True(r.Ok, string.Join("\n", r.Errors.Select(e => e.ToString())));
        return r.Spec!;
    }

    static AttributionGame Game(ScenarioSpec world, IReadOnlyList<string>? policies = null, params (string, IReadOnlyList<string>)[] groups)
    {
        var (game, error) = AttributionGame.Build(world, policies, groups);
        Assert.True(game is not null, error);
        return game!;
    }

    static double Value(AttributionResult r, string country, string metric, string player) =>
        r.Rows.Single(x => x.Country == country && x.Metric == metric && x.Player == player).Value;

    [Fact]
    public void Over_several_seeds_the_split_is_the_mean_of_each_seeds_split_with_their_spread_as_error()
    {
        // A licence instead of the ban: its draws depend on the seed, so each seed splits Japan's loss differently.
        var world = World() with
        {
            Policies = [.. World().Policies.Where(p => p.Id != "cn-ban-jp"), new ExportControl
            {
                Id = "cn-licence", Start = 20, Exporter = "CN", Commodities = ["magnet", "oxide"], Destinations = ["JP"],
                Mode = ControlMode.License, ApprovalRate = 0.3, DelayMinDays = 5, DelayMaxDays = 40, Applications = 1,
            }],
        };
        var game = Game(world);
        var three = PolicyAttribution.Run(world, game, Seed, Days, samples: null, parallel: 2, seeds: 3);
        var each = Enumerable.Range(0, 3).Select(k => PolicyAttribution.Run(world, game, Seed + (ulong)k, Days, null, 2)).ToList();
        var licence = each.Select(r => Value(r, "JP", "loss", "cn-licence")).ToList();
        Assert.True(licence.Distinct().Count() > 1, "the seeds should split differently");
        foreach (var player in game.Players.Select(p => p.Name).Append("total"))
            Assert.Equal(each.Average(r => Value(r, "JP", "loss", player)), Value(three, "JP", "loss", player), 6);
        var mean = licence.Average();
        var sd = Math.Sqrt(licence.Sum(v => (v - mean) * (v - mean)) / 2);
        Assert.Equal(sd / Math.Sqrt(3), three.Rows.Single(r => r.Country == "JP" && r.Metric == "loss" && r.Player == "cn-licence").StdErr, 6);
        Assert.Equal(Value(three, "JP", "loss", "total"), game.Players.Sum(p => Value(three, "JP", "loss", p.Name)), 6);
        Assert.True(three.Rows.Single(r => r.Country == "JP" && r.Metric == "loss" && r.Player == "total").StdErr > 0);
        Assert.Equal((3 * 16, 3), (three.Runs, three.Seeds));
    }

    [Fact]
    public void Seeds_that_share_their_permutations_do_not_shrink_the_sampling_error()
    {
        // No draw in this world (a ban, a tariff, a stockpile): every seed plays the same game, so three seeds say no more than
        // one, and their sampled split must carry the same error. Before Dec 2026 the sampling term was divided as if each seed
        // had drawn its own permutations: the error read 1/√3 of one seed's.
        var world = World();
        var game = Game(world);
        var one = PolicyAttribution.Run(world, game, Seed, Days, samples: 6, parallel: 2);
        var three = PolicyAttribution.Run(world, game, Seed, Days, samples: 6, parallel: 2, seeds: 3);
        Assert.False(one.Exact);
        var errors = one.Rows.Where(r => r.StdErr > 0).ToList();
        Assert.NotEmpty(errors);
        foreach (var r in one.Rows)
        {
            var same = three.Rows.Single(x => x.Country == r.Country && x.Metric == r.Metric && x.Player == r.Player);
            Assert.Equal(r.Value, same.Value, 1e-9 * Math.Max(1, Math.Abs(r.Value)));
            Assert.Equal(r.StdErr, same.StdErr, 1e-9 * Math.Max(1, r.StdErr));
        }
    }

    [Fact]
    public void Exact_shares_add_up_to_all_on_minus_none_and_the_ends_are_the_plain_runs()
    {
        var world = World();
        var r = PolicyAttribution.Run(world, Game(world), Seed, Days, samples: null, parallel: 2);
        Assert.True(r.Exact);
        Assert.Equal(16, r.Runs);
        Assert.Equal(["cn-ban-jp", "jp-tariff", "jp-stockpile", "late"], r.Game.Players.Select(p => p.Name));

        var all = OutcomeAccumulator.Simulate(world, Seed, Days).ToDictionary(o => o.Country);
        var none = OutcomeAccumulator.Simulate(world with { Policies = [] }, Seed, Days).ToDictionary(o => o.Country);
        Assert.True(all["JP"].Loss > none["JP"].Loss, "the ban should cost Japan something");
        foreach (var c in r.Countries)
            foreach (var m in PolicyAttribution.Metrics)
            {
                var (n, a) = r.Ends[(c, m)];
                double Pick(CountryOutcome o) => m switch
                {
                    "loss" => o.Loss, "fiscal_cost" => o.FiscalCost, "export_revenue" => o.ExportRevenue, "export_rent" => o.ExportRent,
                    "indirect_loss" => o.IndirectLoss, "extra_input_cost" => o.ExtraInputCost, "value_added" => o.ValueAdded,
                    "tariff_revenue" => o.TariffRevenue,
                    _ => throw new InvalidOperationException(m),
                };
                Assert.Equal(Pick(all[c]), a);
                Assert.Equal(Pick(none[c]), n);
                var rows = r.Rows.Where(x => x.Country == c && x.Metric == m).ToList();
                var total = rows.Single(x => x.Player == "total").Value;
                Assert.Equal(a - n, total);
                Assert.Equal(total, rows.Where(x => x.Player != "total").Sum(x => x.Value), Math.Abs(total) * 1e-12 + 1e-9);
                Assert.All(rows, x => Assert.Equal(0, x.StdErr));
            }
        // A policy that starts after the horizon changes nothing in any coalition: a dummy, worth exactly 0.
        Assert.All(r.Rows.Where(x => x.Player == "late"), x => Assert.Equal(0, x.Value));
    }

    [Fact]
    public void The_result_does_not_depend_on_how_many_runs_go_at_once()
    {
        var world = World();
        var one = PolicyAttribution.ToCsv(PolicyAttribution.Run(world, Game(world), Seed, Days, null, parallel: 1).Rows);
        var four = PolicyAttribution.ToCsv(PolicyAttribution.Run(World(), Game(world), Seed, Days, null, parallel: 4).Rows);
        Assert.Equal(one, four);
    }

    [Fact]
    public void The_runs_go_to_the_scheduler_given_and_give_the_same_result()
    {
        var world = World();
        var scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, 2).ConcurrentScheduler;
        var elsewhere = 0;
        var progress = new Progress(() => { if (TaskScheduler.Current != scheduler) Interlocked.Increment(ref elsewhere); });
        var given = PolicyAttribution.Run(world, Game(world), Seed, Days, null, parallel: 2, progress, default, scheduler);
        Assert.Equal(0, elsewhere);
        Assert.Equal(PolicyAttribution.ToCsv(PolicyAttribution.Run(World(), Game(world), Seed, Days, null, parallel: 2).Rows), PolicyAttribution.ToCsv(given.Rows));
    }

    sealed class Progress(Action report) : IProgress<int>
    {
        public void Report(int value) => report();
    }

    [Fact]
    public void A_group_is_one_player_and_policies_left_out_stay_on()
    {
        var world = World();
        var r = PolicyAttribution.Run(world, Game(world, ["cn-ban-jp"], ("japan", ["jp-tariff", "jp-stockpile"])), Seed, Days, null, 2);
        Assert.Equal(["japan", "cn-ban-jp"], r.Game.Players.Select(p => p.Name));
        Assert.Equal(["late"], r.Game.Background);
        Assert.Equal(4, r.Runs);
        // With two players φ_ban = ½(v(ban) − v(∅)) + ½(v(all) − v(japan)): check it against the four runs made by hand.
        double Loss(params string[] on) => OutcomeAccumulator.Simulate(Counterfactual.Without(world,
            Counterfactual.PolicyIds(world).Where(id => id != "late" && !on.Contains(id))), Seed, Days).Single(o => o.Country == "JP").Loss;
        var v0 = Loss();
        var vBan = Loss("cn-ban-jp");
        var vJapan = Loss("jp-tariff", "jp-stockpile");
        var vAll = Loss("cn-ban-jp", "jp-tariff", "jp-stockpile");
        Assert.Equal(0.5 * (vBan - v0) + 0.5 * (vAll - vJapan), Value(r, "JP", "loss", "cn-ban-jp"), Math.Abs(vAll) * 1e-12 + 1e-9);
        Assert.Equal(0.5 * (vJapan - v0) + 0.5 * (vAll - vBan), Value(r, "JP", "loss", "japan"), Math.Abs(vAll) * 1e-12 + 1e-9);
    }

    [Fact]
    public void Sampled_mode_reports_errors_and_still_adds_up()
    {
        var world = World();
        var r = PolicyAttribution.Run(world, Game(world), Seed, Days, samples: 6, parallel: 2);
        Assert.False(r.Exact);
        Assert.Equal(6, r.Permutations);
        Assert.True(r.Runs <= 16);
        foreach (var c in r.Countries)
        {
            var rows = r.Rows.Where(x => x.Country == c && x.Metric == "loss").ToList();
            var total = rows.Single(x => x.Player == "total").Value;
            Assert.Equal(total, rows.Where(x => x.Player != "total").Sum(x => x.Value), Math.Abs(total) * 1e-9 + 1e-6);
        }
        Assert.All(r.Rows.Where(x => x.Player == "late"), x => Assert.Equal(0, x.StdErr));
    }

    [Theory]
    [InlineData(new[] { "nope" }, null, "no policy \"nope\"")]
    [InlineData(new[] { "jp-tariff" }, "g=jp-tariff+late", "in two players")]
    [InlineData(null, "g=", "names no policy")]
    [InlineData(null, "total=late", "reserved")]
    [InlineData(null, "g=late+ghost", "no policy \"ghost\"")]
    public void Bad_players_are_explained(string[]? policies, string? group, string message)
    {
        var world = World();
        var groups = group is null ? [] : new[] { (group.Split('=')[0], (IReadOnlyList<string>)group.Split('=')[1].Split('+', StringSplitOptions.RemoveEmptyEntries)) };
        var (game, error) = AttributionGame.Build(world, policies, groups);
        Assert.Null(game);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Versions_of_a_policy_count_as_one_player()
    {
        var world = World();
        var ban = world.Policies.OfType<ExportControl>().Single();
        world = world with { Policies = [.. world.Policies, ban with { Start = 60, Mode = ControlMode.Quota, QuotaQuantity = 1 }] };
        var game = Game(world);
        Assert.Equal(4, game.Count);
        var off = game.World(world, 0b1110);   // everything but the ban's player
        Assert.DoesNotContain(off.Policies, p => p.Id == "cn-ban-jp");
        Assert.Equal(2, game.World(world, game.Grand).Policies.Count(p => p.Id == "cn-ban-jp"));
    }

    [Fact]
    public void Comparison_rows_are_run_minus_baseline()
    {
        var world = World();
        var run = OutcomeAccumulator.Simulate(world, Seed, Days);
        var baseline = OutcomeAccumulator.Simulate(Counterfactual.Without(world, ["cn-ban-jp"]), Seed, Days);
        var rows = BaselineComparison.Compare(run, baseline);
        var jp = rows.Single(r => r.Country == "JP" && r.Metric == "cumulative_loss");
        Assert.Equal(run.Single(o => o.Country == "JP").Loss, jp.Run);
        Assert.Equal(baseline.Single(o => o.Country == "JP").Loss, jp.Baseline);
        Assert.True(jp.Difference > 0);
        var cnExports = rows.Single(r => r.Country == "CN" && r.Metric == "export_revenue");
        Assert.True(cnExports.Difference < 0, "a ban on Japan should cut China's export revenue");
        Assert.StartsWith("country,metric,commodity,run,baseline,difference\n", BaselineComparison.ToCsv(rows));
    }
}
