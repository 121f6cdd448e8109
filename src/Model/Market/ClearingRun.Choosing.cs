namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        // The sellers a buyer asks this round: among open links within the price band of the cheapest perceived cost, those
        // reserved for its country (contracts, its own stockpile) first, then the rest; the order is spread in proportion to the
        // seller's capacity to supply × a weight falling linearly from 1 at the cheapest to 0 at the band's edge. Its capacity to
        // supply is its flow F (its market share, not whatever stock it happens to hold), or, if more, its stock spread over the
        // buyer's horizon h (the rate that stock can serve the buyer's order at): a maker out of an input still sells its store
        // to its customers. Before Dec 2026 F alone counted, and under a 180-day Dy ban on Japan its high-temperature magnet
        // maker held 572.6 t of magnets for 90 days and sold none while its buyers took Chinese magnets.
        double Reach(int a, double stock, Bid bid) => Math.Max(flowOf[a], stock / Math.Max(1, bid.Horizon));
        readonly List<(int I, double Cost)> open = new();
        readonly List<(int I, double Q)> chosen = new();
        readonly List<(int I, double W)> band0 = new();
        bool[] taken = Array.Empty<bool>(); // by candidate index: in a band already (a flag each, for list.Count candidates)
        void Choose(int b)
        {
            open.Clear(); chosen.Clear();
            var list = cands[b];
            if (taken.Length < list.Count) taken = new bool[Math.Max(16, list.Count)];
            else Array.Clear(taken, 0, list.Count);
            var takenCount = 0;
            var best = double.PositiveInfinity;
            for (int i = 0; i < list.Count; i++)
                if (openWhenChosen[candAt[b] + i] = IsOpen(b, i, out _))
                {
                    var cost = perceived[costAt[parts[b].Order] + i];
                    open.Add((i, cost));
                    best = Math.Min(best, cost);
                }
            if (open.Count == 0) return;
            var top = 1;
            var edge = best * (1 + band) + Eps;
            foreach (var (i, cost) in open) if (cost <= edge && asks[list[i].Ask].OnlyFor.Count > 0) { top = 0; break; }
            var left = remaining[b];
            // The band of the cheapest offer (reserved ones first), then, while the offers taken hold less than the order, the
            // band of the cheapest offer not taken yet, and so on: a buyer orders what its preferred sellers cannot supply from
            // the next ones at once, not a round later (by then others have taken them).
            while (true)
            {
                band0.Clear();
                double totalWeight = 0, held = 0;
                foreach (var (i, cost) in open)
                {
                    // top 0: the first band is the reserved offers (contracts, the own stockpile); top 1: no reserved offer is
                    // within the first band; top 2: a later band, reserved and open offers alike.
                    if (cost > edge || taken[i] || (top == 0 && asks[list[i].Ask].OnlyFor.Count == 0)) continue;
                    // A free offer (a price floored at 0) is the cheapest: every offer in its band weighs alike.
                    var slope = band > 0 && best > 0 ? Math.Max(1e-6, 1 - (cost / best - 1) / band) : 1;
                    var a = list[i].Ask;
                    var w = Math.Max(Reach(a, cap[a], OrderOf(b)), 1e-9 * cap[a]) * slope;
                    band0.Add((i, w));
                    totalWeight += w;
                    held += cap[a];
                }
                foreach (var (i, _) in band0) taken[i] = true;
                takenCount += band0.Count;
                var more = takenCount < open.Count;
                // All that is left when they hold it or no other offer is open (a single band's arithmetic, unchanged), else
                // what they hold, the rest going to the next band. Before Dec 2026 the first band was asked for all of it and the
                // next offers only a round later: Japanese users who ranked China outside their band found China's magnets taken
                // every round once China's store had drained (a Dy quota of 0 on Japan cost it $24.6 bn, now $5.1 bn).
                var q = held >= left - tol || !more ? left : held;
                foreach (var (i, w) in band0) chosen.Add((i, q * w / totalWeight));
                left -= q;
                if (left <= tol || !more) return;
                best = double.PositiveInfinity;
                foreach (var (i, cost) in open) if (!taken[i]) best = Math.Min(best, cost); // one is left: more
                edge = best * (1 + band) + Eps;
                top = 2; // past the first band, reserved and open offers alike
            }
        }
    }
}
