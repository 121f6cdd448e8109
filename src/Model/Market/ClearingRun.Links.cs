using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        // Candidate sellers per (buyer country, end use); a buyer filters them by its limit price, its qualified suppliers and
        // by not being the seller.
        readonly Dictionary<(string, EndUse, string), LinkSet> linkCache = new();
        // Per order: its allowed sellers' perceived costs at perceived[costAt[o] + i]. Per part: its candidates, what is left of it.
        int[] costAt = [];
        double[] perceived = [];
        List<Candidate>[] cands = [];
        double[] remaining = [], licensedGot = [];

        // Loops, not Any with a lambda: a lambda over the bid would allocate its closure on every call (once per order).
        string Listed(Bid b)
        {
            if (namesBuyers)
                foreach (var c in controls)
                    if (c.NamesBuyers && c.Lists(b.BuyerId, b.Sector)) return b.BuyerId + "|" + b.Sector;
            return "";
        }
        LinkSet Links(Bid bid)
        {
            var listed = Listed(bid);
            // Orders come by buyer id, and a buyer's country and end use mostly repeat from one order to the next: the last
            // order's set, when its key is this one's, is found without hashing the key.
            if (lastLinks is { } last && listed.Length == 0 && last.Listed.Length == 0 && last.Use == bid.EndUse
                && string.Equals(last.Country, bid.BuyerCountry, StringComparison.Ordinal))
                return last.Set;
            var set = linkCache.TryGetValue((bid.BuyerCountry, bid.EndUse, listed), out var known) ? known : NewLinks(bid, listed);
            lastLinks = (bid.BuyerCountry, bid.EndUse, listed, set);
            return set;
        }
        (string Country, EndUse Use, string Listed, LinkSet Set)? lastLinks;
        static readonly List<ExportControl> NoControls = [];
        int[] SlotsOf(List<ExportControl> binding)
        {
            if (binding.Count == 0) return [];
            var slots = new int[binding.Count];
            for (int j = 0; j < binding.Count; j++)
                slots[j] = binding[j].Mode != ControlMode.License ? 0 : binding[j].ReExport ? ReExportSlot(binding[j].Id) : slotOf[binding[j].Exporter];
            return slots;
        }
        LinkSet NewLinks(Bid bid, string listed)
        {
            var buyerCountry = bid.BuyerCountry;
            var use = bid.EndUse;
            var buyerSeg = world.SegmentOf(buyerCountry);
            var buyerSegIndex = SegmentIndex(buyerSeg);
            var set = new LinkSet { Segment = buyerSeg };
            var l = set.Candidates;
            var covering = new List<ExportControl>();
            // A licence that cannot bind (its exporter makes none, or none of its destinations buys) is never applied for: it
            // neither splits orders into applications nor sets the terms of the state's licence. Splitting for one alone moved
            // japan-cutoff-3m's magnet price by 3e-5 and Japan's loss by $54 before Dec 2026.
            foreach (var c in controls)
                if (c.Covers(commodity.Id, buyerCountry, use) && (listed.Length == 0 ? !c.NamesBuyers : c.Lists(bid.BuyerId, bid.Sector))
                    && !(c.Mode == ControlMode.License && Ignored(c)))
                    covering.Add(c);
            // Named: an entity list binds some seller of this buyer and no control that separates segments binds one (a
            // country-wide control on the buyer's country keeps its segment apart from the exporter's: its unmet demand counts there).
            bool named = false, separated = false;
            var licenceOf = LicencesFor(covering, commodity.Id);
            foreach (var lic in licenceOf.Values) set.Applications = Math.Max(set.Applications, lic.Applications);
            for (int i = 0; i < asks.Count; i++)
            {
                var a = asks[i];
                if (a.OnlyFor.Count > 0 && !a.OnlyFor.Contains(buyerCountry)) continue;
                // Loops rather than LINQ: this runs per (link set, seller) every tick, and the default scenario's year is mostly such
                // small fixed costs.
                List<ExportControl>? binding = null; // most links: none (then the shared empty list)
                bool banned = false, toState = false, separates = false;
                List<string>? licensing = null;
                List<ExportControl>? reExporting = null;
                foreach (var c in covering)
                {
                    if (!c.BindsSeller(a.SellerCountry, a.Origin, buyerCountry)) continue;
                    if (c.NamesBuyers) named = true;
                    else if (c.EndUse != EndUseScope.Military && !Ignored(c)) separated = true;
                    banned |= c.Mode == ControlMode.Ban;
                    separates |= Separates(c, afterFills: false);
                    toState |= c.RentToState;
                    // Every licence a state requires on this link is the buyer's one licence from that state (LicencesFor): the
                    // controls that are not licences in their order, then one licence per licensing state in ordinal order.
                    // A seller outside the state is bound only by a re-export clause: that licence is the seller's (ReExportLicence).
                    if (c.Mode != ControlMode.License) (binding ??= []).Add(c);
                    else
                    {
                        if (!(licensing ??= []).Contains(c.Exporter)) licensing.Add(c.Exporter);
                        if (a.SellerCountry != c.Exporter) (reExporting ??= []).Add(c);
                    }
                }
                if (banned)
                {
                    if (!set.Banned.Contains(a.SellerCountry)) set.Banned.Add(a.SellerCountry);
                    continue;
                }
                if (licensing is not null)
                {
                    licensing.Sort(StringComparer.Ordinal);
                    foreach (var e in licensing)
                    {
                        if (a.SellerCountry != e)
                        {
                            var re = ReExportLicence(e, buyerCountry, reExporting!, commodity.Id);
                            set.Applications = Math.Max(set.Applications, re.Applications);
                            (binding ??= []).Add(re);
                            continue;
                        }
                        (binding ??= []).Add(licenceOf[e]);
                        if (!set.Licensing.Contains(e)) set.Licensing.Add(e);
                    }
                }
                // Across a control into another segment the seller sells at the buyer's segment price (never below its home
                // price: it would rather sell at home); the difference is the export rent. Only a control with a shadow price
                // today (one that separates the segments: Separates) prices a sale across: where another control holds the segments
                // apart, a quota that cannot bind, or has room in this period and had it in the last, is not priced across
                // (before Dec 2026 a Chinese Dy quota of 10⁹ t a month added to japan-cutoff-3m booked $96 m of rent, and one of
                // 160 t with room all year $74 m).
                var crosses = buyerSeg != segOfAsk[i] && separates;
                double rate = 0;
                foreach (var t in tariffs) if (t.Applies(commodity.Id, buyerCountry, a.SellerCountry, a.Origin)) rate += t.Rate;
                // A tariff on a sale across a binding restriction comes out of its rent first: the buyer's price is set by the
                // scarcity the restriction makes, so it pays the segment price delivered, duty included, and the seller gets
                // that less the duty, never below its home price. Before Dec 2026 the duty was added on top of the scarcity
                // price: a 50% Japanese tariff on Chinese magnets under china-japan-2026's licences raised what Japan's buyers
                // paid by 45% on 1% fewer imports (a review's probe).
                var price = crosses ? Math.Max(askPrice[i], state.Prices[buyerSeg] / (1 + rate)) : askPrice[i];
                var subsidy = Math.Max(0, floorOf[i] - price);
                var rent = price - askPrice[i];
                binding ??= NoControls;
                l.Add(new Candidate { Ask = i, Price = price, PriceSegment = crosses ? buyerSegIndex : segIndexOfAsk[i], Delivered = price * (1 + rate), TariffRate = rate, Controls = binding,
                    Slots = SlotsOf(binding), Licensed = binding.Exists(static c => c.Mode == ControlMode.License),
                    Transport = Math.Max(1, world.Transport.DaysBetween(a.SellerCountry, buyerCountry)), Priority = a.PriorityBuyers.Contains(buyerCountry),
                    Tariff = price * rate, Subsidy = subsidy, SubsidyPayer = subsidy > 0 ? floorPayer[i] : null,
                    Rent = rent, RentHolder = rent > 0 ? (toState ? "state" : "exporter") : null });
            }
            // Cheapest delivered first, then sellers at home, then by ask: a total order (each ask is one candidate), so any sort
            // gives this one.
            l.Sort((x, y) =>
            {
                var c = x.Delivered.CompareTo(y.Delivered);
                if (c != 0) return c;
                c = (asks[x.Ask].SellerCountry == buyerCountry ? 0 : 1).CompareTo(asks[y.Ask].SellerCountry == buyerCountry ? 0 : 1);
                return c != 0 ? c : x.Ask.CompareTo(y.Ask);
            });
            set.Banned.Sort(StringComparer.Ordinal);
            set.Named = named && !separated;
            linkCache[(buyerCountry, use, listed)] = set;
            return set;
        }

        bool Allowed(Bid bid, Candidate c) =>
            c.Delivered <= bid.LimitPrice && asks[c.Ask].SellerId != bid.BuyerId && (bid.WithinDays is not { } days || c.Transport <= days)
            && (!asks[c.Ask].UrgentOnly || bid.IsUrgent)
            && (asks[c.Ask].OnlyFor.Count > 0 || bid.Unqualified is null || !bid.Unqualified.Contains(asks[c.Ask].SellerCountry));

        // A bid's reservation price in a candidate's segment (PriceWindows.DemandAt): the segment price at which its delivered
        // price would reach its limit, L × p / delivered (delivered prices move with the segment's). Allowed, it is at least p.
        double ReservationAt(Candidate c, Bid bid) =>
            c.Delivered > 0 ? SegmentPrice(c.PriceSegment) * (bid.LimitPrice / c.Delivered) : double.PositiveInfinity;

        // Segment g's price at the start of the tick (the clearing sets the next only at its end, SetPrices), looked up by name
        // once per clearing rather than once per fill.
        double[]? segmentPrice;
        double SegmentPrice(int g)
        {
            if (segmentPrice is null)
            {
                segmentPrice = new double[world.Segments.Count];
                Array.Fill(segmentPrice, double.NaN);
            }
            var p = segmentPrice[g];
            return double.IsNaN(p) ? segmentPrice[g] = state.Prices[world.Segments[g].Id] : p;
        }

        // Perceived cost: delivered price × (1 + the buyer's security premium on the seller's country).
        double Perceived(Bid bid, Candidate c) =>
            bid.Premium is { } p && p.TryGetValue(asks[c.Ask].SellerCountry, out var x) ? c.Delivered * (1 + x) : c.Delivered;

        void ListCandidates()
        {
            // Each order's allowed sellers and their perceived costs (at perceived[costAt[o] + i]); orders that filter nothing out
            // share their country's list (no copy per order). Each part points at its order's list.
            var candsOf = rented.Rent<List<Candidate>>(orders.Count);
            costAt = rented.Rent<int>(orders.Count + 1);
            for (int o = 0; o < orders.Count; o++)
            {
                var links = linksOf[o].Candidates;
                var all = true;
                foreach (var c in links)
                    if (!Allowed(orders[o], c)) { all = false; break; }
                if (all) candsOf[o] = links;
                else
                {
                    var kept = new List<Candidate>(links.Count);
                    foreach (var c in links) if (Allowed(orders[o], c)) kept.Add(c);
                    candsOf[o] = kept;
                }
                costAt[o + 1] = costAt[o] + candsOf[o].Count;
            }
            perceived = rented.Rent<double>(costAt[orders.Count]);
            for (int o = 0; o < orders.Count; o++)
                for (int i = 0; i < candsOf[o].Count; i++) perceived[costAt[o] + i] = Perceived(orders[o], candsOf[o][i]);
            cands = rented.Rent<List<Candidate>>(partCount);
            remaining = rented.Rent<double>(partCount);
            licensedGot = rented.Rent<double>(orders.Count); // what each order got under a licence's approval
            for (int b = 0; b < partCount; b++)
            {
                cands[b] = candsOf[parts[b].Order];
                remaining[b] = parts[b].Quantity;
            }
        }
    }
}
