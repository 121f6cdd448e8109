using System.Text.Json.Serialization;

namespace MarketSim.Model.Market;

/// <summary>The state a market for one commodity carries between ticks.</summary>
public sealed class MarketState
{
    public string Commodity { get; set; } = "";
    /// <summary>Price per segment for the coming tick.</summary>
    public Dictionary<string, double> Prices { get; set; } = new();
    /// <summary>"buyer|exporter" → first tick a refused applicant may apply again.</summary>
    public Dictionary<string, int> LicenceBlockedUntil { get; set; } = new();
    /// <summary>"buyer|exporter" → last tick of an approved licence, and its processing delay (the orders of the shipments under
    /// it date from one delay before they ship: buyers learn delay + transport).</summary>
    public Dictionary<string, int> LicenceValidUntil { get; set; } = new();
    public Dictionary<string, int> LicenceDelay { get; set; } = new();
    /// <summary>"buyer|exporter[|application]" → quantity still licensed under the approval in force (absent = no volume limit).</summary>
    public Dictionary<string, double> LicenceLeft { get; set; } = new();
    /// <summary>"buyer|exporter[|application]" → days refused (or waited for the first decision) since its last approval: the
    /// next approval covers them too. 0 after an approval: the entry marks the application as lodged, so the first decision's
    /// wait comes once.</summary>
    public Dictionary<string, int> LicenceRefusedDays { get; set; } = new();
    /// <summary>"buyer|application" → civil requirement a buyer declared under a military end-use control and could not buy
    /// (a licence refused, a seller empty): the next declaration covers it too.</summary>
    public Dictionary<string, double> DeclaredBacklog { get; set; } = new();
    /// <summary>"control|period" → quantity exported under a quota in that period.</summary>
    public Dictionary<string, double> QuotaUsed { get; set; } = new();
    /// <summary>The licence maps above by integer id, for clearing; not persisted (rebuilt from the maps when absent or stale).</summary>
    [JsonIgnore] internal LicenceTable? Licences { get; set; }
}
