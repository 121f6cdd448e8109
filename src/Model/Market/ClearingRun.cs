using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    /// <summary>
    /// One clearing (<see cref="Clear"/>): its fields are what the market's rules share while it runs, its methods are the rules,
    /// each in a file named for it (ClearingRun.*.cs), and <see cref="Run"/> calls them in the order the market runs. Used once.
    /// </summary>
    sealed partial class ClearingRun
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
        readonly Dictionary<string, int> reExportSlotOf;
        int slots;
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
            // Re-export licences, (state, destination), get theirs after the states' as links meet them (ClearingRun.ReExports.cs).
            reExportSlotOf = new Dictionary<string, int>(StringComparer.Ordinal);
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
                ListCandidates();           // ClearingRun.Links.cs
                FindDeclarations();         // .Declarations.cs
                RentLicenceDecisions();     // .Licences.cs
                RentCandidateFlags();
                Offtake();                  // .Offtake.cs
                ListRequests();             // .Rounds.cs (choosing: .Choosing.cs; serving: .Tiers.cs, .Quotas.cs)
                RunRounds();
                CountLicensedFills();       // .Demand.cs
                MakeFills();                // .Fills.cs (.TariffWall.cs)
                CountSupply();              // .Prices.cs
                ScaleUnmet();               // .Demand.cs
                ReadWhatBuyersMet();        // .Disruptions.cs (unmet demand: .Demand.cs)
                SetPrices();                // .Prices.cs
                CarryDeclarations();        // .Declarations.cs
                ForgetExpiredLicences();    // .Licences.cs
                var applied = table.Any ? AppliedBy(table, commodity.Id, slotOf) : [];
                (pools.LastFills, pools.LastDisruptions) = (fills.Count, disruptions.Count);
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
        /// most one of each per end use, so the order is total and the input order never decides; bids equal in all four keep
        /// their input order, as LINQ's stable OrderBy kept them until Dec 2026). One pass checks the order first, so bids that
        /// arrive sorted are not sorted again (in the benchmark's worlds about one market-tick in nine). Else the buyer ids are
        /// sorted as keys beside the bids' input positions (contiguous strings, no key selectors), and each run of one buyer's
        /// bids (a few) is put in order of the other keys and position by insertion: at 100,000 buyers LINQ's four-key sort was
        /// a tenth of the magnet market's clearing.</summary>
        static List<Bid> InOrder(IEnumerable<Bid> input, ClearingPool pools)
        {
            var orders = new List<Bid>(input);
            for (int i = 1; i < orders.Count; i++)
                if (Compare(orders[i - 1], orders[i]) > 0)
                    return Sorted(orders, pools);
            return orders;
        }

        static List<Bid> Sorted(List<Bid> input, ClearingPool pools)
        {
            var n = input.Count;
            // The last clearing's order, where it puts these bids in order too (the same buyers bidding in the same input order,
            // as most days): a permutation under which each bid comes before the next, or equals it from an earlier position, is
            // the sorted order, so one pass checks it.
            if (pools.LastBidOrder is { } last && last.Length == n && Ascending(input, last))
            {
                var again = new List<Bid>(n);
                for (int i = 0; i < n; i++) again.Add(input[last[i]]);
                return again;
            }
            var keyPool = pools.Of<string>();
            var indexPool = pools.Of<int>();
            var keys = keyPool.Rent(n);
            var at = indexPool.Rent(n);
            try
            {
                for (int i = 0; i < n; i++) (keys[i], at[i]) = (input[i].BuyerId, i);
                Array.Sort(keys, at, 0, n, StringComparer.Ordinal);
                for (int start = 0, end; start < n; start = end)
                {
                    end = start + 1;
                    while (end < n && string.Equals(keys[end], keys[start], StringComparison.Ordinal)) end++;
                    for (int i = start + 1; i < end; i++) // insertion sort of one buyer's bids by the other keys, then input position
                    {
                        var x = at[i];
                        var j = i - 1;
                        for (; j >= start && After(input[at[j]], at[j], input[x], x); j--) at[j + 1] = at[j];
                        at[j + 1] = x;
                    }
                }
                var sorted = new List<Bid>(n);
                for (int i = 0; i < n; i++) sorted.Add(input[at[i]]);
                pools.LastBidOrder = at.AsSpan(0, n).ToArray(); // a new array, never changed once kept
                return sorted;
            }
            finally
            {
                keyPool.Return(keys, clearArray: true);
                indexPool.Return(at);
            }

            static bool After(Bid x, int xAt, Bid y, int yAt) => Compare(x, y) is var c && c != 0 ? c > 0 : xAt > yAt;

            static bool Ascending(List<Bid> input, int[] order)
            {
                for (int i = 1; i < order.Length; i++)
                    if (After(input[order[i - 1]], order[i - 1], input[order[i]], order[i])) return false;
                return true;
            }
        }

        static int Urgency(Bid b) => b.IsUrgent ? 1 : 0;

        // The sort's keys as one comparison.
        static int Compare(Bid x, Bid y)
        {
            var c = string.CompareOrdinal(x.BuyerId, y.BuyerId);
            if (c == 0) c = x.EndUse.CompareTo(y.EndUse);
            if (c == 0) c = x.Application.CompareTo(y.Application);
            return c != 0 ? c : Urgency(x).CompareTo(Urgency(y));
        }

        void TakeOrders()
        {
            // A buyer's orders under a licence run through several applications, each drawn on its own (one draw per buyer would let
            // a single draw decide a whole country's supply where it has one buyer).
            // An order's parts are values (which order, which application, its share), not copies of the order: what they share is
            // worked out once per order (ListCandidates).
            pools = state.Pools ??= new ClearingPool();
            orders = InOrder(bidInput, pools);
            // Quantities are compared with a tolerance relative to the market's size (all that is offered and asked this tick), so
            // results do not depend on the unit quantities are counted in. Before Dec 2026 it was an absolute 1e-9: a request of
            // 5e-10 t was no fill while the same world counted in half-tonnes filled it (1e-9), and japan-2010 with every quantity
            // doubled gave Japan a loss, per unit, a third smaller (ScaleInvarianceTests).
            double size = 0;
            foreach (var a in asks) size += a.Quantity;
            foreach (var b in orders) size += b.Quantity;
            tol = SizeTolerance * size;
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
    }
}
