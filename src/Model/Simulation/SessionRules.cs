using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MarketSim.Model.Output;
using MarketSim.Model.Agents;
using MarketSim.Model.Market;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Simulation;

/// <summary>What the session decides at the start of a tick, before any agent runs.</summary>
public sealed record TickPlan(
    int Tick,
    IReadOnlyList<PolicySpec> InForce,
    TickContext Context,
    IReadOnlyList<string> Events,
    IReadOnlyDictionary<string, double> CapacityAdded);

/// <summary>
/// The clock's rules, shared by the reference runner and the session grain so both compute the same numbers:
/// begin a tick (policies in force, events, the prices agents see), gather orders by market, route fills, fold a frame.
/// </summary>
public static class SessionRules
{
    static readonly StringComparer Ord = StringComparer.Ordinal;

    public static SessionState Initialise(ScenarioSpec world)
    {
        // A scenario with policies in force before its start date begins at its first one (the spin-up, ScenarioSpec.SpinUpDays).
        var st = new SessionState { Tick = world.FirstTick, Policies = world.Policies.ToList() };
        foreach (var c in world.Commodities)
            foreach (var s in world.Segments)
                st.Prices[TickContext.Key(c.Id, s.Id)] = c.ReferencePrice;
        return st;
    }

    public static TickPlan Begin(ScenarioSpec world, SessionState st)
    {
        var t = st.Tick;
        var inForce = st.Policies.Where(p => p.InForce(t)).OrderBy(p => p.Id, Ord).ToList();
        var events = new List<string>();
        foreach (var p in st.Policies.OrderBy(p => p.Id, Ord))
        {
            if (p.Start == t) events.Add($"start {p.Id}: {p.Describe()}");
            // Output begins on day 0: a policy that started during the spin-up is named there, with its real start.
            if (t == 0 && p.Start < 0 && p.InForce(0)) events.Add($"in force {p.Id}: {p.Describe()}, since {world.DateOf(p.Start):yyyy-MM-dd} (day {p.Start})");
            // An announced control is named on its announcement day, and on day 0 if announced in the spin-up and not yet in force.
            if (p is ExportControl { Announced: { } a } ac && a < p.Start && (a == t || (t == 0 && a < 0 && p.Start > 0)) && ac.IsNews(t))
                events.Add($"announced {p.Id}: {p.Describe()}, in force from {world.DateOf(p.Start):yyyy-MM-dd} (day {p.Start})"
                    + (a < t ? $", announced {world.DateOf(a):yyyy-MM-dd} (day {a})" : ""));
            if (p.End == t) events.Add($"end {p.Id}: {p.Describe()}" + (p is CapacityProject { Completes: false } ? ", cancelled before it came online: no capacity" : ""));
            if (p is CapacityProject cp && cp.OnlineTick == t && cp.LeadTimeDays > 0 && cp.Completes) events.Add($"online {p.Id}: {p.Describe()}");
        }
        var added = new Dictionary<string, double>();
        foreach (var cp in st.Policies.OfType<CapacityProject>().Where(c => c.OnlineTick == t && c.Completes).OrderBy(c => c.Id, Ord))
            added[cp.Producer] = added.GetValueOrDefault(cp.Producer) + cp.AddedCapacity;

        var floors = new Dictionary<string, double>();
        foreach (var f in inForce.OfType<PriceFloor>())
            foreach (var (commodity, price) in f.Floors.OrderBy(x => x.Key, Ord))
                foreach (var c in world.Countries.Where(c => f.Covers(commodity, c.Id)))
                {
                    var key = commodity + "@" + c.Id;
                    floors[key] = Math.Max(floors.GetValueOrDefault(key), price);
                }
        // Which inputs a control touches for which buyer countries. A control on military end use or on named end users touches
        // only those buyers, who learn of it through what they meet (risk); it does not send every firm of the country to build
        // stock, nor open a stockpile.
        IEnumerable<(ExportControl Control, string K, string Country)> Touched(IEnumerable<PolicySpec> controls) =>
            from c in controls.OfType<ExportControl>()
            where c.EndUse != EndUseScope.Military && !c.NamesBuyers
            from k in c.Commodities
            where CanBind(world, c, k, inForce)
            from country in world.Countries
            where country.Id != c.Exporter && (c.Destinations.Count == 0 || c.Destinations.Contains(country.Id))
            select (c, k, country.Id);
        // In force: stockpiles that release on control read it.
        var controllers = new SortedSet<string>(Ord);
        foreach (var (c, k, country) in Touched(inForce)) controllers.Add(k + "|" + country + "|" + c.Exporter);
        // The news firms weigh for precaution: the same, in force or announced (ExportControl.IsNews), each by the sellers it
        // reaches: its exporter's, and with a re-export clause third-country sellers of lots it reaches.
        var news = new SortedSet<string>(Ord);
        foreach (var (c, k, country) in Touched(st.Policies.Where(p => p is ExportControl e && e.IsNews(t))))
        {
            news.Add(NewsSource.Entry(k, country, c.Exporter, false, null));
            if (c.ReExport) news.Add(NewsSource.Entry(k, country, c.Exporter, true, c.DeMinimis));
        }
        // Where new plants are being built: a buyer starts qualifying a country when a capacity project there has begun (and
        // stops when it is cancelled).
        var commissioning = new SortedSet<string>(Ord);
        foreach (var cp in st.Policies.OfType<CapacityProject>().Where(c => c.UnderwayAt(t)))
            if (world.Producers.FirstOrDefault(p => p.Id == cp.Producer) is { } producer)
                foreach (var (k, _) in ProducerRules.Outputs(producer)) commissioning.Add(k + "|" + producer.Country);
        var ctx = new TickContext(t, new Dictionary<string, double>(st.Prices), floors)
            { Controllers = controllers.ToList(), News = news.ToList(), Commissioning = commissioning.ToList() };
        return new TickPlan(t, inForce, ctx, events, added);
    }

    /// <summary>
    /// Whether a control could stop any of input k: it reaches a buyer of k (a destination has a firm using k or a stockpile of
    /// it in force; a control naming end users or sectors is taken to), and its exporter makes k (a producer there has capacity
    /// for it, as main output or co-product) or it reaches re-exports of the exporter's content; and a quota is below what the
    /// exporter can make in the quota's period; and a licence does not approve every application at once. A control that cannot
    /// bind is no news to a buyer of k (a ban by a country that
    /// makes no Dy was read as a real one: Dy rose ≈2×), and it separates no price segments (<see cref="MarketIgnores"/>).
    /// </summary>
    public static bool CanBind(ScenarioSpec world, ExportControl c, string k, IReadOnlyList<PolicySpec> inForce)
    {
        if (!ReachesBuyer(world, c, k, inForce)) return false;
        // A licence that approves every application at once stops nothing (a probe: approval 1 and no delay kept world Dy
        // 1.2% above the run without it and booked China $1.04 m of rent).
        if (c.Mode == ControlMode.License && c.ApprovalRate >= 1 && c.DelayMaxDays <= 0 && c.DelayMinDays <= 0) return false;
        if (c.ReExport) return true;
        var capacity = ExporterCapacity(world, c.Exporter, k, inForce);
        return capacity > 0 && !QuotaAboveCapacity(c, capacity);
    }

    /// <summary>
    /// Whether the market's price segments ignore a control: it cannot bind (<see cref="CanBind"/>), so it has no shadow price
    /// and separates no segments (a 10⁹ t quota, or a ban on a country that buys none, split China's segment from the world's
    /// and set the world price adrift). The control is still enforced on every link it covers. A world with no producer or no
    /// firm buying k at all (hand-made markets in tests) says nothing about the control: it separates as before.
    /// </summary>
    public static bool MarketIgnores(ScenarioSpec world, ExportControl c, string k, IReadOnlyList<PolicySpec> inForce) =>
        world.ProducersOf(k).Count > 0 && world.BuyerCountries(k).Count > 0 && !CanBind(world, c, k, inForce);

    static bool ReachesBuyer(ScenarioSpec world, ExportControl c, string k, IReadOnlyList<PolicySpec> inForce)
    {
        if (c.NamesBuyers) return true;
        bool Buys(string country) => country != c.Exporter && (world.BuyerCountries(k).Contains(country)
            || inForce.Any(p => p is Stockpile s && s.Commodity == k && s.Country == country));
        return c.Destinations.Count == 0 ? world.Countries.Any(x => Buys(x.Id)) : c.Destinations.Any(Buys);
    }

    static bool QuotaAboveCapacity(ExportControl c, double capacity) =>
        c.Mode == ControlMode.Quota && c.QuotaQuantity >= capacity * c.QuotaPeriodDays;

    /// <summary>The exporter's producers' capacity for k (main output, or co-product at its ratio): at the scenario's start, plus
    /// what capacity projects in force add (online or not yet). Capacity a producer's own investment adds later is not known.</summary>
    static double ExporterCapacity(ScenarioSpec world, string exporter, string k, IReadOnlyList<PolicySpec> inForce)
    {
        double capacity = 0;
        foreach (var p in world.ProducersOf(k))
        {
            if (p.Country != exporter) continue;
            var ratio = p.Output == k ? 1 : p.CoProducts.GetValueOrDefault(k);
            capacity += p.Capacity * ratio;
            foreach (var x in inForce)
                if (x is CapacityProject project && project.Producer == p.Id) capacity += project.AddedCapacity * ratio;
        }
        return capacity;
    }

    public static IReadOnlyList<Stockpile> StockpilesOf(TickPlan plan, string country) =>
        plan.InForce.OfType<Stockpile>().Where(s => s.Country == country).OrderBy(s => s.Id, Ord).ToList();

    public static IReadOnlyDictionary<string, double> UnmetShareOf(SessionState st, string country)
    {
        var d = new Dictionary<string, double>();
        foreach (var (k, v) in st.LastUnmetShare)
        {
            // Compared in place: a substring per entry and country was garbage every tick.
            var i = k.IndexOf('|');
            if (k.AsSpan(0, i).SequenceEqual(country)) d[k[(i + 1)..]] = v;
        }
        return d;
    }

    /// <summary>Orders grouped by commodity; the market sorts them again, so the order here does not matter.</summary>
    public static SortedDictionary<string, (List<Ask> Asks, List<Bid> Bids)> Gather(ScenarioSpec world, IEnumerable<AgentPlan> plans)
    {
        var d = new SortedDictionary<string, (List<Ask>, List<Bid>)>(Ord);
        foreach (var c in world.Commodities) d[c.Id] = (new List<Ask>(), new List<Bid>());
        // Index loops (a foreach over the interface boxes an enumerator per plan), and the last commodity's lists kept: a firm's
        // orders come a commodity at a time, so the sorted map is searched once per run, not once per order (100,000 plans a tick).
        string? lastAsk = null, lastBid = null;
        List<Ask>? asks = null;
        List<Bid>? bids = null;
        foreach (var p in plans)
        {
            for (int i = 0; i < p.Asks.Count; i++)
            {
                var a = p.Asks[i];
                if (!string.Equals(a.Commodity, lastAsk, StringComparison.Ordinal)) (lastAsk, asks) = (a.Commodity, d[a.Commodity].Item1);
                asks!.Add(a);
            }
            for (int i = 0; i < p.Bids.Count; i++)
            {
                var b = p.Bids[i];
                if (!string.Equals(b.Commodity, lastBid, StringComparison.Ordinal)) (lastBid, bids) = (b.Commodity, d[b.Commodity].Item2);
                bids!.Add(b);
            }
        }
        return d;
    }

    /// <summary>The agent that owns a buyer or seller id: a stockpile belongs to its country.</summary>
    public static Func<string, string> Owners(SessionState st)
    {
        // Versions of a stockpile share its id and its country.
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in st.Policies.OfType<Stockpile>()) map[s.Id] = s.Country;
        return id => map.TryGetValue(id, out var c) ? c : id;
    }

    /// <summary>Each agent's purchases, sales and the disruptions it met, in a stable order (markets by commodity, each
    /// market's own order within). Two passes: the first counts what each agent gets, the second copies it into arrays of
    /// exactly that size, so nothing regrows (a list per agent regrew by doubling, and at 100,000 firms that garbage was most of
    /// what routing cost), and an array crosses to a shard's silo without another copy. Who gets each fill is found once, in
    /// the first pass, and kept for the second as an agent's number in pooled arrays (arrays of references were two new
    /// ≈9 MB arrays and ≈2 million reference stores a tick at 100,000 firms).</summary>
    /// <param name="agents">How many agents there may be (the map is sized for them once instead of regrowing).</param>
    public static Dictionary<string, Routed> Route(IEnumerable<ClearingResult> results, Func<string, string> owner, int agents = 0)
    {
        var ordered = results.OrderBy(r => r.Commodity, Ord).ToList();
        var d = new Dictionary<string, Routed>(agents, StringComparer.Ordinal);
        var all = new List<Routed>(agents);
        var (buyerOf, sellerOf, otherOf) = (new RouteCursor(d, all, owner), new RouteCursor(d, all, owner), new RouteCursor(d, all, owner));
        int fills = 0, others = 0;
        foreach (var r in ordered) (fills, others) = (fills + r.Fills.Count, others + r.Disruptions.Count + r.Applied.Count);
        var buyers = ArrayPool<int>.Shared.Rent(fills);
        var sellers = ArrayPool<int>.Shared.Rent(fills);
        var other = ArrayPool<int>.Shared.Rent(others);
        int i = 0, j = 0;
        foreach (var r in ordered)
        {
            for (int k = 0; k < r.Fills.Count; k++, i++)
            {
                var f = r.Fills[k];
                all[buyers[i] = buyerOf.Of(f.BuyerId)].BoughtCount++;
                all[sellers[i] = sellerOf.Of(f.SellerId)].SoldCount++;
            }
            for (int k = 0; k < r.Disruptions.Count; k++) all[other[j++] = otherOf.Of(r.Disruptions[k].BuyerId)].DisruptionCount++;
            for (int k = 0; k < r.Applied.Count; k++) all[other[j++] = otherOf.Of(r.Applied[k].BuyerId)].AppliedCount++;
        }
        foreach (var v in all) v.Allocate();
        i = j = 0;
        foreach (var r in ordered)
        {
            for (int k = 0; k < r.Fills.Count; k++, i++)
            {
                var f = r.Fills[k];
                var buyer = all[buyers[i]];
                buyer.Bought[buyer.BoughtCount++] = f;
                var seller = all[sellers[i]];
                seller.Sold[seller.SoldCount++] = f;
            }
            for (int k = 0; k < r.Disruptions.Count; k++)
            {
                var buyer = all[other[j++]];
                buyer.Disruptions[buyer.DisruptionCount++] = r.Disruptions[k];
            }
            for (int k = 0; k < r.Applied.Count; k++)
            {
                var buyer = all[other[j++]];
                buyer.Applied[buyer.AppliedCount++] = r.Applied[k];
            }
        }
        ArrayPool<int>.Shared.Return(buyers);
        ArrayPool<int>.Shared.Return(sellers);
        ArrayPool<int>.Shared.Return(other);
        return d;
    }

    /// <summary>Finds the number (in <c>all</c>) of the agent owning an id, remembering the last id: a market's fills come in
    /// runs of one buyer, and a few sellers sell them all, so the map is searched once per run, not once per fill (at 100,000
    /// buyers, ≈2.4 million look-ups a tick).</summary>
    sealed class RouteCursor(Dictionary<string, Routed> routed, List<Routed> all, Func<string, string> owner)
    {
        string? _id;
        int _last;

        public int Of(string id)
        {
            if (ReferenceEquals(id, _id)) return _last;
            var agent = owner(_id = id);
            if (!routed.TryGetValue(agent, out var v))
            {
                routed[agent] = v = new Routed { Number = all.Count };
                all.Add(v);
            }
            return _last = v.Number;
        }
    }

    public sealed class Routed
    {
        public Fill[] Bought { get; private set; } = [];
        public Fill[] Sold { get; private set; } = [];
        public Disruption[] Disruptions { get; private set; } = [];
        public Applied[] Applied { get; private set; } = [];
        // Counted in Route's first pass, then the next free slot in its second; the agent's place in Route's list.
        internal int BoughtCount, SoldCount, DisruptionCount, AppliedCount, Number;

        internal void Allocate()
        {
            Bought = BoughtCount == 0 ? [] : new Fill[BoughtCount];
            Sold = SoldCount == 0 ? [] : new Fill[SoldCount];
            Disruptions = DisruptionCount == 0 ? [] : new Disruption[DisruptionCount];
            Applied = AppliedCount == 0 ? [] : new Applied[AppliedCount];
            BoughtCount = SoldCount = DisruptionCount = AppliedCount = 0;
        }
    }

    public static AgentSettlement SettlementFor(TickPlan plan, Dictionary<string, Routed> routed, string agentId)
    {
        // Most ticks add no capacity: no search of that map per agent then.
        var added = plan.CapacityAdded.Count == 0 ? 0 : plan.CapacityAdded.GetValueOrDefault(agentId);
        return routed.TryGetValue(agentId, out var v)
            ? new AgentSettlement(plan.Tick, v.Bought, v.Sold, added) { Disruptions = v.Disruptions, Applied = v.Applied }
            : new AgentSettlement(plan.Tick, [], [], added);
    }

    /// <summary>Ends the tick: builds its frame (<see cref="BuildFrame"/>), then advances the session by it (<see cref="Advance"/>).</summary>
    public static Frame Finish(ScenarioSpec world, SessionState st, TickPlan plan, IEnumerable<ClearingResult> resultsIn, ReportTotals reports)
    {
        var results = resultsIn.OrderBy(r => r.Commodity, Ord).ToList();
        var frame = BuildFrame(world, st, plan, results, reports);
        Advance(st, frame, results);
        return frame;
    }

    /// <summary>
    /// The clock and the running totals move by the frame just built: tomorrow's prices, today's unmet shares (the stockpile
    /// trigger), the cumulative columns of losses, indirect losses, value added and fiscal cost, and the next tick.
    /// </summary>
    static void Advance(SessionState st, Frame frame, IReadOnlyList<ClearingResult> results)
    {
        foreach (var p in results.SelectMany(r => r.NextPrices)) st.Prices[TickContext.Key(p.Commodity, p.Segment)] = p.Price;
        st.LastUnmetShare.Clear();
        foreach (var (country, commodity, share) in FrameMetrics.UnmetShares(frame.Shortages)) st.LastUnmetShare[country + "|" + commodity] = share;
        foreach (var l in frame.Losses) st.CumulativeLoss[l.Country + "|" + l.Sector] = l.Cumulative;
        foreach (var i in frame.Indirect) st.CumulativeIndirect[i.Country + "|" + i.Sector] = i.Cumulative;
        foreach (var v in frame.ValueAdded) st.CumulativeValueAdded[v.Country + "|" + v.Sector] = v.Cumulative;
        foreach (var f in frame.Fiscal) st.CumulativeFiscal[f.Country] = f.Cumulative;
        st.Tick = frame.Tick + 1;
        // The spin-up's last day: the running totals restart, so what was lost, made or spent before day 0 is in no output (the
        // state it left, stocks, prices, licences, risk, stands).
        if (frame.Tick == -1)
        {
            st.CumulativeLoss.Clear();
            st.CumulativeIndirect.Clear();
            st.CumulativeValueAdded.Clear();
            st.CumulativeFiscal.Clear();
        }
    }

    /// <summary>
    /// Folds the tick into its frame, reading the session's running totals without changing them. Fills come in market order
    /// (markets sorted, each market's fills in its own order) and reports as exact totals, so sums are reproducible.
    /// </summary>
    [ThreadStatic] static Dictionary<(string, string, string, string), (double Quantity, double Value, double Duty)>? _flowSums;

    static Frame BuildFrame(ScenarioSpec world, SessionState st, TickPlan plan, List<ClearingResult> results, ReportTotals reports)
    {
        // Sized once (SelectMany's list regrew by doubling: at 10,000 buyers, large-object-heap arrays every tick); same order.
        var fills = new List<Fill>(results.Sum(r => r.Fills.Count));
        foreach (var r in results) fills.AddRange(r.Fills);

        var prices = results.SelectMany(r => r.Prices).Select(p => new PriceRow(p.Segment, p.Commodity, p.Price))
            .OrderBy(p => p.Commodity, Ord).ThenBy(p => p.Market, Ord).ToList();

        // Per (origin, exporter, destination, commodity), summed in fill order (as a GroupBy would), then sorted.
        // Fills on one link share their terms (FillTerms), and so their key: the map is searched once per run of a link's fills,
        // not once per fill (hashing four strings a fill was ≈1% of a 100,000-firm tick). The sums are the same, in the same order.
        // A map reused per thread, cleared after use (and before, should a tick have thrown while it was filled): a new one each
        // tick was ≈6% of the bytes the default year's ticks allocate.
        var flowSums = _flowSums ??= new();
        flowSums.Clear();
        ref var flow = ref Unsafe.NullRef<(double Quantity, double Value, double Duty)>();
        FillTerms? lastTerms = null;
        (string? Origin, string? Seller, string? Buyer, string? Commodity) lastKey = default;
        bool subsidised = false, rented = false; // whether any fill has a floor's top-up or an export rent (most ticks none)
        foreach (var f in fills)
        {
            if (!ReferenceEquals(f.Terms, lastTerms))
            {
                lastTerms = f.Terms;
                // Fills whose rent was set one by one have terms of their own: their key still often repeats the last one.
                if (!(ReferenceEquals(f.Origin, lastKey.Origin) && f.SellerCountry == lastKey.Seller && f.BuyerCountry == lastKey.Buyer && f.Commodity == lastKey.Commodity))
                {
                    lastKey = (f.Origin, f.SellerCountry, f.BuyerCountry, f.Commodity);
                    flow = ref CollectionsMarshal.GetValueRefOrAddDefault(flowSums, (Provenance.Origin(f.Origin), f.SellerCountry, f.BuyerCountry, f.Commodity), out _);
                }
                subsidised |= f.Subsidy > 0;
                rented |= f.Rent > 0;
            }
            flow = (flow.Quantity + f.Quantity, flow.Value + f.Quantity * f.Price, flow.Duty + f.Quantity * f.Tariff);
        }
        var flows = new List<FlowRow>(flowSums.Count);
        foreach (var ((origin, seller, buyer, commodity), (q, v, duty)) in flowSums) flows.Add(new FlowRow(origin, seller, buyer, commodity, q, v) { Duty = duty });
        flowSums.Clear();
        flows.Sort(static (x, y) =>
        {
            var c = string.CompareOrdinal(x.Origin, y.Origin);
            if (c == 0) c = string.CompareOrdinal(x.Exporter, y.Exporter);
            if (c == 0) c = string.CompareOrdinal(x.Destination, y.Destination);
            return c != 0 ? c : string.CompareOrdinal(x.Commodity, y.Commodity);
        });

        // Procurement lead time of firms' imports (a Japanese magnetic-device maker quoted it for imported magnets): from the tick
        // an order was first asked for to its arrival, quantity-weighted (Agents/OpenOrders.cs).
        var leads = reports.Leads.Where(x => x.Quantity.Units > 0)
            .Select(x => new LeadTimeRow(x.Country, x.Commodity, x.Quantity.Value, x.QuantityDays.Value / x.Quantity.Value)
            {
                Waited = x.QuantityWaited.Value / x.Quantity.Value,
            })
            .OrderBy(r => r.Destination, Ord).ThenBy(r => r.Commodity, Ord).ToList();

        // The reports arrive folded (ReportTotals: exact sums, so the same whatever folded them and in what order).
        var shortages = reports.Shortages.Select(x => new ShortageRow(x.Country, x.Sector, x.Commodity, x.Required.Value, x.Unmet.Value))
            .OrderBy(r => r.Country, Ord).ThenBy(r => r.Sector, Ord).ThenBy(r => r.Commodity, Ord).ToList();

        var cover = reports.Shortages.Where(x => x.Covered)
            .Select(x => new CoverRow(x.Country, x.Sector, x.Commodity, x.CoverWeight.Units > 0 ? x.CoverWeighted.Value / x.CoverWeight.Value : 0))
            .OrderBy(r => r.Country, Ord).ThenBy(r => r.Sector, Ord).ThenBy(r => r.Commodity, Ord).ToList();

        // Every sector of the world's firms has a loss row and a value-added row every tick, 0 on a day none of its firms planned
        // or made anything (a mine not yet open, a plant before its start), so a reader finds its cumulative on every tick.
        // Before Dec 2026 such days had no row.
        var lossToday = new Dictionary<(string Country, string Sector), double>();
        foreach (var g in reports.Sectors) if (g.Planned) lossToday[(g.Country, g.Sector)] = g.Loss.Value;
        foreach (var k in world.FirmSectors()) lossToday.TryAdd(k, 0);
        var losses = new List<LossRow>();
        foreach (var ((country, sector), loss) in lossToday.OrderBy(x => x.Key.Country, Ord).ThenBy(x => x.Key.Sector, Ord))
        {
            var key = country + "|" + sector;
            var cum = st.CumulativeLoss.GetValueOrDefault(key) + loss;
            losses.Add(new LossRow(country, sector, loss, cum, cum / world.Country(country).Gdp));
        }

        var indirect = IndirectLosses(world, st, losses);

        // Value added made at reference prices, by country and sector (every stage, producers included): compared with a
        // baseline run, its fall is the direct loss, a blocked exporter's included.
        // In (country, sector) order by the default string comparer, as the sorted map this replaced gave them.
        var vaAcc = new SortedDictionary<(string Country, string Sector), double>();
        foreach (var x in reports.Sectors) if (x.Made) vaAcc[(x.Country, x.Sector)] = x.ValueAdded.Value;
        foreach (var k in world.FirmSectors()) vaAcc.TryAdd(k, 0);
        var valueAdded = new List<ValueAddedRow>();
        foreach (var ((country, sector), made) in vaAcc)
        {
            var key = country + "|" + sector;
            var cum = st.CumulativeValueAdded.GetValueOrDefault(key) + made;
            valueAdded.Add(new ValueAddedRow(country, sector, made, cum));
        }

        var fiscalToday = new Dictionary<string, double>();
        void Charge(string c, double v) => fiscalToday[c] = fiscalToday.GetValueOrDefault(c) + v;
        foreach (var x in reports.Fiscal.OrderBy(x => x.Country, Ord)) Charge(x.Country, x.Cost.Value);
        var floorsInForce = plan.InForce.OfType<PriceFloor>().OrderBy(p => p.Id, Ord).ToList(); // the versions in force today
        foreach (var f in subsidised ? fills : [])
        {
            if (!(f.Subsidy > 0 && f.SubsidyPayer is not null)) continue;
            // The highest floor covering the seller tops it up; floors at that same level share the top-up equally, so who pays
            // does not turn on the floors' names (the market names the first of them by id as the fill's payer).
            var level = floorsInForce.Where(p => p.Covers(f.Commodity, f.SellerCountry)).Max(p => p.Floors[f.Commodity]);
            var tied = floorsInForce.Where(p => p.Covers(f.Commodity, f.SellerCountry) && p.Floors[f.Commodity] == level).ToList();
            var amount = f.Subsidy * f.Quantity / tied.Count;
            foreach (var floor in tied)
            {
                if (floor.Club.Contains(f.SellerCountry)) Charge(f.SellerCountry, amount);
                else
                {
                    // Shared by the club in proportion to GDP: a modelling assumption.
                    var gdp = floor.Club.Sum(c => world.Country(c).Gdp);
                    foreach (var c in floor.Club) Charge(c, amount * world.Country(c).Gdp / gdp);
                }
            }
        }
        // An export rent the state holds (`rent_to: state`, as an export tax) is its revenue: a negative fiscal cost.
        foreach (var f in rented ? fills : [])
            if (f.Rent > 0 && f.RentHolder == "state") Charge(f.SellerCountry, -f.Rent * f.Quantity);
        foreach (var cp in plan.InForce.OfType<CapacityProject>().Where(c => c.Start == plan.Tick && c.Cost > 0))
            Charge(cp.Payer ?? world.Producers.First(p => p.Id == cp.Producer).Country, cp.Cost);
        var fiscal = new List<FiscalRow>();
        foreach (var c in world.Countries.OrderBy(c => c.Id, Ord))
        {
            var today = fiscalToday.GetValueOrDefault(c.Id);
            var cum = st.CumulativeFiscal.GetValueOrDefault(c.Id) + today;
            fiscal.Add(new FiscalRow(c.Id, today, cum));
        }

        // Export rents: (price paid − the seller's home price) × quantity on sales across a control, by exporter and holder.
        // Summed in fill order per (exporter, commodity, holder), then sorted (as GroupBy and OrderBy gave them).
        var rentSums = new Dictionary<(string, string, string), (double Quantity, double Rent)>();
        ref var rent = ref Unsafe.NullRef<(double Quantity, double Rent)>();
        lastTerms = null; // the key is the terms' too: searched once per run of a link's fills
        foreach (var f in rented ? fills : [])
        {
            if (f.Rent <= 0) continue;
            if (!ReferenceEquals(f.Terms, lastTerms))
            {
                lastTerms = f.Terms;
                rent = ref CollectionsMarshal.GetValueRefOrAddDefault(rentSums, (f.SellerCountry, f.Commodity, f.RentHolder ?? "exporter"), out _);
            }
            rent = (rent.Quantity + f.Quantity, rent.Rent + f.Quantity * f.Rent);
        }
        var rents = new List<RentRow>(rentSums.Count);
        foreach (var ((exporter, commodity, holder), (q, r)) in rentSums) rents.Add(new RentRow(exporter, commodity, holder, q, r));
        rents.Sort(static (x, y) =>
        {
            var c = string.CompareOrdinal(x.Exporter, y.Exporter);
            if (c == 0) c = string.CompareOrdinal(x.Commodity, y.Commodity);
            return c != 0 ? c : string.CompareOrdinal(x.Holder, y.Holder);
        });

        // Content origin of what each country bought from abroad: for each controlling country of the timeline's export controls,
        // the quantity-weighted share of its value in the material (only with content tracking on).
        var content = new List<ContentRow>();
        if (world.ContentOrigin)
        {
            var controllers = st.Policies.OfType<ExportControl>().Select(c => c.Exporter).Distinct().OrderBy(c => c, Ord).ToList();
            // The content a controller's re-export clause reaches: its lowest de-minimis threshold (any content at all without one).
            double Threshold(string c) => st.Policies.OfType<ExportControl>().Where(x => x.Exporter == c && x.DeMinimis is not null)
                .Select(x => x.DeMinimis!.Value).DefaultIfEmpty(0).Min();
            var thresholds = controllers.Select(Threshold).ToArray();
            // Per (destination, commodity) of imports: the quantity, then per controller its content-weighted quantity and the
            // quantity its clause reaches; each summed in fill order, as sums over a GroupBy's groups were.
            var groups = new Dictionary<(string, string), double[]>();
            // The group and the controllers' shares depend only on a fill's terms (FillTerms, shared by a link's fills): found once
            // per run of them, not once per fill and controller.
            FillTerms? terms = null;
            double[]? group = null;
            (string Buyer, string Commodity) groupKey = ("", "");
            string? sharesOf = null; // the origin key the shares are of
            var shares = new double[controllers.Count];
            foreach (var f in fills)
            {
                if (!ReferenceEquals(f.Terms, terms))
                {
                    terms = f.Terms;
                    if (f.SellerCountry == f.BuyerCountry) group = null;
                    else
                    {
                        // The same group and the same origin as the last fill's are not looked up again.
                        if (!(group is not null && f.BuyerCountry == groupKey.Buyer && f.Commodity == groupKey.Commodity))
                        {
                            groupKey = (f.BuyerCountry, f.Commodity);
                            if (!groups.TryGetValue(groupKey, out group)) groups[groupKey] = group = new double[1 + 2 * controllers.Count];
                        }
                        if (!ReferenceEquals(f.Origin, sharesOf))
                        {
                            sharesOf = f.Origin;
                            for (int i = 0; i < controllers.Count; i++) shares[i] = Provenance.ContentShare(f.Origin, controllers[i]);
                        }
                    }
                }
                if (group is null) continue;
                group[0] += f.Quantity;
                for (int i = 0; i < controllers.Count; i++)
                {
                    var sh = shares[i];
                    group[1 + 2 * i] += f.Quantity * sh;
                    group[2 + 2 * i] += sh > 0 && sh >= thresholds[i] ? f.Quantity : 0;
                }
            }
            foreach (var ((destination, commodity), acc) in groups.OrderBy(g => g.Key.Item1, Ord).ThenBy(g => g.Key.Item2, Ord))
            {
                var q = acc[0];
                for (int i = 0; i < controllers.Count; i++)
                    content.Add(new ContentRow(destination, commodity, controllers[i], q, q > 0 ? acc[1 + 2 * i] / q : 0, q > 0 ? acc[2 + 2 * i] / q : 0));
            }
        }

        // Expansions producers decided today follow the policies' events, by producer: why capacity grows, a lead time later.
        var events = plan.Events;
        if (reports.Decisions.Count > 0)
            events = [.. plan.Events, .. reports.Decisions.OrderBy(d => d.Producer, Ord).ThenBy(d => d.Commodity, Ord).Select(d =>
                $"expansion decided by {d.Producer} ({d.Country}): +{d.Added.ToString("0.###", CultureInfo.InvariantCulture)} {d.Commodity} a day of capacity from {world.DateOf(d.OnlineTick):yyyy-MM-dd}, ramping up over {world.Investment.RampDays.ToString("0", CultureInfo.InvariantCulture)} days")];
        // Stockpiles' releases and refills starting and ending: what moved a price or a fiscal cost that no policy event names.
        if (reports.Events.Count > 0) events = [.. events, .. reports.Events.Order(StringComparer.Ordinal)];
        return new Frame(plan.Tick, world.DateOf(plan.Tick), prices, flows, shortages, losses, fiscal, cover, leads, events)
        {
            Rents = rents, Content = content, ValueAdded = valueAdded, Indirect = indirect, Accounts = Accounts(world, st, fills),
        };
    }

    /// <summary>Indirect loss at domestic suppliers the model does not hold: (m − 1) × the direct loss of each (country, sector) the
    /// scenario gives an input–output multiplier m for. Kept apart from the direct loss in every output.</summary>
    static List<IndirectLossRow> IndirectLosses(ScenarioSpec world, SessionState st, List<LossRow> losses)
    {
        var rows = new List<IndirectLossRow>();
        foreach (var l in losses) // already in (country, sector) order
        {
            var country = world.Country(l.Country);
            if (!country.IoMultipliers.TryGetValue(l.Sector, out var m)) continue;
            var key = l.Country + "|" + l.Sector;
            var today = (m - 1) * l.Loss;
            var cum = st.CumulativeIndirect.GetValueOrDefault(key) + today;
            rows.Add(new IndirectLossRow(l.Country, l.Sector, m, today, cum, cum / country.Gdp));
        }
        return rows;
    }

    /// <summary>Who gains and who pays this tick, one row per country (ordinal order); sums run over the sorted fills.</summary>
    static List<AccountRow> Accounts(ScenarioSpec world, SessionState st, List<Fill> fills)
    {
        var stockpiles = st.Policies.OfType<Stockpile>().Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var acc = new Dictionary<string, double[]>(StringComparer.Ordinal);
        double[] Of(string c) => acc.TryGetValue(c, out var a) ? a : acc[c] = new double[6];
        // Looked up once per run of fills on one link (they share FillTerms: countries, commodity) and per run of one buyer, not
        // once per fill; every sum takes the same addends in the same order.
        FillTerms? terms = null;
        string? buyerId = null;
        double[] seller = [], buyer = [];
        double reference = 0;
        bool abroad = false, fromStockpile = false;
        foreach (var f in fills)
        {
            if (!ReferenceEquals(f.Terms, terms))
            {
                terms = f.Terms;
                (seller, buyer) = (Of(f.SellerCountry), Of(f.BuyerCountry));
                reference = world.Commodity(f.Commodity).ReferencePrice;
                abroad = f.SellerCountry != f.BuyerCountry;
            }
            if (!ReferenceEquals(f.BuyerId, buyerId))
            {
                buyerId = f.BuyerId;
                fromStockpile = stockpiles.Contains(buyerId);
            }
            // A price floor's top-up goes to the seller's country whoever buys (its payer's side is in fiscal.csv).
            if (f.Subsidy > 0) seller[5] += f.Quantity * f.Subsidy;
            if (abroad)
            {
                seller[0] += f.Quantity * f.Price;
                seller[1] += f.Quantity * f.Rent;
                // Not from the state's own stockpile: that duty would be paid by the state to itself (StockpileRules.Settle).
                if (!fromStockpile) buyer[2] += f.Quantity * f.Tariff;
            }
            if (fromStockpile) continue;
            buyer[3] += f.Quantity * (f.Price + f.Tariff);
            buyer[4] += f.Quantity * (f.Price + f.Tariff - reference);
        }
        var rows = new List<AccountRow>();
        foreach (var c in world.Countries.OrderBy(c => c.Id, Ord))
        {
            var a = acc.GetValueOrDefault(c.Id) ?? new double[6];
            rows.Add(new AccountRow(c.Id, a[0], a[1], a[2], a[3], a[4]) { FloorSubsidy = a[5] });
        }
        return rows;
    }
}
