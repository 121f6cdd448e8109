using MarketSim.Model.Policies;

namespace MarketSim.Model.Scenario;

/// <summary>A validated scenario: everything the simulation needs, nothing hard-coded to rare earths.</summary>
public sealed record ScenarioSpec
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required DateOnly StartDate { get; init; }
    /// <summary>Horizon in ticks (one tick = one day).</summary>
    public required int Days { get; init; }
    public required string Currency { get; init; }
    public ulong Seed { get; init; }
    public required DemandSettings Demand { get; init; }
    /// <summary>How buyers learn supplier risk, qualify suppliers and hold precautionary stock (defaults: the behaviour off).</summary>
    public BuyerSettings Buyers { get; init; } = new();
    /// <summary>Track content origin (shares of value by country) and customs origin in every lot (Agents/Provenance.cs).</summary>
    public bool ContentOrigin { get; init; }
    /// <summary>How producers add capacity in answer to sustained margins (default: off).</summary>
    public InvestmentSettings Investment { get; init; } = new();
    public required TransportSpec Transport { get; init; }
    public required IReadOnlyList<CommoditySpec> Commodities { get; init; }
    public required IReadOnlyList<SegmentSpec> Segments { get; init; }
    public required IReadOnlyList<CountrySpec> Countries { get; init; }
    public required IReadOnlyList<ProducerSpec> Producers { get; init; }
    /// <summary>Manufacturer firms, already expanded from their sector groups (one entry per firm).</summary>
    public required IReadOnlyList<ManufacturerSpec> Manufacturers { get; init; }
    public required IReadOnlyList<PolicySpec> Policies { get; init; }
    /// <summary>Days the world is stepped before tick 0 (the spin-up): from the earliest start of a policy in force before the
    /// start date (a negative tick), or announcement of an export control (`announced`), so such a policy stands on day 0 as it
    /// would after running (or being known) since then. 0: none. Set by
    /// the reader and kept by counterfactuals (<c>with</c>), so a run and its baseline share one clock.</summary>
    public int SpinUpDays { get; init; }
    /// <summary>The first tick stepped: −<see cref="SpinUpDays"/>. Output begins at tick 0.</summary>
    public int FirstTick => -SpinUpDays;

    // Lookups are hot (every agent, every tick): index once per list instance, rebuilt if a `with` swaps the list. Each index
    // is one object, published by one reference write: the grains of a silo share a world and index it concurrently (a
    // nullable tuple was written field by field, and a reader could see it half written).
    Indexed<IReadOnlyList<CommoditySpec>, Dictionary<string, CommoditySpec>>? _commodities;
    Indexed<IReadOnlyList<CountrySpec>, Dictionary<string, CountrySpec>>? _countries;
    Indexed<IReadOnlyList<SegmentSpec>, System.Collections.Concurrent.ConcurrentDictionary<string, string>>? _segments;

    public CommoditySpec Commodity(string id)
    {
        if (_commodities is not { } c || !ReferenceEquals(c.Of, Commodities))
            _commodities = c = new(Commodities, Commodities.ToDictionary(x => x.Id, StringComparer.Ordinal));
        return c.Index.TryGetValue(id, out var v) ? v : throw new KeyNotFoundException($"unknown commodity '{id}'");
    }

    public CountrySpec Country(string id)
    {
        if (_countries is not { } c || !ReferenceEquals(c.Of, Countries))
            _countries = c = new(Countries, Countries.ToDictionary(x => x.Id, StringComparer.Ordinal));
        return c.Index.TryGetValue(id, out var v) ? v : throw new KeyNotFoundException($"unknown country '{id}'");
    }
    public DateOnly DateOf(int tick) => StartDate.AddDays(tick);

    Indexed<IReadOnlyList<ProducerSpec>, Dictionary<string, string[]>>? _suppliers;
    /// <summary>Countries with a producer of the commodity (main output or co-product), in ordinal order; indexed once.</summary>
    public IReadOnlyList<string> SupplierCountries(string commodity)
    {
        if (_suppliers is not { } c || !ReferenceEquals(c.Of, Producers))
            _suppliers = c = new(Producers, Commodities.ToDictionary(k => k.Id, k => Producers
                .Where(p => p.Output == k.Id || p.CoProducts.ContainsKey(k.Id)).Select(p => p.Country).Distinct().OrderBy(x => x, StringComparer.Ordinal).ToArray(),
                StringComparer.Ordinal));
        return c.Index.TryGetValue(commodity, out var v) ? v : [];
    }

    Indexed<(IReadOnlyList<ProducerSpec>, IReadOnlyList<ManufacturerSpec>), (string Country, string Sector)[]>? _firmSectors;
    /// <summary>Every (country, sector) of the world's producers and manufacturers, each once; indexed once.</summary>
    public IReadOnlyList<(string Country, string Sector)> FirmSectors()
    {
        if (_firmSectors is not { } c || !ReferenceEquals(c.Of.Item1, Producers) || !ReferenceEquals(c.Of.Item2, Manufacturers))
            _firmSectors = c = new((Producers, Manufacturers), Producers.Select(p => (p.Country, p.Sector))
                .Concat(Manufacturers.Select(m => (m.Country, m.Sector))).Distinct().ToArray());
        return c.Index;
    }

    Indexed<(IReadOnlyList<ProducerSpec>, IReadOnlyList<ManufacturerSpec>, IReadOnlyList<PolicySpec>), Dictionary<string, HashSet<string>>>? _buyers;
    /// <summary>Countries with a firm that uses the commodity as an input and makes something: a producer with capacity (or a
    /// capacity project of the scenario's), a manufacturer with planned output; indexed once. A stockpile is a buyer too, but
    /// policies change during a run: <c>SessionRules</c> adds those in force.</summary>
    public IReadOnlySet<string> BuyerCountries(string commodity)
    {
        if (_buyers is not { } c || !ReferenceEquals(c.Of.Item1, Producers) || !ReferenceEquals(c.Of.Item2, Manufacturers) || !ReferenceEquals(c.Of.Item3, Policies))
        {
            var projects = Policies.OfType<CapacityProject>().Select(x => x.Producer).ToHashSet(StringComparer.Ordinal);
            _buyers = c = new((Producers, Manufacturers, Policies), Commodities.ToDictionary(k => k.Id, k => Producers
                .Where(p => p.Inputs.ContainsKey(k.Id) && (p.Capacity > 0 || projects.Contains(p.Id))).Select(p => p.Country)
                .Concat(Manufacturers.Where(m => m.Inputs.ContainsKey(k.Id) && m.PlannedOutput > 0).Select(m => m.Country))
                .ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal));
        }
        return c.Index.TryGetValue(commodity, out var v) ? v : [];
    }

    Indexed<IReadOnlyList<ProducerSpec>, Dictionary<string, ProducerSpec[]>>? _producersOf;
    /// <summary>Producers of the commodity (main output or co-product), in ordinal id order; indexed once (every firm's opening
    /// supply reads it: sorting all producers per firm was quadratic in a large world).</summary>
    public IReadOnlyList<ProducerSpec> ProducersOf(string commodity)
    {
        if (_producersOf is not { } c || !ReferenceEquals(c.Of, Producers))
            _producersOf = c = new(Producers, Commodities.ToDictionary(k => k.Id, k => Producers
                .Where(p => p.Output == k.Id || p.CoProducts.ContainsKey(k.Id)).OrderBy(p => p.Id, StringComparer.Ordinal).ToArray(),
                StringComparer.Ordinal));
        return c.Index.TryGetValue(commodity, out var v) ? v : [];
    }

    Indexed<(IReadOnlyList<ProducerSpec>, IReadOnlyList<ManufacturerSpec>), Dictionary<string, double>>? _utilisation;
    /// <summary>The share of its producers' capacity buyers take of the commodity on day 0 with no policy
    /// (Agents.OpeningDemand.Utilisations); indexed once.</summary>
    public double OpeningUtilisation(string commodity)
    {
        if (_utilisation is not { } c || !ReferenceEquals(c.Of.Item1, Producers) || !ReferenceEquals(c.Of.Item2, Manufacturers))
            _utilisation = c = new((Producers, Manufacturers), Agents.OpeningDemand.Utilisations(this));
        return c.Index.GetValueOrDefault(commodity, 1);
    }

    Indexed<IReadOnlyList<PolicySpec>, HashSet<string>>? _contentCountries;
    /// <summary>Countries whose content lots carry: the exporters of the scenario's export controls (Agents/Provenance.cs).</summary>
    public IReadOnlyCollection<string> ContentCountries()
    {
        if (_contentCountries is not { } c || !ReferenceEquals(c.Of, Policies))
            _contentCountries = c = new(Policies, Policies.OfType<ExportControl>().Select(x => x.Exporter).ToHashSet(StringComparer.Ordinal));
        return c.Index;
    }

    /// <summary>The price segment a seller in this country belongs to (the last segment with no countries takes the rest).</summary>
    public string SegmentOf(string country)
    {
        if (_segments is not { } c || !ReferenceEquals(c.Of, Segments)) _segments = c = new(Segments, new(StringComparer.Ordinal));
        return c.Index.TryGetValue(country, out var seg) ? seg : c.Index.GetOrAdd(country, FindSegment);
    }

    string FindSegment(string country)
    {
        foreach (var s in Segments)
            if (s.Countries.Count > 0 && s.Countries.Contains(country)) return s.Id;
        foreach (var s in Segments)
            if (s.Countries.Count == 0) return s.Id;
        return Segments[0].Id;
    }
}

public sealed record DemandSettings
{
    /// <summary>Price elasticity of the input-intensity target (thrift/substitution). An assumption: no published estimate.</summary>
    public double Elasticity { get; init; } = 0.1;
    /// <summary>Days for intensity to close 63% of the gap to its target (first-order lag).</summary>
    public double LagDays { get; init; } = 365;
    /// <summary>Lowest intensity thrift can reach, relative to the bill of materials, where an input names no floor of its own.</summary>
    public double Floor { get; init; } = 0.7;
    /// <summary>Weight of a new observation in the firms' expected lead time.</summary>
    public double LeadTimeLearning { get; init; } = 0.1;
    /// <summary>Share of the thrift a high price forced that stays when the price falls (redesigned products do not go back).</summary>
    public double Persistence { get; init; }
}

/// <summary>Buyers' behaviour towards supplier risk (docs/MODEL.md, "Buyers who learn supplier risk").</summary>
public sealed record BuyerSettings
{
    /// <summary>A buyer spreads an order over offers up to this fraction dearer (perceived cost) than the cheapest.</summary>
    public double PriceBand { get; init; } = 0.10;
    /// <summary>Days for the risk estimate to close 63% of the gap when disruption is above it (learning).</summary>
    public double RiskLearningDays { get; init; } = 30;
    /// <summary>Days for the risk estimate to close 63% of the gap when disruption is below it (forgetting).</summary>
    public double RiskMemoryDays { get; init; } = 365;
    /// <summary>Extra perceived cost per unit of price at risk 1: a buyer pays up to this much more for a supplier of no risk.</summary>
    public double SecurityPremium { get; init; }
    /// <summary>Days to qualify a new supplier country; 0 = every country counts as qualified.</summary>
    public double QualificationDays { get; init; }
    /// <summary>A buyer starts qualifying the other supplier countries of an input when its risk estimate of one it buys from reaches this.</summary>
    public double QualifyAtRisk { get; init; } = 0.1;
    /// <summary>Highest cover target (days) precaution can reach; 0 = no precautionary stock.</summary>
    public double PrecautionMaxCoverDays { get; init; }
    /// <summary>Days for the precaution level to close 63% of the gap upwards (building stock).</summary>
    public double PrecautionBuildDays { get; init; } = 60;
    /// <summary>Days for the precaution level to close 63% of the gap downwards (running stock back down).</summary>
    public double PrecautionReleaseDays { get; init; } = 365;
    /// <summary>A producer's military share of purchases follows the military share of its sales (end use carried upstream).</summary>
    public bool EndUseUpstream { get; init; }
    /// <summary>Days for that share to close 63% of the gap to its order book's.</summary>
    public double EndUseLagDays { get; init; } = 30;
    /// <summary>How an oversubscribed seller shares its stock: false (default) each order's base first (what restores its
    /// buyer's own cover), then the precautionary rest, each pro rata; true needs first (each order's normal daily
    /// requirement, then the rest), as suppliers on allocation do for regular customers (<see cref="Market.Rationing"/>).</summary>
    public bool NeedsFirst { get; init; }
    /// <summary>Whether an oversubscribed seller serves its requests of a tier in order of their buyer's limit price, highest
    /// first, needs before the rest (efficient rationing: what a price free to rise would do; <see cref="Market.Rationing.AllocateByValue"/>);
    /// false (default): all of the tier by the rule above (proportional rationing, as suppliers on allocation share among
    /// regular customers). The two are reference points for a shortage's loss where buyers' values per unit of the input differ (docs/MODEL.md).</summary>
    public bool RationByValue { get; init; }
}

/// <summary>Producers' investment in answer to margins (docs/MODEL.md, "Investment that answers prices").</summary>
public sealed record InvestmentSettings
{
    /// <summary>Capacity added per decision, as a share of the producer's capacity; 0 = no endogenous investment.</summary>
    public double Step { get; init; }
    /// <summary>Expected margin (revenue with floors over cost, minus 1) that must hold for SustainDays.</summary>
    public double MarginThreshold { get; init; } = 0.25;
    public double SustainDays { get; init; } = 180;
    /// <summary>Days from decision to first output (an expansion of a running plant; a new plant takes longer: per producer).</summary>
    public double LeadDays { get; init; } = 1095;
    /// <summary>Days of the S-shaped ramp from first output to full added capacity.</summary>
    public double RampDays { get; init; } = 730;
}

public sealed record TransportSpec
{
    public double DomesticDays { get; init; } = 7;
    public double InternationalDays { get; init; } = 35;
    public IReadOnlyList<RouteSpec> Routes { get; init; } = [];

    public int DaysBetween(string from, string to)
    {
        foreach (var r in Routes)
            if ((r.From == from && r.To == to) || (r.From == to && r.To == from)) return (int)Math.Round(r.Days);
        return (int)Math.Round(from == to ? DomesticDays : InternationalDays);
    }
}

public sealed record RouteSpec(string From, string To, double Days);

public sealed record CommoditySpec
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public string Unit { get; init; } = "t";
    public string Stage { get; init; } = "";
    public IReadOnlyList<string> Groups { get; init; } = [];
    /// <summary>Price per unit at the start, in the scenario's currency.</summary>
    public required double ReferencePrice { get; init; }
    /// <summary>κ: the daily price response to excess demand, p' = p·exp(κ·(D−S)/(D+S)).</summary>
    public double PriceAdjustment { get; init; } = 0.02;
    /// <summary>μ: the daily pull of the price back towards the reference, −μ·ln(p/p₀) in the exponent (0 = none).</summary>
    public double PriceReversion { get; init; }
    /// <summary>W: the days of trade the price rule reads, D and S summed over the last W days (1 = the day's alone).</summary>
    public int PriceWindowDays { get; init; } = 1;
    public double MinPriceFactor { get; init; } = 0.2;
    public double MaxPriceFactor { get; init; } = 40;
    /// <summary>Origin given to stock and shipments that exist at tick 0.</summary>
    public required string InitialOrigin { get; init; }
}

public sealed record SegmentSpec(string Id, IReadOnlyList<string> Countries);

public sealed record CountrySpec
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>Annual GDP in the scenario currency.</summary>
    public required double Gdp { get; init; }
    /// <summary>Sector → input–output multiplier m ≥ 1 (total domestic output lost per unit lost at the sector, from a national
    /// input–output table): the indirect loss at domestic suppliers outside the model is (m − 1) × the sector's direct loss.</summary>
    public IReadOnlyDictionary<string, double> IoMultipliers { get; init; } = new Dictionary<string, double>();
    /// <summary>Where the multipliers come from (required with them).</summary>
    public string IoSource { get; init; } = "";
}

public enum EndUse { Civil, Military }

public sealed record ThriftSpec(double Floor, double? Elasticity, double? LagDays);

public sealed record ProducerSpec
{
    Indexed<IReadOnlyDictionary<string, double>, string[]>? _order;
    /// <summary>The inputs' ids in ordinal order, computed once (every rule loops over inputs in this order).</summary>
    public string[] InputOrder() => Indexed.OrdinalKeys(Inputs, ref _order);
    Indexed<IReadOnlyDictionary<string, double>, string[]>? _coOrder;
    /// <summary>The co-products' ids in ordinal order, computed once.</summary>
    public string[] CoProductOrder() => Indexed.OrdinalKeys(CoProducts, ref _coOrder);

    public required string Id { get; init; }
    public required string Country { get; init; }
    public string Sector { get; init; } = "producer";
    public required string Output { get; init; }
    /// <summary>Capacity per tick at the start.</summary>
    public required double Capacity { get; init; }
    /// <summary>Cost per unit of output, inputs excluded.</summary>
    public required double UnitCost { get; init; }
    public IReadOnlyDictionary<string, double> Inputs { get; init; } = new Dictionary<string, double>();
    /// <summary>Which input's origin the output takes (default: the first input; a primary producer's own country).</summary>
    public string? OriginFrom { get; init; }
    public double InputCoverDays { get; init; } = 30;
    /// <summary>Expected procurement lead time at the start; null = the mean transport time, weighted as its opening purchases are (OpeningLots), from the producers of
    /// each input open to the buyer (OpeningLots.Supply; the input's initial origin where none makes it).</summary>
    public double? LeadTimeDays { get; init; }
    /// <summary>Share of the gap to target capacity closed per tick.</summary>
    public double RampRate { get; init; } = 0.01;
    /// <summary>Output response when price is below the variable cost: u = (p/c_v)^ε.</summary>
    public double SupplyElasticity { get; init; } = 1.0;
    /// <summary>The share of the unit cost (beyond inputs) a producer saves by not producing in the short run: its output
    /// falls only when revenue per unit is below this share of the unit cost plus its inputs (docs/MODEL.md, producers).</summary>
    public double VariableCostShare { get; init; } = 0.5;
    /// <summary>The finished-goods store in days of min(capacity, expected sales) (at least <see cref="MinInventoryDays"/> of
    /// capacity): stock of the main output at it stops production (docs/MODEL.md, producers).</summary>
    public double InventoryCapDays { get; init; } = 30;
    /// <summary>The store's floor in days of capacity: a producer whose buyers left keeps this much on offer.</summary>
    public double MinInventoryDays { get; init; } = 5;
    /// <summary>Finished stock at the start, in days of capacity; null = the store full at its target on day 0, as every
    /// buyer's stock is (ProducerRules.OpeningStore).</summary>
    public double? InitialInventoryDays { get; init; }
    /// <summary>Weight of each day's sales in the producer's expected sales (adaptive expectations).</summary>
    public double SalesLearning { get; init; } = 0.1;
    /// <summary>Buyers' countries served first when the producer is oversubscribed (e.g. Lynas → Japan).</summary>
    public IReadOnlyList<string> PriorityBuyers { get; init; } = [];
    /// <summary>Joint products: units of each co-product made per unit of the main output (e.g. Tb beside Dy).</summary>
    public IReadOnlyDictionary<string, double> CoProducts { get; init; } = new Dictionary<string, double>();
    /// <summary>An offtake contract: this share of every offer is reserved for buyers in these countries (e.g. Lynas → Japan).</summary>
    public IReadOnlyList<string> ReservedFor { get; init; } = [];
    public double ReservedShare { get; init; }
    public double MilitaryShare { get; init; }
    public IReadOnlyDictionary<string, ThriftSpec> Thrift { get; init; } = new Dictionary<string, ThriftSpec>();
    /// <summary>This producer's investment lead time in days, where it differs from the scenario's (a new plant vs an expansion).</summary>
    public double? InvestmentLeadDays { get; init; }
}

public sealed record ManufacturerSpec
{
    Indexed<IReadOnlyDictionary<string, double>, string[]>? _order;
    /// <summary>The inputs' ids in ordinal order, computed once (every rule loops over inputs in this order).</summary>
    public string[] InputOrder() => Indexed.OrdinalKeys(Inputs, ref _order);

    public required string Id { get; init; }
    public required string Country { get; init; }
    public required string Sector { get; init; }
    public string OutputUnit { get; init; } = "unit";
    /// <summary>Planned output per tick.</summary>
    public required double PlannedOutput { get; init; }
    public required double OutputValue { get; init; }
    public required double ValueAdded { get; init; }
    public required IReadOnlyDictionary<string, double> Inputs { get; init; }
    /// <summary>Target inventory in days of use.</summary>
    public required double CoverDays { get; init; }
    /// <summary>Expected procurement lead time at the start; null = the mean transport time, weighted as its opening purchases are (OpeningLots), from the producers of
    /// each input open to the buyer (OpeningLots.Supply; the input's initial origin where none makes it).</summary>
    public double? LeadTimeDays { get; init; }
    public double MilitaryShare { get; init; }
    public IReadOnlyDictionary<string, ThriftSpec> Thrift { get; init; } = new Dictionary<string, ThriftSpec>();
    /// <summary>σₖ, the share of planned output that needs input k (`dependent_share`; docs/MODEL.md, Manufacturers): the rest
    /// is made without it. An input not listed is needed by all of it (σ = 1, the fixed recipe).</summary>
    public IReadOnlyDictionary<string, double> DependentShare { get; init; } = new Dictionary<string, double>();

    /// <summary>σₖ for input k: 1 unless <see cref="DependentShare"/> gives it.</summary>
    public double DependentShareOf(string k) => DependentShare.TryGetValue(k, out var s) ? s : 1;
}

/// <summary>An index built from a list (or map) of a spec, with the instance it was built from: one object, so that grains
/// sharing the spec publish and read it whole.</summary>
internal sealed record Indexed<TOf, TIndex>(TOf Of, TIndex Index);

internal static class Indexed
{
    /// <summary>The map's keys in ordinal order, kept in <paramref name="cache"/> while the map is the same instance.</summary>
    public static string[] OrdinalKeys(IReadOnlyDictionary<string, double> map, ref Indexed<IReadOnlyDictionary<string, double>, string[]>? cache)
    {
        if (cache is not { } c || !ReferenceEquals(c.Of, map))
        {
            var keys = map.Keys.ToArray();
            Array.Sort(keys, StringComparer.Ordinal);
            cache = c = new(map, keys);
        }
        return c.Index;
    }
}
