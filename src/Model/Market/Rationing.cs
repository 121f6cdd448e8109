namespace MarketSim.Model.Market;

/// <summary>
/// How an oversubscribed seller shares what it has among requests: needs first, the rest after. A request's *need* is the part
/// of it that covers the buyer's normal requirement for the day (the bid's <see cref="Bid.Normal"/> over its quantity); the
/// rest builds stock (cover, precaution). Suppliers on allocation serve customers by their normal offtake rather than by the
/// size of their orders (allocation by past sales: Cachon &amp; Lariviere, Management Science 45(8), 1999, show that sharing in
/// proportion to orders rewards inflated orders); so a firm building 180 days of precautionary stock is no longer served
/// ahead of an 18-day firm about to stop. Used with `buyers.needs_first: true`; otherwise every need is 0 and the sharing is
/// pro rata to the orders (a spot market), bit for bit as before the option existed.
/// </summary>
public static class Rationing
{
    /// <summary>The share of a bid's quantity that is need: Normal / Quantity, at most 1 (0 when no normal requirement is known,
    /// as for a stockpile's refill).</summary>
    public static double NeedShare(Bid bid) => NeedShare(bid.Normal, bid.Quantity);

    /// <summary>The same share for a part of a bid with this normal requirement and quantity.</summary>
    public static double NeedShare(double normal, double quantity) => normal > 0 && quantity > 0 ? Math.Min(1, normal / quantity) : 0;

    /// <summary>
    /// Allocates <paramref name="capacity"/> among requests (quantity, need ≤ quantity): everything when it suffices; else the
    /// needs pro rata to their size up to all of them, then what is left pro rata to the requests' remaining quantity.
    /// Writes into <paramref name="result"/>; the total allocated is min(capacity, Σ quantity).
    /// </summary>
    public static void Allocate(ReadOnlySpan<double> quantity, ReadOnlySpan<double> need, double capacity, Span<double> result)
    {
        double total = 0, needs = 0;
        for (int i = 0; i < quantity.Length; i++) { total += quantity[i]; needs += need[i]; }
        capacity = Math.Max(0, capacity);
        if (total <= capacity)
            for (int i = 0; i < quantity.Length; i++) result[i] = quantity[i];
        else if (needs >= capacity)
            for (int i = 0; i < quantity.Length; i++) result[i] = needs > 0 ? need[i] * capacity / needs : 0;
        else
        {
            var rest = (capacity - needs) / (total - needs);
            for (int i = 0; i < quantity.Length; i++) result[i] = need[i] + (quantity[i] - need[i]) * rest;
        }
    }
}
