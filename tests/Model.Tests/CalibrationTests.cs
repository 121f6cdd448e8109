using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>
/// The calibration table of docs/MODEL.md ("The 2024–26 targets"), held as tests: one test per row, except the price-spike
/// row, which <see cref="PriceRuleTests"/> holds (e³ by construction of κ/μ). Rows the model meets assert the published
/// target with the band the table states; the row it misses (magnet lead time under the controls, with precaution) pins the
/// miss as the table states it, so that a model change that meets or moves it fails here and the table is corrected. A model change that
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
    public void Under_the_2025_26_controls_with_the_April_2025_regime_in_force_since_April_high_temperature_magnets_take_just_short_of_three_months()
    {
        // Target: 3–4 months under the 2025–26 controls (same source), a buyer's wait from order to arrival over days 30–365.
        // Met from Dec 2026 (3.86, then 3.10 months) while the April 2025 licensing began afresh on 1 Jan 2026: firms built
        // their precautionary stock in 2026, and those orders waited. With the regime in force from 4 Apr 2025 (the spin-up,
        // docs/MODEL.md, The tick) the stock was built in 2025, and in 2026 2.85 months (0.51 unfilled; 2.88 before licence draws by calendar day and the spring 2025 low): missed, short, as the
        // run with precaution off is. This pins the miss as the table states it; if the model comes into the band, this
        // fails: then assert the band and mark the row met. Before (a buyer asked the next offers only a round later) it
        // missed long (4.18 months; 4.5 before that).
        var months = JapanLeadTime(Controls.Value, c => c == "magnet_ht", from: 30, to: 365) / Month;
        Assert.InRange(months, 2.5, 3);
    }

    [Fact]
    public void Under_the_2025_26_controls_without_precautionary_stock_building_magnets_take_the_licence_delay_and_transport_just_short_of_the_source()
    {
        // The same run with precaution off: only the firms' running needs are ordered, and they wait for licences. The source
        // says 3–4 months; the model gives 2.91 (2.89 before licence draws by calendar day and the spring 2025 low; docs/MODEL.md, Dec 2026, with the April 2025 regime in force since April; 2.93
        // when it began on day 0): the licence's delay (28–63 days) and 45 days of transport, with hardly any wait on top
        // (0.05 months), short of the band's lower edge. Before producers kept
        // running above their variable cost it was 3.00, with more waiting. This pins the miss (short) as the table states it;
        // if the model comes into the band, this fails: then assert the band and mark the row met.
        var s = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        s = s with { Buyers = s.Buyers with { PrecautionMaxCoverDays = 0 } };
        var frames = new ReferenceRunner(s, s.Seed).Run(s.Days).ToList();
        Assert.InRange(JapanLeadTime(frames, c => c == "magnet_ht", from: 30, to: 365) / Month, 2.5, 3);
    }

    [Fact]
    public void A_lead_time_is_its_wait_unfilled_plus_transport_and_licence_delay()
    {
        // Days − waited is what the fills themselves took: at least the 45 days' transport, at most transport + the longest
        // licence delay (45 + 63 days), and exactly 45 in the baseline, where nothing waits.
        foreach (var l in Controls.Value.SelectMany(f => f.LeadTimes).Where(l => l.Destination == "JP" && l.Commodity == "magnet_ht"))
        {
            Assert.InRange(l.Waited, 0, l.Days);
            Assert.InRange(l.Days - l.Waited, 45 - 1e-9, 108 + 1e-9);
        }
        foreach (var l in Baseline.Value.SelectMany(f => f.LeadTimes).Where(l => l.Destination == "JP" && l.Commodity == "magnet_ht"))
        {
            // Within a millionth of a day: a float crumb of an order left by pro-rata matching is not a wait.
            Assert.InRange(l.Days, 45 - 1e-6, 45 + 1e-6);
            Assert.InRange(l.Waited, 0, 1e-6);
        }
    }

    [Fact]
    public void A_three_month_cutoff_costs_Japan_less_than_NRIs_GDP_estimate_with_or_without_adaptation()
    {
        // NRI: ≈¥660 bn ≈ 0.11% of GDP, a GDP estimate (indirect effects included, firms not adapting). The model's direct loss
        // with firms that build stock on the news and trade diverted through third countries must be positive and below it,
        // and so with precaution off. Which is larger is not claimed: since Dec 2026's drawdown rule of order-up-to,
        // precaution drains the national Dy stockpile about ten days sooner and the run with it costs more (docs/MODEL.md,
        // Calibration, gives both figures and why).
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
        // Measured (seed 7, Dec 2026): 0.0004% without precaution, 0.0005% with it (0.0014% without before the drawdown rule;
        // 0.0048% before Japan's makers served Japanese buyers first when foreign buyers could turn to Chinese magnets).
        Assert.InRange(rigid, 1e-7, 0.0011);
    }
}
