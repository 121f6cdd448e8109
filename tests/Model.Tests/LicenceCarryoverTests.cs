namespace MarketSim.Model.Tests;

/// <summary>
/// `refused_carryover` (docs/MODEL.md, Markets, Licences; Parameters): the share of what refusals kept out that a licence's
/// next approval covers. 1, the default, re-applies for all of it, so a refusal postpones supply; 0 loses it, so the approval
/// rate cuts supply. No source gives it; the shipped scenarios keep 1, and this is the parameter to sweep.
/// </summary>
public class LicenceCarryoverTests
{
    static readonly string Baseline = File.ReadAllText(Paths.Scenario("baseline.yaml"));

    /// <summary>The baseline's world for 240 days with a Chinese licence on high-temperature magnets to every destination.</summary>
    static ScenarioSpec World(string carryover)
    {
        var text = Baseline[..Baseline.IndexOf("\npolicies:", StringComparison.Ordinal)].Replace("\ndays: 365", "\ndays: 240")
            + "\npolicies:\n  - {id: lic, type: export_control, exporter: CN, commodities: [magnet_ht], mode: license, approval_rate: 0.25, "
            + "delay_min_days: 28, delay_max_days: 63, start: 0" + carryover + "}\n";
        var r = ScenarioLoader.LoadText(text, "carryover.yaml");
        Assert.True(r.Ok, string.Join(" | ", r.Errors));
        return r.Spec!;
    }

    static double ChinaMagnetExports(ScenarioSpec w) =>
        new ReferenceRunner(w, 7).Run(w.Days).Skip(60).SelectMany(f => f.Flows)
            .Where(x => x.Exporter == "CN" && x.Destination != "CN" && x.Commodity == "magnet_ht").Sum(x => x.Quantity);

    [Fact]
    public void Without_carry_over_a_licence_cuts_supply_with_it_it_mostly_delays_it()
    {
        var free = ScenarioLoader.LoadText(Baseline.Replace("\ndays: 365", "\ndays: 240"), "free.yaml").Spec!;
        var unlicensed = ChinaMagnetExports(free);
        var carried = ChinaMagnetExports(World(""));
        var lost = ChinaMagnetExports(World(", refused_carryover: 0"));
        var half = ChinaMagnetExports(World(", refused_carryover: 0.5"));
        // At 25% approvals: carried over, most of the requirement comes through late; lost, about the approval rate's share of it.
        Assert.True(lost < half && half < carried, $"exports over days 60–239: lost {lost:0}, half {half:0}, carried {carried:0} t");
        Assert.True(carried > 0.6 * unlicensed, $"carried over: {carried:0} t against {unlicensed:0} t unlicensed");
        Assert.True(lost < 0.5 * unlicensed, $"lost: {lost:0} t against {unlicensed:0} t unlicensed");
        Assert.Equal(1, World("").Policies.OfType<ExportControl>().Single().RefusedCarryover);
    }
}
