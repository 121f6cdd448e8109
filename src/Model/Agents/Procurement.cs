using MarketSim.Model.Market;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Agents;

/// <summary>Purchasing rules shared by producers and manufacturers.</summary>
public static class Procurement
{
    /// <summary>
    /// Order-up-to: gap = use·h − I − P, h = D + L + 1 (D days of cover, L expected lead time, +1 for the tick's own use, I stock
    /// on hand, P quantity in transit); order = gap when it is at least a day's use (a steady state orders exactly one day's use,
    /// a shortfall the whole of it), else max(0, use + (gap − use)/h): a position above its target is drawn down over the
    /// horizon, not by stopping orders until use has eaten the excess (Sterman's stock adjustment). Stopping at once turned a
    /// 6% fall in a magnet maker's sales into a halt of concentrate orders two stages up and a year of depressed prices (the
    /// bullwhip; docs/MODEL.md, Firms' purchasing).
    /// </summary>
    /// <param name="extra">A quantity held once on top of the cover (a producer's inputs for the room in its finished-goods store),
    /// the whole no more than the position <paramref name="ceiling"/> (a daily use) would hold: buying for its store never takes a
    /// producer above what buying for its desired rate would.</param>
    public static double OrderUpTo(double dailyUse, double coverDays, double leadTimeDays, double onHand, double inTransit, double extra = 0,
        double? ceiling = null)
    {
        var horizon = coverDays + leadTimeDays + 1;
        var position = dailyUse * horizon + extra;
        if (ceiling is { } c) position = Math.Min(position, Math.Max(dailyUse, c) * horizon);
        var gap = position - onHand - inTransit;
        return gap >= dailyUse ? gap : Math.Max(0, dailyUse + (gap - dailyUse) / horizon);
    }

    /// <summary>
    /// The price a firm faces for an input, which its thrift answers to: today's price in its home segment raised by the tariff
    /// it faces per unit of price, inside a tariff wall on its untaxed purchases too (their premium; learnt from its purchases as
    /// the price it values the input at is: Receive). Before Dec 2026
    /// thrift read the untaxed home price: a Japanese tariff of 500% on Chinese magnets moved no quantity that 25% had not.
    /// </summary>
    public static double PriceFaced(FirmState s, string commodity, TickContext ctx)
    {
        var home = ctx.Price(commodity, s.HomeSegment);
        return s.TariffRate.TryGetValue(commodity, out var r) ? home * (1 + r) : home;
    }

    public static double InTransit(FirmState s, string commodity) => s.Pipeline.Quantity(commodity);

    /// <summary>The markets' report of what the firm has applied for and not had decided (<see cref="Applied"/>), replacing the
    /// last: an input no market reports has none in flight.</summary>
    public static void NoteApplied(FirmState s, IReadOnlyList<Applied> applied)
    {
        if (applied.Count == 0 && s.Applied.Count == 0) return;
        s.Applied.Clear();
        for (int i = 0; i < applied.Count; i++)
            if (applied[i].Quantity > 0) s.Applied[applied[i].Commodity] = s.Applied.GetValueOrDefault(applied[i].Commodity) + applied[i].Quantity;
    }

    /// <summary>Splits an order into civil and military bids by the buyer's military share of output.</summary>
    public static void AddBids(List<Bid> bids, string buyerId, string country, string commodity, double quantity, double limit, double militaryShare,
        IReadOnlyDictionary<string, double>? premium = null, IReadOnlyList<string>? unqualified = null, double normal = 0, string? sector = null,
        int? withinDays = null, double horizon = 0, double? baseQuantity = null)
    {
        if (quantity <= 1e-12) return;
        var m = Math.Clamp(militaryShare, 0, 1);
        var military = quantity * m;
        var civil = quantity - military;
        // The base splits as the quantity does (all of it when none is given: an urgent bid is all base).
        var baseShare = baseQuantity is { } bq ? Math.Clamp(bq / quantity, 0, 1) : 1;
        if (civil > 1e-12) bids.Add(new Bid(buyerId, country, commodity, EndUse.Civil, civil, limit) { Premium = premium, Unqualified = unqualified, Normal = normal * (1 - m), Sector = sector, WithinDays = withinDays, Horizon = horizon, Base = civil * baseShare });
        if (military > 1e-12) bids.Add(new Bid(buyerId, country, commodity, EndUse.Military, military, limit) { Premium = premium, Unqualified = unqualified, Normal = normal * m, Sector = sector, WithinDays = withinDays, Horizon = horizon, Base = military * baseShare });
    }

    /// <summary>
    /// Material-constrained planning (docs/MODEL.md, Firms' purchasing): the share of its plan a firm with several inputs buys
    /// each input for. Leontief output is set by the scarcest input, so a firm buys each input for the output its other inputs
    /// let it make (the conditional demand of a fixed-proportions technology, xₖ = aₖ·y). Vⱼ = min(1, (Iⱼ + Pⱼ + sⱼ·nⱼ·(D + 1))
    /// / (nⱼ·hⱼ)) is the share of its plan input j can sustain over its horizon hⱼ = D + L + 1: what it holds and has coming,
    /// and what orders placed now bring in the D + 1 days after the lead time (sⱼ the share of what it asks that the market
    /// has been supplying, <see cref="LearnSupply"/>; nⱼ its daily requirement at the whole plan). Input k is bought for
    /// min(1, max(minⱼ Vⱼ, ȳ)/Vₖ) of the plan, ȳ the share of its plan its inputs have let it make (<see cref="LearnMade"/>):
    /// the scarcest input in full, every other for as much as makes that output from what the market gives it, and none for
    /// less than the firm is making (under a licence's lumpy approvals the outlook alone read a firm making its whole plan as
    /// short and cut its NdPr until it ran out: a review, Dec 2026). sₖ is a share of what is asked, so asking for less does not
    /// lower it where sellers share out pro rata; a rule on the plan's share would have two short inputs cut each other's
    /// orders towards nothing.
    /// </summary>
    /// <param name="dependent">σⱼ, the share of output that needs input j (empty: all of it). Vⱼ is then read as the share of
    /// output it sustains, 1 − σⱼ·(1 − Vⱼ), as output is bounded (ManufacturerRules.MostMade).</param>
    public static void PlanShares(FirmState s, string[] inputs, ReadOnlySpan<double> need, double coverDays, Span<double> share,
        ReadOnlySpan<double> dependent = default)
    {
        // A firm making its whole plan buys every input for it (the floor below is 1): the outlook need not be read.
        if (s.MadeShare >= 1)
        {
            share[..inputs.Length].Fill(1);
            return;
        }
        var least = 1.0;
        for (int j = 0; j < inputs.Length; j++)
        {
            share[j] = Sustained(s, inputs[j], need[j], coverDays);
            if (dependent.Length > 0 && dependent[j] < 1 && share[j] < 1) share[j] = 1 - dependent[j] * (1 - share[j]);
            least = Math.Min(least, share[j]);
        }
        // Never less than what its inputs have let it make: the outlook above reads positions and an average supply, which
        // under a licence's lumpy approvals can fall while every day's use is still delivered.
        least = Math.Max(least, s.MadeShare);
        for (int j = 0; j < inputs.Length; j++) share[j] = share[j] > 0 ? Math.Min(1, least / share[j]) : 1;
    }

    /// <summary>
    /// <see cref="PlanShares(FirmState, string[], ReadOnlySpan{double}, double, Span{double})"/> for a firm whose daily
    /// requirement of each input at the whole plan is <paramref name="recipe"/>[k]·θₖ·<paramref name="rate"/> (a manufacturer's
    /// planned output, a producer's input rate); every share is 1 for a firm with one input.
    /// </summary>
    public static void PlanShares(FirmState s, string[] inputs, IReadOnlyDictionary<string, double> recipe, double rate, double coverDays,
        Span<double> share, IReadOnlyDictionary<string, double>? dependentShare = null)
    {
        if (inputs.Length <= 1)
        {
            share[..inputs.Length].Fill(1);
            return;
        }
        Span<double> need = inputs.Length <= 16 ? stackalloc double[inputs.Length] : new double[inputs.Length];
        for (int j = 0; j < inputs.Length; j++) need[j] = recipe[inputs[j]] * s.Intensity.GetValueOrDefault(inputs[j], 1) * rate;
        if (dependentShare is not { Count: > 0 })
        {
            PlanShares(s, inputs, need, coverDays, share);
            return;
        }
        Span<double> sigma = inputs.Length <= 16 ? stackalloc double[inputs.Length] : new double[inputs.Length];
        for (int j = 0; j < inputs.Length; j++) sigma[j] = dependentShare.TryGetValue(inputs[j], out var x) ? x : 1;
        PlanShares(s, inputs, need, coverDays, share, sigma);
    }

    /// <summary>Learns the share of its plan a firm's inputs let it make (<see cref="FirmState.MadeShare"/>): ȳ ← ȳ + λ·(min(1,
    /// made/wanted) − ȳ), at the rate lead times are learnt at.</summary>
    public static void LearnMade(FirmState s, double made, double wanted, double learning)
    {
        if (wanted <= 1e-12) return;
        s.MadeShare += learning * (Math.Min(1, made / wanted) - s.MadeShare);
        // Back to exactly 1 once within rounding of it: a share learnt up from below stops a few ulps short (1 − 4e-16 from
        // 0.5 at λ = 0.1), which would keep the outlook read, and its shares a hair below 1, for good.
        if (s.MadeShare > 1 - 1e-9) s.MadeShare = 1;
    }

    /// <summary>Vⱼ = min(1, (Iⱼ + Pⱼ + sⱼ·nⱼ·(D + 1))/(nⱼ·hⱼ)) (<see cref="PlanShares"/>); 1 for an input the plan does not use.</summary>
    static double Sustained(FirmState s, string commodity, double need, double coverDays)
    {
        if (need <= 0) return 1;
        var supplied = s.Supplied.TryGetValue(commodity, out var x) ? x : 1;
        var horizon = coverDays + s.ExpectedLeadTime.GetValueOrDefault(commodity) + 1;
        var held = Stock.Total(s.Inputs.GetValueOrDefault(commodity)) + InTransit(s, commodity);
        return Math.Min(1, (held + supplied * need * (coverDays + 1)) / (need * horizon));
    }

    /// <summary>
    /// Learns sⱼ (<see cref="PlanShares"/>) from a day's fills: sⱼ ← sⱼ + λ·(qⱼ/aⱼ − sⱼ), qⱼ what it bought of j today and aⱼ
    /// what its bids asked for, no more than a day's requirement (<see cref="FirmState.AskedFor"/>), at the rate lead times are
    /// learnt at (λ, `lead_time_learning`). A day it asked nothing teaches nothing. Not capped at 1: a licence's approval that
    /// ships the days its refusals kept out counts as those days' supply, so sⱼ averages what the market delivers.
    /// </summary>
    public static void LearnSupply(FirmState s, IReadOnlyList<Fill> bought, double learning)
    {
        foreach (var (k, asked) in s.AskedFor)
        {
            if (asked <= 1e-12) continue;
            double q = 0;
            for (int i = 0; i < bought.Count; i++) if (bought[i].Commodity == k) q += bought[i].Quantity;
            var had = s.Supplied.TryGetValue(k, out var x) ? x : 1;
            s.Supplied[k] = had + learning * (q / asked - had);
        }
    }

    /// <summary>A firm's bids for one input: order-up-to at its (precaution-raised) cover, with its risk premiums and qualified suppliers.
    /// Its daily use is its normal requirement (what licences, declarations and the price rule read); <paramref name="extra"/> is
    /// held once on top (a producer's inputs for its store's room), up to the position of a daily use of <paramref name="ceiling"/>.
    /// Returns what it asks for today (its regular and urgent orders).</summary>
    public static double BidFor(List<Bid> bids, ScenarioSpec world, FirmState s, string id, string country, string sector, string commodity,
        double dailyUse, double ownCoverDays, double limit, double militaryShare, int tick, double extra = 0, double? ceiling = null)
    {
        var cover = SupplierRisk.CoverDays(s, world.Buyers, commodity, ownCoverDays);
        var leadTime = s.ExpectedLeadTime.GetValueOrDefault(commodity);
        var onHand = Stock.Total(s.Inputs.GetValueOrDefault(commodity));
        // What it has applied for under a licence and not had decided is on order too, up to the wait its expected lead time
        // holds (W, learnt with it: a licensed fill teaches application to arrival): a position without it fell short of the
        // target by that wait for good, and the gap was posted every tick as want (docs/MODEL.md, Licences). No more than W:
        // a wait it has not learnt yet (the first decision's) or supply it buys elsewhere is not in its target either.
        var applied = Math.Min(s.Applied.GetValueOrDefault(commodity), dailyUse * s.ExpectedWait.GetValueOrDefault(commodity));
        var inTransit = InTransit(s, commodity) + applied;
        var order = OrderUpTo(dailyUse, cover, leadTime, onHand, inTransit, extra, ceiling);
        // What it would order at its own cover: the part an oversubscribed seller serves before precautionary stock (Rationing).
        var baseOrder = Math.Min(order, OrderUpTo(dailyUse, ownCoverDays, leadTime, onHand, inTransit, extra, ceiling));
        var urgent = UrgentOrder(world, s, country, commodity, dailyUse, leadTime, onHand, tick, out var fastDays);
        if (!s.Unfilled.TryGetValue(commodity, out var open)) s.Unfilled[commodity] = open = [];
        OpenOrders.Post(open, tick, order + urgent);
        var premium = SupplierRisk.Premiums(s, world.Buyers, commodity);
        var unqualified = SupplierRisk.Unqualified(world, s, commodity, tick);
        // The horizon over which it closes its position's gap (the order-up-to rule's D + L + 1): what the price rule reads of
        // its order beyond today's need.
        AddBids(bids, id, country, commodity, order, limit, militaryShare, premium, unqualified, dailyUse, sector, horizon: cover + leadTime + 1,
            baseQuantity: baseOrder);
        // Its normal requirement stays with the regular bid (licence volumes and rationing read it once).
        AddBids(bids, id, country, commodity, urgent, limit, militaryShare, premium, unqualified, 0, sector, fastDays);
        return order + urgent;
    }

    /// <summary>
    /// Expediting (the dual-index policy of dual sourcing: Veeraraghavan &amp; Scheller-Wolf, Operations Research 56(4), 2008):
    /// a buyer that would run out before what it has in transit arrives buys the gap from sellers that deliver sooner.
    /// L_f = the shortest transport to the buyer from a country that could sell it the input (its own, where a national
    /// stockpile sells, or a producer's), used only when shorter than its expected lead time L. The urgent order raises
    /// stock plus what arrives within L_f to L_f + 1 days of use: max(0, use·(L_f + 1) − I − P(arriving by t + L_f)). In a
    /// steady state (cover D ≥ 1 day on hand, a day's use arriving every day) it is 0. Without it a firm whose whole order
    /// was in a ship 45 days out bought nothing while its country's stockpile had stock on offer: in japan-cutoff-3m with
    /// precaution off, a ban lifted on day 75 cost Japan more than one lifted on day 90 (a probe of a build before Dec 2026;
    /// docs/MODEL.md, Expediting, has the current figures).
    /// </summary>
    static double UrgentOrder(ScenarioSpec world, FirmState s, string country, string commodity, double dailyUse, double leadTime,
        double onHand, int tick, out int fastDays)
    {
        fastDays = FastestDelivery(world, commodity, country);
        if (fastDays >= leadTime || dailyUse <= 0) return 0;
        var arriving = s.Pipeline.Quantity(commodity, tick + fastDays);
        return Math.Max(0, dailyUse * (fastDays + 1) - onHand - arriving);
    }

    /// <summary>The shortest transport, in whole days as the market counts it (at least 1), to a buyer in <paramref name="country"/>
    /// from its own country or a country with a producer of the input that has capacity (a plant not built sells nothing, and
    /// a short route from it would shut the buyer out of slower sellers that can: a probe, Dec 2026).</summary>
    static int FastestDelivery(ScenarioSpec world, string commodity, string country)
    {
        // A function of the world's specs alone, asked for every firm, input and tick: worked out once per world.
        var known = Fastest.GetValue(world, static _ => new());
        if (known.TryGetValue((commodity, country), out var found)) return found;
        return known[(commodity, country)] = FastestDeliveryOf(world, commodity, country);
    }
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ScenarioSpec, System.Collections.Concurrent.ConcurrentDictionary<(string, string), int>> Fastest = new();

    static int FastestDeliveryOf(ScenarioSpec world, string commodity, string country)
    {
        var days = Math.Max(1, world.Transport.DaysBetween(country, country));
        foreach (var p in world.ProducersOf(commodity))
            if (p.Capacity > 0) days = Math.Min(days, Math.Max(1, world.Transport.DaysBetween(p.Country, country)));
        return days;
    }

    /// <summary>
    /// Books purchases into the pipeline, learns the lead time and the delivered price, and returns the firm's imports with their
    /// lead time from order (the days the order waited unfilled, then order tick to arrival). The lead time it learns and plans
    /// with is the fill's order tick to arrival (transport, plus the licence delay under a licence: the fill's order dates from
    /// its application): what it still lacks it asks for again every tick, so counting the wait there too would count it twice.
    /// A day's fills move the price it values all its inputs at (its variable cost, its limit price) in proportion to their
    /// size against a day's use of the input (<paramref name="recipe"/>[k]·θₖ·<paramref name="rate"/>), all the way from a
    /// day's use up: a sliver says little of what its stock is worth (the tariff it faces moves alike). Before Dec 2026 a Dy
    /// stockpile of 10⁻⁹ t that sold once at ≈4× set Japan's magnet maker's input price and it cut output 13% the next day
    /// (japan-cutoff-3m, precaution off, no stockpile; a build before Dec 2026: docs/MODEL.md, *The price a firm values its
    /// inputs at*, has the current figure).
    /// </summary>
    [ThreadStatic] static Shipment[]? _shipments;

    public static IReadOnlyList<ImportLead> Receive(FirmState s, IReadOnlyList<Fill> bought, double learning, int tick,
        IReadOnlyDictionary<string, double> recipe, double rate)
    {
        if (bought.Count == 0) return [];
        // Gathered in a list reused per thread, returned as an array of their number (the report keeps it, not the list).
        var imports = _imports ??= new List<ImportLead>(4);
        imports.Clear();
        // Index loops: a foreach over the interface would allocate an enumerator each time.
        var shipments = _shipments is { } sc && sc.Length >= bought.Count ? sc : _shipments = new Shipment[Math.Max(16, bought.Count)];
        for (int i = 0; i < bought.Count; i++)
        {
            var f = bought[i];
            shipments[i] = new Shipment(f.Commodity, f.Origin, f.Quantity, f.ArrivalTick);
        }
        s.Pipeline.Book(shipments.AsSpan(0, bought.Count));
        shipments.AsSpan(0, bought.Count).Clear(); // no strings kept alive by the scratch
        // Per commodity, in ordinal order; fills keep their market order within a commodity (a stable float sum). The next
        // commodity is the least one above the last done: no list per call (a firm buys one or two commodities).
        string? done = null;
        while (true)
        {
            string? k = null;
            for (int i = 0; i < bought.Count; i++)
            {
                var c = bought[i].Commodity;
                if ((done is null || string.CompareOrdinal(c, done) > 0) && (k is null || string.CompareOrdinal(c, k) < 0)) k = c;
            }
            if (k is null) break;
            done = k;
            double q = 0, value = 0, days = 0, tariff = 0, premium = 0, regular = 0, wait = 0;
            for (int i = 0; i < bought.Count; i++)
            {
                var f = bought[i];
                if (f.Commodity != k) continue;
                q += f.Quantity;
                value += f.Quantity * (f.Price + f.Tariff);
                tariff += f.Quantity * f.Tariff;
                premium += f.Quantity * f.Premium;
                // An expedited fill says nothing of the regular supply's lead time, which sizes the order-up-to position: learnt
                // from it, a firm that bridged a ban from its stockpile (14 days) sized its position for 14 days and ran its cover
                // down towards 0 once orders went back to a 45-day supplier (a probe, Dec 2026).
                if (f.Urgent) continue;
                regular += f.Quantity;
                days += f.Quantity * (f.ArrivalTick - f.OrderTick);
                wait += f.Quantity * Math.Max(0, tick - f.OrderTick);
            }
            if (q <= 0) continue;
            var use = recipe.GetValueOrDefault(k) * s.Intensity.GetValueOrDefault(k, 1) * rate;
            var weight = Weight(q, use);
            var last = s.LastPrice.GetValueOrDefault(k, value / q);
            s.LastPrice[k] = last + weight * (value / q - last);
            // The tariff it faces moves alike: a sliver bought across a tariff says as little of it as of the price. Inside a tariff
            // wall an untaxed purchase costs the taxed import's price too (its premium): the firm faces the tariff on all it buys.
            var wedge = tariff + premium;
            var paid = wedge > 0 ? wedge / (value - wedge) : 0;
            var faced = s.TariffRate.GetValueOrDefault(k);
            faced += weight * (paid - faced);
            if (faced > 0) s.TariffRate[k] = faced;
            else s.TariffRate.Remove(k);
            if (regular > 0)
            {
                var l = s.ExpectedLeadTime.GetValueOrDefault(k);
                s.ExpectedLeadTime[k] = l + learning * (days / regular - l);
                // The part of it that is a licence's wait (fill tick − order tick: the licence delay, 0 without one), learnt alike.
                var w = s.ExpectedWait.GetValueOrDefault(k);
                if (w > 0 || wait > 0) s.ExpectedWait[k] = w + learning * (wait / regular - w);
            }

            // Every fill of the tick meets the oldest open orders alike (no seller fills a particular order): one mean wait.
            var waited = s.Unfilled.TryGetValue(k, out var open) ? OpenOrders.Fill(open, tick, q) : 0;
            double imported = 0, importDays = 0;
            for (int i = 0; i < bought.Count; i++)
            {
                var f = bought[i];
                if (f.Commodity != k || f.SellerCountry == f.BuyerCountry) continue;
                imported += f.Quantity;
                // The order's wait and its licence's processing (fill tick − order tick) overlap where the order waited for the
                // licence (its first decision): the longer of the two, then transport. Adding them counted that wait twice.
                importDays += f.Quantity * (Math.Max(waited, tick - f.OrderTick) + f.ArrivalTick - tick);
            }
            if (imported > 0) imports.Add(new ImportLead(k, imported, importDays, imported * waited));
        }
        if (imports.Count == 0) return [];
        var found = imports.ToArray();
        imports.Clear();
        return found;
    }
    [ThreadStatic] static List<ImportLead>? _imports;

    /// <summary>min(1, q/u): how far a day's fills of q move the input's price against a day's use u (all the way when the firm
    /// uses none).</summary>
    static double Weight(double q, double use) => use > 0 ? Math.Min(1, q / use) : 1;

    /// <summary>Moves shipments due by this tick into stock: the pipeline's head, in arrival order.</summary>
    public static void Arrive(FirmState s, int tick)
    {
        var due = s.Pipeline.After(tick);
        for (int i = 0; i < due; i++)
        {
            var sh = s.Pipeline[i];
            Stock.Add(Stock.For(s.Inputs, sh.Commodity), sh.Origin, sh.Quantity);
        }
        s.Pipeline.RemoveFirst(due);
    }

    /// <summary>
    /// Seeds stock and a pipeline so that tick 0 starts in a steady state: D days of use in stock, and in transit what was
    /// ordered from each supplier over its own lead time (<paramref name="supply"/>: lead time in days, share of the firm's
    /// purchases and the supplier's lots, OpeningLots). Every day until the longest lead time then brings exactly one day's
    /// use, and the order-up-to rule orders one day's use at tick 0. The expected lead time starts at the shares' mean. Stock
    /// and each day's arrivals hold the suppliers' lots in their shares (a lot per key, booked in ordinal key order).
    /// </summary>
    /// <param name="first">The first tick the world steps (0, or the spin-up's first day, ScenarioSpec.FirstTick): the pipeline
    /// is what arrives from then on.</param>
    public static void Initialise(FirmState s, string commodity, double dailyUse, double coverDays, IReadOnlyList<OpeningLots.Source> supply, int first = 0)
    {
        var stock = Stock.For(s.Inputs, commodity);
        var held = OpeningLots.Mix(supply);
        // One lot: its whole cover, as before lots followed suppliers (no sum of shares to round).
        if (held.Count == 1) stock[held[0].Key] = dailyUse * coverDays;
        else foreach (var l in held) Stock.Add(stock, l.Key, dailyUse * coverDays * l.Share);
        static int Ticks(double days) => Math.Max(1, (int)Math.Round(days));
        var longest = supply.Max(x => Ticks(x.Days));
        IReadOnlyList<OpeningLots.Lot> arriving = [];
        double share = 0;
        for (int d = 0; d < longest; d++)
        {
            // What arrives on day d: the purchases of suppliers whose lead time is longer than d (the others' arrive from orders
            // placed from tick 0 on). That set changes only on a day some supplier's lead time ends: the mix is worked out then,
            // not every day (a firm has one to a few suppliers and up to ≈50 days of pipeline; at 100,000 firms, millions of mixes).
            if (d == 0 || supply.Any(x => Ticks(x.Days) == d))
            {
                arriving = OpeningLots.Mix(supply.Where(x => Ticks(x.Days) > d));
                share = 0;
                foreach (var x in supply) if (Ticks(x.Days) > d) share += x.Share;
            }
            if (arriving.Count == 1) s.Pipeline.Book(new Shipment(commodity, arriving[0].Key, dailyUse * share, first + d));
            else foreach (var l in arriving) s.Pipeline.Book(new Shipment(commodity, l.Key, dailyUse * l.Share, first + d));
        }
        double mean = 0;
        foreach (var x in supply) mean += x.Share * Ticks(x.Days);
        s.ExpectedLeadTime[commodity] = mean;
        s.Intensity[commodity] = 1;
    }

    /// <summary>
    /// The producers of an input open to a buyer before any policy, with their transport time to it and their share of its
    /// purchases, in producer id order. As the matching does, a buyer takes supply reserved for its country first (an offtake
    /// contract, a captive mine): its country's part of each reservation, r_p = K_p·(ratio)·(reserved share), shared among the
    /// reservation's countries by their opening demand, until its country's opening demand D_c is met; the rest of its purchases
    /// spread over the open parts o_p = K_p·(ratio)·(1 − reserved share) by capacity:
    ///     w_p = f·r_p/Σr + (1 − f)·o_p/Σo,   f = min(1, u_k·Σr/D_c)   (f = 1 where nothing is open, 0 where nothing is reserved)
    /// The reserved part is read at the commodity's opening utilisation u_k, as producers sell u_k of capacity; the matching
    /// offers the reserved share of the flow at the desired rate, so the two differ by that factor (docs/MODEL.md). Before Dec
    /// 2026 a reservation for the buyer's country counted as open capacity (w_p ∝ K_p): Japan opened with 9.1% of its NdPr from
    /// Lynas and bought 31.0% in the run.
    /// </summary>
    internal static List<(ProducerSpec Producer, double Days, double Share)> OpenSuppliers(ScenarioSpec world, string commodity, string buyerId, string buyerCountry)
    {
        var found = new List<(ProducerSpec Producer, double Days, double Reserved, double Open)>();
        double reserved = 0, open = 0;
        // In id order, so the sums do not depend on the order producers are listed in.
        foreach (var p in world.ProducersOf(commodity))
        {
            if (p.Id == buyerId) continue;
            var cap = p.Capacity * (p.Output == commodity ? 1 : p.CoProducts.GetValueOrDefault(commodity));
            if (cap <= 0) continue;
            var share = p.ReservedFor.Count > 0 ? p.ReservedShare : 0;
            double r = 0;
            if (share > 0 && p.ReservedFor.Contains(buyerCountry))
            {
                // The reservation's part for the buyer's country: by the opening demand of the countries it names (alike if none has any).
                double all = 0;
                foreach (var c in p.ReservedFor) all += OpeningDemand.OfCountry(world, c, commodity);
                r = cap * share * (all > 0 ? OpeningDemand.OfCountry(world, buyerCountry, commodity) / all : 1.0 / p.ReservedFor.Count);
            }
            var o = cap * (1 - share);
            if (r <= 0 && o <= 0) continue;
            found.Add((p, world.Transport.DaysBetween(p.Country, buyerCountry), r, o));
            reserved += r;
            open += o;
        }
        var demand = OpeningDemand.OfCountry(world, buyerCountry, commodity);
        var f = reserved <= 0 ? 0 : open <= 0 || demand <= 0 ? 1 : Math.Min(1, world.OpeningUtilisation(commodity) * reserved / demand);
        var supply = new List<(ProducerSpec Producer, double Days, double Share)>(found.Count);
        foreach (var (p, days, r, o) in found)
        {
            var w = (reserved > 0 ? f * r / reserved : 0) + (open > 0 ? (1 - f) * o / open : 0);
            if (w > 0) supply.Add((p, days, w));
        }
        return supply;
    }
}
