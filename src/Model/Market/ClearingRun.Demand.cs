using System.Runtime.InteropServices;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        double[] orderWant = [], orderGot = [], licensedCounts = [], unmetScale = [];

        // What an order buys under a licence's approval counts as demand up to what its day's want w (Wanted, below) leaves after
        // its other fills, not beyond. An approval's volume is a day's need for each day it covers (its delay, and the days its
        // application waited or was refused), and what ships under it beyond today's want serves those days, whose want counts
        // on its own day: as unmet while the link was shut, as want when it comes. Counted in full, a licence that shipped its
        // volume in one lot read the need of the days its link stood shut twice, so lumpier licensed supply meant a higher
        // price. Other fills count in full: a buyer that takes more than its day's want from an open market is building stock,
        // and that is demand. An urgent bid's fills count in full (its need is its buyer's regular bid's).
        void CountLicensedFills()
        {
            orderWant = rented.Rent<double>(orders.Count);
            orderGot = rented.Rent<double>(orders.Count);
            licensedCounts = rented.Rent<double>(orders.Count); // the share of its licensed fills an order counts as demand
            for (int o = 0; o < orders.Count; o++)
            {
                double q = 0, normal = 0, got = 0;
                for (int b = partAt[o]; b < partAt[o + 1]; b++)
                {
                    q += parts[b].Quantity;
                    normal += parts[b].Normal;
                    got += parts[b].Quantity - remaining[b];
                }
                var want = Wanted(orders[o], q, normal);
                orderWant[o] = want;
                orderGot[o] = got;
                var licensed = licensedGot[o];
                licensedCounts[o] = orders[o].IsUrgent || got <= want || licensed <= 0 ? 1
                    : Math.Min(1, Math.Max(0, want - (got - licensed)) / licensed);
            }
        }

        // One lookup, not a read and a write: a new segment starts from 0 + q, as before.
        void AddTo(Dictionary<string, double> d, string seg, double q) => CollectionsMarshal.GetValueRefOrAddDefault(d, seg, out _) += q;

        // Demand is a flow: what the buyer wants today, less what it got. It wants its day's need N and the rest of its order Q
        // spread over its horizon h (the order-up-to rule's D + L + 1; stock adjustment as in Sterman, Management Science 35(3),
        // 1989): w = min(Q, N + (Q − N)/h); all of Q when it states no need (a stockpile's refill). Before Dec 2026 what was left
        // of the order counted up to a whole day's need, however much of the day's need it got: a buyer a day short of its
        // stock target added a full day's use every tick, so any lasting shortfall, 0.6% or 15%, held world magnet prices near
        // e ≈ 2.7× (a probe; PriceResponseTests).
        // Per order, not per licence application: an order split into n applications wants w once, and what its approved
        // applications bought serves the refused ones' need too. Unmet = max(0, w − Σ fills), shared among the order's parts
        // in proportion to each part's own shortfall max(0, w/n − fill) (so it stands at the segments the short parts could
        // still buy in). Before Dec 2026 each part counted its own shortfall: at an approval rate of 0.5 the refused half of
        // every order counted half its need as unmet while the approved half overfilled it, and world Dy prices rose 2.1×
        // against 1.2× with every application approved, on nearly the same imports (LicenceDemandTests).
        static double Wanted(Bid bid, double q, double normal) =>
            normal > 0 ? Math.Min(q, normal + (bid.Horizon > 0 ? Math.Max(0, q - normal) / bid.Horizon : 0)) : q;
        double PartShortfall(int b) =>
            remaining[b] > tol && !OrderOf(b).IsUrgent
                ? Math.Max(0, Wanted(OrderOf(b), parts[b].Quantity, parts[b].Normal) - (parts[b].Quantity - remaining[b]))
                : 0;

        void ScaleUnmet()
        {
            unmetScale = rented.Rent<double>(orders.Count);
            for (int o = 0; o < orders.Count; o++)
            {
                double shortfalls = 0;
                for (int b = partAt[o]; b < partAt[o + 1]; b++) shortfalls += PartShortfall(b);
                // x / x is exactly 1, so an order of one part counts its shortfall unchanged.
                unmetScale[o] = shortfalls > 0 ? Math.Max(0, orderWant[o] - orderGot[o]) / shortfalls : 0;
            }
        }

        // Unmet demand counts in the segments whose prices the buyer could still pay: those of its open legal links, shared in
        // proportion to the supply it can reach in each (its open offers' Reach, the measure Choose weighs sellers by), or its
        // own segment when policy closed them all (a refused or banned buyer's demand stands where it is, abroad). A buyer priced
        // out of its own segment (limit below the price) adds nothing, and so does a buyer an entity list restricts (and no
        // segment-separating control does: LinkSet.Named) whose every seller is closed: a control on named buyers separates no
        // segments, so its own segment's price is also the exporter's, and what only it cannot buy would raise the exporter's
        // home price (an entity-list ban of Japan's Dy buyer raised China's Dy price 1.30× where a ban on all of Japan lowered
        // it 0.78×, Dec 2026).
        // Shared equally over the segments before Dec 2026: where a sliver of supply abroad stayed open to a controlled country's
        // buyers (India's separator, the only offer abroad open to China's under an Australian ban on China), half of their
        // shortfall landed on the price abroad, which rose 3.5× in a year while the supply kept from China should have lowered it.
        readonly List<(string Id, double Reach, double Reservation)> segs = new(2);
        void UnmetDemand(int b, Bid bid, Part part, LinkSet set, List<Candidate> list)
        {
            var ownSeg = set.Segment;
            segs.Clear();
            // A declared civil part that has bought all its declaration covers may buy no more from the sellers the declaration
            // binds: what is left of its order (its military share, or stock beyond its civil needs) is not demand their supply
            // could meet, so it counts neither at their segment nor, for want of an open seller, at its own.
            var declaredOut = Declares(b) && declaredLeft[b] <= tol;
            var outOfDeclaration = false;
            for (int i = 0; i < list.Count; i++)
            {
                var isOpen = OpenAfter(b, i, out _); // Open draws a licence decision not drawn yet
                if (declaredOut && Declared(b, list[i].Ask)) { outOfDeclaration = true; continue; }
                if (!isOpen) continue;
                var seg = world.Segments[list[i].PriceSegment].Id;
                var at = 0;
                while (at < segs.Count && segs[at].Id != seg) at++; // a loop: a lambda over seg would allocate per offer
                if (at == segs.Count) segs.Add((seg, 0, 0));
                var a = list[i].Ask;
                segs[at] = (seg, segs[at].Reach + Reach(a, asks[a].Quantity, bid), Math.Max(segs[at].Reservation, ReservationAt(list[i], bid)));
            }
            if (segs.Count == 0 && !outOfDeclaration && !set.Named && bid.LimitPrice >= state.Prices[ownSeg]) segs.Add((ownSeg, 0, bid.LimitPrice));
            var unmet = PartShortfall(b) * unmetScale[part.Order];
            // In ordinal segment order (a sum's order fixed); no reach at all (every open offer empty and idle): equal shares.
            // One segment takes all of it (r / r and 1 / 1 are exactly 1).
            if (segs.Count > 1) segs.Sort(static (x, y) => string.CompareOrdinal(x.Id, y.Id));
            double reach = 0;
            foreach (var (_, r, _) in segs) reach += r;
            foreach (var (sg, r, reservation) in segs)
            {
                var share = unmet * (reach > 0 ? r / reach : 1.0 / segs.Count);
                AddTo(demand, sg, share);
                demandAt?.Add(new(SegmentIndex(sg), reservation, share));
            }
        }
    }
}
