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
