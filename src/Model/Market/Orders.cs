using MarketSim.Model.Scenario;

namespace MarketSim.Model.Market;

/// <summary>A buyer's demand for one commodity in one tick, at most LimitPrice per unit delivered.</summary>
/// <param name="Premium">Perceived extra cost per unit of price, by seller country: the buyer's security premium × its risk estimate
/// of that country (supplier-risk learning). Ranks and weights offers; never changes the price paid.</param>
/// <param name="Unqualified">Seller countries the buyer has not qualified as suppliers yet (qualification lag); their open-market
/// offers are closed to it. Reserved offers (contracts, its own stockpile) are always open.</param>
/// <param name="Application">Set by the market: which of the buyer's licence applications this part of the bid is (0 when unsplit).</param>
public sealed record Bid(string BuyerId, string BuyerCountry, string Commodity, EndUse EndUse, double Quantity, double LimitPrice)
{
    public IReadOnlyDictionary<string, double>? Premium { get; init; }
    public IReadOnlyList<string>? Unqualified { get; init; }
    public int Application { get; init; }
    /// <summary>The buyer's sector (an entity list may name sectors as destinations).</summary>
    public string? Sector { get; init; }
    /// <summary>The buyer's normal requirement per tick (its daily use; 0 = not known). A licence approval covers this much per
    /// day of its validity: an application is for a volume, not for whatever backlog the buyer has built up.</summary>
    public double Normal { get; init; }
    /// <summary>An urgent bid (null: a regular one): only sellers whose transport to the buyer takes at most this many days may
    /// fill it. A buyer posts one beside its regular bid when it would run out before anything it has in transit arrives
    /// (Procurement.BidFor). Its need is the regular bid's too, so what it leaves unmet is not counted as demand again, and
    /// it notes no disruption at the sellers it does not ask.</summary>
    public int? WithinDays { get; init; }
    /// <summary>The days over which the buyer means to close the gap between its order and a day's need: its order-up-to
    /// horizon D + L + 1 (0 = not known: only today's need counts). The price rule counts as demand the flow it wants today,
    /// its need plus that gap spread over the horizon, not whatever is left of its order (MarketClearing).</summary>
    public double Horizon { get; init; }
    /// <summary>The part of Quantity that restores the buyer's own cover (its order-up-to gap at its own cover days, before
    /// precaution raised them; all of an urgent bid): an oversubscribed seller serves every buyer's base before anyone's
    /// precautionary remainder (Rationing). 0 = none stated (a stockpile's refill): all of it waits for the bases.</summary>
    public double Base { get; init; }
    public bool IsUrgent => WithinDays is not null;
}

/// <summary>A seller's stock of one commodity of one origin on offer in one tick.</summary>
/// <param name="Flow">What the seller can make per tick now (a producer's desired rate, limited by the inputs it holds and those
/// arriving this tick, not by its finished-stock room; a stockpile's offered release): what the price rule counts as supply
/// (with what it sold, if more).</param>
/// <param name="OnlyFor">If not empty, only buyers in these countries may buy (a national stockpile, a reserved offtake).</param>
public sealed record Ask(string SellerId, string SellerCountry, string Commodity, string Origin, double Quantity, double Flow,
    IReadOnlyList<string> PriorityBuyers, IReadOnlyList<string> OnlyFor)
{
    public string SortKey => SellerId + "|" + Origin + "|" + string.Join(",", OnlyFor);
    /// <summary>Only urgent bids (<see cref="Bid.WithinDays"/>) may buy it: a national stockpile on standby, selling to its firms
    /// that would run out before their supply arrives while no trigger has released it to every buyer.</summary>
    public bool UrgentOnly { get; init; }
    /// <summary>The seller's full cost per unit now (its unit cost and its inputs at the prices it last paid) over the same at
    /// reference prices and intensities: how far its long-run supply price has moved with its input costs (0 = not stated, as
    /// for a stockpile or a producer of co-products, whose cost is joint: read as 1). The price rule's reversion pulls towards
    /// the reference price times the flow-weighted mean of these (MarketClearing).</summary>
    public double CostIndex { get; init; }
}

/// <summary>A matched trade. Price is per unit before tariff (the buyer's segment price when the sale crosses an export control
/// into another segment, raised by the premium inside a tariff wall); Tariff, Subsidy, Rent and Premium are per unit.
/// Rent + Premium = Price − the seller's home-segment price.
/// A fill keeps its own buyer, quantity, order tick and urgency; the rest, its terms, are the same for every buyer of one
/// link (buyer country, end use, seller's ask) in a clearing, and the market's fills share them (<see cref="FillTerms"/>):
/// at 100,000 buyers a tick makes about a million fills, and as one 144-byte object each they were 45% of what the tick
/// allocated (bench --profile, Dec 2026). Equality is by value, terms included.</summary>
public sealed record Fill
{
    readonly FillTerms _terms;

    [System.Text.Json.Serialization.JsonConstructor]
    public Fill(string BuyerId, string BuyerCountry, string SellerId, string SellerCountry, string Commodity, string Origin, EndUse EndUse,
        double Quantity, double Price, double Tariff, double Subsidy, string? SubsidyPayer, int OrderTick, int ArrivalTick,
        double Rent = 0, string? RentHolder = null, bool Urgent = false, double Premium = 0)
        : this(new FillTerms(BuyerCountry, SellerId, SellerCountry, Commodity, Origin, EndUse, Price, Tariff, Subsidy, SubsidyPayer, ArrivalTick,
            Rent, RentHolder, Premium), BuyerId, Quantity, OrderTick, Urgent)
    {
    }

    /// <summary>A fill on shared terms (the market's).</summary>
    public Fill(FillTerms terms, string buyerId, double quantity, int orderTick, bool urgent)
    {
        ArgumentNullException.ThrowIfNull(terms);
        _terms = terms;
        BuyerId = buyerId;
        Quantity = quantity;
        OrderTick = orderTick;
        Urgent = urgent;
    }

    /// <summary>What this fill shares with the other fills on its link (the same object for all of them, as the market made it).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public FillTerms Terms => _terms;
    public string BuyerId { get; init; }
    public double Quantity { get; init; }
    public int OrderTick { get; init; }
    /// <summary>Bought on an urgent bid (<see cref="Bid.WithinDays"/>): an expedited shipment, which teaches the buyer nothing
    /// about the lead time of its regular supply.</summary>
    public bool Urgent { get; init; }

    public string BuyerCountry => _terms.BuyerCountry;
    public string SellerId => _terms.SellerId;
    public string SellerCountry => _terms.SellerCountry;
    public string Commodity => _terms.Commodity;
    public string Origin => _terms.Origin;
    public EndUse EndUse => _terms.EndUse;
    public double Price => _terms.Price;
    public double Tariff => _terms.Tariff;
    public double Subsidy => _terms.Subsidy;
    public string? SubsidyPayer => _terms.SubsidyPayer;
    public int ArrivalTick => _terms.ArrivalTick;
    public double Rent { get => _terms.Rent; init => _terms = _terms with { Rent = value }; }
    /// <summary>The part of Price a tariff wall adds to an untaxed sale: where the buyer's country imported across its tariff this
    /// tick, an untaxed sale to it is at the taxed imports' delivered price (MarketClearing, the price inside a tariff wall).</summary>
    public double Premium { get => _terms.Premium; init => _terms = _terms with { Premium = value }; }
    /// <summary>Who holds the rent: "exporter" (the selling firms' country) or "state" (the exporting state, as an export tax).</summary>
    public string? RentHolder { get => _terms.RentHolder; init => _terms = _terms with { RentHolder = value }; }
}

/// <summary>What the fills on one link in one clearing share: everything but the buyer, the quantity, the order tick and urgency
/// (<see cref="Fill"/>).</summary>
public sealed record FillTerms(string BuyerCountry, string SellerId, string SellerCountry, string Commodity, string Origin, EndUse EndUse,
    double Price, double Tariff, double Subsidy, string? SubsidyPayer, int ArrivalTick, double Rent, string? RentHolder, double Premium);

/// <summary>
/// What a buyer met at one supplier country this tick: the share of its order that policy stopped there (ban, refused licence,
/// used-up quota) plus, for licensed shipments, the licence delay as a share of the whole lead time. 0 = smooth trade.
/// </summary>
public sealed record Disruption(string BuyerId, string Commodity, string SellerCountry, double Share);

/// <summary>
/// What a buyer has applied for under a licence and not yet had decided: per licensing state, the sum over its applications in
/// flight of the normal requirement each covers (its part's licensed requirement, as an approval's volume is) × the days until
/// its decision (its processing delay, or the first decision's wait); an application lodged again after a refusal is not
/// counted (the refused volume is not coming); the buyer's largest such sum over the states it applies to. The buyer counts
/// it as on order (Procurement.BidFor), up to the wait its expected lead time holds.
/// </summary>
public sealed record Applied(string BuyerId, string Commodity, double Quantity);

public sealed record SegmentPrice(string Commodity, string Segment, double Price);

/// <summary>What a market returns for one tick: fills, the prices for the next tick, and the disruptions buyers met.</summary>
public sealed record ClearingResult(string Commodity, IReadOnlyList<Fill> Fills, IReadOnlyList<SegmentPrice> Prices,
    IReadOnlyList<SegmentPrice> NextPrices)
{
    public IReadOnlyList<Disruption> Disruptions { get; init; } = [];
    /// <summary>Every buyer with licence applications in flight on this commodity (ordinal buyer order).</summary>
    public IReadOnlyList<Applied> Applied { get; init; } = [];
}
