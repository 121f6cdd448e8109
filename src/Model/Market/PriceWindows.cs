using MarketSim.Model.Scenario;

namespace MarketSim.Model.Market;

/// <summary>
/// The days of trade a price answers to. The price rule reads each segment's demand D and supply S summed over the commodity's
/// last W days (<c>price_window_days</c>), not the day's alone: z = (D − S)/(D + S) is convex in S, so the same supply
/// delivered in a few large lots (a licence's backlog shipped at once) would read as a larger shortage than the same supply
/// spread over the days, and a ban that spreads the lots out could lower the price of what it keeps out. A price assessed
/// over a window of trade (rare-earth prices are assessed weekly, for prompt delivery within 30 days) does not.
/// The window's demand is demand at today's price: each day's demand is kept with the reservation price of the bids it came
/// from (<see cref="DemandAt"/>), and a bid whose reservation is below the segment's price today no longer counts: it would not
/// buy at that price. Before Dec 2026 the window summed every day's demand whatever the price had become, so buyers priced out
/// of a segment kept raising its price for a window after they stopped buying (a quota's room went unused while the price
/// abroad rose past what the buyers could pay).
/// </summary>
public static class PriceWindows
{
    /// <summary><see cref="MarketState.PriceWindowTick"/> before any day is recorded. Not −1: with a spin-up (ticks before 0,
    /// ScenarioSpec.SpinUpDays) −1 is a day like any other.</summary>
    public const int NoDay = int.MinValue;

    /// <summary>A day's slot in a window of W: tick mod W, in 0..W−1 for ticks before 0 too (C#'s % keeps the sign).</summary>
    static int Slot(int tick, int w) => (tick % w + w) % w;

    /// <summary>Records the day's D and S of each segment in <paramref name="state"/> and returns their sums over the last W
    /// days (fewer at the start of a run). With W = 1 it returns the day's maps as they are and keeps no state.</summary>
    /// <param name="sellers">Each home seller's day (its segment's index, u₀·F, what it sold, what it sold across): given, the
    /// <paramref name="supply"/> is what came from other segments' sellers alone, and each seller's own supply is read over the
    /// window as max(0, max(Σ u₀·F, Σ sold) − Σ x) (<see cref="SellerSupply"/>); null, <paramref name="supply"/> is all of it.</param>
    /// <param name="demandAt">The day's <paramref name="demand"/> by segment and reservation price (the same quantities): given,
    /// a day of the window whose demand holds a bid with a reservation below the segment's price now (<see
    /// cref="MarketState.Prices"/>) counts only its bids at or above it; null, every day counts in full.</param>
    /// <param name="maxPrice">The highest price the market may reach (its cap): a reservation at or above it can never be priced
    /// out, so all of a day's such demand is kept as one entry (a manufacturer's limit is 63× to 160,000× the reference in the
    /// shipped scenarios, above the 40× cap: one entry a day instead of one per buyer and step).</param>
    public static (Dictionary<string, double> Demand, Dictionary<string, double> Supply) Read(MarketState state,
        IReadOnlyList<SegmentSpec> segments, int w, int tick, Dictionary<string, double> demand, Dictionary<string, double> supply,
        IReadOnlyList<SellerDay>? sellers = null, IReadOnlyList<DemandAt>? demandAt = null, double maxPrice = double.PositiveInfinity)
    {
        if (w <= 1) return (demand, supply);
        var last = state.PriceWindowTick;
        var fromSellers = sellers is null ? null : SellerSupply(state, segments, w, tick, last, sellers);
        if (demandAt is not null) KeepDemandAt(state, segments, w, tick, last, demandAt, maxPrice);
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        var s = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int g = 0; g < segments.Count; g++)
        {
            var seg = segments[g];
            if (!state.PriceWindow.TryGetValue(seg.Id, out var slots) || slots.Length != 2 * w)
                state.PriceWindow[seg.Id] = slots = new double[2 * w];
            else if (last == NoDay || tick < last || tick - last >= w) Array.Clear(slots); // none yet, a state from later, or all stale
            else
                for (int t = last + 1; t < tick; t++) { slots[Slot(t, w)] = 0; slots[w + Slot(t, w)] = 0; } // days no clearing ran
            // (tick == last: the day is cleared again, and its slot is overwritten.)
            slots[Slot(tick, w)] = demand.GetValueOrDefault(seg.Id);
            slots[w + Slot(tick, w)] = supply.GetValueOrDefault(seg.Id);
            var atPrice = demandAt is null ? null : DemandAtPrice(state, seg.Id, w, state.Prices.GetValueOrDefault(seg.Id));
            double sd = 0, ss = 0;
            for (int i = 0; i < w; i++) // in slot order, whatever the tick: the same sums on every engine
            {
                sd += atPrice is null || double.IsNaN(atPrice[i]) ? slots[i] : atPrice[i];
                ss += slots[w + i];
            }
            d[seg.Id] = sd;
            s[seg.Id] = fromSellers is null ? ss : ss + fromSellers[g];
        }
        state.PriceWindowTick = tick;
        return (d, s);
    }

    /// <summary>Demand a segment counted today from bids of one reservation price: the segment price at which their delivered
    /// price reaches their limit (limit × segment price / delivered price; a buyer's limit itself where it counts at its own
    /// segment for want of an open seller). Today's are never below today's price: a bid counts only where it could buy.</summary>
    public readonly record struct DemandAt(int Segment, double Reservation, double Quantity);

    /// <summary>The resolution reservations are kept at: each is rounded up to the next edge p·Step^k above the day's segment
    /// price p (k ≥ 0). A numerical tolerance, not a behaviour: a bid counts at most 1% of price longer than its exact
    /// reservation would let it, and never shorter, so a day no exact reservation would drop is never dropped. It bounds what
    /// a day holds by the spread of its reservations (one entry per 1% step), not by the number of bids: every buyer of a
    /// large world has its own limit, and a day's fills as many distinct exact reservations (at 100,000 buyers, about a
    /// million a day, held for W days and matched one by one).</summary>
    const double Step = 1.01;

    /// <summary>Writes the day's demand by reservation price into <see cref="MarketState.DemandWindow"/> (per segment, triples
    /// slot, reservation edge, quantity; one triple per edge a day, in the order of each edge's first bid, each summed in the
    /// order given), dropping the days it replaces as <see cref="Read"/> does its slots.</summary>
    static void KeepDemandAt(MarketState state, IReadOnlyList<SegmentSpec> segments, int w, int tick, int last, IReadOnlyList<DemandAt> today,
        double maxPrice)
    {
        var stale = last == NoDay || tick < last || tick - last >= w;
        var dropped = new bool[w];
        if (stale) Array.Fill(dropped, true);
        else for (int t = last + 1; t < tick; t++) dropped[Slot(t, w)] = true; // days no clearing ran
        dropped[Slot(tick, w)] = true; // today's, also when the day is cleared again
        var atEdge = _atEdge ??= new();
        // Read through a span: a foreach over the interface, once per segment, boxed an enumerator and called through it per entry.
        var days = today is List<DemandAt> list ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list) : [.. today];
        for (int g = 0; g < segments.Count; g++)
        {
            var id = segments[g].Id;
            state.DemandWindow.TryGetValue(id, out var old);
            // A list reused per thread (each segment's window is copied out of it): a new one, sized for the window, was as large
            // again as the array kept (30 days of triples).
            var kept = _kept ??= new();
            kept.Clear();
            // A window of another length (its slots not 2W long) is stale, as Read finds it.
            if (old is not null && state.PriceWindow.TryGetValue(id, out var slots) && slots.Length == 2 * w)
                for (int k = 0; k + 2 < old.Length; k += 3)
                    if (old[k] >= 0 && old[k] < w && !dropped[(int)old[k]]) { kept.Add(old[k]); kept.Add(old[k + 1]); kept.Add(old[k + 2]); }
            var price = state.Prices.GetValueOrDefault(id);
            atEdge.Clear();
            foreach (ref readonly var e in days)
            {
                if (e.Segment != g || e.Quantity == 0) continue;
                // Never below a price the market can reach. A reservation at or above the cap has its edge there too (an edge is
                // at or above its reservation): no logarithm and power for most of a day's bids (a manufacturer's limit is far
                // above the cap).
                var edge = e.Reservation >= maxPrice ? double.PositiveInfinity : Edge(e.Reservation, price);
                if (edge >= maxPrice) edge = double.PositiveInfinity;
                if (!atEdge.TryGetValue(edge, out var at))
                {
                    atEdge[edge] = at = kept.Count;
                    kept.Add(Slot(tick, w)); kept.Add(edge); kept.Add(0);
                }
                kept[at + 2] += e.Quantity;
            }
            if (kept.Count == 0) state.DemandWindow.Remove(id);
            else state.DemandWindow[id] = kept.ToArray();
        }
        atEdge.Clear();
    }
    [ThreadStatic] static List<double>? _kept;
    [ThreadStatic] static Dictionary<double, int>? _atEdge;

    /// <summary>The least edge p·Step^k (k ≥ 0) at or above <paramref name="reservation"/>; the reservation itself where it is
    /// infinite or the price is not positive (nothing to step from).</summary>
    static double Edge(double reservation, double price)
    {
        if (!(price > 0) || double.IsInfinity(reservation) || double.IsNaN(reservation)) return reservation;
        var k = Math.Max(0, Math.Ceiling(Math.Log(reservation / price) / Math.Log(Step)));
        var edge = price * Math.Pow(Step, k);
        return edge >= reservation ? edge : price * Math.Pow(Step, k + 1); // rounding may leave the edge a hair below
    }

    /// <summary>Each slot's demand counting only reservations at or above <paramref name="price"/> where a slot holds one below
    /// it (NaN where none: the slot's sum stands, bit for bit); null where no slot does.</summary>
    static double[]? DemandAtPrice(MarketState state, string segment, int w, double price)
    {
        if (!state.DemandWindow.TryGetValue(segment, out var entries)) return null;
        double[]? atPrice = null;
        for (int k = 0; k + 2 < entries.Length; k += 3)
            if (entries[k + 1] < price)
            {
                atPrice ??= Enumerable.Repeat(double.NaN, w).ToArray();
                atPrice[(int)entries[k]] = 0;
            }
        if (atPrice is null) return null;
        for (int k = 0; k + 2 < entries.Length; k += 3)
            if (atPrice[(int)entries[k]] is var v && !double.IsNaN(v) && entries[k + 1] >= price) atPrice[(int)entries[k]] = v + entries[k + 2];
        return atPrice;
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
        var stale = last == NoDay || tick < last || tick - last >= w;
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
                for (int t = last + 1; t < tick; t++) { slots[Slot(t, w)] = 0; slots[w + Slot(t, w)] = 0; slots[2 * w + Slot(t, w)] = 0; }
            var (f, sold, x, segment) = todayOf.TryGetValue(seller, out var day) ? (day.NormalFlow, day.Sold, day.Cross, day.Segment) : (0, 0, 0, -1);
            if (segment >= 0) slots[3 * w] = segment;
            slots[Slot(tick, w)] = f;
            slots[w + Slot(tick, w)] = sold;
            slots[2 * w + Slot(tick, w)] = x;
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
