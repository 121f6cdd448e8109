using MarketSim.Model.Market;

namespace MarketSim.Model.Agents;

/// <summary>What every agent sends to the markets in a tick.</summary>
public sealed record AgentPlan(string AgentId, IReadOnlyList<Bid> Bids, IReadOnlyList<Ask> Asks)
{
    public static AgentPlan Empty(string id) => new(id, [], []);
}

/// <summary>Shortage of one input at one agent in one tick: what full planned output needed vs. what was missing.</summary>
public sealed record InputShortage(string Commodity, double Required, double Unmet);

/// <summary>A firm's imports of one input in one tick: quantity, Σ quantity × days from order to arrival, and Σ quantity × days
/// of that spent unfilled.</summary>
public sealed record ImportLead(string Commodity, double Quantity, double QuantityDays, double QuantityWaited);

/// <summary>An expansion a producer decided this tick (Investment): the capacity it adds and the tick it starts producing (its
/// ramp then takes the investment's ramp days). Written to the tick's events, so a reader sees why capacity grew.</summary>
public sealed record CapacityDecision(string Producer, string Country, string Commodity, double Added, int OnlineTick);

/// <summary>What every agent reports after a tick.</summary>
public sealed record AgentReport(
    string AgentId,
    string Country,
    string Sector,
    double PlannedValueAdded,
    double Loss,
    IReadOnlyList<InputShortage> Shortages,
    /// <summary>Days of cover per input after production (inventory / planned daily use).</summary>
    IReadOnlyList<KeyValuePair<string, double>> CoverDays,
    double FiscalCost)
{
    /// <summary>Value added made this tick at reference prices: output value less inputs used, both at reference prices (so a
    /// magnet counted at the magnet maker is not counted again at the car maker, and a price spike is not value added).</summary>
    public double ValueAddedMade { get; init; }

    /// <summary>Units of output made this tick: a producer's main output (its co-products at their ratios to it), a manufacturer's
    /// end products (0 for countries). Each input k was used at aₖθₖ per unit, θ as it stood before the tick's thrift update:
    /// what the material balance reads (ConservationTests).</summary>
    public double Made { get; init; }

    /// <summary>Firms' imports with their lead time from order (Procurement.Receive); none from countries' stockpiles.</summary>
    public IReadOnlyList<ImportLead> Imports { get; init; } = [];

    /// <summary>Expansions the agent decided this tick (producers only).</summary>
    public IReadOnlyList<CapacityDecision> Decisions { get; init; } = [];

    /// <summary>What the agent began or stopped doing this tick, for events.csv (a stockpile's release or refill: countries
    /// only). Each begins with the stockpile's id, so the frame's ordinal sort of them is the same whatever order agents ran in.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];
}

/// <summary>The market view an agent needs to decide: last prices by segment, and floors in force.</summary>
public sealed record TickContext(int Tick, IReadOnlyDictionary<string, double> Prices, IReadOnlyDictionary<string, double> Floors)
{
    /// <summary>"commodity|buyer country|exporter" for every export control in force that covers that commodity to that country,
    /// except controls on military end use only and controls with named end users (SessionRules.Begin): whether an input is
    /// controlled to a country, and by whom (a stockpile's release on control reads it; precaution reads <see cref="News"/>).</summary>
    public IReadOnlyList<string> Controllers { get; init; } = [];
    /// <summary>The controls that are news to firms (SupplierRisk.UpdatePrecaution): those of <see cref="Controllers"/>' kind that are
    /// in force or announced (`announced` ≤ t &lt; start), as "commodity|buyer country|exporter" (the exporter's own sellers),
    /// and for a re-export clause also "commodity|buyer country|exporter|origin" (by origin) or "…|exporter|=threshold" (by
    /// content at or above the de-minimis share, written round-trip). Sorted ordinally. Only precaution reads it: an
    /// announced control binds nothing, and no stockpile releases on it.</summary>
    public IReadOnlyList<string> News { get; init; } = [];
    Dictionary<string, List<NewsSource>>? _news;
    /// <summary>The news controls on the commodity to the buyer country, in <see cref="News"/>' order (none: empty).</summary>
    public IReadOnlyList<NewsSource> NewsOf(string commodity, string buyerCountry)
    {
        if (News.Count == 0) return [];
        var map = _news;
        if (map is null)
        {
            map = new Dictionary<string, List<NewsSource>>(StringComparer.Ordinal);
            foreach (var entry in News)
            {
                var parts = entry.Split('|');
                var key = parts[0] + "|" + parts[1];
                if (!map.TryGetValue(key, out var l)) map[key] = l = new List<NewsSource>();
                l.Add(parts.Length < 4 ? new NewsSource(parts[2], false, null)
                    : new NewsSource(parts[2], true, parts[3] == NewsSource.ByOrigin ? null : double.Parse(parts[3][1..], System.Globalization.CultureInfo.InvariantCulture)));
            }
            _news = map;
        }
        return map.GetAlternateLookup<ReadOnlySpan<char>>()
            .TryGetValue(Joined(commodity, '|', buyerCountry, stackalloc char[Room(commodity, buyerCountry)]), out var list) ? list : [];
    }
    /// <summary>"commodity|buyer country" for the same controls (derived from <see cref="Controllers"/>, in its order).</summary>
    public IReadOnlyList<string> Controlled => Controllers.Select(e => e[..e.LastIndexOf('|')]).Distinct().ToList();
    /// <summary>"commodity|country" for every country where a capacity project for that commodity has begun (its plant being
    /// built or running): buyers start qualifying it then (SupplierRisk.Commission).</summary>
    public IReadOnlyList<string> Commissioning { get; init; } = [];
    // Lookups by the two halves of a key, without building the key: these run for every firm, input and tick. Built on first use
    // from the immutable maps (a context is shared by the grains of a silo; two threads building at once build the same thing).
    Dictionary<string, List<string>>? _controllers;
    /// <summary>The exporters whose controls in force cover the commodity to the buyer country (ordinal order; none: empty).</summary>
    public IReadOnlyList<string> ControllersOf(string commodity, string buyerCountry)
    {
        if (Controllers.Count == 0) return [];
        var map = _controllers;
        if (map is null)
        {
            map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var entry in Controllers) // sorted, so each list is in ordinal order
            {
                var cut = entry.LastIndexOf('|');
                var key = entry[..cut];
                if (!map.TryGetValue(key, out var l)) map[key] = l = new List<string>();
                l.Add(entry[(cut + 1)..]);
            }
            _controllers = map;
        }
        return map.GetAlternateLookup<ReadOnlySpan<char>>()
            .TryGetValue(Joined(commodity, '|', buyerCountry, stackalloc char[Room(commodity, buyerCountry)]), out var list) ? list : [];
    }
    Dictionary<string, double>? _prices, _floors;
    public bool IsControlled(string commodity, string buyerCountry) => ControllersOf(commodity, buyerCountry).Count > 0;
    public static string Key(string commodity, string segment) => commodity + "@" + segment;
    public double Price(string commodity, string segment) =>
        (_prices ??= new Dictionary<string, double>(Prices, StringComparer.Ordinal)).GetAlternateLookup<ReadOnlySpan<char>>()
            .TryGetValue(Joined(commodity, '@', segment, stackalloc char[Room(commodity, segment)]), out var p) ? p : 0;
    public double Floor(string commodity, string sellerCountry) =>
        Floors.Count > 0 && (_floors ??= new Dictionary<string, double>(Floors, StringComparer.Ordinal)).GetAlternateLookup<ReadOnlySpan<char>>()
            .TryGetValue(Joined(commodity, '@', sellerCountry, stackalloc char[Room(commodity, sellerCountry)]), out var f) ? f : 0;

    // Ids are short; a pair too long for the stack (a hand-written scenario's) gets a heap buffer.
    static int Room(string a, string b) => Math.Min(256, a.Length + b.Length + 1);
    static ReadOnlySpan<char> Joined(string a, char separator, string b, Span<char> buffer)
    {
        var n = a.Length + b.Length + 1;
        if (buffer.Length < n) buffer = new char[n];
        a.AsSpan().CopyTo(buffer);
        buffer[a.Length] = separator;
        b.AsSpan().CopyTo(buffer[(a.Length + 1)..]);
        return buffer[..n];
    }
}

/// <summary>A control that is news to buyers of an input in a country: its exporter, and whether its re-export clause reaches
/// third-country sellers' lots (by origin when <see cref="DeMinimis"/> is null, else by content at or above it).</summary>
public readonly record struct NewsSource(string Exporter, bool ReExport, double? DeMinimis)
{
    public const string ByOrigin = "origin";

    /// <summary>The entry of <see cref="TickContext.News"/> for a control of this kind.</summary>
    public static string Entry(string commodity, string buyerCountry, string exporter, bool reExport, double? deMinimis) =>
        commodity + "|" + buyerCountry + "|" + exporter
        + (!reExport ? "" : "|" + (deMinimis is { } t ? "=" + t.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : ByOrigin));
}
