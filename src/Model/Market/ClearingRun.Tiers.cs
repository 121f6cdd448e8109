namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        // The seller's capacity shared among one tier of its requests (Tier), needs first; 0 for the requests of the other
        // tiers. Written into alloc[0 .. reqs.Count). The scratch arrays are rented once, as long as the
        // longest list of requests (ListRequests): grown per call they were new large arrays every tick (≈34 MB a tick at 100,000 buyers).
        double[] qScratch = [], needScratch = [], allocScratch = [], valueScratch = [];
        double[] ClassAllocation(int a, PooledList<Request> reqs, int tier, double capacity, double[] alloc)
        {
            var n = reqs.Count;
            var q = qScratch;
            var need = needScratch;
            // A seller with room for the whole tier gives each request what it asks (Rationing.Allocate's first case, and
            // AllocateByValue's, on the same sum in the same order): its needs are not worked out. Most sellers, most rounds.
            double total = 0;
            for (int k = 0; k < n; k++)
                if (Tier(reqs[k]) == tier) total += reqs[k].Q;
                else total += 0.0; // as Allocate adds the zeros of the other tiers
            if (total <= Math.Max(0, capacity))
            {
                for (int k = 0; k < n; k++) alloc[k] = Tier(reqs[k]) == tier ? reqs[k].Q : 0;
                return alloc;
            }
            for (int k = 0; k < n; k++)
            {
                q[k] = 0;
                need[k] = 0;
                if (Tier(reqs[k]) != tier) continue;
                q[k] = reqs[k].Q;
                // What is left of the part's need after its fills in earlier rounds, as a share of what it asks now: a need met in
                // round 1 is not claimed again on the remainder (a probe's example: a buyer whose base was filled took 10.2
                // against another's 7.8 of a base of 10).
                var part = parts[reqs[k].Bid];
                var partNeed = part.Quantity * Rationing.NeedShare(OrderOf(reqs[k].Bid), part.Normal / Math.Max(part.Quantity, double.Epsilon),
                    world.Buyers.NeedsFirst);
                var needLeft = Math.Max(0, partNeed - (part.Quantity - remaining[reqs[k].Bid]));
                need[k] = remaining[reqs[k].Bid] > 0 ? reqs[k].Q * Math.Min(1, needLeft / remaining[reqs[k].Bid]) : 0;
            }
            if (!world.Buyers.RationByValue) Rationing.Allocate(q.AsSpan(0, n), need.AsSpan(0, n), capacity, alloc.AsSpan(0, n));
            else
            {
                var value = valueScratch;
                for (int k = 0; k < n; k++) value[k] = OrderOf(reqs[k].Bid).LimitPrice;
                Rationing.AllocateByValue(q.AsSpan(0, n), need.AsSpan(0, n), value.AsSpan(0, n), capacity, alloc.AsSpan(0, n));
            }
            return alloc;
        }

        // Who an oversubscribed seller serves first (what an auction allocates): a buyer with another offer to turn to, within
        // the price band of this one's perceived cost and with room for its request, pays no more than that offer's cost for
        // this one; a buyer with none would pay more. So, within each class (priority buyers, the rest), requests with no
        // other offer in that band come first, then those whose others lack room for them, then those with an alternative.
        // Room is what a seller has left after the round's requests (spare = capacity − requested): a seller everyone turns to
        // at once is no one's alternative. It is read per request, not shared out (one seller's spare can make several
        // requests' alternative), and it is capacity alone (a quota, licence volume or declaration on that link is not read). Without this, with a 100% Japanese
        // tariff on Chinese magnets, Japan's makers shared their output pro rata with foreign buyers who could buy Chinese
        // magnets at the same price, and Japan imported 2,182 t of Chinese magnets a year and paid the tariff on them (Dec 2026).
        double[] requested = [];
        // The tiers each seller's requests fall in this round, a bit per tier: a seller serves only those (most have one).
        int[] tiersOf = [];

        // Worked out once a round, after its requests and before any is served (capacity as it stands then).
        void FindAlternatives()
        {
            for (int a = 0; a < asks.Count; a++)
            {
                double total = 0;
                var reqs = requests[a];
                for (int k = 0; k < reqs.Count; k++) total += reqs[k].Q;
                requested[a] = total;
            }
            for (int a = 0; a < asks.Count; a++)
            {
                if (requested[a] <= cap[a] + tol) continue; // not oversubscribed: everyone is served in full
                var reqs = requests[a];
                for (int k = 0; k < reqs.Count; k++) reqs.At(k).Alt = Alternative(a, reqs[k]);
            }
            for (int a = 0; a < asks.Count; a++)
            {
                var reqs = requests[a];
                var mask = 0;
                for (int k = 0; k < reqs.Count; k++) mask |= 1 << Tier(reqs[k]);
                tiersOf[a] = mask;
            }
        }
        // 0: no other open offer within the band of this one's perceived cost (cheaper ones count); 1: some, with room together
        // less than the request; 2: some with room for it. A buyer whose offers in that band are full competes for the same
        // goods as everyone; one with none values this offer above its price (its next offer is dearer: a tariff, a premium,
        // or there is none), so it comes first.
        int Alternative(int a, Request r)
        {
            var list = cands[r.Bid];
            var at = costAt[parts[r.Bid].Order];
            var edge = perceived[at + r.Cand] * (1 + band) + Eps;
            double room = 0;
            var any = false;
            for (int i = 0; i < list.Count; i++)
            {
                var other = list[i].Ask;
                if (other == a || perceived[at + i] > edge || !openWhenChosen[candAt[r.Bid] + i]) continue;
                any = true;
                if (cap[other] - requested[other] <= tol) continue;
                room += cap[other] - requested[other];
                if (room >= r.Q) return 2;
            }
            return any ? 1 : 0;
        }
        // A seller with room for every request serves them all in full, so only an oversubscribed one's requests are marked.
        static int Tier(Request r) => (r.Priority ? 0 : Tiers / 2) + r.Alt;
    }
}
