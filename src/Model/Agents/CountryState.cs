namespace MarketSim.Model.Agents;

/// <summary>A country's strategic stockpiles (by stockpile policy id) and what they have cost.</summary>
public sealed class CountryState
{
    public string Id { get; set; } = "";
    public string HomeSegment { get; set; } = "";
    /// <summary>Stockpile id → origin → quantity held.</summary>
    public Dictionary<string, Dictionary<string, double>> Holdings { get; set; } = new();
    /// <summary>Refill purchases in transit; Shipment.Commodity holds the stockpile id.</summary>
    public List<Shipment> Pipeline { get; set; } = new();
    /// <summary>Today's cost of holding the stockpiles, set when planning and charged when settling.</summary>
    public double CarryingCostToday { get; set; }
    /// <summary>Stockpile id → what it did last tick (StockpileRules.Mode); none yet: standing by.</summary>
    public Dictionary<string, string> Modes { get; set; } = new();
    /// <summary>Today's changes of mode, set when planning and reported (events.csv) when settling.</summary>
    public List<string> EventsToday { get; set; } = new();
}
