namespace MarketSim.Model.Agents;

/// <summary>Material bought and on its way: arrives at ArrivalTick (after transport; a licence's delay comes before shipping).
/// It does not keep its order tick: lead times are learnt from the fills when they are booked (Procurement.Receive), and
/// shipments due the same day merge whenever they were ordered.</summary>
public record struct Shipment(string Commodity, string Origin, double Quantity, int ArrivalTick);

/// <summary>The mutable state of one producer or manufacturer. Plain data: grains persist it, the reference runner holds it.</summary>
public sealed class FirmState
{
    public string Id { get; set; } = "";
    /// <summary>The price segment of the firm's own country (the price it watches).</summary>
    public string HomeSegment { get; set; } = "";
    /// <summary>Input stock: commodity → origin → quantity.</summary>
    public Dictionary<string, Dictionary<string, double>> Inputs { get; set; } = new();
    /// <summary>Material on its way, in arrival order, one entry per arrival tick, input and origin lot (Pipeline.Book).</summary>
    public Pipeline Pipeline { get; set; } = new();
    public Dictionary<string, double> ExpectedLeadTime { get; set; } = new();
    /// <summary>The part of <see cref="ExpectedLeadTime"/> that is a licence's wait (application to shipping), learnt from the
    /// same fills (no entry until a licensed fill): what it has applied for counts as on order up to this many days' use.</summary>
    public Dictionary<string, double> ExpectedWait { get; set; } = new();
    /// <summary>Input → the unfilled parts of its orders, oldest first (Agents/OpenOrders.cs: measures lead time, decides nothing).</summary>
    public Dictionary<string, List<OpenOrder>> Unfilled { get; set; } = new();
    /// <summary>θ: input use per unit relative to the bill of materials (thrift and substitution).</summary>
    public Dictionary<string, double> Intensity { get; set; } = new();
    /// <summary>The delivered price per unit (tariff included) the firm values each input at: each day's fills move it by their
    /// share of a day's use (Procurement.Receive).</summary>
    public Dictionary<string, double> LastPrice { get; set; } = new();
    /// <summary>Tariff per unit of price the firm faces on each input (inside a tariff wall its untaxed purchases' premium too),
    /// moved by each day's fills by their share of a day's use as <see cref="LastPrice"/> is (no entry where it is 0).</summary>
    public Dictionary<string, double> TariffRate { get; set; } = new();
    /// <summary>Producers: the premium a tariff wall paid on each output's sales per unit of the home price, moved by each day's
    /// sales by their share of a day's output at capacity (no entry where it is 0): its revenue per unit reads it.</summary>
    public Dictionary<string, double> SalesPremium { get; set; } = new();
    /// <summary>Producers: finished output (main and co-products): commodity → origin → quantity.</summary>
    public Dictionary<string, Dictionary<string, double>> Finished { get; set; } = new();
    public double Capacity { get; set; }
    public double TargetCapacity { get; set; }
    /// <summary>Producers: the output rate they meant to run at last tick.</summary>
    public double PlannedRate { get; set; }
    /// <summary>Producers: expected sales of the main output per tick, learnt on days inputs did not limit output.</summary>
    public double ExpectedSales { get; set; }
    public double CumulativeLoss { get; set; }

    /// <summary>Risk estimate per "input|supplier country", in [0, 1]: learnt from the disruptions met there (Agents/SupplierRisk.cs).</summary>
    public Dictionary<string, double> Risk { get; set; } = new();
    /// <summary>"input|seller country" → that country's share of the firm's supply of the input, remembered over
    /// `risk_memory_days` (Agents/SupplierRisk.cs: what precaution weighs a control or a risk by).</summary>
    public Dictionary<string, double> SupplierShares { get; set; } = new();
    /// <summary>"input|seller country" → lot (Provenance key) → that lot's share of the firm's supply of the input, remembered as
    /// <see cref="SupplierShares"/> is (its lots sum to that country's share): what a re-export clause's news is weighed by.</summary>
    public Dictionary<string, Dictionary<string, double>> SupplierLots { get; set; } = new();
    /// <summary>"input|supplier country" → first tick the firm may buy from that country on the open market (qualification).</summary>
    public Dictionary<string, int> QualifiedFrom { get; set; } = new();
    /// <summary>Precaution level per input in [0, 1]: the cover target moves from the firm's own towards the scenario's maximum.</summary>
    public Dictionary<string, double> Precaution { get; set; } = new();
    /// <summary>"input|exporter" → first tick of the current spell in which a control of that exporter is news on the input to the
    /// firm's country; "input|exporter|re" → the same for its re-export clauses (SupplierRisk.UpdatePrecaution).</summary>
    public Dictionary<string, int> ControlledSince { get; set; } = new();
    /// <summary>Lowest intensity θ reached per input (the redesign achieved; part of it persists).</summary>
    public Dictionary<string, double> IntensityLow { get; set; } = new();
    /// <summary>Producers: the military share of their sales, learnt from their order book (end use carried upstream).</summary>
    public double MilitarySalesShare { get; set; }
    /// <summary>Producers: consecutive days the expected margin has held above the investment threshold.</summary>
    public int MarginDays { get; set; }
    /// <summary>Producers: capacity expansions decided, each with its decision tick and size (Agents/Investment.cs).</summary>
    public List<Expansion> Expansions { get; set; } = new();
    /// <summary>Input → what it has applied for under a licence and not had decided (the markets' last report,
    /// <see cref="Market.Applied"/>): on order, in its order-up-to position (Procurement.BidFor).</summary>
    public Dictionary<string, double> Applied { get; set; } = new();
    /// <summary>Firms with two inputs or more: input → the share of a day's requirement the market has supplied, learnt day by
    /// day from fills (no entry: 1, as at the start). It sets what the firm expects to make, and so what it buys of its other
    /// inputs (Procurement.PlanShares).</summary>
    public Dictionary<string, double> Supplied { get; set; } = new();
    /// <summary>Firms with two inputs or more: input → what today's bids asked for, no more than a day's requirement (what a
    /// day's fills are measured against when <see cref="Supplied"/> is learnt; 0: nothing asked).</summary>
    public Dictionary<string, double> AskedFor { get; set; } = new();
    /// <summary>Firms with two inputs or more: the share of its plan (a producer: of what it would have made and sold) its inputs have let it
    /// make, learnt day by day (1 at the start): no input is bought for less (Procurement.PlanShares).</summary>
    public double MadeShare { get; set; } = 1;
}

/// <summary>Capacity a producer decided to add at DecidedTick; it comes online after the lead time along an S-shaped ramp.</summary>
public record struct Expansion(int DecidedTick, double Added, int LeadDays);

/// <summary>What the markets and the session deliver to one agent after clearing.</summary>
public sealed record AgentSettlement(int Tick, IReadOnlyList<Market.Fill> Bought, IReadOnlyList<Market.Fill> Sold, double CapacityAdded)
{
    /// <summary>What the agent met at each supplier country a policy touched this tick (learnt into its risk estimates).</summary>
    public IReadOnlyList<Market.Disruption> Disruptions { get; init; } = [];
    /// <summary>What it has applied for under licences and not had decided, per input (the markets' report: counted as on order).</summary>
    public IReadOnlyList<Market.Applied> Applied { get; init; } = [];
}
