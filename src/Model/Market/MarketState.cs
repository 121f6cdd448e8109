using System.Text.Json.Serialization;

namespace MarketSim.Model.Market;

/// <summary>The state a market for one commodity carries between ticks.</summary>
public sealed class MarketState
{
    public string Commodity { get; set; } = "";
    /// <summary>Price per segment for the coming tick.</summary>
    public Dictionary<string, double> Prices { get; set; } = new();
    // The seven licence maps are the persisted form of the licence table (LicenceTable), which clearing reads and writes: each is
    // written from the table when it is read, and a map set from outside (a checkpoint, a copy) replaces the table. So reading
    // one while the table is ahead rewrites all seven in place (do not read them while enumerating one), and an edit by hand
    // is seen by the next clearing only when it changes a map's size (as before the table).
    Dictionary<string, int> _blocked = new(), _valid = new(), _delay = new(), _refused = new();
    Dictionary<string, double> _left = new(), _flight = new(), _stocked = new();

    /// <summary>"buyer|exporter" → first tick a refused applicant may apply again.</summary>
    public Dictionary<string, int> LicenceBlockedUntil { get => Written(_blocked); set => Replace(ref _blocked, value); }
    /// <summary>"buyer|exporter" → last tick of an approved licence, and its processing delay (the orders of the shipments under
    /// it date from one delay before they ship: buyers learn delay + transport).</summary>
    public Dictionary<string, int> LicenceValidUntil { get => Written(_valid); set => Replace(ref _valid, value); }
    public Dictionary<string, int> LicenceDelay { get => Written(_delay); set => Replace(ref _delay, value); }
    /// <summary>"buyer|exporter[|application]" → quantity still licensed under the approval in force (absent = no volume limit).</summary>
    public Dictionary<string, double> LicenceLeft { get => Written(_left); set => Replace(ref _left, value); }
    /// <summary>"buyer|exporter[|application]" → days refused (or waited for the first decision) since its last approval: the
    /// next approval covers them too. 0 after an approval: the entry marks the application as lodged, so the first decision's
    /// wait comes once.</summary>
    public Dictionary<string, int> LicenceRefusedDays { get => Written(_refused); set => Replace(ref _refused, value); }
    /// <summary>"buyer|exporter[|application]" → the requirement its application in flight covers: the normal requirement the
    /// licence covers for that application × the days until its decision (its delay, or the first decision's wait; no entry
    /// after a refusal): what the market reports to the buyer as on order (<see cref="Applied"/>).</summary>
    public Dictionary<string, double> LicenceInFlight { get => Written(_flight); set => Replace(ref _flight, value ?? new()); }
    /// <summary>"buyer|exporter[|application]" → what the buyer drew under the approval in force beyond its base (precautionary
    /// stock) and has not yet set against a day the used-up volume left its base unserved (docs/MODEL.md, *Precaution teaches no
    /// risk*).</summary>
    public Dictionary<string, double> LicenceStocked { get => Written(_stocked); set => Replace(ref _stocked, value ?? new()); }

    T Written<T>(T map)
    {
        if (Licences is { Dirty: true } t) t.WriteTo(this);
        return map;
    }

    void Replace<T>(ref T map, T value)
    {
        // The other six maps must hold the table's state before the table goes (it is rebuilt from all seven).
        if (Licences is { Dirty: true } t) t.WriteTo(this);
        map = value;
        Licences = null;
    }

    // The maps as they stand, for the table (not written from it first).
    internal Dictionary<string, int> BlockedMap => _blocked;
    internal Dictionary<string, int> ValidMap => _valid;
    internal Dictionary<string, int> DelayMap => _delay;
    internal Dictionary<string, double> LeftMap => _left;
    internal Dictionary<string, int> RefusedMap => _refused;
    internal Dictionary<string, double> FlightMap => _flight;
    internal Dictionary<string, double> StockedMap => _stocked;
    /// <summary>"buyer|application" → civil requirement a buyer declared under a military end-use control and could not buy
    /// (a licence refused, a seller empty): the next declaration covers it too.</summary>
    public Dictionary<string, double> DeclaredBacklog { get; set; } = new();
    /// <summary>Segment → the demand and supply the price rule counted on each of the last W days (W = the commodity's
    /// <c>price_window_days</c>): slot tick mod W holds D, slot W + tick mod W holds the supply sold into it by other segments'
    /// sellers (its own sellers' is in <see cref="SellerWindow"/>). Empty when W = 1.</summary>
    public Dictionary<string, double[]> PriceWindow { get => _window; set => _window = value ?? new(); }
    Dictionary<string, double[]> _window = new();
    /// <summary>Segment → its window's demand by reservation price (<c>PriceWindows.DemandAt</c>): triples slot (tick mod W),
    /// reservation, quantity, the same quantities as <see cref="PriceWindow"/>'s demand slots. Empty when W = 1.</summary>
    public Dictionary<string, double[]> DemandWindow { get => _demandWindow; set => _demandWindow = value ?? new(); }
    Dictionary<string, double[]> _demandWindow = new();
    /// <summary>Seller → what it made at normal utilisation, sold, and sold at another segment's price on each of the last W
    /// days (slots tick mod W, W + tick mod W and 2W + tick mod W), then its segment's index in the world's list
    /// (<c>PriceWindows.SellerSupply</c>). Empty when W = 1.</summary>
    public Dictionary<string, double[]> SellerWindow { get => _sellerWindow; set => _sellerWindow = value ?? new(); }
    Dictionary<string, double[]> _sellerWindow = new();
    /// <summary>The last tick written into <see cref="PriceWindow"/> and <see cref="SellerWindow"/> (<see cref="PriceWindows.NoDay"/>:
    /// none yet; −1 until Dec 2026, when a spin-up made −1 a day).</summary>
    public int PriceWindowTick { get; set; } = PriceWindows.NoDay;
    /// <summary>"control|period" → quantity exported under a quota in that period.</summary>
    public Dictionary<string, double> QuotaUsed { get; set; } = new();
    /// <summary>The licence state by integer id, for clearing; not persisted (its maps above are, and it is rebuilt from them
    /// when absent or changed by hand).</summary>
    [JsonIgnore] internal LicenceTable? Licences { get; set; }
    /// <summary>The clearing's scratch arrays, reused tick after tick by this market and gone with it (never persisted).</summary>
    [JsonIgnore] internal ClearingPool? Pools { get; set; }
}
