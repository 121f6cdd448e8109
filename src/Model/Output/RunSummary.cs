using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Output;

/// <summary>
/// One country's outcome over a run (one row of summary.csv). Money is in the scenario's currency.
/// </summary>
/// <param name="Country">Country id from the scenario.</param>
/// <param name="Gdp">Annual GDP as declared in the scenario.</param>
/// <param name="CumulativeLoss">Sum over the run's ticks of the value added not produced, all sectors of the country.</param>
/// <param name="LossGdpShare">CumulativeLoss / Gdp (annual GDP, not pro-rated to the run length), as in losses.csv.</param>
/// <param name="PeakUnmetShare">
/// For each tick and commodity, the country-level unmet share is Σ unmet / Σ required over every sector of the country
/// that reported that commodity in shortages.csv (0 when nothing was required); the peak is its maximum over all ticks
/// and commodities of the run (0 for a country with no rows).
/// </param>
/// <param name="ShortageDays">
/// Number of ticks (days) on which the country-level unmet share of at least one commodity exceeded
/// <see cref="RunSummary.ShortageThreshold"/> (0.1%).
/// </param>
/// <param name="FiscalCost">Sum over the run's ticks of the country's fiscal cost (subsidies paid under price floors, capacity investment, stockpile purchases net of sales and their carrying cost), as in fiscal.csv.</param>
/// <param name="IndirectLoss">Sum over the run's ticks of the indirect loss at domestic suppliers (indirect.csv), kept apart from
/// CumulativeLoss; 0 where the scenario gives no input–output multipliers.</param>
public sealed record CountrySummary(
    string Country,
    double Gdp,
    double CumulativeLoss,
    double LossGdpShare,
    double PeakUnmetShare,
    int ShortageDays,
    double FiscalCost,
    double IndirectLoss = 0)
{
    /// <summary>IndirectLoss / Gdp.</summary>
    public double IndirectGdpShare => Gdp > 0 ? IndirectLoss / Gdp : 0;
}

/// <summary>Per-country summary of a run, computed from its frames alone (pure: no I/O, no clock).</summary>
public static class RunSummary
{
    /// <summary>A tick counts as a shortage day when a commodity's country-level unmet share is above this (0.1%).</summary>
    public const double ShortageThreshold = 0.001;

    /// <summary>One row per country of the scenario, ordered by country id (ordinal).</summary>
    public static IReadOnlyList<CountrySummary> Compute(ScenarioSpec world, IEnumerable<Frame> frames)
    {
        var acc = new Accumulator(world);
        foreach (var f in frames) acc.Add(f);
        return acc.Build();
    }

    /// <summary>The same computation fed one frame at a time, so a writer can stream frames without keeping them.</summary>
    public sealed class Accumulator(ScenarioSpec world)
    {
        static readonly StringComparer Ord = StringComparer.Ordinal;
        readonly Dictionary<string, double> _loss = new(Ord);
        readonly Dictionary<string, double> _fiscal = new(Ord);
        readonly Dictionary<string, double> _indirect = new(Ord);
        readonly Dictionary<string, double> _peak = new(Ord);
        readonly Dictionary<string, int> _days = new(Ord);

        public void Add(Frame frame)
        {
            // Summed in the frame's own (sorted) row order, so the floating-point result is reproducible.
            foreach (var l in frame.Losses) _loss[l.Country] = _loss.GetValueOrDefault(l.Country) + l.Loss;
            foreach (var f in frame.Fiscal) _fiscal[f.Country] = _fiscal.GetValueOrDefault(f.Country) + f.Cost;
            foreach (var i in frame.Indirect) _indirect[i.Country] = _indirect.GetValueOrDefault(i.Country) + i.Loss;

            foreach (var (country, share) in FrameMetrics.WorstUnmetShare(frame.Shortages))
            {
                _peak[country] = Math.Max(_peak.GetValueOrDefault(country), share);
                if (share > ShortageThreshold) _days[country] = _days.GetValueOrDefault(country) + 1;
            }
        }

        public IReadOnlyList<CountrySummary> Build() =>
            world.Countries.OrderBy(c => c.Id, Ord).Select(c =>
            {
                var loss = _loss.GetValueOrDefault(c.Id);
                return new CountrySummary(c.Id, c.Gdp, loss, c.Gdp > 0 ? loss / c.Gdp : 0,
                    _peak.GetValueOrDefault(c.Id), _days.GetValueOrDefault(c.Id), _fiscal.GetValueOrDefault(c.Id),
                    _indirect.GetValueOrDefault(c.Id));
            }).ToList();
    }
}
