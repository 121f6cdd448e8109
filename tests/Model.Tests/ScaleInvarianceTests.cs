using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>
/// Results do not depend on the unit quantities are counted in: the same world with every quantity doubled (capacities,
/// planned outputs, quotas, stockpiles, capacity projects) has the same prices exactly and twice the losses to the report
/// sums' grain (doubling is exact in floating point, so any difference is a rule that reads a quantity against a fixed number). Before Dec 2026 the
/// market compared quantities with an absolute 1e-9: japan-2010 doubled diverged on its first tick and gave Japan a loss,
/// per unit, a third smaller.
/// </summary>
public class ScaleInvarianceTests
{
    static ScenarioSpec Scaled(ScenarioSpec w, double f) => w with
    {
        Producers = w.Producers.Select(p => p with { Capacity = p.Capacity * f }).ToList(),
        Manufacturers = w.Manufacturers.Select(m => m with { PlannedOutput = m.PlannedOutput * f }).ToList(),
        Policies = w.Policies.Select(p => p switch
        {
            ExportControl c => c with { QuotaQuantity = c.QuotaQuantity * f },
            Stockpile s => s with { Size = s.Size * f, Initial = s.Initial * f, MaxReleasePerDay = s.MaxReleasePerDay * f, RefillPerDay = s.RefillPerDay * f },
            CapacityProject cp => cp with { AddedCapacity = cp.AddedCapacity * f, Cost = cp.Cost * f },
            _ => p,
        }).ToList(),
    };

    [Theory]
    [InlineData("japan-2010.yaml", 330)] // past the Sept–Nov 2010 halt, where its first losses fall (day 281)
    [InlineData("japan-cutoff-3m.yaml", 150)]
    public void Doubling_every_quantity_keeps_prices_and_doubles_losses(string file, int days)
    {
        var world = ScenarioLoader.LoadOrThrow(Paths.Scenario(file)) with { Days = days };
        var one = new ReferenceRunner(world, world.Seed).Run(days).ToList();
        var two = new ReferenceRunner(Scaled(world, 2), world.Seed).Run(days).ToList();
        // How far a row's cumulative loss may have drifted from twice the other's: each day adds its loss's bound below and the
        // last bit of the running sum (the cumulative is a double: yesterday's plus today's).
        var drift = new double[one[0].Losses.Count];
        static double Bit(double x) => Math.BitIncrement(Math.Abs(x)) - Math.Abs(x);
        for (int t = 0; t < days; t++)
        {
            Assert.Equal(one[t].Prices.Select(p => p.Price), two[t].Prices.Select(p => p.Price));
            // Losses to the report sums' grain: they round each firm's addend to 2⁻⁴⁰ $ (ReportTotals), and a loss below $4,096
            // has bits finer than that, so round(2x) and 2·round(x) may differ by that grain (japan-2010's first day of Japan's
            // magnet loss, $59.45, did: the firms' own cumulative losses were exactly doubled); the grains summed come back as a
            // double, whose last bit at $10⁴ and more is coarser than the grain.
            var grain = one[t].Losses.Count * Math.Pow(2, -39);
            Assert.Equal(drift.Length, one[t].Losses.Count);
            for (int i = 0; i < drift.Length; i++)
            {
                var (a, b) = (one[t].Losses[i], two[t].Losses[i]);
                var day = grain + Bit(2 * a.Loss);
                Assert.InRange(b.Loss - 2 * a.Loss, -day, day);
                drift[i] += day + Bit(2 * a.Cumulative);
                Assert.InRange(b.Cumulative - 2 * a.Cumulative, -drift[i], drift[i]);
            }
        }
        Assert.Contains(one[^1].Losses, l => l.Cumulative > 0);
    }
}
