using MarketSim.Model.Policies;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>
/// A producer's loss is measured against what it would have made with its inputs at hand and at reference prices, no more
/// than its expected sales (docs/MODEL.md, producers); expected sales may not fall on days its inputs cut its output, by their
/// stock or by their price. Before Dec 2026 a day whose output met a plan already cut by a dear input taught low sales too,
/// so the benchmark slid down during a ban and a wider ban counted less loss.
/// </summary>
public class LossBenchmarkTests
{
    /// <summary>Japan's direct loss and the fall in its value added against the baseline, for japan-cutoff-3m with the 90-day
    /// ban on <paramref name="commodities"/> only.</summary>
    static (double Loss, double ValueAddedFall) Cutoff(IReadOnlyList<string> commodities, int end = 90)
    {
        var cut = ScenarioLoader.LoadOrThrow(Paths.Scenario("japan-cutoff-3m.yaml"));
        cut = cut with { Policies = cut.Policies.Select(p => p is ExportControl { Id: "cn-cutoff-jp" } e ? e with { Commodities = commodities, End = end } : p).ToList() };
        var baseline = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        double Made(ScenarioSpec s, out double loss)
        {
            var last = new ReferenceRunner(s, s.Seed).Run(s.Days).Last();
            loss = last.Losses.Where(l => l.Country == "JP").Sum(l => l.Cumulative);
            return last.ValueAdded.Where(v => v.Country == "JP").Sum(v => v.Cumulative);
        }
        var made = Made(cut, out var cutLoss);
        var free = Made(baseline, out var baseLoss);
        return (cutLoss - baseLoss, free - made);
    }

    [Fact]
    public void A_wider_ban_does_not_count_less_loss()
    {
        var dy = Cutoff(["dy_oxide"]);
        var both = Cutoff(["dy_oxide", "tb_oxide"]);
        var said = $"Dy ban: loss ${dy.Loss / 1e6:F1} m, value added −${dy.ValueAddedFall / 1e6:F1} m; Dy and Tb: ${both.Loss / 1e6:F1} m, −${both.ValueAddedFall / 1e6:F1} m";
        // Measured before the fix (a review, seed 7): $12.5 m and $7.3 m of loss on value added falls of $17.2 m and $17.5 m.
        Assert.True(both.Loss > 0.95 * dy.Loss, said);
        // The loss and the fall in value added tell the same story within a third.
        Assert.True(dy.Loss > 0.67 * dy.ValueAddedFall && both.Loss > 0.67 * both.ValueAddedFall, said);
    }

    [Fact]
    public void A_longer_ban_counts_more_loss_as_a_maker_out_of_an_input_sells_its_store()
    {
        // Before Dec 2026 buyers spread orders by each seller's flow alone: under a 180-day Dy ban Japan's magnet maker, out of
        // Dy, held 572.6 t of magnets for 90 days and sold none while its buyers took Chinese magnets; its store was full, so
        // almost nothing counted lost ($5.4 m against $9.5 m for a 90-day ban). Now its stock counts over the buyer's horizon.
        var ninety = Cutoff(["dy_oxide"], 90);
        var long180 = Cutoff(["dy_oxide"], 180);
        Assert.True(long180.Loss > 2 * ninety.Loss, $"90 days ${ninety.Loss / 1e6:F1} m, 180 days ${long180.Loss / 1e6:F1} m");
    }
}
