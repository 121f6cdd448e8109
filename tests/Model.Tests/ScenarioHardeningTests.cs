using MarketSim.Experiments;

namespace MarketSim.Model.Tests;

/// <summary>
/// Files that used to validate and then crash, wedge or poison a run: each is now refused with a located error on the
/// offending node (line numbers refer to <see cref="ScenarioYaml.Valid"/>).
/// </summary>
public class ScenarioHardeningTests
{
    static ScenarioError One(string yaml, string field, string fragment)
    {
        var r = ScenarioLoader.LoadText(yaml, "t.yaml");
        Assert.Null(r.Spec);
        var matching = r.Errors.Where(e => e.Field == field).ToList();
        Assert.True(matching.Count == 1, $"expected one error on '{field}', got: {string.Join(" | ", r.Errors)}");
        Assert.Contains(fragment, matching[0].Message);
        Assert.True(matching[0].Line > 0);
        return matching[0];
    }

    [Fact]
    public void An_input_needed_below_the_markets_smallest_quantity_is_refused()
    {
        // 1e-12 t per unit × 10 units a day: bids that small are rounded away, so the firm never bought it and lost all its output
        // with no shortage day reported.
        One(ScenarioYaml.With(41, "    inputs: {oxide: 0.1}", "    inputs: {oxide: 1e-12}"), "manufacturers[0].inputs.oxide",
            "1e-12 × planned_output 10 = 1e-11 a day is below the smallest quantity the market trades");
        One(ScenarioYaml.With(33, "    inputs: {ore: 5}", "    inputs: {ore: 1e-9}"), "producers[1].inputs.ore", "× capacity 2 = 2e-09 a day");
        // The check is per firm: a group's need split into firms' shares must stay above it too.
        One(ScenarioYaml.With(41, "    inputs: {oxide: 0.1}", "    inputs: {oxide: 1.5e-7}"), "manufacturers[0].firms[0].share", "is below the smallest quantity");
        // A small need the market can still trade is fine.
        Assert.NotNull(ScenarioLoader.LoadText(ScenarioYaml.With(41, "    inputs: {oxide: 0.1}", "    inputs: {oxide: 1e-6}"), "t.yaml").Spec);
    }

    [Fact]
    public void A_producer_may_not_take_a_country_id()
    {
        var e = One(ScenarioYaml.With(23, "  - id: cn-mine", "  - id: JP"), "producers[0].id", "already the id of a country (line 9)");
        Assert.Equal(23, e.Line);
    }

    [Fact]
    public void Two_firms_of_one_group_may_not_share_an_id()
    {
        var e = One(ScenarioYaml.With(44, "      - {id: b, share: 0.5, cover_days: 10}", "      - {id: a, share: 0.5, cover_days: 10}"),
            "manufacturers[0].firms[1].id", "firm id 'jp-auto/a' (group/firm) is used more than once");
        Assert.Equal(44, e.Line);
    }

    [Fact]
    public void An_expanded_firm_id_may_not_repeat_a_producer_id() =>
        One(ScenarioYaml.With(23, "  - id: cn-mine", "  - id: jp-auto/a"), "manufacturers[0].firms[0].id", "already the id of a producer");

    [Fact]
    public void A_manufacturer_group_may_not_take_a_country_id() =>
        One(ScenarioYaml.With(35, "  - id: jp-auto", "  - id: US"), "manufacturers[0].id", "already the id of a country");

    [Fact]
    public void Ids_are_compared_after_trimming() =>
        One(ScenarioYaml.With(23, "  - id: cn-mine", "  - id: ' JP'"), "producers[0].id", "already the id of a country");

    [Fact]
    public void A_policy_may_not_take_a_firm_id()
    {
        var yaml = ScenarioYaml.Valid.Replace("\npolicies:\n", "\npolicies:\n  - {id: jp-auto/b, type: tariff, importer: JP, commodities: [ore], rate: 0.1, start: 0}\n");
        One(yaml, "policies[0].id", "already the id of a manufacturer firm");
    }

    [Theory]
    [InlineData("\"C\\nN\"", "U+000A")]
    [InlineData("\"C\\tN\"", "U+0009")]
    [InlineData("\"C\\u0000N\"", "U+0000")]
    [InlineData("\"C\\u202EN\"", "U+202E")]
    [InlineData("\"C\\u2028N\"", "U+2028")]
    public void Ids_with_control_characters_are_refused(string quoted, string code) =>
        One(ScenarioYaml.With(11, "  - id: US", "  - id: " + quoted), "countries[2].id", code);

    [Theory]
    [InlineData("'=1+1'")]
    [InlineData("'+HYPERLINK(1)'")]
    [InlineData("'-2+3'")]
    [InlineData("'@SUM(A1)'")]
    public void Ids_that_a_spreadsheet_reads_as_formulas_are_refused(string quoted) =>
        One(ScenarioYaml.With(23, "  - id: cn-mine", "  - id: " + quoted), "producers[0].id", "spreadsheets read such a cell as a formula");

    [Theory]
    [InlineData("'U|S'", "must not contain '|'")]
    [InlineData("'840'", "must not be digits alone")]
    [InlineData("'U>S'", "must not contain '>'")]
    public void Country_ids_that_licence_keys_could_not_be_read_back_with_are_refused(string quoted, string fragment) =>
        One(ScenarioYaml.With(11, "  - id: US", "  - id: " + quoted), "countries[2].id", fragment);

    [Fact]
    public void Very_long_ids_are_refused() =>
        One(ScenarioYaml.With(11, "  - id: US", "  - id: " + new string('U', 101)), "countries[2].id", "at most 100 characters");

    [Fact]
    public void The_horizon_must_end_within_the_calendar()
    {
        var e = One(ScenarioYaml.With(2, "start_date: 2025-01-01", "start_date: 9999-12-20"), "days", "ends after 9999-12-31");
        Assert.Contains("at most 11 days", e.Message);
        var late = ScenarioLoader.LoadText(ScenarioYaml.With(2, "start_date: 2025-01-01", "start_date: 9999-09-01"), "t.yaml"); // ends 9999-12-10
        Assert.True(late.Ok, string.Join("\n", late.Errors));
    }

    [Theory]
    [InlineData(37, "    sector: automotive", "manufacturers[0].sector")]
    [InlineData(1, "name: test", "name")]
    [InlineData(4, "currency: USD", "currency")]
    [InlineData(11, "  - id: US", "countries[2].name")]
    [InlineData(23, "  - id: cn-mine", "producers[0].sector")]
    [InlineData(14, "  - id: ore", "commodities[0].unit")]
    public void Free_text_longer_than_200_characters_is_refused(int line, string old, string field)
    {
        // A 1.9 MB sector reused through YAML aliases in 10 manufacturers made a 3-day run write 218 MB.
        var key = field[(field.LastIndexOf('.') + 1)..];
        var text = new string('x', 201);
        // A list item gets the field on a line of its own; any other line is replaced.
        var yaml = ScenarioYaml.With(line, old, old.StartsWith("  - id:") ? $"{old}\n    {key}: {text}" : $"{old.Split(':')[0]}: {text}");
        One(yaml, field, "must be at most 200 characters long, got 201");
    }

    [Theory]
    [InlineData("\"auto\\nmotive\"", "U+000A")]
    [InlineData("\"auto\\u202Emotive\"", "U+202E")]
    [InlineData("\"auto\\u200Bmotive\"", "U+200B")]
    public void Free_text_with_control_characters_is_refused(string quoted, string code)
    {
        var e = One(ScenarioYaml.With(37, "    sector: automotive", "    sector: " + quoted), "manufacturers[0].sector", code);
        Assert.Equal(37, e.Line);
    }

    [Fact]
    public void A_description_may_hold_line_breaks_but_not_be_endless()
    {
        var ok = ScenarioLoader.LoadText(ScenarioYaml.With(1, "name: test", "name: test\ndescription: \"two\\nlines\""), "t.yaml");
        Assert.True(ok.Ok, string.Join("\n", ok.Errors));
        One(ScenarioYaml.With(1, "name: test", "name: test\ndescription: " + new string('x', 4001)), "description", "at most 4000 characters");
    }

    [Fact]
    public void Days_are_bounded() =>
        One(ScenarioYaml.With(3, "days: 100", "days: 5000000"), "days", "at most 36500");

    [Fact]
    public void Fields_in_days_are_bounded() =>
        One(ScenarioYaml.Valid.Replace("    lead_time_days: 30\n", "    lead_time_days: 2147483000\n"), "policies[2].lead_time_days", "at most 36500");

    [Fact]
    public void Applications_above_the_bound_are_refused_not_cut_to_it() =>
        // Before Dec 2026 the reader cut 5000 to 1000 without a word.
        One(ScenarioYaml.Valid.Replace("    delay_max_days: 10\n", "    delay_max_days: 10\n    applications: 5000\n"),
            "policies[3].applications", "must be at most 1000, got 5000");

    [Fact]
    public void Capacity_of_1e308_is_refused() =>
        One(ScenarioYaml.With(26, "    capacity: 10", "    capacity: 1e308"), "producers[0].capacity", "at most 1e15");

    [Fact]
    public void Bill_of_materials_ratios_are_bounded() =>
        One(ScenarioYaml.Valid.Replace("inputs: {ore: 5}", "inputs: {ore: 1e300}"), "producers[1].inputs.ore", "at most 1e15");

    [Fact]
    public void Gdp_zero_is_refused() =>
        One(ScenarioYaml.With(8, "    gdp: 1.0e12", "    gdp: 0"), "countries[0].gdp", "at least 1");

    [Fact]
    public void A_tiny_gdp_is_refused()
    {
        // Losses are shares of gdp: 1e-300 wrote Infinity and NaN into losses.csv, summary.csv, runs.csv and the report.
        var e = One(ScenarioYaml.With(8, "    gdp: 1.0e12", "    gdp: 1e-300"), "countries[0].gdp", "must be at least 1, got 1e-300");
        Assert.Equal(8, e.Line);
    }

    [Fact]
    public void Gdp_above_the_bound_is_refused() =>
        One(ScenarioYaml.With(8, "    gdp: 1.0e12", "    gdp: 1e300"), "countries[0].gdp", "at most 1e15");

    [Fact]
    public void A_negative_value_still_gets_the_old_message() =>
        One(ScenarioYaml.With(26, "    capacity: 10", "    capacity: -5"), "producers[0].capacity", "must be at least 0, got -5");

    [Fact]
    public void Experiment_case_names_and_values_with_line_breaks_are_refused()
    {
        var scenario = Paths.Scenario("japan-cutoff-3m.yaml").Replace('\\', '/');
        var r = ExperimentLoader.LoadText($$"""
            name: t
            scenario: {{scenario}}
            parameters:
              - name: desc
                path: description
                values: ["a\nb", c]
              - name: end
                path: policies[cn-cutoff-jp].end
            cases:
              - name: "one\rtwo"
                set: {end: 30}
              - name: two
                set: {end: "4\t0"}
            """, "exp.yaml", Paths.RepoRoot);
        Assert.Contains(r.Errors, e => e.Line == 6 && e.Field == "parameters[0].values" && e.Message.Contains("U+000A"));
        Assert.Contains(r.Errors, e => e.Line == 10 && e.Field == "cases[0].name" && e.Message.Contains("U+000D"));
        Assert.Contains(r.Errors, e => e.Line == 13 && e.Field == "cases[1].set.end" && e.Message.Contains("U+0009"));
    }

    [Fact]
    public void An_experiment_horizon_is_bounded()
    {
        var scenario = Paths.Scenario("japan-cutoff-3m.yaml").Replace('\\', '/');
        var r = ExperimentLoader.LoadText($"name: t\nscenario: {scenario}\nhorizon: 5000000\n", "exp.yaml", Paths.RepoRoot);
        Assert.Contains(r.Errors, e => e.Field == "horizon" && e.Message.Contains("at most 36500") && e.Line == 3);
    }
}
