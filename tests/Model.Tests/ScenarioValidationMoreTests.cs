using MarketSim.Model.Scenario;

namespace MarketSim.Model.Tests;

/// <summary>More located errors: an unknown initial origin, inverted price bounds, a segment defined twice.</summary>
public class ScenarioValidationMoreTests
{
    static ScenarioError One(string yaml, string field)
    {
        var r = ScenarioLoader.LoadText(yaml, "test.yaml");
        Assert.Null(r.Spec);
        var e = Assert.Single(r.Errors, x => x.Field == field);
        return e;
    }

    [Fact]
    public void An_unknown_initial_origin_is_reported_at_its_own_line()
    {
        var e = One(ScenarioYaml.With(16, "    initial_origin: CN", "    initial_origin: ZZ"), "commodities[0].initial_origin");
        Assert.Equal(16, e.Line);
        Assert.Contains("unknown country 'ZZ'", e.Message);
    }

    [Fact]
    public void A_minimum_price_factor_above_the_maximum_is_refused()
    {
        var e = One(ScenarioYaml.With(16, "    initial_origin: CN", "    initial_origin: CN\n    min_price_factor: 5\n    max_price_factor: 2"), "commodities[0].min_price_factor");
        Assert.Equal(17, e.Line);
        Assert.Contains("must not exceed max_price_factor", e.Message);
    }
}

public class PolicyIdClashTests
{
    [Fact]
    public void A_policy_may_not_take_a_country_id()
    {
        var yaml = ScenarioYaml.Valid.Replace("\npolicies:\n", "\npolicies:\n  - {id: JP, type: tariff, importer: JP, commodities: [ore], rate: 0.1, start: 0}\n");
        var r = ScenarioLoader.LoadText(yaml, "test.yaml");
        Assert.Null(r.Spec);
        Assert.Contains(r.Errors, e => e.Field.EndsWith(".id") && e.Message.Contains("already the id of a country"));
    }
}

/// <summary>Input–output multipliers: one per sector the country has, at least 1, with their source.</summary>
public class IoMultiplierValidationTests
{
    const string Jp = "  - id: JP\n    gdp: 1.0e12\n";
    static ScenarioLoadResult Load(string fields) => ScenarioLoader.LoadText(ScenarioYaml.Valid.Replace(Jp, Jp + fields), "test.yaml");

    [Fact]
    public void A_multiplier_with_its_source_is_read()
    {
        var r = Load("    io_multipliers: {automotive: 2.4}\n    io_source: national table 2020\n");
        Assert.Empty(r.Errors);
        Assert.Equal(2.4, r.Spec!.Country("JP").IoMultipliers["automotive"]);
        Assert.Equal("national table 2020", r.Spec.Country("JP").IoSource);
    }

    [Theory]
    [InlineData("    io_multipliers: {automotive: 2.4}\n", "countries[1].io_source", "required", 9)] // at the country
    [InlineData("    io_multipliers: {automotive: 0.5}\n    io_source: x\n", "countries[1].io_multipliers.automotive", "at least 1", 11)]
    [InlineData("    io_multipliers: {automotive: 40}\n    io_source: x\n", "countries[1].io_multipliers.automotive", "at most 10", 11)]
    [InlineData("    io_multipliers: {mining: 2}\n    io_source: x\n", "countries[1].io_multipliers.mining", "no producer or manufacturer in sector 'mining'", 11)]
    public void A_bad_multiplier_is_refused_where_it_is_written(string fields, string field, string message, int line)
    {
        var r = Load(fields);
        Assert.Null(r.Spec);
        var e = Assert.Single(r.Errors);
        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Message);
        Assert.Equal(line, e.Line);
    }
}

/// <summary>A file that is not YAML says what to fix in the user's words, not the parser library's.</summary>
public class MalformedYamlMessageTests
{
    [Fact]
    public void An_unclosed_bracket_says_so_without_a_dotnet_message_or_an_empty_field()
    {
        var r = ScenarioLoader.LoadText("a: [1, 2\nb: 3\n", "bad.yaml");
        var e = Assert.Single(r.Errors);
        Assert.Contains("'[' or a mapping '{' opened before here is not closed", e.Message);
        Assert.DoesNotContain("Operation is not valid", e.Message);
        Assert.StartsWith("bad.yaml:1:", e.ToString());
        Assert.DoesNotContain(": : ", e.ToString());
    }

    [Fact]
    public void A_field_error_keeps_its_field_in_the_printed_form()
    {
        var e = new ScenarioError("f.yaml", 3, 5, "days", "must be at least 1");
        Assert.Equal("f.yaml:3:5: days: must be at least 1", e.ToString());
    }
}
