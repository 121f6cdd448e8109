namespace MarketSim.Model.Agents;

/// <summary>Part of a firm's order for one input that is not yet filled, and the tick it was first asked for.</summary>
public record struct OpenOrder(int Tick, double Quantity);

/// <summary>
/// The age of a firm's unfilled orders, kept only to measure the procurement lead time as a buyer quotes it: from the day it
/// first asks for a quantity to the day that quantity arrives, days spent refused, over a licence's volume or rationed
/// included. Orders are re-posted every tick (the order-up-to rule asks again for what is still missing), so the age is
/// bookkeeping: it changes no decision.
/// </summary>
public static class OpenOrders
{
    /// <summary>Below this (t) a difference is rounding, not an order: the bids' own threshold.</summary>
    const double Tiny = 1e-12;

    /// <summary>
    /// This tick's order for an input: what it asks beyond the open orders is new (posted now); if it asks less, the newest
    /// open orders are cancelled first (the need they met has gone: stock arrived, output or cover fell).
    /// </summary>
    public static void Post(List<OpenOrder> open, int tick, double order)
    {
        double total = 0;
        foreach (var o in open) total += o.Quantity;
        if (order - total > Tiny)
        {
            open.Add(new OpenOrder(tick, order - total));
            return;
        }
        var cancel = total - order;
        for (int i = open.Count - 1; i >= 0 && cancel > Tiny; i--)
        {
            var take = Math.Min(cancel, open[i].Quantity);
            cancel -= take;
            if (open[i].Quantity - take <= Tiny) open.RemoveAt(i);
            else open[i] = open[i] with { Quantity = open[i].Quantity - take };
        }
    }

    /// <summary>
    /// Fills <paramref name="filled"/> of the open orders, oldest first, and returns the mean days they waited unfilled (0 if
    /// nothing was open: a fill is never older than the order it meets).
    /// </summary>
    public static double Fill(List<OpenOrder> open, int tick, double filled)
    {
        if (filled <= 0) return 0;
        double left = filled, waited = 0;
        int done = 0;
        for (; done < open.Count && left > 0; done++)
        {
            var o = open[done];
            var take = Math.Min(left, o.Quantity);
            waited += take * (tick - o.Tick);
            left -= take;
            if (o.Quantity - take > Tiny)
            {
                open[done] = o with { Quantity = o.Quantity - take };
                break;
            }
        }
        open.RemoveRange(0, done);
        return waited / filled;
    }
}
