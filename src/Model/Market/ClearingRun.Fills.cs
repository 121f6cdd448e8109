using System.Runtime.InteropServices;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        /// <summary>A fill's fields but its quantity: fills equal in all of them (terms by value, as records compare) ship alike and
        /// merge.</summary>
        readonly record struct FillKey(FillTerms Terms, int OrderTick, string BuyerId, bool Urgent)
        {
            public Fill ToFill(double quantity) => new(Terms, BuyerId, quantity, OrderTick, Urgent);
        }

        /// <summary>The first key in <paramref name="run"/> equal to <paramref name="key"/> (List.IndexOf's answer), the order
        /// tick compared first, in place.</summary>
        static int IndexIn(List<FillKey> run, in FillKey key)
        {
            var keys = CollectionsMarshal.AsSpan(run);
            for (int i = 0; i < keys.Length; i++)
            {
                ref readonly var k = ref keys[i];
                if (k.OrderTick == key.OrderTick && k.Urgent == key.Urgent && k.Terms.Equals(key.Terms) && k.BuyerId == key.BuyerId) return i;
            }
            return -1;
        }

        // A link's terms (every fill's field but its buyer, quantity, order tick and urgency), made once per candidate in a clearing
        // and shared by its fills.
        FillTerms TermsOf(Candidate cand, Bid bid, (Dictionary<string, double> Inside, double[] Least)? wall)
        {
            if (cand.Terms is { } t) return t;
            var a = cand.Ask;
            var ask = asks[a];
            var premium = wall is { } w && Walled(cand) && w.Inside.TryGetValue(bid.BuyerCountry, out var inside)
                ? Math.Max(0, Math.Min(inside, w.Least[a]) - cand.Price) : 0;
            // A floor tops up to itself: what the premium already pays, it does not.
            var subsidy = Math.Max(0, cand.Subsidy - premium);
            return cand.Terms = new FillTerms(bid.BuyerCountry, ask.SellerId, ask.SellerCountry, commodity.Id, ask.Origin, bid.EndUse,
                cand.Price + premium, cand.Tariff, subsidy, subsidy > 0 ? cand.SubsidyPayer : null, tick + cand.Transport, cand.Rent,
                cand.RentHolder, premium);
        }

        List<Fill> fills = null!;
        // A fill is keyed by every field but its quantity; a merge adds its quantity, in (bid, ask) order. Fills that merge have
        // the same buyer, and a buyer's bids are consecutive, so the keys of the current buyer's fills (a few) are kept apart
        // and searched, and each becomes a record once, with its whole quantity, when the next buyer starts. A key is a function
        // of (order, candidate, licence delay) in a tick, so an entry with the same three as one met before adds to the same
        // fill without its key being built or searched for (at 100,000 buyers, ≈2 million entries a tick merge into ≈330,000
        // fills): the current order's are kept by candidate, a few licence delays each (KeptDelays; more are found by key).
        readonly List<FillKey> run = new(8);
        readonly List<double> runQuantity = new(8);
        const int KeptDelays = 4;
        int[] keptCount = new int[8]; // by candidate of the current order: how many delays are kept
        int[] keptDelay = new int[8 * KeptDelays];
        int[] keptAt = new int[8 * KeptDelays]; // the fill in the run that (order, candidate, delay) adds to
        int keptOrder = -1;
        double[] crossSold = [], sold = [], tradeAt = [];
        List<PriceWindows.DemandAt>? demandAt;
        HashSet<string> stockpileIds = null!;
        bool[] stockpileAsk = [];
        int[] chain = new int[8];
        // Each candidate list's indices in ask order (each ask is one candidate of a list), worked out once per list.
        readonly PerCandidateList<AskOrder> askOrderOf = new(() => new AskOrder(), (x, list) => x.Fill(list));

        // Fills, in (bid, ask) order; the applications of one order that ship alike merge back into one fill.
        void MakeFills()
        {
            // Not filled.Count long: the parts of an order that ship alike make one fill; as many as the last clearing made, if more.
            fills = new List<Fill>(Math.Max(orders.Count, pools.LastFills + pools.LastFills / 8));
            crossSold = new double[asks.Count];
            sold = new double[asks.Count];
            // What the fills add to each segment's demand and supply, by segment index, in the same order (0 + q = q, as a new
            // entry gave): written into the maps once after the fills, not looked up by name per fill.
            var fillDemand = new double[world.Segments.Count];
            // The same demand by reservation price, for the price window (PriceWindows.DemandAt): over one day, none.
            demandAt = commodity.PriceWindowDays > 1 ? pools.DemandAt : null;
            demandAt?.Clear();
            var fillSupply = new double[world.Segments.Count];
            // Today's trade at each segment's price, a state's stockpile sales to its own firms left out: what arbitrage pulls a
            // pooled group's prices to (SetPrices).
            tradeAt = new double[world.Segments.Count];
            stockpileIds = inForce.OfType<Stockpile>().Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
            stockpileAsk = asks.Select(x => stockpileIds.Contains(x.SellerId)).ToArray(); // looked up per ask, not per fill
            (Dictionary<string, double> Inside, double[] Least)? wall = tariffs.Count == 0 ? null : WallPrices();
            string? runBuyer = null;
            var runOrder = -1;
            for (int b = 0; b < partCount; b++)
            {
                var entries = FilledInAskOrder(b);
                if (entries == 0) continue;
                var o = parts[b].Order;
                var bid = orders[o];
                if (o != runOrder && !string.Equals(runBuyer, bid.BuyerId, StringComparison.Ordinal))
                {
                    FlushRun();
                    runBuyer = bid.BuyerId;
                }
                runOrder = o;
                var list = cands[b];
                for (int j = 0; j < entries; j++)
                {
                    var ci = chain[j];
                    var q = filled[candAt[b] + ci];
                    var cand = list[ci];
                    var a = cand.Ask;
                    var delay = DelayOf(b, cand);
                    var at = KeptAt(o, ci, delay);
                    if (at < 0)
                    {
                        // Under a licence the shipment leaves today and arrives after transport; it goes under an application lodged
                        // one processing delay ago, so its order dates from then (buyers learn their lead time, application to
                        // arrival, from it).
                        var key = new FillKey(TermsOf(cand, bid, wall), tick - delay, bid.BuyerId, bid.IsUrgent);
                        at = IndexIn(run, key);
                        if (at < 0)
                        {
                            run.Add(key);
                            runQuantity.Add(0);
                            at = run.Count - 1;
                        }
                        Keep(ci, delay, at);
                    }
                    runQuantity[at] += q;
                    // A sale counts as demand in the segment whose price it was at (under a licence, up to its order's want); one
                    // across a control carries its supply there too.
                    var wanted = UnderLicence(cand) ? q * licensedCounts[o] : q; // q × 1 = q: the same bits
                    fillDemand[cand.PriceSegment] += wanted;
                    demandAt?.Add(new(cand.PriceSegment, ReservationAt(cand, bid), wanted));
                    if (!stockpileAsk[a]) tradeAt[cand.PriceSegment] += q;
                    sold[a] += q;
                    if (cand.PriceSegment != segIndexOfAsk[a])
                    {
                        fillSupply[cand.PriceSegment] += q;
                        crossSold[a] += q;
                    }
                }
            }
            FlushRun();
            for (int g = 0; g < world.Segments.Count; g++)
            {
                if (fillDemand[g] != 0) demand[world.Segments[g].Id] = fillDemand[g];
                if (fillSupply[g] != 0) supply[world.Segments[g].Id] = fillSupply[g];
            }
        }

        void FlushRun()
        {
            for (int i = 0; i < run.Count; i++) fills.Add(run[i].ToFill(runQuantity[i]));
            run.Clear();
            runQuantity.Clear();
        }
        // Part b's candidates with a fill, in ask order (the order fills are made in), into chain; how many.
        int FilledInAskOrder(int b)
        {
            var list = cands[b];
            var byAsk = askOrderOf.Of(list, ReferenceEquals(list, linksOf[parts[b].Order].Candidates));
            if (chain.Length < list.Count) chain = new int[list.Count];
            var n = 0;
            for (int k = 0; k < list.Count; k++)
                if (filled[candAt[b] + byAsk.Index[k]] > 0) chain[n++] = byAsk.Index[k];
            return n;
        }
        // The fill (order o, candidate ci, delay) adds to, if met before in this order; -1 if not.
        int KeptAt(int o, int ci, int delay)
        {
            if (o != keptOrder)
            {
                keptOrder = o;
                var n = cands[partAt[o]].Count;
                if (keptCount.Length < n)
                {
                    keptCount = new int[n];
                    keptDelay = new int[n * KeptDelays];
                    keptAt = new int[n * KeptDelays];
                }
                else Array.Clear(keptCount, 0, n);
                return -1;
            }
            for (int k = 0; k < keptCount[ci]; k++)
                if (keptDelay[ci * KeptDelays + k] == delay) return keptAt[ci * KeptDelays + k];
            return -1;
        }
        void Keep(int ci, int delay, int at)
        {
            if (keptCount[ci] == KeptDelays) return;
            var k = ci * KeptDelays + keptCount[ci]++;
            keptDelay[k] = delay;
            keptAt[k] = at;
        }
    }
}
