using MarketSim.Model.Scenario;

namespace MarketSim.Model.Market;

/// <summary>A buyer's demand for one commodity in one tick, at most LimitPrice per unit delivered.</summary>
public sealed record Bid(string BuyerId, string BuyerCountry, string Commodity, EndUse EndUse, double Quantity, double LimitPrice);

/// <summary>A seller's stock of one commodity of one origin on offer in one tick.</summary>
/// <param name="Flow">The seller's normal sales rate per tick: what the price rule counts as supply.</param>
/// <param name="OnlyFor">If not empty, only buyers in these countries may buy (a national stockpile, a reserved offtake).</param>
public sealed record Ask(string SellerId, string SellerCountry, string Commodity, string Origin, double Quantity, double Flow,
    IReadOnlyList<string> PriorityBuyers, IReadOnlyList<string> OnlyFor)
{
    public string SortKey => SellerId + "|" + Origin + "|" + string.Join(",", OnlyFor);
}

/// <summary>A matched trade. Price is per unit before tariff; Tariff and Subsidy are per unit.</summary>
public sealed record Fill(string BuyerId, string BuyerCountry, string SellerId, string SellerCountry, string Commodity, string Origin,
    EndUse EndUse, double Quantity, double Price, double Tariff, double Subsidy, string? SubsidyPayer, int OrderTick, int ArrivalTick);

public sealed record SegmentPrice(string Commodity, string Segment, double Price);

/// <summary>What a market returns for one tick: fills and the prices for the next tick.</summary>
public sealed record ClearingResult(string Commodity, IReadOnlyList<Fill> Fills, IReadOnlyList<SegmentPrice> Prices,
    IReadOnlyList<SegmentPrice> NextPrices);
