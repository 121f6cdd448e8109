using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>Directions a strategist relies on, checked on the shipped scenarios: more supply outside the controlling country
/// does not raise the controlled importer's loss.</summary>
public class ComparativeStaticsTests
{
    static double JapanLoss(ScenarioSpec spec) =>
        new ReferenceRunner(spec, spec.Seed).Run(spec.Days).Last().Losses.Where(l => l.Country == "JP").Sum(l => l.Cumulative);

    [Fact]
    public void More_Australian_NdPr_does_not_raise_Japans_loss_in_the_cut_off()
    {
        // Twice Lynas's mine and separation: NdPr gets cheaper, Japan's magnet makers want to make more, Dy still limits them.
        // Measured against a desired rate that moved with the NdPr price, their "loss" rose while their output rose
        // ($26.5 m → $27.1 m, Dec 2026); it is measured against a rate input prices do not move (docs/MODEL.md, Producers).
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("japan-cutoff-3m.yaml"));
        var more = shipped with
        {
            Producers = shipped.Producers.Select(p => p.Id is "au-mine-lree" or "au-sep-lree" ? p with { Capacity = 2 * p.Capacity } : p).ToList(),
        };
        var before = JapanLoss(shipped);
        var after = JapanLoss(more);
        Assert.True(before > 0);
        Assert.True(after <= before, $"Japan's loss {after:N0} with twice the Australian NdPr, {before:N0} without");
    }
    [Fact]
    public void A_ban_on_Japans_military_use_of_Dy_barely_moves_the_Dy_price()
    {
        // Japan's military use is about 1% of its Dy; a military-only control splits no market, so the one Dy price should stay
        // near the baseline's. Before Dec 2026 the magnet makers' civil orders beyond what their declarations allowed counted as
        // unmet demand every day and took world Dy to 1.20× reference by day 364 (baseline 0.98×).
        var baseline = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var ban = new ExportControl
        {
            Id = "cn-jp-military-dy", Start = 0, Exporter = "CN", Commodities = ["dy_oxide"], Destinations = ["JP"],
            EndUse = EndUseScope.Military, Mode = ControlMode.Ban,
        };
        var banned = baseline with { Policies = [.. baseline.Policies, ban] };
        double Dy(ScenarioSpec s) =>
            new ReferenceRunner(s, s.Seed).Run(s.Days).Last().Prices.Single(p => p.Commodity == "dy_oxide" && p.Market == "world").Price;
        var free = Dy(baseline);
        Assert.InRange(Dy(banned) / free, 0.98, 1.02);
    }
}
