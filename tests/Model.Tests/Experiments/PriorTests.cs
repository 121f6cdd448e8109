using MarketSim.Experiments;

namespace MarketSim.Model.Tests.Experiments;

/// <summary>Priors sampled by Latin hypercube: reproducible from the master seed, stratified, inside their bounds.</summary>
public class PriorTests
{
    static string Scenario => Paths.Scenario("japan-cutoff-3m.yaml").Replace('\\', '/');

    static ExperimentPlan Load(ulong seed, int samples = 20) => ExperimentLoader.LoadText($"""
        name: t
        scenario: {Scenario}
        horizon: 100
        master_seed: {seed}
        samples: {samples}
        parameters:
          - name: e
            path: demand.elasticity
            prior: {"{"}dist: uniform, min: 0.1, max: 0.3{"}"}
          - name: k
            path: commodities[dy_oxide].price_adjustment
            prior: {"{"}dist: triangular, min: 0.01, mode: 0.02, max: 0.05{"}"}
          - name: b
            path: buyers.precaution_build_days
            prior: {"{"}dist: lognormal, median: 60, sigma: 0.5, min: 20, max: 200{"}"}
        """, "exp.yaml", Paths.RepoRoot).Plan ?? throw new Xunit.Sdk.XunitException("did not load");

    [Fact]
    public void Samples_from_priors_get_a_seed_each_unless_common_seeds_are_asked_for()
    {
        // A band over priors should cover the random draws too (Dec 2026: with one seed for every sample, Japan's cut-off loss
        // band was a single value where a seed each gives $0.4-2.7 bn).
        var plan = Load(7);
        Assert.False(plan.CommonSeeds);
        Assert.Equal(plan.Runs.Count, plan.Runs.Select(r => r.Seed).Distinct().Count());
    }

    [Fact]
    public void The_same_master_seed_gives_the_same_samples_and_another_seed_others()
    {
        var a = Load(7).Variants.Select(v => v.Label(["e", "k", "b"])).ToList();
        var b = Load(7).Variants.Select(v => v.Label(["e", "k", "b"])).ToList();
        var c = Load(8).Variants.Select(v => v.Label(["e", "k", "b"])).ToList();
        Assert.Equal(20, a.Count);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Every_stratum_is_used_once_the_values_reach_the_scenario_and_stay_in_bounds()
    {
        var plan = Load(42);
        // Uniform on [0.1, 0.3], 20 strata of width 0.01: one draw in each (the draws before they are written to 4 digits).
        var e = LatinHypercube.Sample(42, "e", 20, new Prior("uniform", 0.1, 0.3));
        Assert.Equal(Enumerable.Range(0, 20).ToList(), e.Select(x => (int)Math.Floor((x - 0.1) / 0.01)).Order().ToList());
        // The values written into the variants are those draws, to four significant digits.
        Assert.Equal(e.Select(x => double.Parse(LatinHypercube.Format(x), System.Globalization.CultureInfo.InvariantCulture)),
            plan.Variants.Select(v => v.Scenario.Demand.Elasticity));
        Assert.All(plan.Variants, v => Assert.InRange(v.Scenario.Commodity("dy_oxide").PriceAdjustment, 0.01, 0.05));
        Assert.All(plan.Variants, v => Assert.InRange(v.Scenario.Buyers.PrecautionBuildDays, 20, 200));
        // The triangular prior piles up near its mode: more draws below 0.03 than above.
        Assert.True(plan.Variants.Count(v => v.Scenario.Commodity("dy_oxide").PriceAdjustment < 0.03) > 10);
    }

    [Fact]
    public void The_normal_quantile_inverts_the_cdf()
    {
        foreach (var p in new[] { 0.001, 0.025, 0.3, 0.5, 0.9, 0.999 })
            Assert.Equal(p, Normal.Cdf(Normal.Quantile(p)), 6);
        Assert.Equal(1.959964, Normal.Quantile(0.975), 5);
    }
}
