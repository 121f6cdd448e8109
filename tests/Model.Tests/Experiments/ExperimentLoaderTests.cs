using MarketSim.Experiments;

namespace MarketSim.Model.Tests.Experiments;

public class ExperimentLoaderTests
{
    static string Cutoff3m => Paths.Scenario("japan-cutoff-3m.yaml").Replace('\\', '/');

    /// <summary>Loads an experiment given as text (line 1 = the first line of <paramref name="body"/>) on the shipped 3-month cut-off.</summary>
    static ExperimentLoadResult Load(string body, int? maxRuns = ExperimentLoader.DefaultMaxRuns) =>
        ExperimentLoader.LoadText(body.Replace("SCENARIO", Cutoff3m), "exp.yaml", Paths.RepoRoot, maxRuns);

    static string Errors(ExperimentLoadResult r) => string.Join("\n", r.Errors.Select(e => $"{e.File}:{e.Line}:{e.Column}: {e.Field}: {e.Message}"));

    const string Grid = """
        name: t
        scenario: SCENARIO
        horizon: 120
        master_seed: 9
        repetitions: 3
        parameters:
          - name: cutoff_days
            path: policies[cn-cutoff-jp].end
            values: [30, 90]
          - name: stock
            path: policies[jp-stockpile-dy].size
            range: {from: 0, to: 40, step: 20}
        """;

    [Fact]
    public void Shipped_experiments_load()
    {
        foreach (var f in Directory.GetFiles(Path.Combine(Paths.RepoRoot, "experiments"), "*.yaml"))
        {
            var r = ExperimentLoader.LoadFile(f);
            Assert.True(r.Ok, f + "\n" + Errors(r));
        }
        var sweep = ExperimentLoader.LoadFile(Path.Combine(Paths.RepoRoot, "experiments", "cutoff-sweep.yaml")).Plan!;
        Assert.Equal(24, sweep.Variants.Count);
        Assert.Equal(120, sweep.Runs.Count);
        Assert.Equal(545, sweep.Days);
        // The G7 floor is switched by including or removing the policy the experiment adds.
        Assert.Contains(sweep.Variants, v => v.Scenario.Policies.Any(p => p.Id == "g7-floor"));
        Assert.Contains(sweep.Variants, v => v.Scenario.Policies.All(p => p.Id != "g7-floor"));
        Assert.All(sweep.Variants, v => Assert.Contains(v.Scenario.Policies, p => p.Id == "cn-licensing-2025"));
    }

    [Fact]
    public void A_grid_expands_in_order_with_the_last_parameter_fastest_and_values_reach_the_scenario()
    {
        var r = Load(Grid);
        Assert.True(r.Ok, Errors(r));
        var plan = r.Plan!;
        Assert.Equal(6, plan.Variants.Count);
        Assert.Equal(18, plan.Runs.Count);
        Assert.Equal(120, plan.Days);
        Assert.Equal(["30/0", "30/20", "30/40", "90/0", "90/20", "90/40"], plan.Variants.Select(v => $"{v.Values["cutoff_days"]}/{v.Values["stock"]}"));
        var v5 = plan.Variants[4];
        Assert.Equal(90, v5.Scenario.Policies.Single(p => p.Id == "cn-cutoff-jp").End);
        Assert.Equal(20, ((Stockpile)v5.Scenario.Policies.Single(p => p.Id == "jp-stockpile-dy")).Size);
        Assert.Equal(120, v5.Scenario.Days);
        Assert.Equal(Enumerable.Range(1, 18), plan.Runs.Select(x => x.RunId));
        Assert.Equal([1, 2, 3, 1, 2, 3], plan.Runs.Take(6).Select(x => x.Repetition));
    }

    [Fact]
    public void Seeds_derive_from_the_master_seed_common_across_variants_by_default()
    {
        var plan = Load(Grid).Plan!;
        // Derive(9, repetition − 1), values computed outside the code (a separate SplitMix64 in Python, as in the pinned test below).
        ulong[] expected = [302387917868542, 697457321254924, 334581794935969];
        foreach (var run in plan.Runs)
            Assert.Equal(expected[run.Repetition - 1], run.Seed);
        Assert.Equal(3, plan.Runs.Select(x => x.Seed).Distinct().Count());
        Assert.All(plan.Runs, x => Assert.True(x.Seed < 1_000_000_000_000_000)); // 15 digits: exact in a spreadsheet

        var independent = Load(Grid.Replace("repetitions: 3", "repetitions: 3\nseeds: independent")).Plan!;
        Assert.Equal(18, independent.Runs.Select(x => x.Seed).Distinct().Count());
        // Same experiment, same seeds: nothing depends on the machine or the order runs execute in.
        Assert.Equal(independent.Runs.Select(x => x.Seed), Load(Grid.Replace("repetitions: 3", "repetitions: 3\nseeds: independent")).Plan!.Runs.Select(x => x.Seed));
    }

    [Fact]
    public void Seed_derivation_is_pinned()
    {
        // Changing these changes every published batch: only on purpose. Mix is SplitMix64's finaliser: its first output for
        // seed 0 is the published 0xE220A8397B1DCDAF. The derived seeds, mix(master ^ mix(stream)) modulo 10^15 (15 digits), were
        // computed outside the code (a separate SplitMix64 in Python).
        Assert.Equal(0xE220A8397B1DCDAFUL, SeedDerivation.Mix(0));
        Assert.Equal(550249420947055UL, SeedDerivation.Derive(0, 0));
        Assert.Equal(754381373004330UL, SeedDerivation.Derive(9, 1UL << 32)); // independent seeds: variant 1, repetition 1
        Assert.NotEqual(SeedDerivation.Derive(1, 0), SeedDerivation.Derive(2, 0));
    }

    [Fact]
    public void Named_cases_set_parameters_and_switch_policies()
    {
        var r = Load("""
            name: cases
            scenario: SCENARIO
            parameters:
              - name: cutoff
                path: policies[cn-cutoff-jp]
              - name: elasticity
                path: demand.elasticity
              - name: reserved
                path: producers[au-sep-lree].reserved_share
                values: [0.1, 0.3]
            cases:
              - {name: no-cutoff, set: {cutoff: off}}
              - {name: elastic, set: {elasticity: 0.5}}
            """);
        Assert.True(r.Ok, Errors(r));
        var plan = r.Plan!;
        Assert.Equal(["no-cutoff", "no-cutoff", "elastic", "elastic"], plan.Variants.Select(v => v.Case));
        Assert.DoesNotContain(plan.Variants[0].Scenario.Policies, p => p.Id == "cn-cutoff-jp");
        Assert.Contains(plan.Variants[2].Scenario.Policies, p => p.Id == "cn-cutoff-jp");
        Assert.Equal(0.5, plan.Variants[2].Scenario.Demand.Elasticity);
        Assert.Equal(0.3, plan.Variants[3].Scenario.Producers.Single(p => p.Id == "au-sep-lree").ReservedShare);
        // Parameters a case leaves alone show the scenario's value.
        Assert.Equal("on", plan.Variants[2].Values["cutoff"]);
        Assert.Equal("0.15", plan.Variants[0].Values["elasticity"]); // the scenario's own value
        Assert.Equal("no-cutoff: cutoff=off, elasticity=0.15, reserved=0.1", plan.Variants[0].Label(plan.ParameterNames));
    }

    [Theory]
    [InlineData("policies[nope].end", 6, "parameters[0].path", "'policies[nope].end' does not exist in the scenario: 'policies' has no item 'nope' (ids: jp-stockpile-dy")]
    [InlineData("policy[cn-cutoff-jp].end", 6, "parameters[0].path", "the scenario has no list 'policy'")]
    [InlineData("policies[cn-cutoff-jp.end", 6, "parameters[0].path", "unclosed '['")]
    public void A_path_that_does_not_exist_is_an_error_at_its_line(string path, int line, string field, string message)
    {
        var r = Load($"""
            name: t
            scenario: SCENARIO
            parameters:
              - name: p
                values: [1, 2]
                path: {path}
            """);
        Assert.False(r.Ok);
        var e = Assert.Single(r.Errors);
        Assert.Equal(("exp.yaml", line, field), (e.File, e.Line, e.Field));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void An_empty_range_or_list_and_bad_switch_values_are_located_errors()
    {
        var r = Load("""
            name: t
            scenario: SCENARIO
            parameters:
              - name: a
                path: demand.elasticity
                range: {from: 0.5, to: 0.1, step: 0.1}
              - name: b
                path: demand.floor
                values: []
              - name: c
                path: policies[cn-cutoff-jp]
                values: [maybe]
              - name: d
                path: demand.lag_days
                range: {from: 1, to: 5, step: 0}
            """);
        Assert.False(r.Ok);
        var text = Errors(r);
        Assert.Contains("exp.yaml:6:", text);
        Assert.Contains("empty range: from 0.5 is greater than to 0.1", text);
        Assert.Contains("exp.yaml:9:", text);
        Assert.Contains("values: is empty", text);
        Assert.Contains("exp.yaml:12:", text);
        Assert.Contains("values are on or off, got 'maybe'", text);
        Assert.Contains("step: must be greater than 0", text);
    }

    [Fact]
    public void A_value_the_scenario_rejects_is_reported_at_the_experiment_line_with_the_scenario_message()
    {
        var r = Load("""
            name: t
            scenario: SCENARIO
            parameters:
              - name: cutoff_days
                path: policies[cn-cutoff-jp].end
                values: [30, 400]
            """);
        Assert.False(r.Ok);
        var e = Assert.Single(r.Errors);
        Assert.Equal(("exp.yaml", 6), (e.File, e.Line));
        Assert.Equal("parameters[cutoff_days]", e.Field);
        Assert.Contains("policies[cn-cutoff-jp].end = 400", e.Message);
        Assert.Contains("tick 400 is outside the horizon 0..365", e.Message);
    }

    [Fact]
    public void An_added_policy_with_a_mistake_is_reported_in_the_experiment_file()
    {
        var r = Load("""
            name: t
            scenario: SCENARIO
            add_policies:
              - {id: floor, type: price_floor, club: [JP, XX], floors: {dy_oxide: 1}, start: 0}
            """);
        Assert.False(r.Ok);
        var e = Assert.Single(r.Errors);
        Assert.Equal(("exp.yaml", 4), (e.File, e.Line));
        Assert.StartsWith("add_policies[0]", e.Field);
        Assert.Contains("XX", e.Message);
    }

    [Fact]
    public void Too_many_runs_need_a_confirmation_and_are_refused_before_expansion()
    {
        var body = """
            name: big
            scenario: SCENARIO
            repetitions: 1000
            parameters:
              - name: e
                path: demand.elasticity
                range: {from: 0, to: 1, count: 1000}
            """;
        var r = Load(body);
        var e = Assert.Single(r.Errors);
        Assert.Contains("expands to 1000000 runs", e.Message);
        Assert.Contains("--yes", e.Message);
        Assert.True(Load(body.Replace("repetitions: 1000", "repetitions: 1"), maxRuns: null).Ok);
    }

    [Fact]
    public void Ranges_by_count_and_step_give_the_expected_values()
    {
        var r = Load("""
            name: t
            scenario: SCENARIO
            parameters:
              - name: e
                path: demand.elasticity
                range: {from: 0, to: 0.3, step: 0.1}
              - name: l
                path: demand.lag_days
                range: {from: 100, to: 400, count: 4}
            """);
        Assert.True(r.Ok, Errors(r));
        Assert.Equal(["0", "0.1", "0.2", "0.3"], r.Plan!.Parameters[0].Values);
        Assert.Equal(["100", "200", "300", "400"], r.Plan!.Parameters[1].Values);
    }

    [Fact]
    public void Experiment_fields_are_checked_like_scenario_fields()
    {
        var r = Load("""
            name: t
            scenario: SCENARIO
            repetitons: 3
            metrics: {series: [price, lost], every: weekly, countries: [JP, ZZ]}
            """);
        var text = Errors(r);
        Assert.Contains("exp.yaml:3:1: repetitons: is not a known field", text);
        Assert.Contains("unknown metric 'lost'", text);
        Assert.Contains("must be a whole number of ticks (1 = every tick) or 'final', got 'weekly'", text);
        Assert.Contains("unknown country 'ZZ'", text);

        var missing = ExperimentLoader.LoadText("name: t\nscenario: nowhere.yaml\n", "exp.yaml", Paths.RepoRoot);
        Assert.Contains("scenario file 'nowhere.yaml' not found", Errors(missing));
        Assert.Contains("malformed YAML", Errors(ExperimentLoader.LoadText("name: [t\n", "exp.yaml", Paths.RepoRoot)));
    }
}
