using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>
/// The calibration table of docs/MODEL.md, held as tests: the shipped scenarios must keep reproducing the published facts
/// (published sources named in docs/MODEL.md). A model change that moves a result out of its band fails here and must be explained in MODEL.md.
/// </summary>
public class CalibrationTests
{
    static readonly Lazy<IReadOnlyList<Frame>> Baseline = new(() => Run("baseline.yaml"));
    static readonly Lazy<IReadOnlyList<Frame>> Cutoff = new(() => Run("japan-cutoff-3m.yaml"));

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
        double q = 0, days = 0;
        foreach (var l in Baseline.Value.SelectMany(f => f.LeadTimes).Where(l => l.Destination == "JP" && l.Commodity.StartsWith("magnet")))
        {
            q += l.Quantity; days += l.Quantity * l.Days;
        }
        Assert.InRange(days / q, 30, 61);
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
