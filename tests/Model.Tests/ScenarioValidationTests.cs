namespace MarketSim.Model.Tests;

/// <summary>
/// One mistake per test, injected into a small valid scenario: the loader must name the line of the offending node, the field's
/// path and what is wrong, and must return no scenario.
/// </summary>
public class ScenarioValidationTests
{
    static IReadOnlyList<ScenarioError> Errors(string yaml)
    {
        var r = ScenarioLoader.LoadText(yaml, "test.yaml");
        Assert.Null(r.Spec);
        Assert.False(r.Ok);
        Assert.NotEmpty(r.Errors);
        Assert.All(r.Errors, e => Assert.Equal("test.yaml", e.File));
        return r.Errors;
    }

    /// <summary>The one error on this field; fails if there is none or more than one.</summary>
    static ScenarioError Single(IReadOnlyList<ScenarioError> errors, string field)
    {
        var matching = errors.Where(e => e.Field == field).ToList();
        Assert.True(matching.Count == 1, $"expected one error on '{field}', got: {string.Join(" | ", errors)}");
        return matching[0];
    }

    static void AssertError(string yaml, int line, string field, string fragment)
    {
        var e = Single(Errors(yaml), field);
        Assert.Equal(line, e.Line);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void The_base_scenario_is_valid()
    {
        var r = ScenarioLoader.LoadText(ScenarioYaml.Valid, "test.yaml");
        Assert.Empty(r.Errors);
        Assert.NotNull(r.Spec);
        Assert.Equal(2, r.Spec!.Manufacturers.Count); // one per firm
        Assert.Equal(4, r.Spec.Policies.Count);
    }

    [Fact]
    public void Unclosed_bracket_is_malformed_yaml_at_its_line()
    {
        var e = Assert.Single(Errors(ScenarioYaml.With(49, "    commodities: [oxide]", "    commodities: [oxide")));
        Assert.Contains("malformed YAML", e.Message);
        Assert.Equal("", e.Field);
        Assert.Equal(49, e.Line);
    }

    [Fact]
    public void Unclosed_quote_is_malformed_yaml_at_its_line()
    {
        var e = Assert.Single(Errors(ScenarioYaml.With(1, "name: test", "name: \"test")));
        Assert.Contains("malformed YAML", e.Message);
        Assert.Equal("", e.Field);
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void Bad_indentation_is_malformed_yaml_at_its_line()
    {
        var errors = Errors(ScenarioYaml.With(26, "    capacity: 10", "      capacity: 10"));
        var e = Assert.Single(errors);
        Assert.Contains("malformed YAML", e.Message);
        Assert.Equal(26, e.Line);
    }

    [Fact]
    public void Unknown_country_in_a_producer() =>
        AssertError(ScenarioYaml.With(29, "    country: CN", "    country: XX"), 29, "producers[1].country", "unknown country 'XX'");

    [Fact]
    public void Negative_capacity() =>
        AssertError(ScenarioYaml.With(26, "    capacity: 10", "    capacity: -5"), 26, "producers[0].capacity", "at least 0");

    [Fact]
    public void Policy_naming_a_commodity_that_does_not_exist() =>
        AssertError(ScenarioYaml.With(49, "    commodities: [oxide]", "    commodities: [oxide, unobtainium]"), 49, "policies[0].commodities", "unknown commodity 'unobtainium'");

    [Fact]
    public void Unknown_commodity_group() =>
        AssertError(ScenarioYaml.With(49, "    commodities: [oxide]", "    commodities: [group:magnets]"), 49, "policies[0].commodities", "unknown commodity group 'magnets'");

    [Fact]
    public void A_known_group_expands_to_its_commodities()
    {
        var r = ScenarioLoader.LoadText(ScenarioYaml.With(49, "    commodities: [oxide]", "    commodities: [group:rare_earths]"), "test.yaml");
        Assert.True(r.Ok, string.Join(" | ", r.Errors));
        var ban = Assert.IsType<ExportControl>(r.Spec!.Policies[0]);
        Assert.Equal(["ore", "oxide"], ban.Commodities.Order());
    }

    [Fact]
    public void Tick_outside_the_horizon() =>
        AssertError(ScenarioYaml.With(51, "    end: 40", "    end: 400"), 51, "policies[0].end", "outside the horizon 0..100");

    // A licence's refused carry-over (Dec 2026): a share, 0 to 1.
    [Fact]
    public void Refused_carryover_above_one_is_refused() =>
        AssertError(ScenarioYaml.With(70, "    approval_rate: 0.5", "    approval_rate: 0.5\n    refused_carryover: 1.5"), 71,
            "policies[3].refused_carryover", "must be between 0 and 1, got 1.5");

    // An export control's announcement (Dec 2026): on or before its start, a day or a real date, within the spin-up's bound.
    [Fact]
    public void Announcement_after_the_start_is_refused() =>
        AssertError(ScenarioYaml.With(50, "    start: 10", "    start: 10\n    announced: 2025-01-13"), 51, "policies[0].announced",
            "tick 12 is after the start, tick 10: a control is announced on or before the day it comes into force");

    [Fact]
    public void Announcement_on_no_real_date_is_refused() =>
        AssertError(ScenarioYaml.With(50, "    start: 10", "    start: 10\n    announced: 2025-02-30"), 51, "policies[0].announced",
            "must be a day number or a date yyyy-MM-dd, got '2025-02-30'");

    [Fact]
    public void Announcement_more_than_three_years_before_the_start_date_is_refused() =>
        AssertError(ScenarioYaml.With(50, "    start: 10", "    start: 10\n    announced: 2021-12-31"), 51, "policies[0].announced",
            "more than 1096 days (3 years) before start_date");

    [Fact]
    public void Announcement_before_the_start_date_is_read_and_lengthens_the_spin_up()
    {
        var r = ScenarioLoader.LoadText(ScenarioYaml.With(50, "    start: 10", "    start: 10\n    announced: 2024-12-01"), "test.yaml");
        Assert.True(r.Ok, string.Join(" | ", r.Errors));
        Assert.Equal(-31, ((ExportControl)r.Spec!.Policies[0]).Announced);
        Assert.Equal(10, r.Spec.Policies[0].Start);
        Assert.Equal(31, r.Spec.SpinUpDays);
        // Its located error reads as the CLI prints it.
        var e = Single(Errors(ScenarioYaml.With(50, "    start: 10", "    start: 10\n    announced: 11")), "policies[0].announced");
        Assert.StartsWith("test.yaml:51:", e.ToString());
    }

    // Before Dec 2026 any start before the start date was refused; now it is a spin-up (SpinUpTests), bounded at three years.
    [Fact]
    public void Date_more_than_three_years_before_the_start_date_is_refused() =>
        AssertError(ScenarioYaml.With(50, "    start: 10", "    start: 2021-12-31"), 50, "policies[0].start", "more than 1096 days (3 years) before start_date");

    [Fact]
    public void Date_before_the_start_date_is_a_spin_up()
    {
        var r = ScenarioLoader.LoadText(ScenarioYaml.With(50, "    start: 10", "    start: 2024-12-01"), "test.yaml");
        Assert.True(r.Ok, string.Join(" | ", r.Errors));
        Assert.Equal(-31, r.Spec!.Policies[0].Start);
        Assert.Equal(31, r.Spec.SpinUpDays);
        Assert.Equal(0, ScenarioLoader.LoadText(ScenarioYaml.Valid, "test.yaml").Spec!.SpinUpDays);
    }

    [Fact]
    public void End_before_start() =>
        AssertError(ScenarioYaml.With(51, "    end: 40", "    end: 5"), 51, "policies[0].end", "must come after start (10)");

    [Fact]
    public void Unknown_field_is_reported_as_a_typo()
    {
        var errors = Errors(ScenarioYaml.With(27, "    unit_cost: 50", "    unit_cots: 50"));
        var typo = Single(errors, "producers[0].unit_cots");
        Assert.Equal(27, typo.Line);
        Assert.Contains("not a known field", typo.Message);
        // The field it was meant to be is then missing; that is reported at the producer's mapping.
        var missing = Single(errors, "producers[0].unit_cost");
        Assert.Equal(23, missing.Line);
        Assert.Contains("is required", missing.Message);
    }

    [Fact]
    public void Number_given_as_text() =>
        AssertError(ScenarioYaml.With(31, "    capacity: 2", "    capacity: two"), 31, "producers[1].capacity", "must be a number, got 'two'");

    [Fact]
    public void Firm_shares_not_adding_to_one() =>
        // Reported at the firms list, which starts on the line of its first item.
        AssertError(ScenarioYaml.With(44, "      - {id: b, share: 0.5, cover_days: 10}", "      - {id: b, share: 0.4, cover_days: 10}"),
            43, "manufacturers[0].firms", "add up to 0.9");

    [Fact]
    public void Duplicate_country_id() =>
        AssertError(ScenarioYaml.With(11, "  - id: US", "  - id: JP"), 11, "countries[2].id", "country 'JP' is defined twice");

    [Fact]
    public void Ids_that_differ_only_in_letter_case_are_refused() =>
        // "jp" beside "JP" was a second country (a hardening review, Dec 2026); a producer named "CN-mine" beside "cn-mine" too.
        AssertError(ScenarioYaml.With(11, "  - id: US", "  - id: jp"), 11, "countries[2].id", "differs from 'JP', the id of a country (line ");

    [Fact]
    public void Duplicate_commodity_id() =>
        AssertError(ScenarioYaml.With(18, "  - id: oxide", "  - id: ore"), 18, "commodities[1].id", "commodity 'ore' is defined twice");

    [Fact]
    public void Duplicate_producer_id_is_reported_at_the_second_id() =>
        AssertError(ScenarioYaml.With(28, "  - id: cn-sep", "  - id: cn-mine"), 28, "producers[1].id", "'cn-mine' is used more than once");

    [Fact]
    public void Duplicate_producer_id_is_reported()
    {
        var errors = Errors(ScenarioYaml.With(28, "  - id: cn-sep", "  - id: cn-mine"));
        Assert.Contains(errors, e => e.Message.Contains("'cn-mine' is used more than once"));
    }

    [Fact]
    public void Unknown_policy_type() =>
        AssertError(ScenarioYaml.With(47, "    type: export_control", "    type: embargo"), 47, "policies[0].type", "unknown policy type 'embargo'");

    [Fact]
    public void Approval_rate_above_one() =>
        AssertError(ScenarioYaml.With(70, "    approval_rate: 0.5", "    approval_rate: 1.5"), 70, "policies[3].approval_rate", "between 0 and 1");

    [Fact]
    public void Value_added_above_output_value() =>
        AssertError(ScenarioYaml.With(40, "    value_added: 300", "    value_added: 3000"), 40, "manufacturers[0].value_added", "cannot exceed output value");

    [Fact]
    public void Value_added_that_counts_the_inputs_too() =>
        // Output 1,000 a unit with 0.1 t of oxide at 1,000 a tonne: at most 900 is the maker's own value added.
        AssertError(ScenarioYaml.With(40, "    value_added: 300", "    value_added: 950"), 40, "manufacturers[0].value_added",
            "cannot exceed output value per unit (1000) less its inputs at reference prices (100)");

    [Fact]
    public void Missing_required_top_level_field() =>
        // A missing field has no node of its own: it is reported at the mapping that should hold it (the root, line 1).
        AssertError(ScenarioYaml.Without(4, "currency: USD"), 1, "currency", "is required");

    [Fact]
    public void Missing_required_field_in_a_list_item() =>
        AssertError(ScenarioYaml.Without(55, "    commodity: oxide"), 52, "policies[1].commodity", "is required");

    [Fact]
    public void Capacity_project_for_an_unknown_producer() =>
        AssertError(ScenarioYaml.With(61, "    producer: cn-sep", "    producer: us-sep"), 61, "policies[2].producer", "unknown producer 'us-sep'");

    [Fact]
    public void Several_mistakes_in_one_file_are_all_reported_in_line_order()
    {
        var yaml = ScenarioYaml.Valid
            .Replace("    country: CN\n    output: oxide", "    country: XX\n    output: oxide") // line 29
            .Replace("    value_added: 300", "    value_added: 3000")                       // line 40
            .Replace("    approval_rate: 0.5", "    approval_rate: 7");                       // line 70
        var errors = Errors(yaml);
        Assert.Equal(29, Single(errors, "producers[1].country").Line);
        Assert.Equal(40, Single(errors, "manufacturers[0].value_added").Line);
        Assert.Equal(70, Single(errors, "policies[3].approval_rate").Line);
        Assert.Equal(3, errors.Count);
        Assert.Equal(errors.Select(e => e.Line).Order(), errors.Select(e => e.Line));
    }

    [Fact]
    public void Error_text_names_file_line_column_and_field()
    {
        var e = Single(Errors(ScenarioYaml.With(26, "    capacity: 10", "    capacity: -5")), "producers[0].capacity");
        Assert.Equal(15, e.Column); // "    capacity: -5": the value starts in column 15
        Assert.StartsWith("test.yaml:26:15: producers[0].capacity: ", e.ToString());
    }

    [Theory]
    [InlineData("0", "must be at least 1, got 0")]
    [InlineData("366", "must be at most 365, got 366")]
    [InlineData("7.5", "must be a whole number, got '7.5'")]
    public void A_price_window_outside_whole_days_from_1_to_365_is_refused(string value, string fragment) =>
        AssertError(ScenarioYaml.With(19, "    reference_price: 1000", $"    reference_price: 1000\n    price_window_days: {value}"), 20,
            "commodities[1].price_window_days", fragment);

    public static TheoryData<string> ShippedScenarios() =>
        new(Directory.GetFiles(Path.Combine(Paths.RepoRoot, "scenarios"), "*.yaml").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(ShippedScenarios))]
    public void Every_shipped_scenario_loads_without_errors(string file)
    {
        var r = ScenarioLoader.LoadFile(Path.Combine(Paths.RepoRoot, "scenarios", file));
        Assert.True(r.Ok, string.Join(Environment.NewLine, r.Errors));
        Assert.NotEmpty(r.Spec!.Producers);
        Assert.NotEmpty(r.Spec.Manufacturers);
    }

    [Fact]
    public void There_are_shipped_scenarios() => Assert.True(ShippedScenarios().Count >= 3);
}
