using MarketSim.Model.Output;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Attribution;

/// <summary>
/// What a run meant for one country, the quantities a run is compared on against its baseline and split among policies.
/// Money is in the scenario's currency.
/// </summary>
/// <param name="Loss">Cumulative value added not produced (summary.csv cumulative_loss).</param>
/// <param name="LossGdpShare">Loss / annual GDP (summary.csv loss_gdp_share).</param>
/// <param name="FiscalCost">Cumulative fiscal cost (summary.csv fiscal_cost).</param>
/// <param name="ExportRevenue">Σ value of the fills the country's firms sold to buyers in other countries: flows.csv value where
/// exporter = the country and destination ≠ the country.</param>
/// <param name="ExportRent">Σ export rent on the country's sales across export controls, both holders (rents.csv, exporter = the country).</param>
/// <param name="PeakUnmetShare">summary.csv peak_unmet_share.</param>
/// <param name="ShortageDays">summary.csv shortage_days.</param>
/// <param name="PeakImportPrice">Per commodity the country imported: the highest over ticks of the unit value it paid abroad that
/// tick, Σ value / Σ quantity over flows.csv rows with destination = the country and exporter ≠ the country.</param>
public sealed record CountryOutcome(
    string Country,
    double Gdp,
    double Loss,
    double LossGdpShare,
    double FiscalCost,
    double ExportRevenue,
    double ExportRent,
    double PeakUnmetShare,
    int ShortageDays,
    IReadOnlyDictionary<string, double> PeakImportPrice)
{
    /// <summary>Cumulative value added made at reference prices, every stage (value_added.csv): against a baseline, its fall is
    /// the direct loss, producers whose exports were blocked included.</summary>
    public double ValueAdded { get; init; }
    /// <summary>Cumulative indirect loss at domestic suppliers (summary.csv indirect_loss), apart from <see cref="Loss"/>.</summary>
    public double IndirectLoss { get; init; }
    /// <summary>Σ tariff its buyers paid its state on imports (accounts.csv tariff_revenue): a transfer, not a gain to the economy.</summary>
    public double TariffRevenue { get; init; }
    /// <summary>Σ what its producers and manufacturers paid for inputs above their reference value (accounts.csv extra_input_cost).</summary>
    public double ExtraInputCost { get; init; }
    /// <summary>Σ the top-up its producers received under price floors (accounts.csv floor_subsidy): the other side of the floors'
    /// payers' fiscal cost.</summary>
    public double FloorSubsidy { get; init; }

    /// <summary>This outcome less another of the same country (the money and shares; peaks, days and prices are kept as run,
    /// as a difference of peaks is not a peak).</summary>
    public CountryOutcome Minus(CountryOutcome b) => this with
    {
        Loss = Loss - b.Loss, LossGdpShare = LossGdpShare - b.LossGdpShare, FiscalCost = FiscalCost - b.FiscalCost,
        ExportRevenue = ExportRevenue - b.ExportRevenue, ExportRent = ExportRent - b.ExportRent, ValueAdded = ValueAdded - b.ValueAdded,
        IndirectLoss = IndirectLoss - b.IndirectLoss, TariffRevenue = TariffRevenue - b.TariffRevenue,
        ExtraInputCost = ExtraInputCost - b.ExtraInputCost, FloorSubsidy = FloorSubsidy - b.FloorSubsidy,
    };
}

/// <summary>Reduces a run's frames to <see cref="CountryOutcome"/>s, one frame at a time (pure, deterministic).</summary>
public sealed class OutcomeAccumulator(ScenarioSpec world)
{
    static readonly StringComparer Ord = StringComparer.Ordinal;
    readonly RunSummary.Accumulator _summary = new(world);
    readonly Dictionary<string, double> _exports = new(Ord);
    readonly Dictionary<string, double> _rents = new(Ord);
    readonly Dictionary<string, double> _valueAdded = new(Ord);
    readonly Dictionary<string, double> _tariffs = new(Ord);
    readonly Dictionary<string, double> _extraInput = new(Ord);
    readonly Dictionary<string, double> _floorSubsidy = new(Ord);
    readonly Dictionary<string, SortedDictionary<string, double>> _peakImport = new(Ord);

    public void Add(Frame frame)
    {
        _summary.Add(frame);
        // Sums in the frame's own sorted row order, so the result is reproducible to the last bit.
        var imports = new SortedDictionary<(string Destination, string Commodity), (double Quantity, double Value)>();
        foreach (var f in frame.Flows)
        {
            if (f.Exporter == f.Destination) continue;
            _exports[f.Exporter] = _exports.GetValueOrDefault(f.Exporter) + f.Value;
            var (q, v) = imports.GetValueOrDefault((f.Destination, f.Commodity));
            imports[(f.Destination, f.Commodity)] = (q + f.Quantity, v + f.Value);
        }
        foreach (var ((country, commodity), (q, v)) in imports)
        {
            if (q <= 0) continue;
            if (!_peakImport.TryGetValue(country, out var peaks)) _peakImport[country] = peaks = new(Ord);
            var unit = v / q;
            peaks[commodity] = peaks.TryGetValue(commodity, out var old) ? Math.Max(old, unit) : unit;
        }
        foreach (var r in frame.Rents) _rents[r.Exporter] = _rents.GetValueOrDefault(r.Exporter) + r.Rent;
        foreach (var v in frame.ValueAdded) _valueAdded[v.Country] = _valueAdded.GetValueOrDefault(v.Country) + v.Made;
        foreach (var a in frame.Accounts)
        {
            _tariffs[a.Country] = _tariffs.GetValueOrDefault(a.Country) + a.TariffRevenue;
            _extraInput[a.Country] = _extraInput.GetValueOrDefault(a.Country) + a.ExtraInputCost;
            _floorSubsidy[a.Country] = _floorSubsidy.GetValueOrDefault(a.Country) + a.FloorSubsidy;
        }
    }

    /// <summary>One outcome per country of the scenario, ordered by id (ordinal).</summary>
    public IReadOnlyList<CountryOutcome> Build() =>
        _summary.Build().Select(s => new CountryOutcome(s.Country, s.Gdp, s.CumulativeLoss, s.LossGdpShare, s.FiscalCost,
            _exports.GetValueOrDefault(s.Country), _rents.GetValueOrDefault(s.Country), s.PeakUnmetShare, s.ShortageDays,
            _peakImport.TryGetValue(s.Country, out var p) ? p : new SortedDictionary<string, double>(Ord))
        {
            ValueAdded = _valueAdded.GetValueOrDefault(s.Country),
            IndirectLoss = s.IndirectLoss,
            TariffRevenue = _tariffs.GetValueOrDefault(s.Country),
            ExtraInputCost = _extraInput.GetValueOrDefault(s.Country),
            FloorSubsidy = _floorSubsidy.GetValueOrDefault(s.Country),
        }).ToList();

    public static IReadOnlyList<CountryOutcome> Compute(ScenarioSpec world, IEnumerable<Frame> frames)
    {
        var acc = new OutcomeAccumulator(world);
        foreach (var f in frames) acc.Add(f);
        return acc.Build();
    }

    /// <summary>Runs the world on the reference runner and keeps only the outcomes (the frames are not held).</summary>
    public static IReadOnlyList<CountryOutcome> Simulate(ScenarioSpec world, ulong seed, int days, CancellationToken cancel = default)
    {
        var runner = new ReferenceRunner(world, seed);
        var acc = new OutcomeAccumulator(world);
        for (int i = 0; i < days; i++)
        {
            cancel.ThrowIfCancellationRequested();
            acc.Add(runner.Step());
        }
        return acc.Build();
    }
}
