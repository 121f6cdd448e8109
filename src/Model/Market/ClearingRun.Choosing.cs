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
        double Reach(int a, double stock, Bid bid) => Reach(a, stock, Math.Max(1, bid.Horizon));
        double Reach(int a, double stock, double horizon) => Math.Max(flowOf[a], stock / horizon); // horizon ≥ 1
        readonly List<(int I, double Q)> chosen = new();
        // Scratch by candidate, for list.Count candidates, kept across parts (arrays, not lists of tuples: Choose runs for every
        // part that still wants something in every round, ≈850,000 parts a round at 100,000 buyers).
        bool[] taken = Array.Empty<bool>(); // in a band already
        int[] openI = [], bandI = [];       // the open candidates (in candidate order), and the current band's
        double[] openCost = [], bandW = [];
        // The last part that chose (ForgetChoice at each round's start, as serving moves capacity), what it found open and chose.
        int lastOrder = -1;
        double lastLeft;
        int[] lastOpen = [];
        int lastOpenCount;
        readonly List<(int I, double Q)> lastChosen = new();
        void ForgetChoice() => lastOrder = -1;
        bool SameChoiceAsLast(int b, int openCount)
        {
            if (parts[b].Order != lastOrder || lastOpenCount != openCount || remaining[b] != lastLeft) return false;
            for (int k = 0; k < openCount; k++) if (openI[k] != lastOpen[k]) return false;
            return true;
        }
        void KeepChoice(int b, int openCount)
        {
            (lastOrder, lastLeft, lastOpenCount) = (parts[b].Order, remaining[b], openCount);
            if (lastOpen.Length < openCount) lastOpen = new int[openI.Length];
            Array.Copy(openI, lastOpen, openCount);
            lastChosen.Clear();
            lastChosen.AddRange(chosen);
        }
        // Whether each ask is reserved for some countries (Ask.OnlyFor not empty), read per ask rather than through the list.
        bool[] reservedAsk = [];
        void Choose(int b)
        {
            chosen.Clear();
            var list = cands[b];
            var n = list.Count;
            if (taken.Length < n)
            {
                var size = Math.Max(16, n);
                (taken, openI, bandI, openCost, bandW) = (new bool[size], new int[size], new int[size], new double[size], new double[size]);
            }
            else Array.Clear(taken, 0, n);
            var at = costAt[parts[b].Order];
            var flags = candAt[b];
            var openCount = 0;
            var best = double.PositiveInfinity;
            for (int i = 0; i < n; i++)
            {
                var c = list[i];
                // IsOpen; a link no control binds is open while its seller has stock (Open, with nothing to read, says so)
                if (openWhenChosen[flags + i] = cap[c.Ask] > tol && !blocked[flags + i] && (c.Controls.Count == 0 || Open(b, c, out _)))
                {
                    var cost = perceived[at + i];
                    openI[openCount] = i;
                    openCost[openCount++] = cost;
                    best = Math.Min(best, cost);
                }
            }
            if (openCount == 0) return;
            // The parts of one order (its licence applications) differ only in which links are open and what is left of them; while
            // a round's parts choose, nothing else they read moves (capacity and flows move only as sellers serve). So a part with
            // the same open links and the same quantity left as the part before it, of the same order, chooses as it did: the
            // same arithmetic on the same numbers (at 100,000 buyers, ten parts an order chose alike in the first round).
            if (SameChoiceAsLast(b, openCount))
            {
                chosen.AddRange(lastChosen);
                return;
            }
            var top = 1;
            var edge = best * (1 + band) + Eps;
            for (int k = 0; k < openCount; k++) if (openCost[k] <= edge && reservedAsk[list[openI[k]].Ask]) { top = 0; break; }
            var left = remaining[b];
            var horizon = Math.Max(1, OrderOf(b).Horizon); // Reach's
            var takenCount = 0;
            // The band of the cheapest offer (reserved ones first), then, while the offers taken hold less than the order, the
            // band of the cheapest offer not taken yet, and so on: a buyer orders what its preferred sellers cannot supply from
            // the next ones at once, not a round later (by then others have taken them).
            while (true)
            {
                var bandCount = 0;
                double totalWeight = 0, held = 0;
                for (int k = 0; k < openCount; k++)
                {
                    var i = openI[k];
                    var cost = openCost[k];
                    // top 0: the first band is the reserved offers (contracts, the own stockpile); top 1: no reserved offer is
                    // within the first band; top 2: a later band, reserved and open offers alike.
                    if (cost > edge || taken[i] || (top == 0 && !reservedAsk[list[i].Ask])) continue;
                    // A free offer (a price floored at 0) is the cheapest: every offer in its band weighs alike.
                    var slope = band > 0 && best > 0 ? Math.Max(1e-6, 1 - (cost / best - 1) / band) : 1;
                    var a = list[i].Ask;
                    var w = Math.Max(Reach(a, cap[a], horizon), 1e-9 * cap[a]) * slope;
                    bandI[bandCount] = i;
                    bandW[bandCount++] = w;
                    totalWeight += w;
                    held += cap[a];
                }
                for (int k = 0; k < bandCount; k++) taken[bandI[k]] = true;
                takenCount += bandCount;
                var more = takenCount < openCount;
                // All that is left when they hold it or no other offer is open (a single band's arithmetic, unchanged), else
                // what they hold, the rest going to the next band. Before Dec 2026 the first band was asked for all of it and the
                // next offers only a round later: Japanese users who ranked China outside their band found China's magnets taken
                // every round once China's store had drained (a Dy quota of 0 on Japan cost it $24.6 bn, now $5.1 bn).
                var q = held >= left - tol || !more ? left : held;
                for (int k = 0; k < bandCount; k++) chosen.Add((bandI[k], q * bandW[k] / totalWeight));
                left -= q;
                if (left <= tol || !more)
                {
                    KeepChoice(b, openCount);
                    return;
                }
                best = double.PositiveInfinity;
                for (int k = 0; k < openCount; k++) if (!taken[openI[k]]) best = Math.Min(best, openCost[k]); // one is left: more
                edge = best * (1 + band) + Eps;
                top = 2; // past the first band, reserved and open offers alike
            }
        }
    }
}
