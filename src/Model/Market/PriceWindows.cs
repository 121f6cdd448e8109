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
    public static (Dictionary<string, double> Demand, Dictionary<string, double> Supply) Read(MarketState state,
        IReadOnlyList<SegmentSpec> segments, int w, int tick, Dictionary<string, double> demand, Dictionary<string, double> supply)
    {
        if (w <= 1) return (demand, supply);
        var last = state.PriceWindowTick;
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        var s = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var seg in segments)
        {
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
            s[seg.Id] = ss;
        }
        state.PriceWindowTick = tick;
        return (d, s);
    }
}
