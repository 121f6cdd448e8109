namespace MarketSim.Model.Simulation;

/// <summary>Everything observable about one tick. Every list is sorted by its key columns.</summary>
public sealed record Frame(
    int Tick,
    DateOnly Date,
    IReadOnlyList<PriceRow> Prices,
    IReadOnlyList<FlowRow> Flows,
    IReadOnlyList<ShortageRow> Shortages,
    IReadOnlyList<LossRow> Losses,
    IReadOnlyList<FiscalRow> Fiscal,
    IReadOnlyList<CoverRow> Cover,
    IReadOnlyList<LeadTimeRow> LeadTimes,
    IReadOnlyList<string> Events)
{
    /// <summary>Export rents earned this tick on sales across export controls (empty when none).</summary>
    public IReadOnlyList<RentRow> Rents { get; init; } = [];
    /// <summary>Content origin of imports by controlling country (empty unless the scenario tracks content).</summary>
    public IReadOnlyList<ContentRow> Content { get; init; } = [];
    /// <summary>Value added made at reference prices by country and sector, every stage (producers and manufacturers).</summary>
    public IReadOnlyList<ValueAddedRow> ValueAdded { get; init; } = [];
}

public sealed record PriceRow(string Market, string Commodity, double Price);
/// <summary>Origin: where the material was first produced; Exporter: the selling firm's country.</summary>
public sealed record FlowRow(string Origin, string Exporter, string Destination, string Commodity, double Quantity, double Value);
public sealed record ShortageRow(string Country, string Sector, string Commodity, double Required, double Unmet)
{
    public double Share => Required > 0 ? Unmet / Required : 0;
}
public sealed record LossRow(string Country, string Sector, double Loss, double Cumulative, double GdpShare);
public sealed record FiscalRow(string Country, double Cost, double Cumulative);
public sealed record CoverRow(string Country, string Sector, string Commodity, double Days);
/// <summary>Quantity-weighted days from order to arrival of what was bought this tick.</summary>
public sealed record LeadTimeRow(string Destination, string Commodity, double Quantity, double Days);
/// <summary>Export rent earned by an exporter's sales across export controls: Σ quantity × (price paid − home price).
/// Holder: "exporter" (the selling firms) or "state" (collected as with an export tax).</summary>
public sealed record RentRow(string Exporter, string Commodity, string Holder, double Quantity, double Rent);
/// <summary>What a destination bought from abroad this tick of a commodity, and the quantity-weighted share of its value that
/// comes from Country (a controlling country of the scenario's export controls); Reached: the share of the quantity whose content
/// from Country is at or above that country's lowest de-minimis threshold (above zero without one), the part its re-export
/// clause can reach.</summary>
public sealed record ContentRow(string Destination, string Commodity, string Country, double Quantity, double Share, double Reached);
/// <summary>Value added made this tick at reference prices (output less inputs used, both at reference prices) and since tick 0.</summary>
public sealed record ValueAddedRow(string Country, string Sector, double Made, double Cumulative);
