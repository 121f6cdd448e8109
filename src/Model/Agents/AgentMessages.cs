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

    /// <summary>Firms' imports with their lead time from order (Procurement.Receive); none from countries' stockpiles.</summary>
    public IReadOnlyList<ImportLead> Imports { get; init; } = [];
}

/// <summary>The market view an agent needs to decide: last prices by segment, and floors in force.</summary>
public sealed record TickContext(int Tick, IReadOnlyDictionary<string, double> Prices, IReadOnlyDictionary<string, double> Floors)
{
    /// <summary>"commodity|buyer country" for every export control in force that covers that commodity to that country, except
    /// controls on military end use only and controls with named end users (SessionRules.Begin).</summary>
    public IReadOnlyList<string> Controlled { get; init; } = [];
    HashSet<string>? _controlled;
    public bool IsControlled(string commodity, string buyerCountry) =>
        Controlled.Count > 0 && (_controlled ??= new HashSet<string>(Controlled, StringComparer.Ordinal)).Contains(commodity + "|" + buyerCountry);
    public static string Key(string commodity, string segment) => commodity + "@" + segment;
    public double Price(string commodity, string segment) => Prices.TryGetValue(Key(commodity, segment), out var p) ? p : 0;
    public double Floor(string commodity, string sellerCountry) =>
        Floors.TryGetValue(commodity + "@" + sellerCountry, out var f) ? f : 0;
}
