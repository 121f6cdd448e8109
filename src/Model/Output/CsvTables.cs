using MarketSim.Model.Simulation;

namespace MarketSim.Model.Output;

/// <summary>A per-tick table: its file name, header, and how one frame becomes rows (each row's cells already formatted).</summary>
public sealed record CsvTable(string FileName, IReadOnlyList<string> Header, Func<Frame, IEnumerable<string[]>> Rows);

/// <summary>The per-tick tables of a run. Every table starts with tick and date, then the frame's key columns, in the frame's sorted order.</summary>
public static class CsvTables
{
    static string N(double v) => CsvFormat.Number(v);
    static string S(double v) => CsvFormat.Share(v);

    static IEnumerable<string[]> For<T>(Frame f, IEnumerable<T> rows, Func<T, string[]> cells)
    {
        var tick = CsvFormat.Integer(f.Tick);
        var date = CsvFormat.Date(f.Date);
        foreach (var r in rows) yield return [tick, date, .. cells(r)];
    }

    public static readonly CsvTable Prices = new("prices.csv", ["tick", "date", "market", "commodity", "price"],
        f => For(f, f.Prices, p => [p.Market, p.Commodity, N(p.Price)]));

    /// <summary>Origin: where the material was first produced; exporter: the selling firm's country; value = quantity × price paid.</summary>
    public static readonly CsvTable Flows = new("flows.csv", ["tick", "date", "origin", "exporter", "destination", "commodity", "quantity", "value", "duty"],
        f => For(f, f.Flows, x => [x.Origin, x.Exporter, x.Destination, x.Commodity, N(x.Quantity), N(x.Value), N(x.Duty)]));

    /// <summary>share = unmet / required (0 when nothing was required).</summary>
    public static readonly CsvTable Shortages = new("shortages.csv", ["tick", "date", "country", "sector", "commodity", "required", "unmet", "share"],
        f => For(f, f.Shortages, s => [s.Country, s.Sector, s.Commodity, N(s.Required), N(s.Unmet), S(s.Share)]));

    /// <summary>loss: value added not produced this tick; cumulative: since tick 0; gdp_share: cumulative / annual GDP.</summary>
    public static readonly CsvTable Losses = new("losses.csv", ["tick", "date", "country", "sector", "loss", "cumulative", "gdp_share"],
        f => For(f, f.Losses, l => [l.Country, l.Sector, N(l.Loss), N(l.Cumulative), S(l.GdpShare)]));

    /// <summary>days: quantity-weighted days from order to arrival of what the destination bought this tick.</summary>
    public static readonly CsvTable LeadTimes = new("lead_times.csv", ["tick", "date", "destination", "commodity", "quantity", "days", "waited"],
        f => For(f, f.LeadTimes, l => [l.Destination, l.Commodity, N(l.Quantity), N(l.Days), N(l.Waited)]));

    public static readonly CsvTable Fiscal = new("fiscal.csv", ["tick", "date", "country", "cost", "cumulative"],
        f => For(f, f.Fiscal, x => [x.Country, N(x.Cost), N(x.Cumulative)]));

    /// <summary>days: inventory after production over planned daily use, weighted by requirement across the sector's firms.</summary>
    public static readonly CsvTable Cover = new("cover.csv", ["tick", "date", "country", "sector", "commodity", "days"],
        f => For(f, f.Cover, c => [c.Country, c.Sector, c.Commodity, N(c.Days)]));

    /// <summary>rent: Σ quantity × (price paid − the exporter's home price) on sales across export controls; holder: exporter or state.</summary>
    public static readonly CsvTable Rents = new("rents.csv", ["tick", "date", "exporter", "commodity", "holder", "quantity", "rent"],
        f => For(f, f.Rents, r => [r.Exporter, r.Commodity, r.Holder, N(r.Quantity), N(r.Rent)]));

    /// <summary>share: quantity-weighted share of the value of what the destination imported that comes from country (a controlling
    /// country of the scenario's export controls); reached: the share of the quantity at or above that country's lowest de-minimis
    /// threshold (any content without one); rows only when the scenario tracks content origin.</summary>
    public static readonly CsvTable Content = new("content.csv", ["tick", "date", "destination", "commodity", "country", "quantity", "share", "reached"],
        f => For(f, f.Content, c => [c.Destination, c.Commodity, c.Country, N(c.Quantity), S(c.Share), S(c.Reached)]));

    /// <summary>value_added: made this tick at reference prices, every stage (output less inputs used, both at reference prices, so
    /// nothing is counted twice along the chain); cumulative: since tick 0. Against a baseline run its fall is the direct loss.</summary>
    public static readonly CsvTable ValueAdded = new("value_added.csv", ["tick", "date", "country", "sector", "value_added", "cumulative"],
        f => For(f, f.ValueAdded, v => [v.Country, v.Sector, N(v.Made), N(v.Cumulative)]));

    /// <summary>indirect: (multiplier − 1) × the sector's direct loss (losses.csv) this tick, the loss at domestic suppliers outside the
    /// model; rows only for the sectors the scenario gives an input–output multiplier (io_multipliers).</summary>
    public static readonly CsvTable Indirect = new("indirect.csv", ["tick", "date", "country", "sector", "multiplier", "indirect", "cumulative", "gdp_share"],
        f => For(f, f.Indirect, i => [i.Country, i.Sector, N(i.Multiplier), N(i.Loss), N(i.Cumulative), S(i.GdpShare)]));

    /// <summary>Who gains and who pays, per country and tick: export_revenue (its firms' sales abroad, before the buyer's tariff),
    /// export_rent (the part earned across export controls), tariff_revenue (what its buyers paid its state on imports), input_cost
    /// (what its producers and manufacturers paid for inputs, tariff included) and extra_input_cost (the same less the inputs'
    /// value at reference prices: the price rise passed to buyers) and floor_subsidy (the top-up its producers received under price
    /// floors, whoever pays it: the payers' side is in fiscal.csv).</summary>
    public static readonly CsvTable Accounts = new("accounts.csv", ["tick", "date", "country", "export_revenue", "export_rent", "tariff_revenue", "input_cost", "extra_input_cost", "floor_subsidy"],
        f => For(f, f.Accounts, a => [a.Country, N(a.ExportRevenue), N(a.ExportRent), N(a.TariffRevenue), N(a.InputCost), N(a.ExtraInputCost), N(a.FloorSubsidy)]));

    public static readonly CsvTable Events = new("events.csv", ["tick", "date", "event"],
        f => For(f, f.Events, e => [e]));

    public static readonly IReadOnlyList<CsvTable> PerTick = [Prices, Flows, Shortages, Losses, LeadTimes, Fiscal, Cover, Rents, Content, ValueAdded, Indirect, Accounts, Events];

    public const string SummaryFileName = "summary.csv";

    public static readonly IReadOnlyList<string> SummaryHeader =
        ["country", "gdp", "cumulative_loss", "loss_gdp_share", "peak_unmet_share", "shortage_days", "fiscal_cost", "indirect_loss", "indirect_gdp_share", "currency"];

    /// <summary>Every file a run writes, in a fixed order.</summary>
    public static IReadOnlyList<string> FileNames => [.. PerTick.Select(t => t.FileName), SummaryFileName];
}
