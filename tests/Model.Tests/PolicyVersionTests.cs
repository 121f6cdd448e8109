using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Tests;

/// <summary>
/// A live edit of a started policy keeps the days it ran as an earlier version under the same id, so the timeline (and a
/// scenario file exported from it) replays the session exactly.
/// </summary>
public class PolicyVersionTests
{
    static readonly ScenarioSpec World = ScenarioLoader.LoadText(ScenarioYaml.Valid, "test.yaml").Spec!;

    static Tariff Tariff(double rate, int start = 0) =>
        new() { Id = "t", Start = start, Importer = "JP", Commodities = ["ore"], Rate = rate };

    [Fact]
    public void Editing_a_started_policy_ends_the_old_version_and_starts_the_new_one_from_the_next_tick()
    {
        var timeline = new List<PolicySpec> { Tariff(0.1) };
        PolicyTimeline.Apply(timeline, new PolicyChange(Tariff(0.3), null), 10);
        Assert.Equal([(0, (int?)10, 0.1), (10, null, 0.3)], timeline.Cast<Tariff>().Select(t => (t.Start, t.End, t.Rate)));
        // A later removal ends the version in force, not the history.
        PolicyTimeline.Apply(timeline, new PolicyChange(null, "t"), 20);
        Assert.Equal([(0, (int?)10), (10, (int?)20)], timeline.Select(t => (t.Start, t.End)));
    }

    [Fact]
    public void A_policy_that_has_not_started_is_replaced_outright()
    {
        var timeline = new List<PolicySpec> { Tariff(0.1, start: 30) };
        PolicyTimeline.Apply(timeline, new PolicyChange(Tariff(0.3, start: 30), null), 10);
        Assert.Equal(0.3, Assert.IsType<Tariff>(Assert.Single(timeline)).Rate);
    }

    [Fact]
    public void A_stockpile_version_must_keep_its_country_and_commodity()
    {
        var sp = new Stockpile { Id = "s", Start = 0, Country = "JP", Commodity = "ore", Size = 10, Initial = 5, MaxReleasePerDay = 1 };
        var e = Assert.Throws<ArgumentException>(() =>
            PolicyTimeline.Validate(World, [sp], new PolicyChange(sp with { Commodity = "oxide" }, null), 10));
        Assert.Contains("holds ore for JP", e.Message);
        PolicyTimeline.Validate(World, [sp], new PolicyChange(sp with { MaxReleasePerDay = 2 }, null), 10);
    }

    [Fact]
    public void A_file_may_repeat_an_id_only_as_later_versions_of_the_same_policy()
    {
        string With(string policies) => ScenarioYaml.Valid.Replace("\npolicies:\n", "\npolicies:\n" + policies);
        var ok = ScenarioLoader.LoadText(With(
            "  - {id: t, type: tariff, importer: JP, commodities: [ore], rate: 0.1, start: 0, end: 10}\n" +
            "  - {id: t, type: tariff, importer: JP, commodities: [ore], rate: 0.3, start: 10}\n"), "test.yaml");
        Assert.True(ok.Ok, string.Join("\n", ok.Errors));
        Assert.Equal(2, ok.Spec!.Policies.Count(p => p.Id == "t"));

        var overlapping = ScenarioLoader.LoadText(With(
            "  - {id: t, type: tariff, importer: JP, commodities: [ore], rate: 0.1, start: 0, end: 20}\n" +
            "  - {id: t, type: tariff, importer: JP, commodities: [ore], rate: 0.3, start: 10}\n"), "test.yaml");
        var error = Assert.Single(overlapping.Errors, e => e.Message.Contains("used more than once"));
        Assert.EndsWith(".id", error.Field);

        var otherType = ScenarioLoader.LoadText(With(
            "  - {id: t, type: tariff, importer: JP, commodities: [ore], rate: 0.1, start: 0, end: 10}\n" +
            "  - {id: t, type: export_control, exporter: CN, commodities: [ore], start: 10}\n"), "test.yaml");
        Assert.Contains(otherType.Errors, e => e.Message.Contains("used more than once"));
    }
}
