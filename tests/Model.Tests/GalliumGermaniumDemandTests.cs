using MarketSim.Model.Scenario;

namespace MarketSim.Model.Tests;

/// <summary>
/// The shipped scenarios' gallium and germanium, held to their sources (tools/make_scenarios.py, GA_* and GE_*; docs/MODEL.md,
/// Parameters). Until Dec 2026 every figure was unsourced: US electronics used 60 t of gallium a year, nearly four times all US
/// consumption (≈16 t, USGS), Korea 60 t, Germany 40 t, Japan 80.9 t, and the rest of the world's producer made 15 t where USGS
/// puts primary output outside China at 12 t. Each test below fails on those files.
/// </summary>
public class GalliumGermaniumDemandTests
{
    const double Spare = 1.03;     // the generator's spare capacity over 2024 output
    const double Rounding = 1.01;  // the generator rounds each daily figure to six significant digits

    // The four scenarios of the 2024–26 world (japan-2010 has its own world, without gallium or germanium).
    public static TheoryData<string> Files() =>
        new("baseline.yaml", "japan-cutoff-3m.yaml", "china-japan-2026.yaml", "china-extraterritorial.yaml");

    static double YearlyUse(ScenarioSpec s, string commodity, Func<ManufacturerSpec, bool> which) =>
        s.Manufacturers.Where(which).Sum(m => m.PlannedOutput * m.Inputs.GetValueOrDefault(commodity)) * 365;

    static double YearlyUse(ScenarioSpec s, string commodity, string country) => YearlyUse(s, commodity, m => m.Country == country);

    static double YearlyOutput(ScenarioSpec s, string commodity, Func<ProducerSpec, bool> which) =>
        s.Producers.Where(p => p.Output == commodity && which(p)).Sum(p => p.Capacity) * 365 / Spare;

    static double ElectronicsShipments(ScenarioSpec s, string country) =>
        s.Manufacturers.Where(m => m.Country == country && m.Sector == "electronics").Sum(m => m.PlannedOutput) * 365;

    [Theory]
    [MemberData(nameof(Files))]
    public void Gallium_output_is_USGS_primary_output_for_2024(string file)
    {
        // USGS Mineral Commodity Summaries 2025, primary low-purity gallium in 2024: China 750 t; Russia 6, Japan 3, Korea 3.
        var s = ScenarioLoader.LoadOrThrow(Paths.Scenario(file));
        Assert.InRange(YearlyOutput(s, "gallium", p => p.Country == "CN"), 750 / Rounding, 750 * Rounding);
        Assert.InRange(YearlyOutput(s, "gallium", p => p.Country != "CN"), 12 / Rounding, 12 * Rounding);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Gallium_use_where_published_is_the_published_figure(string file)
    {
        var s = ScenarioLoader.LoadOrThrow(Paths.Scenario(file));
        // United States: ≈16 t a year, all US consumption, 2016–2020 average (USGS MCS); the model's US has no other gallium user.
        Assert.InRange(YearlyUse(s, "gallium", "US"), 16 / Rounding, 16 * Rounding);
        // Japan: 167 t consumed in 2021, 97 t imported (JOGMEC); its own output, 70 t, is 3 t of primary (USGS) and 67 t of
        // recycled scrap, not carried: 100 t on the primary market, defence included.
        Assert.InRange(YearlyUse(s, "gallium", "JP"), 100 / Rounding, 100 * Rounding);
        // Germany: refined gallium consumption 30–40 t (DERA, 2015).
        Assert.InRange(YearlyUse(s, "gallium", "DE"), 30, 40);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Countries_without_a_gallium_figure_use_no_more_per_dollar_than_the_lowest_published_intensity(string file)
    {
        // ASSUMPTION of the generator: Korea, India and the rest of the world use the lowest of the published intensities per $
        // of electronics shipments (the US's); they once used up to 4.7 times it (Korea, 60 t).
        var s = ScenarioLoader.LoadOrThrow(Paths.Scenario(file));
        var low = new[] { "US", "DE" }.Min(c => YearlyUse(s, "gallium", c) / ElectronicsShipments(s, c));
        foreach (var c in new[] { "KR", "IN", "RW" })
            Assert.True(YearlyUse(s, "gallium", c) / ElectronicsShipments(s, c) <= low * Rounding, $"{c} uses more gallium per $ than the US");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void World_use_of_gallium_and_germanium_equals_world_output(string file)
    {
        var s = ScenarioLoader.LoadOrThrow(Paths.Scenario(file));
        foreach (var k in new[] { "gallium", "germanium" })
        {
            var use = YearlyUse(s, k, _ => true);
            var output = YearlyOutput(s, k, _ => true);
            Assert.True(Math.Abs(use / output - 1) < 0.01, $"{k}: world use {use:0.0} t a year against output {output:0.0} t");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Only_a_share_of_electronics_output_needs_gallium_or_germanium_and_defence_keeps_the_fixed_recipe(string file)
    {
        // tools/make_scenarios.py, GA_SHARE and GE_SHARE: devices that embody gallium were 0.60% of world electronics in 2022
        // (LEDs, RF GaN, GaAs ICs against JEITA's total), 1% with those no figure was found for; germanium 0.5% (ASSUMPTION
        // on optical fibre's 0.14%). Until Dec 2026 every $ of electronics needed both, and a Chinese gallium ban cost the world
        // outside China $512.6 bn. Japan's defence keeps σ = 1: its use is an upper bound, and so is its exposure.
        var s = ScenarioLoader.LoadOrThrow(Paths.Scenario(file));
        foreach (var m in s.Manufacturers.Where(m => m.Sector == "electronics"))
        {
            Assert.Equal(0.01, m.DependentShareOf("gallium"));
            Assert.Equal(0.005, m.DependentShareOf("germanium"));
            Assert.Equal(1, m.DependentShareOf("magnet_std"));
        }
        Assert.All(s.Manufacturers.Where(m => m.Sector != "electronics"), m => Assert.Empty(m.DependentShare));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Germanium_China_keeps_its_output_less_its_recorded_exports_and_the_US_uses_its_USGS_figure(string file)
    {
        var s = ScenarioLoader.LoadOrThrow(Paths.Scenario(file));
        var cnOutput = YearlyOutput(s, "germanium", p => p.Country == "CN");
        // 43.7 t of wrought and unwrought germanium exported by China in 2022 (Chinese customs).
        Assert.InRange(YearlyUse(s, "germanium", "CN"), (cnOutput - 43.7) / Rounding, (cnOutput - 43.7) * Rounding);
        // ≈30 t a year estimated US consumption, 2016–2019 (USGS MCS 2020).
        Assert.InRange(YearlyUse(s, "germanium", "US"), 30 / Rounding, 30 * Rounding);
    }
}
