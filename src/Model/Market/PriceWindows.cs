using MarketSim.Model.Scenario;

namespace MarketSim.Model.Market;

/// <summary>
/// The days of trade a price answers to. The price rule reads each segment's demand D and supply S summed over the commodity's
/// last W days (<c>price_window_days</c>), not the day's alone: z = (D − S)/(D + S) is convex in S, so the same supply
/// delivered in a few large lots (a licence's backlog shipped at once) would read as a larger shortage than the same supply
/// spread over the days, and a ban that spreads the lots out could lower the price of what it keeps out. A price assessed
/// over a window of trade (rare-earth prices are assessed weekly, for prompt delivery within 30 days) does not.
/// </summary>
public static class PriceWindows
{
    /// <summary>Records the day's D and S of each segment in <paramref name="state"/> and returns their sums over the last W
    /// days (fewer at the start of a run). With W = 1 it returns the day's maps as they are and keeps no state.</summary>
    /// <param name="sellers">Each home seller's day (its segment's index, u₀·F, what it sold, what it sold across): given, the
    /// <paramref name="supply"/> is what came from other segments' sellers alone, and each seller's own supply is read over the
    /// window as max(0, max(Σ u₀·F, Σ sold) − Σ x) (<see cref="SellerSupply"/>); null, <paramref name="supply"/> is all of it.</param>
    public static (Dictionary<string, double> Demand, Dictionary<string, double> Supply) Read(MarketState state,
        IReadOnlyList<SegmentSpec> segments, int w, int tick, Dictionary<string, double> demand, Dictionary<string, double> supply,
        IReadOnlyList<SellerDay>? sellers = null)
    {
        if (w <= 1) return (demand, supply);
        var last = state.PriceWindowTick;
        var fromSellers = sellers is null ? null : SellerSupply(state, segments, w, tick, last, sellers);
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        var s = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int g = 0; g < segments.Count; g++)
        {
            var seg = segments[g];
            if (!state.PriceWindow.TryGetValue(seg.Id, out var slots) || slots.Length != 2 * w)
                state.PriceWindow[seg.Id] = slots = new double[2 * w];
            else if (last < 0 || tick < last || tick - last >= w) Array.Clear(slots); // none yet, a state from later, or all stale
            else
                for (int t = last + 1; t < tick; t++) { slots[t % w] = 0; slots[w + t % w] = 0; } // days no clearing ran
            // (tick == last: the day is cleared again, and its slot is overwritten.)
            slots[tick % w] = demand.GetValueOrDefault(seg.Id);
            slots[w + tick % w] = supply.GetValueOrDefault(seg.Id);
            double sd = 0, ss = 0;
            for (int i = 0; i < w; i++) // in slot order, whatever the tick: the same sums on every engine
            {
                sd += slots[i];
                ss += slots[w + i];
            }
            d[seg.Id] = sd;
            s[seg.Id] = fromSellers is null ? ss : ss + fromSellers[g];
        }
        state.PriceWindowTick = tick;
        return (d, s);
    }

    /// <summary>A home seller's day for the price rule: its segment (index in the world's list), what it makes at the market's
    /// normal utilisation (u₀·F), what it sold and what of that it sold at another segment's price.</summary>
    public readonly record struct SellerDay(string Seller, int Segment, double NormalFlow, double Sold, double Cross);

    /// <summary>
    /// Each segment's supply from its own sellers over the last W days: per seller max(0, max(Σ u₀·F, Σ sold) − Σ x), its sums
    /// over the window, summed over sellers in ordinal order of their ids. Read per day and summed, a seller whose exports go
    /// out in lots (a licence's approved volume, shipped when the decision comes) counted what it would export as home
    /// supply on each day the lot waited (u₀·F exceeded the day's sales) and again abroad on the day it shipped. Over the
    /// window its exports are counted once, where they went. Writes the day into <see cref="MarketState.SellerWindow"/> (3W
    /// slots a seller and its segment's index); a seller whose window holds nothing and that did not sell today is dropped.
    /// </summary>
    static double[] SellerSupply(MarketState state, IReadOnlyList<SegmentSpec> segments, int w, int tick, int last, IReadOnlyList<SellerDay> today)
    {
        var windows = state.SellerWindow;
        var stale = last < 0 || tick < last || tick - last >= w;
        var todayOf = new Dictionary<string, SellerDay>(today.Count, StringComparer.Ordinal);
        foreach (var day in today)
        {
            todayOf[day.Seller] = day;
            if (!windows.TryGetValue(day.Seller, out var slots) || slots.Length != 3 * w + 1)
                windows[day.Seller] = new double[3 * w + 1];
        }
        var bySegment = new double[segments.Count];
        foreach (var seller in windows.Keys.Order(StringComparer.Ordinal).ToList())
        {
            var slots = windows[seller];
            if (slots.Length != 3 * w + 1) { windows.Remove(seller); continue; } // a window of another length: stale
            if (stale) Array.Clear(slots, 0, 3 * w);
            else
                for (int t = last + 1; t < tick; t++) { slots[t % w] = 0; slots[w + t % w] = 0; slots[2 * w + t % w] = 0; }
            var (f, sold, x, segment) = todayOf.TryGetValue(seller, out var day) ? (day.NormalFlow, day.Sold, day.Cross, day.Segment) : (0, 0, 0, -1);
            if (segment >= 0) slots[3 * w] = segment;
            slots[tick % w] = f;
            slots[w + tick % w] = sold;
            slots[2 * w + tick % w] = x;
            double sf = 0, ss = 0, sx = 0;
            for (int i = 0; i < w; i++) // in slot order, whatever the tick: the same sums on every engine
            {
                sf += slots[i];
                ss += slots[w + i];
                sx += slots[2 * w + i];
            }
            if (sf == 0 && ss == 0 && sx == 0 && segment < 0) { windows.Remove(seller); continue; }
            bySegment[(int)slots[3 * w]] += Math.Max(0, Math.Max(sf, ss) - sx);
        }
        return bySegment;
    }
}
