using System.Runtime.InteropServices;
using MarketSim.Model.Agents;

namespace MarketSim.Model.Simulation;

/// <summary>
/// A sum that does not depend on the order or grouping of its addends: each addend is rounded to the nearest 2⁻⁴⁰ of its unit
/// (≈ 9·10⁻¹³ t or $) and added as a 128-bit integer, which is exact and associative. Floating-point addition is not (a + b + c
/// differs from a + (b + c) in the last bit), so a shard's partial sums folded at the session would otherwise differ from the
/// reference runner's sum over every agent. Range ±2⁸⁷ ≈ 1.5·10²⁶ units, far above any world's output or GDP.
/// </summary>
public readonly record struct ExactSum(Int128 Units)
{
    const double Scale = 1099511627776.0; // 2^40: multiplying by a power of two is exact

    public static ExactSum Of(double x) => new(Round(x, Scale));

    public static ExactSum operator +(ExactSum a, ExactSum b) => new(a.Units + b.Units);

    public double Value => (double)Units / Scale;

    internal static Int128 Round(double x, double scale) => double.IsFinite(x)
        ? (Int128)Math.Round(x * scale, MidpointRounding.ToEven)
        : throw new ArgumentOutOfRangeException(nameof(x), x, "a report value is not a finite number (a model error)");
}

/// <summary>
/// An <see cref="ExactSum"/> in units of 2⁻⁶⁰, for sums that are read as a ratio over a small quantity: a lead-time row's days
/// are Σ quantity × days over Σ quantity, and at 2⁻⁴⁰ a row of 10⁻⁹ t had its days off by up to 0.006 (below its transport
/// time; an accounting probe, Dec 2026). Range ±2⁶⁷ ≈ 1.5·10²⁰ units (tonne-days), far above any world's imports.
/// </summary>
public readonly record struct FineSum(Int128 Units)
{
    const double Scale = 1152921504606846976.0; // 2^60

    public static FineSum Of(double x) => new(ExactSum.Round(x, Scale));

    public static FineSum operator +(FineSum a, FineSum b) => new(a.Units + b.Units);

    public double Value => (double)Units / Scale;
}

/// <summary>What the frame needs of the agents' reports, summed exactly by (country, sector[, commodity]) and country.</summary>
public sealed class ShortageTotal
{
    public string Country { get; set; } = "";
    public string Sector { get; set; } = "";
    public string Commodity { get; set; } = "";
    public ExactSum Required { get; set; }
    public ExactSum Unmet { get; set; }
    /// <summary>Some report gave days of cover for this input (a cover row exists).</summary>
    public bool Covered { get; set; }
    /// <summary>Σ days of cover × requirement, and Σ requirement over the reports that gave cover: the row is their ratio.</summary>
    public ExactSum CoverWeighted { get; set; }
    public ExactSum CoverWeight { get; set; }
}

public sealed class SectorTotal
{
    public string Country { get; set; } = "";
    public string Sector { get; set; } = "";
    /// <summary>Some agent planned value added here (a loss row exists).</summary>
    public bool Planned { get; set; }
    public ExactSum Loss { get; set; }
    /// <summary>Some agent planned or made value added here (a value-added row exists).</summary>
    public bool Made { get; set; }
    public ExactSum ValueAdded { get; set; }
}

/// <summary>Firms' imports of one input into one country: quantity, Σ quantity × days from order to arrival, Σ quantity × days unfilled.</summary>
public sealed class LeadTotal
{
    public string Country { get; set; } = "";
    public string Commodity { get; set; } = "";
    public FineSum Quantity { get; set; }
    public FineSum QuantityDays { get; set; }
    public FineSum QuantityWaited { get; set; }
}

public sealed class FiscalTotal
{
    public string Country { get; set; } = "";
    public ExactSum Cost { get; set; }
}

/// <summary>
/// The agents' reports of one tick, folded: a shard folds its own agents and the session adds the shards' totals, so the
/// session handles one total per shard instead of one report per agent. Sums are <see cref="ExactSum"/>s, so the totals equal
/// the reference runner's fold of every report in any order. Rows are in no particular order; the frame sorts them.
/// </summary>
public sealed class ReportTotals
{
    public List<ShortageTotal> Shortages { get; set; } = [];
    public List<SectorTotal> Sectors { get; set; } = [];
    public List<FiscalTotal> Fiscal { get; set; } = [];
    public List<LeadTotal> Leads { get; set; } = [];
    /// <summary>Expansions decided this tick, in no particular order (the frame sorts them by producer).</summary>
    public List<CapacityDecision> Decisions { get; set; } = [];
    /// <summary>Agents' events this tick (AgentReport.Events), in no particular order (the frame sorts them).</summary>
    public List<string> Events { get; set; } = [];

    // Indexes over the lists, rebuilt when missing (after a copy through serialization). Shortages are found through their
    // (country, sector), which a report names once, and then by commodity among that sector's few inputs: hashing three strings
    // per shortage row was ≈1% of a 100,000-firm tick.
    Dictionary<(string, string), SectorRows>? _sectorAt;
    Dictionary<string, FiscalTotal>? _fiscalAt;
    Dictionary<(string, string), LeadTotal>? _leadAt;

    /// <summary>One (country, sector)'s rows: its sector total (if any yet) and its shortage rows.</summary>
    sealed class SectorRows
    {
        public SectorTotal? Sector;
        public readonly List<ShortageTotal> Shortages = new(4);
    }

    public static ReportTotals Of(IEnumerable<AgentReport> reports)
    {
        var t = new ReportTotals();
        foreach (var r in reports) t.Add(r);
        return t;
    }

    public void Add(AgentReport r)
    {
        var rows = r.Shortages.Count > 0 ? RowsOf(r.Country, r.Sector) : null;
        for (int i = 0; i < r.Shortages.Count; i++)
        {
            var s = r.Shortages[i];
            var row = Shortage(rows!, r.Country, r.Sector, s.Commodity);
            row.Required += ExactSum.Of(s.Required);
            row.Unmet += ExactSum.Of(s.Unmet);
            if (i < r.CoverDays.Count)
            {
                row.Covered = true;
                row.CoverWeighted += ExactSum.Of(r.CoverDays[i].Value * s.Required);
                row.CoverWeight += ExactSum.Of(s.Required);
            }
        }
        if (r.PlannedValueAdded > 0 || r.ValueAddedMade != 0)
        {
            var row = Sector(r.Country, r.Sector);
            if (r.PlannedValueAdded > 0)
            {
                row.Planned = true;
                row.Loss += ExactSum.Of(r.Loss);
            }
            row.Made = true;
            row.ValueAdded += ExactSum.Of(r.ValueAddedMade);
        }
        if (r.FiscalCost != 0) FiscalOf(r.Country).Cost += ExactSum.Of(r.FiscalCost);
        for (int k = 0; k < r.Imports.Count; k++) // an index loop: a foreach over the interface boxes an enumerator per report
        {
            var i = r.Imports[k];
            var row = Lead(r.Country, i.Commodity);
            row.Quantity += FineSum.Of(i.Quantity);
            row.QuantityDays += FineSum.Of(i.QuantityDays);
            row.QuantityWaited += FineSum.Of(i.QuantityWaited);
        }
        Decisions.AddRange(r.Decisions);
        Events.AddRange(r.Events);
    }

    public void Add(ReportTotals other)
    {
        foreach (var o in other.Shortages)
        {
            var row = Shortage(o.Country, o.Sector, o.Commodity);
            row.Required += o.Required;
            row.Unmet += o.Unmet;
            row.Covered |= o.Covered;
            row.CoverWeighted += o.CoverWeighted;
            row.CoverWeight += o.CoverWeight;
        }
        foreach (var o in other.Sectors)
        {
            var row = Sector(o.Country, o.Sector);
            row.Planned |= o.Planned;
            row.Loss += o.Loss;
            row.Made |= o.Made;
            row.ValueAdded += o.ValueAdded;
        }
        foreach (var o in other.Fiscal) FiscalOf(o.Country).Cost += o.Cost;
        foreach (var o in other.Leads)
        {
            var row = Lead(o.Country, o.Commodity);
            row.Quantity += o.Quantity;
            row.QuantityDays += o.QuantityDays;
            row.QuantityWaited += o.QuantityWaited;
        }
        Decisions.AddRange(other.Decisions);
        Events.AddRange(other.Events);
    }

    SectorRows RowsOf(string country, string sector)
    {
        if (_sectorAt is null)
        {
            _sectorAt = new();
            foreach (var x in Sectors) RowsOf(x.Country, x.Sector).Sector = x;
            foreach (var x in Shortages) RowsOf(x.Country, x.Sector).Shortages.Add(x);
        }
        ref var rows = ref CollectionsMarshal.GetValueRefOrAddDefault(_sectorAt, (country, sector), out _);
        return rows ??= new SectorRows();
    }

    ShortageTotal Shortage(string country, string sector, string commodity) => Shortage(RowsOf(country, sector), country, sector, commodity);

    ShortageTotal Shortage(SectorRows rows, string country, string sector, string commodity)
    {
        foreach (var x in rows.Shortages)
            if (string.Equals(x.Commodity, commodity, StringComparison.Ordinal)) return x;
        var row = new ShortageTotal { Country = country, Sector = sector, Commodity = commodity };
        Shortages.Add(row);
        rows.Shortages.Add(row);
        return row;
    }

    SectorTotal Sector(string country, string sector)
    {
        var rows = RowsOf(country, sector);
        if (rows.Sector is { } row) return row;
        row = new SectorTotal { Country = country, Sector = sector };
        Sectors.Add(row);
        return rows.Sector = row;
    }

    LeadTotal Lead(string country, string commodity)
    {
        _leadAt ??= Leads.ToDictionary(x => (x.Country, x.Commodity));
        if (_leadAt.TryGetValue((country, commodity), out var row)) return row;
        row = new LeadTotal { Country = country, Commodity = commodity };
        Leads.Add(row);
        _leadAt[(country, commodity)] = row;
        return row;
    }

    FiscalTotal FiscalOf(string country)
    {
        _fiscalAt ??= Fiscal.ToDictionary(x => x.Country, StringComparer.Ordinal);
        if (_fiscalAt.TryGetValue(country, out var row)) return row;
        row = new FiscalTotal { Country = country };
        Fiscal.Add(row);
        _fiscalAt[country] = row;
        return row;
    }
}
