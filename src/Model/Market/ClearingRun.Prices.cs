using MarketSim.Model.Policies;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        readonly Dictionary<string, double> supply = new(), demand = new();
        readonly Dictionary<string, double> costWeighted = new(), costWeight = new();
        Dictionary<string, double> crossIn = null!;
        List<PriceWindows.SellerDay> sellerDays = null!;
        List<SegmentPrice> prices = null!, next = null!;

        void CountSupply()
        {
            // What other segments' sellers sold at each segment's price: the window reads it by segment, and each home seller's
            // own supply by seller (PriceWindows.SellerSupply).
            crossIn = new Dictionary<string, double>(supply);

            // Supply: what each seller makes at the market's normal utilisation of what it can make now (u₀, the share of capacity
            // buyers took on day 0: OpeningDemand), or what it sold if it sold more (a sale from stock or from spare capacity is
            // supply too, so an order filled from inventory does not read as a shortage); at home less what it sold across
            // controls (counted where it went). The reference prices are what buyers paid at that utilisation (the scenarios size
            // capacity as output × 1.03 and let producers break even at reference prices), so the market is balanced there: before
            // Dec 2026 spare capacity counted in full, z ≈ −0.015 with no policy, and every baseline price slid to 0.93–0.96× by
            // day 364.
            // Per seller, not per lot: a seller's stock split into lots by origin is one supplier.
            var normalRate = world.OpeningUtilisation(commodity.Id);
            var bySeller = new SortedDictionary<string, (string Seg, double Flow, double Sold, double Cross)>(StringComparer.Ordinal);
            for (int a = 0; a < asks.Count; a++)
            {
                var v = bySeller.GetValueOrDefault(asks[a].SellerId, (segOfAsk[a], 0, 0, 0));
                bySeller[asks[a].SellerId] = (segOfAsk[a], v.Flow + asks[a].Flow, v.Sold + sold[a], v.Cross + crossSold[a]);
            }
            sellerDays = new List<PriceWindows.SellerDay>(bySeller.Count);
            foreach (var (id, v) in bySeller)
            {
                AddTo(supply, v.Seg, Math.Max(0, Math.Max(normalRate * v.Flow, v.Sold) - v.Cross));
                sellerDays.Add(new(id, SegmentIndex(v.Seg), normalRate * v.Flow, v.Sold, v.Cross));
            }
            // The long-run supply price each segment's price reverts to: the reference times its sellers' cost index, weighted by
            // what they can make (a seller that states none counts at 1), so a processed good's price follows its inputs' cost.
            for (int a = 0; a < asks.Count; a++)
            {
                if (asks[a].Flow <= 0) continue;
                AddTo(costWeighted, segOfAsk[a], asks[a].Flow * (asks[a].CostIndex > 0 ? asks[a].CostIndex : 1));
                AddTo(costWeight, segOfAsk[a], asks[a].Flow);
            }
        }

        // A control that cannot bind (no buyer of the commodity among its destinations, an exporter that makes none, a quota above
        // all it can make) has no shadow price: it is still enforced, but it separates no segments, so it earns no rent either.
        // A quota separates the segments only where it binds (QuotaBinds); one with room left that did not bind the period before
        // separates nothing: arbitrage through it makes one price.
        bool Separates(ExportControl c, bool afterFills) => !Ignored(c) && (c.Mode != ControlMode.Quota || QuotaBinds(c, afterFills));

        void SetPrices()
        {
            prices = world.Segments.Select(s => new SegmentPrice(commodity.Id, s.Id, state.Prices[s.Id])).ToList();
            // Segments that no control in force separates trade freely (the law of one price): they answer as one market to their
            // pooled demand and supply, and arbitrage pulls each towards their volume-weighted price, at most κ in log terms a day
            // (as fast as excess demand can move a price), so prices that a control held apart meet over days, not overnight.
            next = new List<SegmentPrice>();
            var priceOf = new Dictionary<string, double>(StringComparer.Ordinal);
            var lo = commodity.MinPriceFactor * commodity.ReferencePrice;
            var hi = commodity.MaxPriceFactor * commodity.ReferencePrice;
            // A segment on its own is a group of one: its price is its mean, and the general step below is the price rule.
            // The rule reads D and S over the commodity's last W days (PriceWindows): lumpy deliveries do not move it more than
            // the same supply spread out.
            // Over a window each home seller's supply is read from its window's sums (PriceWindows.SellerSupply): a seller whose
            // exports go out in lots counts them once, where they went, not also at home on each day they waited.
            var (demandRead, supplyRead) = commodity.PriceWindowDays > 1
                ? PriceWindows.Read(state, world.Segments, commodity.PriceWindowDays, tick, demand, crossIn, sellerDays, demandAt, hi)
                : PriceWindows.Read(state, world.Segments, commodity.PriceWindowDays, tick, demand, supply);
            foreach (var group in SegmentPooling.Groups(world, controls.Where(c => Separates(c, afterFills: true)).ToList()))
            {
                double d = 0, sup = 0, weighted = 0, weight = 0, plain = 0, costW = 0, costN = 0;
                foreach (var seg in group)
                {
                    var sd = demandRead.GetValueOrDefault(seg);
                    var ss = supplyRead.GetValueOrDefault(seg);
                    costW += costWeighted.GetValueOrDefault(seg);
                    costN += costWeight.GetValueOrDefault(seg);
                    d += sd;
                    sup += ss;
                    // The price arbitrage pulls the group to is the mean price of today's trades in it: each segment's price weighted
                    // by what sold at it today, not by its window's demand and supply: a window still holding the unmet demand of a
                    // separation just ended pulled the one price towards the dear side (after japan-cutoff-3m without Japan's Dy
                    // stockpile China's Dy rose from 0.69× to 1.39× on the same quantities). Unmet demand weighs nothing here (it
                    // moves the group's price through D − S), and neither do a state's stockpile sales to its own firms: until
                    // Dec 2026 both did, and after japan-cutoff-3m's ban Japan's stockpile, still selling to Japan's firms at the
                    // separated world price (5×), pulled China's Dy from 204k to 412k $/t in 24 days, more with a larger stockpile.
                    var volume = tradeAt[SegmentIndex(seg)];
                    weighted += state.Prices[seg] * volume;
                    weight += volume;
                    plain += state.Prices[seg];
                }
                var anchor = costN > 0 ? commodity.ReferencePrice * (costW / costN) : commodity.ReferencePrice;
                var first = state.Prices[group[0]];
                var equal = group.All(seg => state.Prices[seg] == first);
                var mean = equal ? first : weight > 0 ? weighted / weight : plain / group.Count;
                // Within a day's step of the mean, arbitrage has done its work: one price, moved once for the group.
                if (group.All(seg => Math.Abs(Math.Log(mean / state.Prices[seg])) <= commodity.PriceAdjustment))
                {
                    var p = PriceRule.Next(mean, d, sup, commodity.PriceAdjustment, commodity.PriceReversion, anchor, lo, hi);
                    foreach (var seg in group) priceOf[seg] = p;
                }
                else
                    foreach (var seg in group)
                        priceOf[seg] = PriceRule.Next(state.Prices[seg], d, sup, commodity.PriceAdjustment, commodity.PriceReversion, anchor,
                            lo, hi, towards: mean);
            }
            foreach (var s in world.Segments)
            {
                state.Prices[s.Id] = priceOf[s.Id];
                next.Add(new SegmentPrice(commodity.Id, s.Id, priceOf[s.Id]));
            }
        }
    }
}
