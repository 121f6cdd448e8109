using System.Runtime.InteropServices;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    /// <summary>
    /// One clearing (<see cref="Clear"/>): its fields are what the market's rules share while it runs, its methods are the rules,
    /// and <see cref="Run"/> calls them in the order the market runs. Used once.
    /// </summary>
    sealed class ClearingRun
    {
        readonly ScenarioSpec world;
        readonly MarketState state;
        readonly int tick;
        readonly IEnumerable<Bid> bidInput;
        readonly IReadOnlyList<PolicySpec> inForce;
        readonly ulong seed;
        readonly CommoditySpec commodity;
        readonly double band;
        readonly List<Ask> asks;
        readonly List<ExportControl> controls;
        readonly HashSet<ExportControl> ignoredControls;
        readonly Dictionary<string, int> slotOf;
        readonly int slots;
        readonly LicenceTable table;
        readonly QuotaBook quotas;
        readonly List<Tariff> tariffs;
        readonly string[] segOfAsk;
        readonly int[] segIndexOfAsk;
        readonly double[] askPrice, cap, floorOf;
        readonly string?[] floorPayer;
        readonly bool namesBuyers;

        // The orders and their parts; per part, a flag or sum per candidate (at candAt[b] + i).
        List<Bid> orders = null!;
        double tol;
        ClearingPool pools = null!;
        RentedArrays rented = null!;
        LinkSet[] linksOf = [];
        int partCount;
        Part[] parts = [];
        int[] partAt = [];
        int[] candAt = [];
        bool[] blocked = [], openWhenChosen = [];
        double[] filled = [], askedAt = [];

        public ClearingRun(ScenarioSpec world, MarketState state, int tick, IEnumerable<Ask> askInput, IEnumerable<Bid> bidInput,
            IReadOnlyList<PolicySpec> inForce, ulong seed)
        {
            (this.world, this.state, this.tick, this.bidInput, this.inForce, this.seed) = (world, state, tick, bidInput, inForce, seed);
            // Lambdas here read world, state and inForce as fields (this.): a lambda over a parameter would allocate a closure of its own.
            commodity = world.Commodity(state.Commodity);
            band = world.Buyers.PriceBand;
            asks = askInput.OrderBy(a => a.SortKey, StringComparer.Ordinal).ToList();
            controls = inForce.OfType<ExportControl>().Where(c => c.Commodities.Contains(commodity.Id)).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
            // Controls that cannot bind (SessionRules.CanBind): enforced, but with no shadow price, so no rent and no segment split.
            ignoredControls = controls.Where(c => SessionRules.MarketIgnores(this.world, c, commodity.Id, this.inForce)).ToHashSet();
            // A slot per licensing state: licence decisions and state are kept per (bid part, slot) in flat arrays (RentLicenceDecisions).
            slotOf = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var c in controls) if (c.Mode == ControlMode.License) slotOf.TryAdd(c.Exporter, slotOf.Count);
            slots = Math.Max(1, slotOf.Count);
            // No licence in force on this commodity: what buyers held under one that lapsed is void, and a licence that starts again
            // later is applied for afresh, with its own wait. (Where one state's licence lapses while another's runs, the lapsed
            // state's entries stay until then.)
            table = LicenceTable.For(state);
            quotas = new QuotaBook(state, tick);
            if (slotOf.Count == 0 && table.Any) table.ClearAll();
            tariffs = inForce.OfType<Tariff>().Where(t => t.Commodities.Contains(commodity.Id)).OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
            var floors = inForce.OfType<PriceFloor>().Where(f => f.Floors.ContainsKey(commodity.Id)).OrderBy(f => f.Id, StringComparer.Ordinal).ToList();

            segOfAsk = asks.Select(a => this.world.SegmentOf(a.SellerCountry)).ToArray();
            segIndexOfAsk = segOfAsk.Select(SegmentIndex).ToArray();
            askPrice = segOfAsk.Select(s => this.state.Prices[s]).ToArray();
            cap = asks.Select(a => a.Quantity).ToArray();
            // The highest price floor covering each seller's country, and whose it is. A floor guarantees producers a price; a state
            // selling from its own stockpile is not topped up (it would pay itself, or a club would pay it, for no one's output).
            floorOf = new double[asks.Count];
            floorPayer = new string?[asks.Count];
            HashSet<string> stockpiles = floors.Count == 0 ? [] : inForce.OfType<Stockpile>().Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            for (int a = 0; a < asks.Count; a++)
            {
                if (stockpiles.Contains(asks[a].SellerId)) continue;
                foreach (var f in floors)
                    if (f.Covers(commodity.Id, asks[a].SellerCountry) && f.Floors[commodity.Id] > floorOf[a]) { floorOf[a] = f.Floors[commodity.Id]; floorPayer[a] = f.Id; }
            }

            // Buyers named by an entity list get links of their own; everyone else shares their country's.
            namesBuyers = controls.Any(c => c.NamesBuyers);
        }

        /// <summary>The clearing, in the order the market runs.</summary>
        public ClearingResult Run()
        {
            TakeOrders();
            rented = new RentedArrays(pools);
            try
            {
                SplitOrders();
                ListCandidates();
                FindDeclarations();
                RentLicenceDecisions();
                RentCandidateFlags();
                Offtake();
                ListRequests();
                RunRounds();
                CountLicensedFills();
                MakeFills();
                CountSupply();
                ScaleUnmet();
                ReadWhatBuyersMet();
                SetPrices();
                CarryDeclarations();
                ForgetExpiredLicences();
                var applied = table.Any ? AppliedBy(table, commodity.Id, slotOf) : [];
                rented.Dispose(); // now, not at the method's end: the trim keeps what this clearing used, once it is all given back
                pools.Trim();
                return new ClearingResult(commodity.Id, fills, prices, next) { Disruptions = disruptions, Applied = applied };
            }
            finally { rented.Dispose(); }
        }

        bool Ignored(ExportControl c) => ignoredControls.Contains(c);

        // Segments by their index in the world's list (a segment's id names one segment), for sums kept in arrays.
        int SegmentIndex(string id)
        {
            for (int g = 0; g < world.Segments.Count; g++) if (world.Segments[g].Id == id) return g;
            throw new InvalidOperationException($"No segment '{id}'.");
        }

        /// <summary>The bids by buyer id (ordinal), end use, application, then the regular bid before the urgent one (a buyer posts at
        /// most one of each per end use, so the order is total and the input order never decides). One pass checks
        /// the order first, so bids that arrive sorted are not sorted again (in the benchmark's worlds about one market-tick in
        /// nine). The sort itself stays LINQ's: timed on 12,000 shuffled bids it was faster than Array.Sort of (bid, index) pairs
        /// (3.7–6.1 against 6.6–7.2 ms).</summary>
        static List<Bid> InOrder(IEnumerable<Bid> input)
        {
            var orders = new List<Bid>(input);
            for (int i = 1; i < orders.Count; i++)
                if (Compare(orders[i - 1], orders[i]) > 0)
                    return orders.OrderBy(b => b.BuyerId, StringComparer.Ordinal).ThenBy(b => b.EndUse).ThenBy(b => b.Application)
                        .ThenBy(Urgency).ToList();
            return orders;

            static int Urgency(Bid b) => b.IsUrgent ? 1 : 0;

            // The OrderBy chain's keys as one comparison.
            static int Compare(Bid x, Bid y)
            {
                var c = string.CompareOrdinal(x.BuyerId, y.BuyerId);
                if (c == 0) c = x.EndUse.CompareTo(y.EndUse);
                if (c == 0) c = x.Application.CompareTo(y.Application);
                return c != 0 ? c : Urgency(x).CompareTo(Urgency(y));
            }
        }

        void TakeOrders()
        {
            // A buyer's orders under a licence run through several applications, each drawn on its own (one draw per buyer would let
            // a single draw decide a whole country's supply where it has one buyer).
            // An order's parts are values (which order, which application, its share), not copies of the order: what they share is
            // worked out once per order (ListCandidates).
            orders = InOrder(bidInput);
            // Quantities are compared with a tolerance relative to the market's size (all that is offered and asked this tick), so
            // results do not depend on the unit quantities are counted in. Before Dec 2026 it was an absolute 1e-9: a request of
            // 5e-10 t was no fill while the same world counted in half-tonnes filled it (1e-9), and japan-2010 with every quantity
            // doubled gave Japan a loss, per unit, a third smaller (ScaleInvarianceTests).
            double size = 0;
            foreach (var a in asks) size += a.Quantity;
            foreach (var b in orders) size += b.Quantity;
            tol = SizeTolerance * size;
            pools = state.Pools ??= new ClearingPool();
        }

        void SplitOrders()
        {
            linksOf = rented.Rent<LinkSet>(orders.Count);
            partCount = 0;
            for (int o = 0; o < orders.Count; o++)
            {
                linksOf[o] = Links(orders[o]);
                partCount += Math.Max(1, linksOf[o].Applications);
            }
            parts = rented.Rent<Part>(partCount);
            partAt = rented.Rent<int>(orders.Count + 1); // order o's parts are parts[partAt[o]..partAt[o + 1])
            for (int o = 0, p = 0; o < orders.Count; o++)
            {
                partAt[o] = p;
                var b = orders[o];
                var n = linksOf[o].Applications;
                if (n <= 1) { parts[p++] = new Part(o, b.Application, b.Quantity, b.Normal); continue; }
                for (int j = 0; j < n; j++) parts[p++] = new Part(o, j, b.Quantity / n, b.Normal / n);
            }
            partAt[orders.Count] = partCount;
        }

        Bid OrderOf(int b) => orders[parts[b].Order];

        void RentCandidateFlags()
        {
            // (bid, candidate index) closed for this tick: a flag per candidate of each bid, at candAt[b] + i.
            candAt = rented.Rent<int>(partCount + 1);
            for (int b = 0; b < partCount; b++) candAt[b + 1] = candAt[b] + cands[b].Count;
            blocked = rented.Rent<bool>(candAt[partCount]);
            // Whether each candidate of a part was open when the part chose this round (Choose): what FindAlternatives reads, as
            // nothing that closes a link (capacity, quota, licence volume) moves between the round's choices and its serving.
            openWhenChosen = rented.Rent<bool>(candAt[partCount]);
            // What each part has bought from each of its candidates this tick, at candAt[b] + i (every fill is above the tolerance,
            // so a pair with a fill has a positive sum): read back per part, from consecutive memory. A book of per-part chains of
            // (ask, quantity) entries before Dec 2026: at 100,000 buyers its ≈5.4 million entries lay scattered over 80 MB, and
            // reading them back per part was a cache miss each (the largest block of the magnet market's clearing).
            filled = rented.Rent<double>(candAt[partCount]);
            // What each part has asked of each of its candidates this tick, summed over the rounds (same layout): the disruption a
            // control closing a link after a partial fill caused is the share of this ask it left unfilled (ReadWhatBuyersMet).
            askedAt = rented.Rent<double>(candAt[partCount]);
        }

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
            return linkCache.TryGetValue((bid.BuyerCountry, bid.EndUse, listed), out var set) ? set : NewLinks(bid, listed);
        }
        int[] SlotsOf(List<ExportControl> binding)
        {
            if (binding.Count == 0) return [];
            var slots = new int[binding.Count];
            for (int j = 0; j < binding.Count; j++) slots[j] = binding[j].Mode == ControlMode.License ? slotOf[binding[j].Exporter] : 0;
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
                var binding = new List<ExportControl>();
                bool banned = false, toState = false, separates = false;
                List<string>? licensing = null;
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
                    if (c.Mode != ControlMode.License) binding.Add(c);
                    else if (!(licensing ??= []).Contains(c.Exporter)) licensing.Add(c.Exporter);
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
                        binding.Add(licenceOf[e]);
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
                l.Add(new Candidate { Ask = i, Price = price, PriceSegment = crosses ? buyerSegIndex : segIndexOfAsk[i], Delivered = price * (1 + rate), TariffRate = rate, Controls = binding,
                    Slots = SlotsOf(binding),
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

        List<ExportControl>?[] declaredBy = [];
        readonly Dictionary<int, double> declaredLeft = new();

        void FindDeclarations()
        {
            // End-use declarations: where a control on military end use covers a buyer that also buys for military use (its output
            // serves military customers), the exporter sells it for civil use only what
            // it declares it needs for civil output, its civil normal requirement per tick; so a ban on military end use cuts what a
            // firm with military customers can buy in proportion to its military share, instead of its civil orders making up for it.
            var military = controls.Where(c => c.EndUse == EndUseScope.Military).ToList();
            // The controls binding a declaration are the order's (null: none); each part with a normal requirement declares its own.
            declaredBy = rented.Rent<List<ExportControl>?>(orders.Count);
            var servesMilitary = military.Count == 0 ? [] : orders.Where(b => b.EndUse == EndUse.Military).Select(b => b.BuyerId).ToHashSet(StringComparer.Ordinal);
            if (military.Count > 0)
                for (int o = 0; o < orders.Count; o++)
                {
                    if (orders[o].EndUse != EndUse.Civil || !servesMilitary.Contains(orders[o].BuyerId)) continue;
                    foreach (var c in military)
                        if (c.Covers(commodity.Id, orders[o].BuyerCountry, EndUse.Military, orders[o].BuyerId, orders[o].Sector)) (declaredBy[o] ??= []).Add(c);
                }
            // A declaration covers the tick's civil requirement and what earlier declarations covered but the buyer could not buy
            // (a licence refused, a seller empty): the ban cuts the military share, not civil needs that a refusal postponed.
            for (int b = 0; b < partCount; b++)
                if (Declares(b)) declaredLeft[b] = parts[b].Normal + state.DeclaredBacklog.GetValueOrDefault(DeclarationKey(b));
        }

        bool Declares(int b) => declaredBy[parts[b].Order] is not null && parts[b].Normal > 0;
        string DeclarationKey(int b) => OrderOf(b).BuyerId + "|" + parts[b].Application;
        // A loop, not Any with a lambda: a lambda over b and a would allocate its closure on every call (once per request).
        bool Declared(int b, int a)
        {
            if (!Declares(b)) return false;
            foreach (var c in declaredBy[parts[b].Order]!)
                if (c.BindsSeller(asks[a].SellerCountry, asks[a].Origin, OrderOf(b).BuyerCountry)) return true;
            return false;
        }

        void CarryDeclarations()
        {
            // What each declaration covered and its buyer still lacks is carried to the next tick (only the buyers declaring now), up
            // to the part's civil requirement over its order-up-to horizon (D + L + 1 days: the most its position plans for). Until
            // Dec 2026 it was carried up to what was left of the part's order, which held a refusal's civil needs only while buyers'
            // positions were short by the licence's wait (its gap posted every tick); with applications in flight counted as on
            // order a refused part's 1/n of a day's order cut the backlog, and the licence-and-ban test world's magnet maker got
            // 0.66 of its Dy under the licence alone (ControlsThroughChainTests: at least 0.68).
            if (declaredLeft.Count > 0 || state.DeclaredBacklog.Count > 0)
            {
                var backlog = new Dictionary<string, double>(StringComparer.Ordinal);
                for (int b = 0; b < partCount; b++)
                    if (declaredLeft.TryGetValue(b, out var left) && Math.Min(left, parts[b].Normal * Math.Max(1, OrderOf(b).Horizon)) is var carry && carry > tol
                        && DeclarationKey(b) is var key)
                        backlog[key] = backlog.GetValueOrDefault(key) + carry;
                state.DeclaredBacklog = backlog;
            }
        }

        bool[] licenceDrawn = [];
        int?[] licenceDelay = [];
        int[]?[] licenceIdsAt = [];

        /// <summary>
        /// The licences a buyer of this country, end use and listing must hold, one per licensing state: a buyer applies to a
        /// state once for its requirement of the commodity, whichever of that state's licence requirements a seller falls under
        /// (its own exports, re-exports of its content), and the application is reviewed under the strictest of those that cover
        /// the buyer: the lowest approval rate, the longest delays, the most applications. A tighter review for one destination
        /// replaces the general rate; it does not multiply with it. So the licence is the same whatever the controls are named
        /// and however they overlap (its id is the state's).
        /// </summary>
        /// <param name="covering">The controls that cover the buyer (commodity, country, end use, listing), in id order.</param>
        static Dictionary<string, ExportControl> LicencesFor(List<ExportControl> covering, string commodity)
        {
            var byState = new Dictionary<string, ExportControl>(StringComparer.Ordinal);
            foreach (var c in covering)
            {
                if (c.Mode != ControlMode.License) continue;
                byState[c.Exporter] = byState.TryGetValue(c.Exporter, out var l)
                    ? l with
                    {
                        Start = Math.Min(l.Start, c.Start), ApprovalRate = Math.Min(l.ApprovalRate, c.ApprovalRate), DelayMinDays = Math.Max(l.DelayMinDays, c.DelayMinDays),
                        DelayMaxDays = Math.Max(l.DelayMaxDays, c.DelayMaxDays), Applications = Math.Max(l.Applications, Math.Max(1, c.Applications)),
                    }
                    : new ExportControl
                    {
                        Id = c.Exporter, Start = c.Start, Exporter = c.Exporter, Commodities = [commodity], Mode = ControlMode.License, ApprovalRate = c.ApprovalRate,
                        DelayMinDays = c.DelayMinDays, DelayMaxDays = c.DelayMaxDays, Applications = Math.Max(1, c.Applications),
                    };
            }
            return byState;
        }

        void RentLicenceDecisions()
        {
            // Licence decisions per (bid part, control slot), in flat arrays: drawn once per application and control per tick.
            licenceDrawn = rented.Rent<bool>(partCount * slots);
            licenceDelay = rented.Rent<int?>(partCount * slots); // approved delay, or null when refused
            // The licence state's keys of each (order, slot), as integer ids in the state's table by application (null = not looked
            // up yet): ids last across ticks, so a key string is built once per licence ever, and its state is read from the table's
            // entries. The civil and military parts of one buyer's application share a key, hence ids per key rather than per part.
            licenceIdsAt = rented.Rent<int[]?>(orders.Count * slots);
        }

        // One licence state per application: "buyer|exporter" for the first (as before splitting), "buyer|exporter|j" after.
        int Licence(int b, Candidate c, int j)
        {
            var part = parts[b];
            var at = part.Order * slots + c.Slots[j];
            var ids = licenceIdsAt[at];
            if (ids is null || ids.Length <= part.Application)
                licenceIdsAt[at] = ids = table.IdsOf(orders[part.Order].BuyerId, c.Controls[j].Id,
                    Math.Max(linksOf[part.Order].Applications, part.Application + 1));
            return ids[part.Application];
        }

        // A licence draw's key, "control|commodity[|application]": the same for every buyer, so built once per (slot, application).
        readonly Dictionary<(int Slot, int Application), string> drawKeys = new();
        string DrawKey(int slot, string control, int application)
        {
            if (!drawKeys.TryGetValue((slot, application), out var k))
                drawKeys[(slot, application)] = k = control + "|" + commodity.Id + (application == 0 ? "" : "|" + application);
            return k;
        }

        // The normal requirement a licence's volume is set from: every part of the buyer's orders that holds this licence (same
        // buyer, same application, a seller on its links needing this state's licence), so where a state licenses both end uses
        // the volume covers the civil and the military share. A buyer's orders are adjacent (sorted by buyer id).
        double LicensedNormal(int b, string licence)
        {
            var buyer = OrderOf(b).BuyerId;
            int first = parts[b].Order, last = first;
            while (first > 0 && orders[first - 1].BuyerId == buyer) first--;
            while (last + 1 < orders.Count && orders[last + 1].BuyerId == buyer) last++;
            double normal = 0;
            for (int o = first; o <= last; o++)
            {
                if (!linksOf[o].Licensing.Contains(licence)) continue;
                for (int p = partAt[o]; p < partAt[o + 1]; p++)
                    if (parts[p].Application == parts[b].Application) normal += parts[p].Normal;
            }
            return normal;
        }

        // The tick the first decision on an application comes: the licence requirement's start plus a processing delay drawn
        // for that day (a pure function of the seed, the buyer, the licence and the application: no state to keep).
        int FirstDecision(int b, Candidate c, int j, ExportControl ctl) =>
            ctl.Start + ProcessingDelay(ctl, ctl.Start, OrderOf(b).BuyerId, DrawKey(c.Slots[j], ctl.Id, parts[b].Application));

        // A processing delay drawn on a tick: ⌈min + (max − min)·u⌉ days.
        int ProcessingDelay(ExportControl ctl, int t, string buyer, string drawKey) =>
            (int)Math.Ceiling(ctl.DelayMinDays + (ctl.DelayMaxDays - ctl.DelayMinDays) * DeterministicRandom.Uniform(seed, t, "licence-delay", buyer, drawKey));

        // Is the link open for this part this tick? Draws licence decisions lazily, once per application and control per tick.
        bool Open(int b, Candidate c, out int delay)
        {
            delay = 0;
            for (int j = 0; j < c.Controls.Count; j++)
            {
                var ctl = c.Controls[j];
                if (ctl.Mode == ControlMode.Quota && UsedUp(ctl, Period(ctl))) return false;
                if (ctl.Mode != ControlMode.License) continue;
                var at = b * slots + c.Slots[j];
                var id = Licence(b, c, j);
                var d = licenceDelay[at];
                if (!licenceDrawn[at])
                {
                    ref var e = ref table[id];
                    // Once per application: an entry in the refused days (0 once approved) says it has been lodged. Inferring it
                    // from empty flags let a lapsed approval start a second wait when a later, slower licence moved the first
                    // decision's day.
                    if (!e.Blocked && !e.Valid && !e.HasRefused && FirstDecision(b, c, j, ctl) is var first && first > tick)
                    {
                        // The first application is lodged when the licence requirement begins, and nothing ships under it until
                        // its decision comes: the goods wait at the exporter, in its supply, and the days waited are carried into
                        // the first approval's volume as refused days are. Before Dec 2026 the first approval came the day the
                        // requirement began and the delay was added to transport: goods "under review" left the exporter's
                        // supply at once, and exports rose when licensing began.
                        table.SetBlocked(id, first);
                        table.SetRefused(id, first - tick); // none held before (HasRefused is false)
                        // In flight until then, for the days it waits: the buyer counts them as on order (Applied, below), at the
                        // normal requirement the licence covers (as an approval's volume is).
                        if (LicensedNormal(b, ctl.Id) is var waiting and > 0) table.SetFlight(id, waiting * (first - tick));
                        d = null;
                    }
                    else if (e.Blocked && e.BlockedUntil > tick) d = null;
                    else if (e.Valid && e.ValidUntil >= tick) d = e.HasDelay ? e.Delay : throw new KeyNotFoundException(e.Key);
                    else
                    {
                        var buyer = OrderOf(b).BuyerId;
                        var drawKey = DrawKey(c.Slots[j], ctl.Id, parts[b].Application);
                        d = ProcessingDelay(ctl, tick, buyer, drawKey);
                        var approved = DeterministicRandom.Uniform(seed, tick, "licence-approval", buyer, drawKey) < ctl.ApprovalRate;
                        // The decision drawn today is that of the application lodged one delay ago (a buyer keeps one in flight:
                        // it applies again as a decision comes). A refusal closes the link until the next decision; an approval
                        // covers shipments until then, each arriving after transport alone (the review held the goods at the
                        // exporter before they shipped). At first the open share of time is ≈ the approval rate, which is what 2025
                        // showed at its low point (≈25% approvals, magnet exports down ≈75%: published sources).
                        if (!approved)
                        {
                            table.SetBlocked(id, tick + Math.Max(1, d.Value));
                            // The buyer applies again for what the refusal kept out: a refusal postpones demand, it does not end it.
                            table.SetRefused(id, (e.HasRefused ? e.RefusedDays : 0) + Math.Max(1, d.Value));
                            // What it lodges again is for the refused volume: not counted as coming until it is approved.
                            table.ClearFlight(id);
                            d = null;
                        }
                        else
                        {
                            table.SetValid(id, tick + Math.Max(1, d.Value) - 1);
                            table.SetDelay(id, d.Value);
                            // The application's volume: the buyer's normal requirement for the days the approval runs and for the
                            // days its refusals since the last approval kept out (not its order, which may hold months of stock).
                            var refused = e.HasRefused ? e.RefusedDays : 0;
                            table.SetRefused(id, 0); // none carried any more; the entry marks the application as lodged
                            var normal = LicensedNormal(b, ctl.Id);
                            if (normal > 0) table.SetLeft(id, normal * (Math.Max(1, d.Value) + refused));
                            // The next application goes in now, for the requirement of the days until its decision (Applied, below).
                            if (normal > 0) table.SetFlight(id, normal * Math.Max(1, d.Value));
                            else table.ClearFlight(id);
                        }
                    }
                    licenceDrawn[at] = true;
                    licenceDelay[at] = d;
                }
                if (d is null) return false;
                if (table[id].HasLeft && table[id].Left <= tol) return false;
                delay = Math.Max(delay, d.Value);
            }
            return true;
        }

        bool IsOpen(int b, int i, out int delay)
        {
            delay = 0;
            return cap[cands[b][i].Ask] > tol && !blocked[candAt[b] + i] && Open(b, cands[b][i], out delay);
        }

        // The licence delay of a link Open found open for part b: the longest of the delays drawn for its licences, fixed for the
        // tick once drawn (Open's own answer, read back rather than kept with every request and fill).
        int DelayOf(int b, Candidate c)
        {
            var delay = 0;
            for (int j = 0; j < c.Controls.Count; j++)
                if (c.Controls[j].Mode == ControlMode.License)
                    delay = Math.Max(delay, licenceDelay[b * slots + c.Slots[j]] ?? throw new InvalidOperationException("a link with a refused licence was filled"));
            return delay;
        }

        static bool UnderLicence(Candidate c)
        {
            for (int j = 0; j < c.Controls.Count; j++)
                if (c.Controls[j].Mode == ControlMode.License) return true;
            return false;
        }

        void ForgetExpiredLicences()
        {
            // Forget licence blocks and approvals that have run out, so the state stays small.
            for (int id = 0; id < table.Count; id++)
            {
                ref var e = ref table[id];
                if (e.Blocked && e.BlockedUntil <= tick) table.ClearBlocked(id);
                if (e.Valid && e.ValidUntil <= tick) table.ClearValid(id);
            }
        }

        /// <summary>
        /// What each buyer has applied for and not had decided (<see cref="Applied"/>): per licensing state the sum over its
        /// applications in flight of the requirement they cover (each the licensed normal requirement of its part), then the largest over the states
        /// (each state's licence is for the buyer's whole requirement: applications to two states are not twice the volume). In
        /// ordinal buyer order; each sum in application order (LicenceTable.InFlight). Only the states licensing now count.
        /// </summary>
        static List<Applied> AppliedBy(LicenceTable table, string commodity, Dictionary<string, int> licensing)
        {
            var list = new List<Applied>();
            if (licensing.Count == 1)
            {
                foreach (var (buyer, inFlight) in table.InFlight(licensing.Keys.First())) list.Add(new Applied(buyer, commodity, inFlight));
                return list;
            }
            var most = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var state in licensing.Keys)
                foreach (var (buyer, inFlight) in table.InFlight(state))
                    most[buyer] = Math.Max(most.GetValueOrDefault(buyer), inFlight);
            foreach (var (buyer, inFlight) in most) list.Add(new Applied(buyer, commodity, inFlight));
            return list;
        }

        int Period(ExportControl c) => quotas.Period(c);
        // A quota is used up when what is left is below a billionth of it, or too little for a fill (at most tol is none): sharing
        // it pro rata among many requests leaves float crumbs (1.6e-9 t of a 20 t quota) that no request may take. Before Dec
        // 2026 an absolute 1e-9 counted such a quota as having room: it stopped separating the segments and China's and the
        // world's Dy prices met while the quota still bound every period.
        bool UsedUp(ExportControl c, int period, int lag = 0) => QuotaLeft(c, period, lag) <= Math.Max(Eps * c.QuotaQuantity, tol);
        // A quota has a shadow price where it binds: used up in its period so far, or in the whole of the period before (its
        // holders expect it to bind again and price it so). Offers are made before the day's fills, so they read it as it stood
        // after yesterday's (on a period's first day, the period before alone); the price rule reads it after today's.
        bool QuotaBinds(ExportControl c, bool afterFills) =>
            (afterFills || (tick - c.Start) % Math.Max(1, c.QuotaPeriodDays) > 0) && UsedUp(c, Period(c), afterFills ? 0 : 1)
            || (Period(c) > 0 && UsedUp(c, Period(c) - 1));
        // A quota accrues through its period: by day d of a period of P days Q·(d + 1)/P may have shipped, what was not used
        // carried to the period's later days. Holders of a quota everyone sees binding do not sell it all at once at the home
        // price and then watch the price abroad rise; they spread it, and its scarcity is priced from the period's first day
        // (intertemporal arbitrage of a storable good). Before Dec 2026 the whole of Q was open from each period's first day:
        // the same 120 t of Dy a year earned China $152 m of rent as 10 t a month and none as 120 t a year, shipped in the
        // first weeks at the home price (a review's probe; `ComparativeStaticsTests`).
        // lag 1 reads the quota as it stood after yesterday's fills (what today's first offers know).
        double QuotaLeft(ExportControl c, int period, int lag = 0)
        {
            var days = Math.Max(1, c.QuotaPeriodDays);
            var open = period < Period(c) ? 1 : Math.Clamp(((tick - c.Start) % days + 1 - lag) / (double)days, 0, 1);
            return c.QuotaQuantity * open - quotas.Used(c, period);
        }

        // A quota is shared pro rata among the round's requests under it, not taken first come by buyer id: each request's
        // tentative quantity (its share of the seller's stock, in tier order) is scaled by the quota left over the
        // total asked under that quota this round.
        // By the quota's slot (QuotaBook): quotas that share a key share a slot.
        double[]? QuotaScale()
        {
            double[]? quotaScale = null;
            if (controls.Any(c => c.Mode == ControlMode.Quota))
            {
                var asked = new double[controls.Count];
                for (int a = 0; a < asks.Count; a++)
                {
                    var reqs = requests[a];
                    var alloc = new double[reqs.Count];
                    for (int tier = 0; tier < Tiers; tier++)
                    {
                        if ((tiersOf[a] & (1 << tier)) == 0) continue;
                        var share = ClassAllocation(a, reqs, tier, Math.Max(0, cap[a] - alloc.Sum()), new double[reqs.Count]);
                        for (int k = 0; k < reqs.Count; k++) alloc[k] += share[k];
                    }
                    for (int k = 0; k < reqs.Count; k++)
                        foreach (var ctl in cands[reqs[k].Bid][reqs[k].Cand].Controls)
                            if (ctl.Mode == ControlMode.Quota)
                                asked[quotas.SlotOf(ctl)] += alloc[k];
                }
                quotaScale = new double[controls.Count];
                foreach (var ctl in controls.Where(c => c.Mode == ControlMode.Quota))
                {
                    var want = asked[quotas.SlotOf(ctl)];
                    var left = Math.Max(0, QuotaLeft(ctl, Period(ctl)));
                    quotaScale[quotas.SlotOf(ctl)] = want <= left || want <= 0 ? 1 : left / want;
                }
            }
            return quotaScale;
        }

        // An offtake contract reserves part of a producer's lot for its holders' countries (Ask.OnlyFor). Holders nominate what
        // they will lift and the producer sells the rest on the open market the same day, as offtake contracts work: so of each
        // reserved offer only what its holders' orders that may buy it ask for in all stays reserved, and the rest of its stock
        // and flow joins the producer's open offer of the same lot (its twin: same seller and origin, open to all), before any
        // buyer chooses. Before Dec 2026 all of it stayed reserved, unsold in the producer's store, while its flow counted as
        // supply in the price rule: Lynas's NdPr reserved half for the US, which buys none, sold 3,447 t a year instead of 6,592
        // and world NdPr fell 5.9% (a review's probe). A national stockpile's offer has no open twin: what it keeps for its
        // country stays kept.
        double[] flowOf = [];

        void Offtake()
        {
            flowOf = new double[asks.Count];
            for (int a = 0; a < asks.Count; a++) flowOf[a] = asks[a].Flow;
            Nominate();
        }

        void Nominate()
        {
            var askedOf = new double[asks.Count];
            var reserved = false;
            for (int a = 0; a < asks.Count && !reserved; a++) reserved = Reserved(a);
            if (!reserved) return;
            // A holder's part nominates its quantity once, shared among the reserved offers it would take first: those open to
            // it and within the price band of its cheapest open offer (as Choose reads them in the first round; Open's licence
            // draws are made once a tick whoever asks first), in proportion to what each can supply. Counted on every reserved
            // offer in its list, a part held back offers it would never take (one outside its band for a security premium, a
            // second lot or contract of the same holder): a code review's probes left a third of such supply unsold.
            for (int b = 0; b < partCount; b++)
            {
                var list = cands[b];
                var any = false;
                for (int i = 0; i < list.Count && !any; i++) any = Reserved(list[i].Ask);
                if (!any) continue;
                var at = costAt[parts[b].Order];
                var best = double.PositiveInfinity;
                for (int i = 0; i < list.Count; i++)
                    if (IsOpen(b, i, out _)) best = Math.Min(best, perceived[at + i]);
                var edge = best * (1 + band) + Eps;
                double weight = 0;
                for (int i = 0; i < list.Count; i++)
                    if (Nominable(b, i, at, edge)) weight += Supply(list[i].Ask);
                if (!(weight > 0)) continue;
                for (int i = 0; i < list.Count; i++)
                    if (Nominable(b, i, at, edge)) askedOf[list[i].Ask] += parts[b].Quantity * (Supply(list[i].Ask) / weight);
            }
            for (int a = 0; a < asks.Count; a++)
            {
                if (!Reserved(a) || askedOf[a] >= Supply(a)) continue;
                var twin = -1;
                for (int t = 0; t < asks.Count && twin < 0; t++)
                    if (asks[t].OnlyFor.Count == 0 && !asks[t].UrgentOnly && asks[t].SellerId == asks[a].SellerId && asks[t].Origin == asks[a].Origin) twin = t;
                if (twin < 0) continue;
                var keep = Math.Min(cap[a], askedOf[a]);
                cap[twin] += cap[a] - keep;
                cap[a] = keep;
                var keepFlow = Math.Min(flowOf[a], askedOf[a]);
                flowOf[twin] += flowOf[a] - keepFlow;
                flowOf[a] = keepFlow;
            }
        }
        // A reserved offer (a contract's, or a stockpile's to its country); what it can supply now (stock or flow, the larger).
        bool Reserved(int a) => asks[a].OnlyFor.Count > 0 && !asks[a].UrgentOnly;
        double Supply(int a) => Math.Max(cap[a], flowOf[a]);
        bool Nominable(int b, int i, int at, double edge) => Reserved(cands[b][i].Ask) && perceived[at + i] <= edge && IsOpen(b, i, out _);

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

        // The seller's capacity shared among one tier of its requests (Tier), needs first; 0 for the requests of the other
        // tiers. Written into alloc[0 .. reqs.Count). The scratch arrays are rented once, as long as the
        // longest list of requests (ListRequests): grown per call they were new large arrays every tick (≈34 MB a tick at 100,000 buyers).
        double[] qScratch = [], needScratch = [], allocScratch = [], valueScratch = [];
        double[] ClassAllocation(int a, PooledList<Request> reqs, int tier, double capacity, double[] alloc)
        {
            var n = reqs.Count;
            var q = qScratch;
            var need = needScratch;
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
        int Tier(Request r) => (cands[r.Bid][r.Cand].Priority ? 0 : Tiers / 2) + r.Alt;

        /// <summary>A request a buyer's part makes of one seller in a round: the part, the quantity, the candidate (its index in the
        /// part's list) and the alternatives tier it falls in (<c>Alternative</c>). 16 bytes: the candidate and the tier (0–2) share
        /// an int, and the licence delay is not kept (it is the part's drawn delays on the candidate's links: <c>DelayOf</c>). At a
        /// million firms the magnet market's nine request lists hold ≈8.5 million requests each; as a tuple with the delay they
        /// took 24 bytes a request.</summary>
        struct Request(int bid, double q, int cand)
        {
            public readonly int Bid = bid;
            int _candAlt = cand << 2;
            public readonly double Q = q;
            public readonly int Cand => _candAlt >> 2;
            public int Alt
            {
                readonly get => _candAlt & 3;
                set => _candAlt = (_candAlt & ~3) | value;
            }
        }

        PooledList<Request>[] requests = [];

        void ListRequests()
        {
            // Each seller's requests, with room for every part that has it among its candidates (lists this long are not regrown).
            var room = new int[asks.Count];
            for (int b = 0; b < partCount; b++)
                foreach (var c in cands[b]) room[c.Ask]++;
            requests = new PooledList<Request>[asks.Count];
            for (int a = 0; a < asks.Count; a++) requests[a] = new(room[a], pools);
            var longest = room.Length == 0 ? 0 : room.Max();
            qScratch = rented.Rent<double>(longest);
            needScratch = rented.Rent<double>(longest);
            allocScratch = rented.Rent<double>(longest);
            if (world.Buyers.RationByValue) valueScratch = rented.Rent<double>(longest);
            requested = new double[asks.Count];
            tiersOf = new int[asks.Count];
        }

        void RunRounds()
        {
            for (int round = 0; round <= asks.Count + 1; round++)
            {
                // Every seller sold out: no link is open (IsOpen reads capacity first, so no licence is drawn), and a pass over every
                // part would only find that out (at 100,000 buyers the magnet market's second round was such a pass over 800,000 parts).
                var capacityLeft = false;
                for (int a = 0; a < asks.Count && !capacityLeft; a++) capacityLeft = cap[a] > tol;
                if (!capacityLeft) break;
                var any = false;
                foreach (var r in requests) r.Clear();
                for (int b = 0; b < partCount; b++)
                {
                    if (remaining[b] <= tol) continue;
                    Choose(b);
                    if (chosen.Count == 0) continue;
                    foreach (var c in chosen)
                    {
                        requests[cands[b][c.I].Ask].Add(new Request(b, c.Q, c.I));
                        askedAt[candAt[b] + c.I] += c.Q;
                    }
                    any = true;
                }
                if (!any) break;
                FindAlternatives();

                var quotaScale = QuotaScale(); // shared pro rata among the round's requests

                for (int a = 0; a < asks.Count; a++) Serve(a, quotaScale);
            }

            foreach (var r in requests) r.Dispose();
            quotas.WriteBack();
        }

        void Serve(int a, double[]? quotaScale)
        {
            var reqs = requests[a];
            if (reqs.Count == 0) return;
            var ask = asks[a];
            // In tier order (Tier: priority buyers first, then the rest, each by its alternatives), each tier rationed needs
            // first (Rationing).
            for (int tier = 0; tier < Tiers; tier++)
            {
                if ((tiersOf[a] & (1 << tier)) == 0) continue; // an empty tier is served nothing
                var alloc = ClassAllocation(a, reqs, tier, cap[a], allocScratch);
                for (int k = 0; k < reqs.Count; k++)
                {
                    var r = reqs[k];
                    if (Tier(r) != tier) continue;
                    var q = alloc[k];
                    var cand = cands[r.Bid][r.Cand];
                    if (quotaScale is not null)
                        foreach (var ctl in cand.Controls)
                            if (ctl.Mode == ControlMode.Quota) q *= quotaScale[quotas.SlotOf(ctl)];
                    for (int j = 0; j < cand.Controls.Count; j++)
                    {
                        var ctl = cand.Controls[j];
                        if (ctl.Mode == ControlMode.Quota)
                            q = Math.Min(q, Math.Max(0, QuotaLeft(ctl, Period(ctl))));
                        if (ctl.Mode == ControlMode.License && Licence(r.Bid, cand, j) is var id && table[id].HasLeft)
                            q = Math.Min(q, Math.Max(0, table[id].Left));
                    }
                    var declared = Declared(r.Bid, a);
                    if (declared) q = Math.Min(q, Math.Max(0, declaredLeft[r.Bid]));
                    if (q <= tol) { blocked[candAt[r.Bid] + r.Cand] = true; continue; }
                    if (declared) declaredLeft[r.Bid] -= q;
                    var full = alloc[k];
                    for (int j = 0; j < cand.Controls.Count; j++)
                    {
                        var ctl = cand.Controls[j];
                        if (ctl.Mode == ControlMode.Quota) quotas.Add(ctl, q);
                        if (ctl.Mode == ControlMode.License && Licence(r.Bid, cand, j) is var id && table[id].HasLeft)
                            table.DrawDown(id, q);
                    }
                    filled[candAt[r.Bid] + r.Cand] += q;
                    if (UnderLicence(cand)) licensedGot[parts[r.Bid].Order] += q;
                    remaining[r.Bid] -= q;
                    cap[a] -= q;
                    if (q < full - tol) blocked[candAt[r.Bid] + r.Cand] = true;
                }
            }
        }

        /// <summary>A fill's fields but its quantity: fills equal in all of them (the record's equality: strings ordinal, doubles by
        /// Equals) ship alike and merge. Declared with the fields that tell one buyer's fills apart first, as equality compares them
        /// in this order.</summary>
        readonly record struct FillKey(int ArrivalTick, EndUse EndUse, string SellerId, string Origin, double Price, double Tariff, double Subsidy,
            double Rent, int OrderTick, string BuyerId, string BuyerCountry, string SellerCountry, string Commodity, string? SubsidyPayer, string? RentHolder,
            bool Urgent, double Premium)
        {
            public Fill ToFill(double quantity) => new(BuyerId, BuyerCountry, SellerId, SellerCountry, Commodity, Origin, EndUse, quantity, Price, Tariff,
                Subsidy, SubsidyPayer, OrderTick, ArrivalTick) { Rent = Rent, RentHolder = RentHolder, Urgent = Urgent, Premium = Premium };
        }

        /// <summary>The first key in <paramref name="run"/> equal to <paramref name="key"/> (List.IndexOf's answer): the fields that
        /// tell one buyer's fills apart are compared first, in place, so most keys are passed over without the whole record's
        /// equality (15 fields) and its copies.</summary>
        static int IndexIn(List<FillKey> run, in FillKey key)
        {
            var keys = CollectionsMarshal.AsSpan(run);
            for (int i = 0; i < keys.Length; i++)
            {
                ref readonly var k = ref keys[i];
                if (k.ArrivalTick == key.ArrivalTick && k.OrderTick == key.OrderTick && k.Price.Equals(key.Price) && k.Equals(key)) return i;
            }
            return -1;
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
        HashSet<string> stockpileIds = null!;
        int[] chain = new int[8];
        // Each candidate list's indices in ask order (each ask is one candidate of a list), worked out once per list.
        readonly PerCandidateList<AskOrder> askOrderOf = new(() => new AskOrder(), (x, list) => x.Fill(list));

        // Fills, in (bid, ask) order; the applications of one order that ship alike merge back into one fill.
        void MakeFills()
        {
            fills = new List<Fill>(orders.Count); // not filled.Count long: the parts of an order that ship alike make one fill
            crossSold = new double[asks.Count];
            sold = new double[asks.Count];
            // What the fills add to each segment's demand and supply, by segment index, in the same order (0 + q = q, as a new
            // entry gave): written into the maps once after the fills, not looked up by name per fill.
            var fillDemand = new double[world.Segments.Count];
            var fillSupply = new double[world.Segments.Count];
            // Today's trade at each segment's price, a state's stockpile sales to its own firms left out: what arbitrage pulls a
            // pooled group's prices to (SetPrices).
            tradeAt = new double[world.Segments.Count];
            stockpileIds = inForce.OfType<Stockpile>().Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
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
                for (int j = 0; j < entries; j++)
                {
                    var ci = chain[j];
                    var q = filled[candAt[b] + ci];
                    var cand = cands[b][ci];
                    var a = cand.Ask;
                    var delay = DelayOf(b, cand);
                    var at = KeptAt(o, ci, delay);
                    if (at < 0)
                    {
                        // Under a licence the shipment leaves today and arrives after transport; it goes under an application lodged
                        // one processing delay ago, so its order dates from then (buyers learn their lead time, application to
                        // arrival, from it).
                        var ask = asks[a];
                        var premium = wall is { } w && Walled(cand) && w.Inside.TryGetValue(bid.BuyerCountry, out var inside)
                            ? Math.Max(0, Math.Min(inside, w.Least[a]) - cand.Price) : 0;
                        // A floor tops up to itself: what the premium already pays, it does not.
                        var subsidy = Math.Max(0, cand.Subsidy - premium);
                        var key = new FillKey(tick + cand.Transport, bid.EndUse, ask.SellerId, ask.Origin, cand.Price + premium, cand.Tariff, subsidy,
                            cand.Rent, tick - delay, bid.BuyerId, bid.BuyerCountry, ask.SellerCountry, commodity.Id, subsidy > 0 ? cand.SubsidyPayer : null,
                            cand.RentHolder, bid.IsUrgent, premium);
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
                    fillDemand[cand.PriceSegment] += UnderLicence(cand) ? q * licensedCounts[o] : q; // q × 1 = q: the same bits
                    if (!stockpileIds.Contains(asks[a].SellerId)) tradeAt[cand.PriceSegment] += q;
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

        // The price inside a tariff wall. Where a country's buyers bought across a tariff today, the last unit they bought cost the
        // taxed import's delivered price, so an untaxed seller (a maker at home, or abroad where no tariff covers it) could ask
        // that price of them: while imports flow, the price inside the wall is the price outside × (1 + t) (the incidence of an
        // import tariff on a good with untaxed supply; Krugman, Obstfeld & Melitz, International Economics, ch. 9). Per buyer
        // country: the quantity-weighted delivered price of what its firms bought across a tariff today, duty included (a state's
        // stockpile pays its own state's duty, a transfer, so its purchases do not count). A seller asks one price, though: one
        // that sold outside the wall at less (to a buyer outside every wall, or inside one whose price is lower) could have sold
        // that to the wall's buyers instead, so it gets from them no more than the least it took from anyone today (Premium).
        // So a net exporter's tariff, or one its makers' foreign buyers undercut, sets no premium. Reserved supply (a contract,
        // a state's own stockpile) keeps its terms. Before Dec 2026 every untaxed seller got its home price, and a 50% tariff on
        // Chinese magnets by every other country lowered what makers outside China got.
        (Dictionary<string, double> Inside, double[] Least) WallPrices()
        {
            // Summed in part order (sorted by buyer), so the same whatever order agents ran in.
            var taxed = new Dictionary<string, (double Q, double Value)>(StringComparer.Ordinal);
            for (int b = 0; b < partCount; b++)
            {
                var bid = orders[parts[b].Order];
                if (stockpileIds.Contains(bid.BuyerId)) continue;
                var list = cands[b];
                for (int i = 0; i < list.Count; i++)
                {
                    var q = filled[candAt[b] + i];
                    if (!(q > 0) || list[i].TariffRate <= 0) continue;
                    ref var t = ref CollectionsMarshal.GetValueRefOrAddDefault(taxed, bid.BuyerCountry, out _);
                    t = (t.Q + q, t.Value + q * list[i].Delivered);
                }
            }
            var inside = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (country, (q, value)) in taxed) inside[country] = value / q;
            // The least each seller took today: at a walled buyer's price where it could ask it, else at its own.
            var least = new double[asks.Count];
            Array.Fill(least, double.PositiveInfinity);
            for (int b = 0; b < partCount; b++)
            {
                var country = orders[parts[b].Order].BuyerCountry;
                var list = cands[b];
                for (int i = 0; i < list.Count; i++)
                {
                    if (!(filled[candAt[b] + i] > 0)) continue;
                    var c = list[i];
                    var at = Walled(c) && inside.TryGetValue(country, out var p) ? Math.Max(c.Price, p) : c.Price;
                    least[c.Ask] = Math.Min(least[c.Ask], at);
                }
            }
            return (inside, least);
        }
        // An untaxed open-market sale: the kind a wall's price reaches.
        bool Walled(Candidate c) => c.TariffRate == 0 && asks[c.Ask].OnlyFor.Count == 0;

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
        readonly List<(string Id, double Reach)> segs = new(2);
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
                if (at == segs.Count) segs.Add((seg, 0));
                var a = list[i].Ask;
                segs[at] = (seg, segs[at].Reach + Reach(a, asks[a].Quantity, bid));
            }
            if (segs.Count == 0 && !outOfDeclaration && !set.Named && bid.LimitPrice >= state.Prices[ownSeg]) segs.Add((ownSeg, 0));
            var unmet = PartShortfall(b) * unmetScale[part.Order];
            // In ordinal segment order (a sum's order fixed); no reach at all (every open offer empty and idle): equal shares.
            // One segment takes all of it (r / r and 1 / 1 are exactly 1).
            if (segs.Count > 1) segs.Sort(static (x, y) => string.CompareOrdinal(x.Id, y.Id));
            double reach = 0;
            foreach (var (_, r) in segs) reach += r;
            foreach (var (sg, r) in segs) AddTo(demand, sg, unmet * (reach > 0 ? r / reach : 1.0 / segs.Count));
        }

        // What each buyer met per supplier country. A buyer's bids are consecutive (sorted by buyer id), so it is summed per
        // country in a small list, in bid order, and written out when the next buyer starts: buyers in bid (ordinal) order, each
        // buyer's countries in Comparer<string>.Default order, as the sorted map this replaces gave them. Only each buyer's own
        // disruptions reach it (SessionRules.Route), so their order per buyer is the one that counts; no map of every buyer.
        readonly List<Disruption> disruptions = new();
        readonly List<(string Country, double Q, double E, bool Controlled)> met = new(4);
        string? metBuyer;
        // Each candidate list's seller countries, worked out once per list (orders that filter nothing out share their link set's):
        // the countries in candidate order, each with its candidates and whether any of them is under a control.
        PerCandidateList<SellerCountries> countriesOf = null!;
        // Whether each of the current part's candidates is open (Open, read at most once per candidate: nothing between the
        // unmet demand and the disruptions changes its answer): 0 not read yet, 1 open, 2 closed; the delay where open.
        byte[] openRead = new byte[8];
        int[] openDelay = new int[8];
        bool OpenAfter(int b, int i, out int delay)
        {
            delay = 0;
            if (blocked[candAt[b] + i]) return false;
            if (openRead[i] == 0) openRead[i] = Open(b, cands[b][i], out openDelay[i]) ? (byte)1 : (byte)2;
            delay = openDelay[i];
            return openRead[i] == 1;
        }

        /// <summary>Per part, in part order: its unmet demand (UnmetDemand), then what it met at each supplier country. One pass:
        /// Open draws the licence decisions not drawn yet, in the order it is asked.</summary>
        void ReadWhatBuyersMet()
        {
            countriesOf = new PerCandidateList<SellerCountries>(() => new SellerCountries(), (x, list) => x.Fill(list, asks));
            for (int b = 0; b < partCount; b++)
            {
                var bid = OrderOf(b);
                var part = parts[b];
                var set = linksOf[part.Order];
                if (metBuyer is not null && !string.Equals(metBuyer, bid.BuyerId, StringComparison.Ordinal)) FlushMet();
                // An urgent bid's need is its buyer's regular bid's: what it leaves unmet is counted there, and it asked no one else.
                var urgent = bid.IsUrgent;
                if (urgent) continue;
                var list = cands[b];
                if (openRead.Length < list.Count)
                {
                    openRead = new byte[2 * list.Count];
                    openDelay = new int[2 * list.Count];
                }
                else Array.Clear(openRead, 0, list.Count);
                if (remaining[b] > tol) UnmetDemand(b, bid, part, set, list);

                // What this bid met at each supplier country a policy touches: 1 where a ban, refusal or used-up quota stopped it, the
                // licence delay's share of the lead time where a licence let it through, 0 where nothing bound.
                // A part nothing bound at a country counts there as 0: the estimate is an average over all of the buyer's parts, so a
                // banned military share of 1% is 1% of the disruption met, not all of it (before Dec 2026 such parts noted nothing,
                // and the banned share alone set the average to 1). Countries no part met a control at are not written out.
                foreach (var c in set.Banned) Note(bid.BuyerId, part.Quantity, c, 1, true);
                var countries = countriesOf.Of(list, ReferenceEquals(list, set.Candidates));
                for (int k = 0; k < countries.Count; k++)
                {
                    var country = countries.Names[k];
                    if (!countries.Controlled[k]) { Note(bid.BuyerId, part.Quantity, country, 0, false); continue; }
                    double e = 1;
                    foreach (var i in countries.Members[k])
                    {
                        var ci = list[i];
                        // Served there this tick, or a link still open: only the licence delay counts against the country (the transport
                        // is the same for every candidate from one country). Served part of what it asked there before a control closed
                        // the link (a quota used up, a licence's volume drawn down): the part served met the delay, the rest was stopped
                        // (1), weighted by what it asked. Before Dec 2026 any fill counted as nothing stopped: in japan-2010 Germany's
                        // high-temperature magnet maker, sent 0.03-0.16 t a day (it uses ≈0.9 t) once China's monthly NdPr quota ran
                        // out (Nov 2010), learnt no risk of China, while days with no fill at all taught it 0.9; Japan's 2011 import
                        // share swung between 81.9% and 87.1% on which side of 0 those slivers fell (MODEL.md, The 2010 backcast).
                        var ca = candAt[b] + i;
                        if (filled[ca] > 0 && DelayOf(b, ci) is var got)
                        {
                            var m = got / (double)(got + ci.Transport);
                            if (askedAt[ca] > filled[ca] + tol && !OpenAfter(b, i, out _)) m = 1 - filled[ca] / askedAt[ca] * (1 - m);
                            e = Math.Min(e, m);
                        }
                        else if (OpenAfter(b, i, out var delay))
                            e = Math.Min(e, delay / (double)(delay + ci.Transport));
                    }
                    Note(bid.BuyerId, part.Quantity, country, e, true);
                }
            }
            FlushMet();
        }

        void Note(string buyer, double quantity, string country, double e, bool controlled)
        {
            metBuyer = buyer;
            for (int i = 0; i < met.Count; i++)
                if (string.Equals(met[i].Country, country, StringComparison.Ordinal))
                {
                    met[i] = (country, met[i].Q + quantity, met[i].E + quantity * e, met[i].Controlled || controlled);
                    return;
                }
            met.Add((country, quantity, quantity * e, controlled)); // 0 + x = x: the same bits as adding to an empty entry
        }
        void FlushMet()
        {
            if (met.Count > 1) met.Sort((x, y) => Comparer<string>.Default.Compare(x.Country, y.Country));
            foreach (var (country, q, e, controlled) in met)
                if (controlled) disruptions.Add(new Disruption(metBuyer!, commodity.Id, country, q > 0 ? e / q : 0));
            met.Clear();
            metBuyer = null;
        }

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
                ? PriceWindows.Read(state, world.Segments, commodity.PriceWindowDays, tick, demand, crossIn, sellerDays)
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
