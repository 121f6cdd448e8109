using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Tests;

/// <summary>
/// One set of policy rules (issue 11): <see cref="PolicyRules"/> is what the loader applies to a file's policies and the
/// dashboard's hubs to a live one. Every shipped scenario's policies pass it in full (as the hubs check them), and a file
/// that breaks a rule only it checks is refused with its message, located.
/// </summary>
public class PolicyRulesTests
{
    static ScenarioSpec World => ScenarioLoader.LoadText(ScenarioYaml.Valid).Spec!;

    public static TheoryData<string> Shipped()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(Paths.RepoRoot, "scenarios"), "*.yaml").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory, MemberData(nameof(Shipped))]
    public void Every_shipped_scenarios_policies_pass_the_rules_the_hubs_apply(string file)
    {
        var world = ScenarioLoader.LoadOrThrow(Paths.Scenario(file));
        // The one difference: a file's policies may start before day 0 (a spin-up); a live change may not.
        var context = PolicyContext.For(world) with { FirstTick = world.FirstTick };
        Assert.All(world.Policies, p => Assert.Empty(PolicyRules.Check(p, context)));
        Assert.Equal(0, PolicyContext.For(world).FirstTick);
    }

    public static TheoryData<PolicySpec, string, string> Broken() => new()
    {
        { new Tariff { Id = "t", Start = 0, Importer = "JP", Commodities = ["oxide"], Rate = double.NaN }, "rate", "NaN is not a finite number" },
        { new Tariff { Id = "t", Start = 0, Importer = "JP", Commodities = ["oxide"], Rate = 1e308 }, "rate", "1E+308 is above 100" },
        { new Tariff { Id = "=1+1", Start = 0, Importer = "JP", Commodities = ["oxide"], Rate = 0.1 }, "id", "must not start with '='" },
        { new Tariff { Id = "a\nb", Start = 0, Importer = "JP", Commodities = ["oxide"], Rate = 0.1 }, "id", "must not contain control characters" },
        { new Tariff { Id = "cn-mine", Start = 0, Importer = "JP", Commodities = ["oxide"], Rate = 0.1 }, "id", "\"cn-mine\" is already the id of a producer" },
        { new Tariff { Id = "jp-auto", Start = 0, Importer = "JP", Commodities = ["oxide"], Rate = 0.1 }, "id", "\"jp-auto\" is already the id of a manufacturer group" },
        { new Tariff { Id = "t", Start = 5, End = 5, Importer = "JP", Commodities = ["oxide"], Rate = 0.1 }, "end", "tick 5 is not after the start" },
        { new Tariff { Id = "t", Start = 101, Importer = "JP", Commodities = ["oxide"], Rate = 0.1 }, "start", "tick 101 is beyond the horizon of 100 days" },
        { new Tariff { Id = "t", Start = 0, Importer = "XX", Commodities = ["oxide"], Rate = 0.1 }, "importer", "unknown country \"XX\"" },
        { new Stockpile { Id = "s", Start = 0, Country = "JP", Commodity = "oxide", Size = double.PositiveInfinity, Initial = 0, MaxReleasePerDay = 1 }, "size", "Infinity is not a finite number" },
        { new Stockpile { Id = "s", Start = 0, Country = "JP", Commodity = "oxide", Size = 2e15, Initial = 0, MaxReleasePerDay = 1 }, "size", "is above 1000000000000000, the largest quantity" },
        { new CapacityProject { Id = "p", Start = 0, Producer = "cn-sep", AddedCapacity = 1, LeadTimeDays = 40_000 }, "leadTimeDays", "40000 is above 36500 days" },
        { new CapacityProject { Id = "p", Start = 0, Producer = "nope", AddedCapacity = 1, LeadTimeDays = 1 }, "producer", "unknown producer \"nope\"" },
        { new PriceFloor { Id = "f", Start = 0, Club = ["JP"], Excluded = [], Floors = new Dictionary<string, double> { ["oxide"] = 1e9 } }, "floors.oxide", "above any sane price" },
        { new ExportControl { Id = "x", Start = 0, Exporter = "CN", Commodities = ["oxide"], Applications = 0 }, "applications", "0 is outside 1–1000" },
        { new ExportControl { Id = "x", Start = 0, Exporter = "CN", Commodities = ["oxide"], Mode = ControlMode.License, RefusedCarryover = 5 }, "refusedCarryover", "5 is above 1" },
        { new ExportControl { Id = "x", Start = 0, Exporter = "CN", Commodities = ["oxide"], Mode = ControlMode.License, RefusedCarryover = double.NaN }, "refusedCarryover", "NaN is not a finite number" },
        // End users and sectors: the hubs took what the file loader refused ("nobody"), line breaks and 20,000 characters.
        { new ExportControl { Id = "x", Start = 0, Exporter = "CN", Commodities = ["oxide"], EndUsers = ["jp-auto/a", "nobody"] }, "endUsers", "unknown end user 'nobody'" },
        { new ExportControl { Id = "x", Start = 0, Exporter = "CN", Commodities = ["oxide"], EndUsers = null! }, "endUsers", "is null" },
        { new ExportControl { Id = "x", Start = 0, Exporter = "CN", Commodities = ["oxide"], Sectors = ["auto\nmotive"] }, "sectors", "must not contain control characters" },
        { new ExportControl { Id = "x", Start = 0, Exporter = "CN", Commodities = ["oxide"], Sectors = [new string('s', 20_000)] }, "sectors", "at most 200 characters" },
    };

    [Fact]
    public void End_users_may_name_producers_firms_and_their_groups()
    {
        var control = new ExportControl { Id = "x", Start = 0, Exporter = "CN", Commodities = ["oxide"], EndUsers = ["cn-sep", "jp-auto", "jp-auto/b"], Sectors = ["automotive"] };
        Assert.Empty(PolicyRules.Check(control, PolicyContext.For(World)));
    }

    [Theory, MemberData(nameof(Broken))]
    public void A_broken_policy_is_refused_naming_the_field(PolicySpec policy, string field, string message)
    {
        var problems = PolicyRules.Check(policy, PolicyContext.For(World));
        Assert.Contains(problems, p => p.Field == field && p.Message.Contains(message));
    }

    [Fact]
    public void The_loader_applies_the_same_rules_to_a_files_policies_located_at_the_field()
    {
        // A floor above the price cap passes the field checks (a number ≥ 1e-9) but not PolicyRules: oxide is capped at 1000 × 40.
        var yaml = ScenarioYaml.Valid + "\n" + """
              - id: club-floor
                type: price_floor
                club: [JP]
                floors: {oxide: 1e9}
                start: 0

            """;
        var result = ScenarioLoader.LoadText(yaml, "t.yaml");
        var e = Assert.Single(result.Errors);
        Assert.Equal("policies[4].floors", e.Field);
        Assert.Contains("1E+09 is above any sane price: the price of oxide is capped at 40000", e.Message);
        var floor = new PriceFloor { Id = "club-floor", Start = 0, Club = ["JP"], Excluded = [], Floors = new Dictionary<string, double> { ["oxide"] = 1e9 } };
        Assert.Equal(e.Message, Assert.Single(PolicyRules.Check(floor, PolicyContext.For(World))).Message);
    }
}
