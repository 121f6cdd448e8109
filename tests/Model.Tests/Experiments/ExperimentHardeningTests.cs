using MarketSim.Experiments;

namespace MarketSim.Model.Tests.Experiments;

/// <summary>Experiment files built to exhaust the loader or to break the batch outputs are refused in words, at once.</summary>
public class ExperimentHardeningTests
{
    static string Cutoff3m => Paths.Scenario("japan-cutoff-3m.yaml").Replace('\\', '/');

    static ExperimentLoadResult Load(string body, int? maxRuns = ExperimentLoader.DefaultMaxRuns) =>
        ExperimentLoader.LoadText(body.Replace("SCENARIO", Cutoff3m), "exp.yaml", Paths.RepoRoot, maxRuns);

    static string Errors(ExperimentLoadResult r) => string.Join("\n", r.Errors.Select(e => $"{e.File}:{e.Line}:{e.Column}: {e.Field}: {e.Message}"));

    /// <summary>Loads on a worker thread: a loader that expands or draws before refusing fails the test instead of hanging it.</summary>
    static ExperimentLoadResult Quick(string body, int? maxRuns = ExperimentLoader.DefaultMaxRuns)
    {
        var load = Task.Run(() => Load(body, maxRuns));
        Assert.True(load.Wait(TimeSpan.FromSeconds(5)), "the loader did not answer within 5 s");
        return load.Result;
    }

    [Fact]
    public void A_grid_whose_size_overflows_is_refused_before_expansion()
    {
        // 65536^4 = 2^64: a wrapping product is 0 runs, which passed every size check.
        var body = """
            name: huge
            scenario: SCENARIO
            parameters:
              - {name: a, path: demand.elasticity, range: {from: 0, to: 1, count: 65536}}
              - {name: b, path: demand.floor, range: {from: 0.5, to: 1, count: 65536}}
              - {name: c, path: demand.lead_time_learning, range: {from: 0, to: 1, count: 65536}}
              - {name: d, path: demand.persistence, range: {from: 0, to: 1, count: 65536}}
            """;
        // Too many variants for any batch: refused as such with or without --yes (it once said "pass --yes", which would not
        // have helped: a review).
        var e = Assert.Single(Quick(body).Errors);
        Assert.Contains("too many to run", e.Message);
        Assert.DoesNotContain("--yes", e.Message);
        e = Assert.Single(Quick(body, maxRuns: null).Errors);
        Assert.Contains("too many to run", e.Message);
    }

    [Fact]
    public void Too_many_samples_are_refused_before_any_is_drawn()
    {
        var body = """
            name: lhs
            scenario: SCENARIO
            samples: 50000000
            parameters:
              - name: e
                path: demand.elasticity
                prior: {dist: uniform, min: 0, max: 1}
            """;
        Assert.Contains("expands to 50000000 variants, too many to run in one batch", Assert.Single(Quick(body).Errors).Message);
        // 2^31 − 1 samples ran out of memory drawing them.
        Assert.Contains("too many to run", Assert.Single(Quick(body.Replace("50000000", "2147483647"), maxRuns: null).Errors).Message);
    }

    [Fact]
    public void A_range_with_too_many_steps_to_count_is_refused_in_words()
    {
        // (to − from) / step = 2e30 steps: cast to a long it wrapped, and the range silently gave one value.
        var r = Load("""
            name: t
            scenario: SCENARIO
            parameters:
              - name: e
                path: demand.elasticity
                range: {from: -1e15, to: 1e15, step: 1e-15}
            """);
        var e = Assert.Single(r.Errors);
        Assert.Equal(("exp.yaml", 6, "parameters[0].range"), (e.File, e.Line, e.Field));
        Assert.Contains("at most 1000000 per parameter", e.Message);
    }

    [Fact]
    public void A_range_finer_than_its_values_can_be_written_is_refused()
    {
        // 1000000.000001 is written with 12 significant digits: every value of this range would read 1000000.
        var r = Load("""
            name: t
            scenario: SCENARIO
            parameters:
              - name: s
                path: policies[jp-stockpile-dy].size
                range: {from: 1000000, to: 1000000.001, count: 1000}
            """);
        var e = Assert.Single(r.Errors);
        Assert.Equal(("exp.yaml", 6, "parameters[0].range"), (e.File, e.Line, e.Field));
        Assert.Contains("gives the value '1000000' more than once", e.Message);
    }

    [Theory]
    [InlineData("'=p'", "must not start with '='")]
    [InlineData("'@q'", "must not start with '@'")]
    [InlineData("\"a\\u202Eb\"", "control characters")]
    [InlineData("loss_JP", "'loss_JP' is a column of runs.csv")]
    [InlineData("peak_price_dy_oxide", "'peak_price_dy_oxide' is a column of runs.csv")]
    [InlineData("shortage_days_US", "'shortage_days_US' is a column of runs.csv")]
    public void Parameter_names_follow_the_id_rules_and_name_no_output_column(string name, string message)
    {
        // runs.csv neutralised a header cell such as '=p ('=p) and the report then lost the parameter; a parameter named like a
        // metric column gave runs.csv two such columns (and crashed the Parquet writer).
        var r = Load($"""
            name: t
            scenario: SCENARIO
            parameters:
              - name: {name}
                path: demand.elasticity
                values: [0.1, 0.2]
            """);
        var e = Assert.Single(r.Errors);
        Assert.Equal(("exp.yaml", 4, "parameters[0].name"), (e.File, e.Line, e.Field));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("days", "'days' is the horizon")]
    [InlineData("seed", "'seed': a batch derives each run's seed")]
    public void A_parameter_on_the_horizon_or_the_seed_is_refused(string path, string expected)
    {
        // A review (Dec 2026): accepted, then every run used the first variant's days and the derived seed, and runs.csv
        // labelled them with values they did not use.
        var body = $$"""
            name: t
            scenario: SCENARIO
            parameters:
              - {name: p, path: {{path}}, values: [60, 90]}
            """;
        var r = Quick(body);
        Assert.Null(r.Plan);
        Assert.Contains(expected, Errors(r));
    }

    [Fact]
    public void Two_parameters_on_one_path_are_refused()
    {
        // A review (Dec 2026): the last one set won, so the runs labelled a=30 and a=90 were the same run.
        var body = """
            name: t
            scenario: SCENARIO
            parameters:
              - {name: a, path: demand.elasticity, values: [0.1, 0.2]}
              - {name: b, path: demand.elasticity, values: [0.3, 0.4]}
            """;
        var r = Quick(body);
        Assert.Null(r.Plan);
        Assert.Contains("'demand.elasticity' is already varied by parameter 'a'", Errors(r));
    }

    [Fact]
    public void A_case_that_renames_a_country_is_refused_as_runs_csv_could_not_hold_it()
    {
        // A review (Dec 2026): runs.csv's columns come from the first variant's countries and commodities; a case that renamed
        // Myanmar put its loss under another country's header (the rows were as wide, the ids sorted otherwise).
        var body = """
            name: t
            scenario: SCENARIO
            parameters:
              - {name: mm_id, path: "countries[MM].id"}
              - {name: mine_country, path: "producers[mm-mine-hree].country"}
            cases:
              - {name: a, set: {mm_id: MM, mine_country: MM}}
              - {name: b, set: {mm_id: ZZ, mine_country: ZZ}}
            """;
        var r = Quick(body);
        Assert.Null(r.Plan);
        Assert.Contains("variant 2 (case 'b') has other countries or commodities than variant 1", Errors(r));
    }

    [Fact]
    public void A_grid_too_large_is_refused_before_the_next_parameters_values_are_made()
    {
        // A review (Dec 2026): every parameter's values were made before the size check, so 100 parameters of a million
        // values each were 10⁸ strings, gigabytes, before "too many variants". Now the grid is refused at the parameter that
        // makes it too large.
        var body = "name: t\nscenario: SCENARIO\nparameters:\n" + string.Concat(Enumerable.Range(0, 100).Select(i =>
            $"  - {{name: p{i}, path: demand.elasticity, range: {{from: 0, to: 1, count: 1000000}}}}\n"));
        var r = Quick(body);
        Assert.Null(r.Plan);
        var e = Assert.Single(r.Errors);
        Assert.Equal("parameters[p0]", e.Field);
        Assert.Contains("too many to run in one batch", e.Message);
    }
}
