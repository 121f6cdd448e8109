namespace MarketSim.Model.Market;

/// <summary>
/// How an oversubscribed seller shares what it has among requests: needs first, the rest after. By default a request's *need*
/// is its share of the bid's base (<see cref="Bid.Base"/>: what restores the buyer's own cover; the rest is precautionary
/// stock): suppliers on allocation fill customers' usual orders before anyone's surge (Cachon &amp; Lariviere, Management Science
/// 45(8), 1999, show that sharing in proportion to orders rewards inflated orders), so a firm building 180 days of stock on
/// the news is not served ahead of one about to stop. Before Dec 2026 the default was pro rata to the orders, and precaution
/// raised the loss of a country denied Dy while every other country stocked up (a probe). With `buyers.needs_first: true` the
/// need is the part that covers the buyer's normal requirement for the day (<see cref="Bid.Normal"/> over its quantity). An
/// urgent bid is all need either way.
/// </summary>
public static class Rationing
{
    /// <summary>
    /// The share of a bid (or of one licence application of it, whose normal requirement per unit of quantity is
    /// <paramref name="normalShare"/>) served first. By default its base (Bid.Base: what restores the buyer's own cover, before
    /// precaution raised it; all of an urgent bid): a supplier on allocation fills its customers' usual orders before anyone's
    /// precautionary surplus, so a firm building 180 days of stock on the news is not served ahead of one about to stop (a probe,
    /// Dec 2026). With `needs_first`, the normal requirement (all of an urgent bid, which carries none: it is a need by
    /// definition).
    /// </summary>
    public static double NeedShare(Bid bid, double normalShare, bool needsFirst) =>
        bid.IsUrgent ? 1
        : needsFirst ? Math.Clamp(normalShare, 0, 1)
        : NeedShare(bid.Base, bid.Quantity);

    /// <summary>The same share for a part of a bid with this normal requirement and quantity.</summary>
    public static double NeedShare(double normal, double quantity) => normal > 0 && quantity > 0 ? Math.Min(1, normal / quantity) : 0;

    /// <summary>
    /// Allocates <paramref name="capacity"/> among requests in order of <paramref name="value"/> (the buyer's limit price: what a
    /// unit of the input is worth to it), highest first, needs before the rest: first the needs, group by group of equal value
    /// (a group whose needs exceed what is left shares it pro rata to them), then what is left of the requests, group by group
    /// the same way. Efficient rationing (the buyers who value the good most are served first, as a price free to rise would
    /// sort them) of what buyers need now; what a buyer asks beyond its need (precautionary stock) is worth less to it than
    /// another's need, so it comes after every need (a strict order by value served one buyer's 180 days of precaution before
    /// another's day of production: under the 3-month cut-off, precaution bound 180 days, Japan lost $910 m against $20 m
    /// under bases first, a probe). With one value for all
    /// it is <see cref="Allocate"/>.
    /// </summary>
    public static void AllocateByValue(ReadOnlySpan<double> quantity, ReadOnlySpan<double> need, ReadOnlySpan<double> value, double capacity,
        Span<double> result)
    {
        // Enough for every request (most sellers, most days), or one value for all: the proportional rule, which copies the
        // requests exactly when they fit (need + rest is not always the request's bits).
        double total = 0;
        var n = 0;
        for (int i = 0; i < quantity.Length; i++)
            if (quantity[i] > 0) { n++; total += quantity[i]; }
        if (total <= Math.Max(0, capacity))
        {
            Allocate(quantity, need, capacity, result);
            return;
        }
        var order = new int[n];
        for (int i = 0, k = 0; i < quantity.Length; i++) if (quantity[i] > 0) order[k++] = i;
        // Highest value first; equal values in request order (a total order: any sort gives this one).
        var values = value.ToArray();
        Array.Sort(order, (x, y) => values[x] != values[y] ? values[y].CompareTo(values[x]) : x.CompareTo(y));
        if (n == 0 || values[order[0]] == values[order[n - 1]])
        {
            Allocate(quantity, need, capacity, result);
            return;
        }
        result.Clear();
        var left = Math.Max(0, capacity);
        // Pass 0 serves the needs, pass 1 the rest of each request, each in groups of equal value, highest first.
        for (int pass = 0; pass < 2; pass++)
            for (int start = 0; start < n && left > 0;)
            {
                var end = start + 1;
                while (end < n && values[order[end]] == values[order[start]]) end++;
                double asked = 0;
                for (int j = start; j < end; j++) asked += pass == 0 ? need[order[j]] : quantity[order[j]] - need[order[j]];
                var share = asked <= left ? 1 : left / asked;
                for (int j = start; j < end; j++)
                    result[order[j]] += (pass == 0 ? need[order[j]] : quantity[order[j]] - need[order[j]]) * share;
                left = asked <= left ? left - asked : 0;
                start = end;
            }
    }

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
