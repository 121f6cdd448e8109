using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>
/// The calibration table of docs/MODEL.md ("The 2024–26 targets"), held as tests: one test per row, except the price-spike
/// row, which <see cref="PriceRuleTests"/> holds (e³ by construction of κ/μ). Rows the model meets assert the published
/// target with the band the table states; the row it misses (magnet lead time under the controls) pins the miss as the
/// table states it, so that a model change that meets or moves it fails here and the table is corrected. A model change that
/// moves a result out of its band fails here and must be explained in MODEL.md.
/// </summary>
public class CalibrationTests
{
    static readonly Lazy<IReadOnlyList<Frame>> Baseline = new(() => Run("baseline.yaml"));
    static readonly Lazy<IReadOnlyList<Frame>> Cutoff = new(() => Run("japan-cutoff-3m.yaml"));
    static readonly Lazy<IReadOnlyList<Frame>> Controls = new(() => Run("china-japan-2026.yaml"));

    /// <summary>Days in a month, as tools/calibration.py counts them for the table.</summary>
    const double Month = 30.4;

    /// <summary>Quantity-weighted procurement lead time of Japan's imports of <paramref name="commodity"/> over ticks from..to−1.</summary>
    static double JapanLeadTime(IEnumerable<Frame> frames, Func<string, bool> commodity, int from = 0, int to = int.MaxValue)
    {
        double q = 0, days = 0;
        foreach (var f in frames.Where(f => f.Tick >= from && f.Tick < to))
            foreach (var l in f.LeadTimes.Where(l => l.Destination == "JP" && commodity(l.Commodity)))
            {
                q += l.Quantity; days += l.Quantity * l.Days;
            }
        Assert.True(q > 0, "no magnet imports to Japan in the window");
        return days / q;
    }

    static IReadOnlyList<Frame> Run(string file)
    {
        var spec = ScenarioLoader.LoadOrThrow(Paths.Scenario(file));
        return new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
    }

    static double ImportShareFromChina(IEnumerable<Frame> frames, params string[] commodities)
    {
        double cn = 0, all = 0;
        foreach (var f in frames.SelectMany(f => f.Flows))
            if (f.Destination == "JP" && f.Exporter != "JP" && commodities.Contains(f.Commodity))
            {
                all += f.Quantity;
                if (f.Exporter == "CN") cn += f.Quantity;
            }
        return cn / all;
    }

    static double JapanLoss(IReadOnlyList<Frame> frames) => frames[^1].Losses.Where(l => l.Country == "JP").Sum(l => l.Cumulative);

    [Fact]
    public void Baseline_Japan_imports_about_72_percent_of_its_rare_earths_from_China()
    {
        // 71.9% in 2024 (JOGMEC). Band ±3 points.
        Assert.InRange(ImportShareFromChina(Baseline.Value, "ndpr_oxide", "dy_oxide", "tb_oxide"), 0.689, 0.749);
    }

    [Fact]
    public void Baseline_Japan_gets_all_its_dysprosium_and_terbium_from_China()
    {
        Assert.True(ImportShareFromChina(Baseline.Value, "dy_oxide") > 0.99);
        Assert.True(ImportShareFromChina(Baseline.Value, "tb_oxide") > 0.99);
    }

    [Fact]
    public void Baseline_magnet_imports_take_one_to_two_months()
    {
        // A Tokyo magnetic-device maker: 1–2 months (news, Jan 2026). Band: 30–61 days.
        Assert.InRange(JapanLeadTime(Baseline.Value, c => c.StartsWith("magnet", StringComparison.Ordinal)), 30, 61);
    }

    [Fact]
    public void Under_the_2025_26_controls_high_temperature_magnets_take_longer_but_miss_the_three_to_four_month_target()
    {
        // Target: 3–4 months under the 2025–26 controls (same source). The model MISSES it (docs/MODEL.md: 2.80 months for
        // high-temperature magnets over days 30–365, short by about 6 days). This pins the miss as the table states it: longer
        // than the baseline's 1–2 months, below 3 months. If the model comes to meet the target, this fails: then assert the
        // 3–4 month band here and mark the row met in MODEL.md.
        var months = JapanLeadTime(Controls.Value, c => c == "magnet_ht", from: 30, to: 365) / Month;
        Assert.True(months > 61 / Month, $"{months:0.00} months: no longer than in the baseline");
        Assert.True(months < 3, $"{months:0.00} months: the model now meets the 3–4 month target; update docs/MODEL.md and this test");
    }

    [Fact]
    public void A_three_month_cutoff_costs_Japan_less_than_NRIs_GDP_estimate_and_more_without_adaptation()
    {
        // NRI: ≈¥660 bn ≈ 0.11% of GDP, a GDP estimate (indirect effects included, firms not adapting). The model's direct loss
        // with firms that build stock on the news and trade diverted through third countries must be positive and below it;
        // with precaution off (no adaptation) it must be larger. docs/MODEL.md gives both figures and why.
        var spec = ScenarioLoader.LoadOrThrow(Paths.Scenario("japan-cutoff-3m.yaml"));
        var gdp = spec.Country("JP").Gdp;
        var adapted = (JapanLoss(Cutoff.Value) - JapanLoss(Baseline.Value)) / gdp;
        Assert.InRange(adapted, 1e-7, 0.0011);

        static ScenarioSpec Rigid(string file)
        {
            var s = ScenarioLoader.LoadOrThrow(Paths.Scenario(file));
            return s with { Buyers = s.Buyers with { PrecautionMaxCoverDays = 0 } };
        }
        var rigidCut = Rigid("japan-cutoff-3m.yaml");
        var rigidBase = Rigid("baseline.yaml");
        var rigid = (JapanLoss(new ReferenceRunner(rigidCut, rigidCut.Seed).Run(rigidCut.Days).ToList())
                     - JapanLoss(new ReferenceRunner(rigidBase, rigidBase.Seed).Run(rigidBase.Days).ToList())) / gdp;
        Assert.True(rigid > 3 * adapted, $"without precaution {rigid:P4} of GDP, with it {adapted:P4}");
    }
}
