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
    /// <summary>Indirect loss at domestic suppliers outside the model, by country and sector (only where the scenario gives an
    /// input–output multiplier).</summary>
    public IReadOnlyList<IndirectLossRow> Indirect { get; init; } = [];
    /// <summary>Who gains and who pays, per country: export revenue and rents, tariff revenue, what firms paid for inputs.</summary>
    public IReadOnlyList<AccountRow> Accounts { get; init; } = [];
}

public sealed record PriceRow(string Market, string Commodity, double Price);
/// <summary>Origin: where the material was first produced; Exporter: the selling firm's country.</summary>
public sealed record FlowRow(string Origin, string Exporter, string Destination, string Commodity, double Quantity, double Value)
{
    /// <summary>Σ quantity × tariff per unit: the duty the destination's buyers paid on these goods (a tariff reads the customs
    /// origin, which Origin, where the material was mined, need not be), so each country's tariff revenue is its flows' duty.</summary>
    public double Duty { get; init; }
}
public sealed record ShortageRow(string Country, string Sector, string Commodity, double Required, double Unmet)
{
    public double Share => Required > 0 ? Unmet / Required : 0;
}
public sealed record LossRow(string Country, string Sector, double Loss, double Cumulative, double GdpShare);
public sealed record FiscalRow(string Country, double Cost, double Cumulative);
public sealed record CoverRow(string Country, string Sector, string Commodity, double Days);
/// <summary>Quantity-weighted days from order to arrival of what was bought this tick.</summary>
/// <summary>Firms' imports: quantity-weighted days from order to arrival, and the part of them spent unfilled (the rest is transport
/// and licence delay).</summary>
public sealed record LeadTimeRow(string Destination, string Commodity, double Quantity, double Days)
{
    public double Waited { get; init; }
}
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
/// <summary>Indirect loss this tick: (multiplier − 1) × the sector's direct loss (losses.csv); cumulative since tick 0; GdpShare:
/// cumulative / annual GDP.</summary>
public sealed record IndirectLossRow(string Country, string Sector, double Multiplier, double Loss, double Cumulative, double GdpShare);
/// <summary>A country's accounts this tick. ExportRevenue: Σ quantity × price of its firms' sales abroad (before the buyer's tariff);
/// ExportRent: the part of it earned across export controls (both holders); TariffRevenue: Σ quantity × tariff on what its buyers
/// imported (a transfer from its buyers to its state); InputCost: Σ quantity × delivered price (tariff included) of what its
/// producers and manufacturers bought; ExtraInputCost: Σ quantity × (delivered price − reference price) of the same purchases
/// (the price rise passed to buyers; stockpile purchases are in fiscal.csv instead).</summary>
public sealed record AccountRow(string Country, double ExportRevenue, double ExportRent, double TariffRevenue, double InputCost, double ExtraInputCost)
{
    /// <summary>Σ quantity × top-up its producers received under price floors, on every sale (the payers' side is in fiscal.csv).</summary>
    public double FloorSubsidy { get; init; }
}
