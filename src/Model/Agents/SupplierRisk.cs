using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using MarketSim.Model.Market;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Agents;

/// <summary>
/// How a buying firm learns from what policy does to its supply (docs/MODEL.md, "Buyers who learn supplier risk"):
/// a risk estimate per (input, supplier country) that follows the disruptions met there, fast up and slowly down; a security
/// premium that makes risky suppliers look dearer; qualification of new supplier countries, which takes time; and
/// precautionary cover that rises with a control on an input or with risk, and falls slowly afterwards.
/// </summary>
public static class SupplierRisk
{
    static readonly StringComparer Ord = StringComparer.Ordinal;
    const double Forget = 1e-4;

    /// <summary>"input|country", one string per pair (looked up every tick for every input and supplier country of every firm).</summary>
    static string Key(string commodity, string country)
    {
        // A small per-thread cache by the two strings' identity first: a firm's ids are the spec's own strings, the same
        // instances every tick, and the shared map's look-up hashes both strings (randomised hashing) every time.
        var cache = _recent ??= new (string, string, string)[64];
        ref var slot = ref cache[(RuntimeHelpers.GetHashCode(commodity) * 31 + RuntimeHelpers.GetHashCode(country)) & 63];
        if (ReferenceEquals(slot.Item1, commodity) && ReferenceEquals(slot.Item2, country)) return slot.Item3;
        var key = Keys.GetOrAdd((commodity, country), static k => k.Item1 + "|" + k.Item2);
        slot = (commodity, country, key);
        return key;
    }
    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), string> Keys = new();
    [ThreadStatic] static (string, string, string)[]? _recent;

    /// <summary>
    /// r ← r + (e − r)/T, T = learning days when e > r, memory days otherwise; e = the disruption share met this tick (0 where
    /// none was reported). An estimate that has decayed below 10⁻⁴ is dropped (the state stays small).
    /// </summary>
    public static void Learn(FirmState s, BuyerSettings b, IReadOnlyList<Disruption> met)
    {
        if (met.Count == 0 && s.Risk.Count == 0) return;
        // What was met this tick (none on most ticks: then no map at all), and the keys known or met, each once, in ordinal
        // order (as a sorted Union gave them): in scratch collections reused per thread (every firm, every tick).
        Dictionary<string, double>? seen = null;
        if (met.Count > 0)
        {
            seen = _seen ??= new(Ord);
            seen.Clear();
            for (int i = 0; i < met.Count; i++) seen[Key(met[i].Commodity, met[i].SellerCountry)] = met[i].Share;
        }
        var keys = _keys ??= new();
        keys.Clear();
        keys.AddRange(s.Risk.Keys);
        if (seen is not null) foreach (var k in seen.Keys) if (!s.Risk.ContainsKey(k)) keys.Add(k);
        keys.Sort(Stock.Ordinal);
        foreach (var k in keys)
        {
            var r = s.Risk.GetValueOrDefault(k);
            var e = seen?.GetValueOrDefault(k) ?? 0;
            r += (e - r) / Math.Max(1, e > r ? b.RiskLearningDays : b.RiskMemoryDays);
            if (r < Forget && seen?.ContainsKey(k) != true) s.Risk.Remove(k);
            else s.Risk[k] = r;
        }
        keys.Clear();
        seen?.Clear();
    }
    [ThreadStatic] static Dictionary<string, double>? _seen;
    [ThreadStatic] static List<string>? _keys;

    /// <summary>Whether a risk key "input|country" is of this input (no prefix string built: it runs for every input, every tick).</summary>
    static bool IsOf(string key, string commodity) =>
        key.Length > commodity.Length && key[commodity.Length] == '|' && key.StartsWith(commodity, StringComparison.Ordinal);

    /// <summary>The country of a risk key "input|country" of this input, one string per key.</summary>
    static string CountryOf(string key, string commodity) => Countries.GetOrAdd((key, commodity.Length), static k => k.Key[(k.At + 1)..]);
    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Key, int At), string> Countries = new();

    /// <summary>The highest risk the firm sees among the supplier countries of an input.</summary>
    public static double InputRisk(FirmState s, string commodity)
    {
        double r = 0;
        foreach (var (k, v) in s.Risk) if (IsOf(k, commodity)) r = Math.Max(r, v);
        return r;
    }

    /// <summary>Perceived extra cost per unit of price by seller country: premium × risk (null when there is none).</summary>
    public static IReadOnlyDictionary<string, double>? Premiums(FirmState s, BuyerSettings b, string commodity)
    {
        if (b.SecurityPremium <= 0 || s.Risk.Count == 0) return null;
        SortedDictionary<string, double>? d = null;
        foreach (var (k, v) in s.Risk)
            if (IsOf(k, commodity) && v > 0)
                (d ??= new SortedDictionary<string, double>(Ord))[CountryOf(k, commodity)] = b.SecurityPremium * v;
        return d;
    }

    /// <summary>
    /// At the start a firm is qualified with every country that already supplies the input (a producer with capacity), with its
    /// own country, and with producers whose offtake contracts cover its country. A country whose plants are still to be built
    /// (no capacity at the start) is not: it is qualified during their commissioning, from the day a capacity project there
    /// begins (Commission), or from the day the firm's risk elsewhere sets qualifying off (Qualify), open the qualification lag
    /// later. Before Dec 2026 such a country was open from day Q whenever its plant began (a plant begun on day 400 sold from
    /// the day it ran, as if qualified before it was begun), and the risk trigger, finding every country already counted, never
    /// acted: a sweep of `qualify_at_risk` or `qualification_days` changed nothing in china-japan-2026 (a review's probe).
    /// Nothing to do when qualification is off.
    /// </summary>
    public static void InitialiseQualification(ScenarioSpec world, FirmState s, string country, string commodity)
    {
        var lag = world.Buyers.QualificationDays;
        if (lag <= 0) return;
        s.QualifiedFrom[Key(commodity, country)] = world.FirstTick; // open from the first day the world steps
        foreach (var p in world.Producers.Where(p => p.Output == commodity || p.CoProducts.ContainsKey(commodity)))
        {
            var key = Key(commodity, p.Country);
            if (p.Capacity > 0 || p.ReservedFor.Contains(country)) s.QualifiedFrom[key] = world.FirstTick;
        }
    }

    /// <summary>A country where a capacity project for the input has begun is qualified during its commissioning: open to the
    /// firm the qualification lag after the firm first sees it (the project's start), unless qualified or qualifying already.</summary>
    public static void Commission(ScenarioSpec world, FirmState s, string commodity, TickContext ctx, int tick)
    {
        var lag = world.Buyers.QualificationDays;
        if (lag <= 0) return;
        for (int i = 0; i < ctx.Commissioning.Count; i++) // index loops here: a foreach over the interface boxes an enumerator per firm-tick
        {
            var entry = ctx.Commissioning[i];
            var bar = entry.IndexOf('|');
            if (bar != commodity.Length || !entry.StartsWith(commodity, StringComparison.Ordinal)) continue;
            var key = Key(commodity, entry[(bar + 1)..]);
            if (!s.QualifiedFrom.ContainsKey(key)) s.QualifiedFrom[key] = tick + (int)Math.Ceiling(lag);
        }
    }

    /// <summary>Supplier countries of the input the firm may not buy from yet on the open market (null when all are open).</summary>
    public static IReadOnlyList<string>? Unqualified(ScenarioSpec world, FirmState s, string commodity, int tick)
    {
        if (world.Buyers.QualificationDays <= 0) return null;
        List<string>? l = null;
        var countries = world.SupplierCountries(commodity);
        for (int i = 0; i < countries.Count; i++)
            if (!s.QualifiedFrom.TryGetValue(Key(commodity, countries[i]), out var from) || from > tick) (l ??= new()).Add(countries[i]);
        return l;
    }

    /// <summary>
    /// Once the risk of a country the firm buys an input from reaches the trigger, it starts qualifying every other supplier
    /// country of that input; each is open to it after the qualification lag.
    /// </summary>
    public static void Qualify(ScenarioSpec world, FirmState s, string commodity, int tick)
    {
        var b = world.Buyers;
        if (b.QualificationDays <= 0 || InputRisk(s, commodity) < b.QualifyAtRisk) return;
        foreach (var c in world.SupplierCountries(commodity))
            if (!s.QualifiedFrom.ContainsKey(Key(commodity, c))) s.QualifiedFrom[Key(commodity, c)] = tick + (int)Math.Ceiling(b.QualificationDays);
    }

    /// <summary>
    /// Precaution level λ ∈ [0, 1] per input moves towards λ* = max(N, Σ_c x_c · r_c), over the build days upwards and the
    /// release days downwards (docs/MODEL.md, "Precautionary stock"). N, the news, weighs each part of the firm's supply by the
    /// freshest news of the controls that could bind it: N = Σ_c x_c · n_c for sellers in a controlling country c (its own
    /// controls' news), and Σ_ℓ y_cℓ · max(n_c, n'_E …) for a third-country seller's lots ℓ a re-export clause of exporter E
    /// reaches (by origin, or content at or above its de-minimis share: <see cref="ExportControl.ReachesLot"/>). A news is
    /// n = exp(−(t − t₀)/release days), t₀ the first day of the current spell in which a control of that exporter (for n', one
    /// with a re-export clause) is news to the firm's country: from its announcement (`announced`), or its start. x_c is the
    /// firm's exposure to supplier country c: its share of the firm's supply of the input by seller country
    /// (<see cref="InitialiseSuppliers"/>: the country a control binds, not where the material was mined; Chinese Dy from
    /// Myanmar ore is China's to stop); y_cℓ the part of it in lot ℓ. A firm with no supplier of the input weighs each at 1
    /// (the freshest news, and its riskiest country's r). Until Dec 2026 the news weighed only the controlling exporter's own
    /// sellers (a rule on re-exports sent no buyer of Japanese magnets to build stock) and began with the control's start.
    /// </summary>
    public static void UpdatePrecaution(FirmState s, BuyerSettings b, string commodity, string country, IReadOnlyList<NewsSource> sources, int tick)
    {
        if (b.PrecautionMaxCoverDays <= 0) return;
        Spells(s, commodity, sources, tick);
        var release = Math.Max(1, b.PrecautionReleaseDays);
        var target = 0.0;
        if (sources.Count > 0 || HasRisk(s, commodity))
        {
            var exposure = Exposure(s, commodity);
            if (exposure is null) target = Math.Max(Freshest(s, commodity, sources, tick, release), Math.Min(1, InputRisk(s, commodity)));
            else
            {
                double news = 0, risk = 0;
                foreach (var (seller, share) in exposure) // ordinal order: a sum's order fixed
                {
                    if (sources.Count > 0) news += Reached(s, commodity, country, seller, share, sources, tick, release);
                    risk += share * s.Risk.GetValueOrDefault(Key(commodity, seller));
                }
                target = Math.Max(news, Math.Min(1, risk));
            }
        }
        var level = s.Precaution.GetValueOrDefault(commodity);
        level += (target - level) / Math.Max(1, target > level ? b.PrecautionBuildDays : b.PrecautionReleaseDays);
        if (level < Forget) s.Precaution.Remove(commodity);
        else s.Precaution[commodity] = level;
    }

    /// <summary>"input|exporter|re": the spell of an exporter's re-export clauses on an input, one string per pair.</summary>
    static string ReKey(string commodity, string exporter) => ReKeys.GetOrAdd((commodity, exporter), static k => k.Item1 + "|" + k.Item2 + "|re");
    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), string> ReKeys = new();

    /// <summary>Starts the spells of today's news (an exporter's controls; its re-export clauses) and ends those no longer news.</summary>
    static void Spells(FirmState s, string commodity, IReadOnlyList<NewsSource> sources, int tick)
    {
        if (s.ControlledSince.Count > 0)
        {
            List<string>? ended = null;
            foreach (var k in s.ControlledSince.Keys)
                if (IsOf(k, commodity) && !IsCurrent(k, commodity, sources)) (ended ??= new()).Add(k);
            if (ended is not null) foreach (var k in ended) s.ControlledSince.Remove(k);
        }
        for (int i = 0; i < sources.Count; i++)
        {
            s.ControlledSince.TryAdd(Key(commodity, sources[i].Exporter), tick);
            if (sources[i].ReExport) s.ControlledSince.TryAdd(ReKey(commodity, sources[i].Exporter), tick);
        }
    }

    static bool IsCurrent(string key, string commodity, IReadOnlyList<NewsSource> sources)
    {
        for (int i = 0; i < sources.Count; i++)
            if (string.Equals(key, Key(commodity, sources[i].Exporter), StringComparison.Ordinal)
                || (sources[i].ReExport && string.Equals(key, ReKey(commodity, sources[i].Exporter), StringComparison.Ordinal))) return true;
        return false;
    }

    static double News(FirmState s, string spell, int tick, double release) =>
        s.ControlledSince.TryGetValue(spell, out var since) ? Math.Exp(-(tick - since) / release) : 0;

    /// <summary>The freshest news on the input (a firm with no supplier weighs it at 1).</summary>
    static double Freshest(FirmState s, string commodity, IReadOnlyList<NewsSource> sources, int tick, double release)
    {
        double n = 0;
        for (int i = 0; i < sources.Count; i++)
        {
            n = Math.Max(n, News(s, Key(commodity, sources[i].Exporter), tick, release));
            if (sources[i].ReExport) n = Math.Max(n, News(s, ReKey(commodity, sources[i].Exporter), tick, release));
        }
        return n;
    }

    /// <summary>
    /// The news weight of the firm's supply from sellers in one country: x_c · n_c where only the country's own controls reach
    /// them (0 if none); where a re-export clause of another exporter may reach them too (the seller not in the firm's own
    /// country), lot by lot, each at the freshest news of the controls that bind it.
    /// </summary>
    static double Reached(FirmState s, string commodity, string country, string seller, double share, IReadOnlyList<NewsSource> sources,
        int tick, double release)
    {
        double own = 0;
        var third = false;
        for (int i = 0; i < sources.Count; i++)
        {
            if (string.Equals(sources[i].Exporter, seller, StringComparison.Ordinal)) own = News(s, Key(commodity, seller), tick, release);
            else if (sources[i].ReExport && !string.Equals(seller, country, StringComparison.Ordinal)) third = true;
        }
        if (!third || !s.SupplierLots.TryGetValue(Key(commodity, seller), out var lots)) return own > 0 ? share * own : 0;
        var keys = _lots ??= new();
        keys.Clear();
        keys.AddRange(lots.Keys);
        keys.Sort(Stock.Ordinal);
        double sum = 0;
        foreach (var lot in keys)
        {
            var w = own;
            for (int i = 0; i < sources.Count; i++)
            {
                var src = sources[i];
                if (src.ReExport && !string.Equals(src.Exporter, seller, StringComparison.Ordinal) && ExportControl.ReachesLot(src.Exporter, src.DeMinimis, lot))
                    w = Math.Max(w, News(s, ReKey(commodity, src.Exporter), tick, release));
            }
            if (w > 0) sum += lots[lot] * w;
        }
        keys.Clear();
        return sum;
    }
    [ThreadStatic] static List<string>? _lots;

    static bool HasRisk(FirmState s, string commodity)
    {
        foreach (var k in s.Risk.Keys) if (IsOf(k, commodity)) return true;
        return false;
    }

    /// <summary>The firm's supplier shares of an input by seller country, in ordinal order (null when it has none).</summary>
    static List<(string Country, double Share)>? Exposure(FirmState s, string commodity)
    {
        List<(string, double)>? shares = null;
        foreach (var (k, x) in s.SupplierShares)
            if (IsOf(k, commodity) && x > 0) (shares ??= new()).Add((CountryOf(k, commodity), x));
        shares?.Sort(static (a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return shares;
    }

    /// <summary>
    /// A firm's supply of an input by seller country, as shares: at the start its steady-state suppliers' (the same weights
    /// as its opening lots: Procurement.OpenSuppliers), then x_c ← x_c + (q_c/Q − x_c)/T on each day it buys, q_c what
    /// sellers in c filled, Q all it bought (expedited fills, a stockpile's sales to urgent bids among them, left out: they are
    /// not its regular supply), T = `risk_memory_days`: it knows its supplier base as long as it remembers risk, so a ban does
    /// not erase in a month the exposure it is about (a version that read a month of purchases lost a ban from day 0 entirely).
    /// </summary>
    public static void InitialiseSuppliers(ScenarioSpec world, FirmState s, string country, string commodity)
    {
        foreach (var (p, _, share) in Procurement.OpenSuppliers(world, commodity, s.Id, country))
        {
            if (!(share > 0)) continue;
            var key = Key(commodity, p.Country);
            s.SupplierShares[key] = s.SupplierShares.GetValueOrDefault(key) + share;
            // The lots it buys there, as its opening stock holds them (OpeningLots: the producer's steady-state output).
            if (!s.SupplierLots.TryGetValue(key, out var lots)) s.SupplierLots[key] = lots = new(StringComparer.Ordinal);
            foreach (var lot in OpeningLots.Output(world, p)) lots[lot.Key] = lots.GetValueOrDefault(lot.Key) + share * lot.Share;
        }
    }

    static void LearnSuppliers(FirmState s, BuyerSettings b, IReadOnlyList<Fill> bought)
    {
        if (bought.Count == 0) return;
        // Summed in fill order, per (input, country) and per input, in scratch lists reused per thread (every firm, every tick).
        var today = _today ??= new();
        var totals = _totals ??= new();
        today.Clear();
        totals.Clear();
        var todayLots = _todayLots ??= new();
        todayLots.Clear();
        // A buyer's fills come in runs on one link's terms (one seller country, one input, one lot): its key is built and its
        // entries found once per run, and each fill adds to them in fill order (0 + q = q, where an entry is new).
        FillTerms? lastTerms = null;
        int atToday = 0, atTotal = 0, atLot = 0;
        for (int i = 0; i < bought.Count; i++) // an index loop: a foreach over the interface boxes an enumerator per firm-tick
        {
            var f = bought[i];
            if (f.Urgent || !(f.Quantity > 0)) continue;
            if (!ReferenceEquals(f.Terms, lastTerms))
            {
                lastTerms = f.Terms;
                var key = Key(f.Commodity, f.SellerCountry);
                (atToday, atTotal, atLot) = (At(today, key), At(totals, f.Commodity), AtLot(todayLots, key, f.Origin));
            }
            CollectionsMarshal.AsSpan(today)[atToday].Q += f.Quantity;
            CollectionsMarshal.AsSpan(totals)[atTotal].Q += f.Quantity;
            CollectionsMarshal.AsSpan(todayLots)[atLot].Q += f.Quantity;
        }
        if (totals.Count == 0) return;
        totals.Sort(static (x, y) => string.CompareOrdinal(x.Key, y.Key));
        var keys = _keys ??= new();
        var t = Math.Max(1, b.RiskMemoryDays);
        foreach (var (commodity, q) in totals)
        {
            keys.Clear();
            foreach (var k in s.SupplierShares.Keys) if (IsOf(k, commodity)) keys.Add(k);
            // keys holds every share of this input by now, so a look-up in it (a few keys) stands for one in the map.
            foreach (var (k, _) in today) if (IsOf(k, commodity) && !keys.Contains(k)) keys.Add(k);
            foreach (var k in s.SupplierLots.Keys) if (IsOf(k, commodity) && !keys.Contains(k)) keys.Add(k);
            keys.Sort(Stock.Ordinal);
            foreach (var k in keys)
            {
                Follow(s.SupplierShares, k, Of(today, k), q, t);
                // The same rule per lot bought there, so a country's lots sum to its share (as far as each lot is remembered).
                var lots = s.SupplierLots.GetValueOrDefault(k);
                var boughtLots = _boughtLots ??= new(StringComparer.Ordinal); // this country's lots bought today (distinct in todayLots)
                boughtLots.Clear();
                foreach (var (k2, lot, ql) in todayLots) if (string.Equals(k2, k, StringComparison.Ordinal)) boughtLots[lot] = ql;
                if ((lots?.Count ?? 0) + boughtLots.Count == 0) continue;
                if (lots is null) s.SupplierLots[k] = lots = new(StringComparer.Ordinal);
                // Each lot's value moves in place, in the map's own order (a lot's rule reads only itself); only the lots dropped
                // and added change the map's layout (its order of enumeration), so those are applied in ordinal order, as a walk
                // of the sorted lots applied them. The lots were sorted every tick before Dec 2026: a firm remembers every lot
                // it bought for years (a lot falls below 10⁻⁴ after ≈7 memory spans), and long, alike keys compare slowly.
                var held = _lotKeys ??= new();
                held.Clear();
                held.AddRange(lots.Keys);
                var changes = _lotChanges ??= new();
                changes.Clear();
                foreach (var lot in held)
                {
                    ref var x = ref CollectionsMarshal.GetValueRefOrNullRef(lots, lot);
                    var moved = Moved(x, boughtLots.Count > 0 && boughtLots.Remove(lot, out var ql) ? ql : 0, q, t); // (most lots: none bought)
                    if (moved < Forget) changes.Add((lot, double.NaN, true));
                    else x = moved;
                }
                foreach (var (lot, ql) in boughtLots) // new lots
                    if (Moved(0.0, ql, q, t) is var x0 && !(x0 < Forget)) changes.Add((lot, x0, false));
                if (changes.Count > 1) changes.Sort(static (a, b) => string.CompareOrdinal(a.Lot, b.Lot));
                foreach (var (lot, x0, dropped) in changes)
                    if (dropped) lots.Remove(lot);
                    else lots[lot] = x0;
                if (lots.Count == 0) s.SupplierLots.Remove(k);
                held.Clear();
                changes.Clear();
                boughtLots.Clear();
            }
        }
        keys.Clear();
        todayLots.Clear();

        // x ← x + (q/Q − x)/T, forgotten below 10⁻⁴.
        static double Moved(double x, double q, double total, double t)
        {
            x += (q / total - x) / t;
            return x;
        }
        static void Follow(Dictionary<string, double> shares, string k, double q, double total, double t)
        {
            // One look-up where the key is held (the common case): its value is moved in place, or the key removed.
            ref var held = ref CollectionsMarshal.GetValueRefOrNullRef(shares, k);
            if (Unsafe.IsNullRef(ref held))
            {
                var x0 = Moved(0.0, q, total, t);
                if (!(x0 < Forget)) shares[k] = x0;
                return;
            }
            var x = Moved(held, q, total, t);
            if (x < Forget) shares.Remove(k);
            else held = x;
        }
        // The index of an entry, added at 0 if new.
        static int AtLot(List<(string Key, string Lot, double Q)> list, string key, string lot)
        {
            for (int i = 0; i < list.Count; i++)
                if (string.Equals(list[i].Key, key, StringComparison.Ordinal) && string.Equals(list[i].Lot, lot, StringComparison.Ordinal)) return i;
            list.Add((key, lot, 0));
            return list.Count - 1;
        }

        static int At(List<(string Key, double Q)> list, string key)
        {
            for (int i = 0; i < list.Count; i++)
                if (string.Equals(list[i].Key, key, StringComparison.Ordinal)) return i;
            list.Add((key, 0));
            return list.Count - 1;
        }
        static double Of(List<(string Key, double Q)> list, string key)
        {
            foreach (var (k, q) in list) if (string.Equals(k, key, StringComparison.Ordinal)) return q;
            return 0;
        }
    }
    [ThreadStatic] static List<(string Key, double Q)>? _today, _totals;
    [ThreadStatic] static List<(string Key, string Lot, double Q)>? _todayLots;
    [ThreadStatic] static List<string>? _lotKeys;
    [ThreadStatic] static Dictionary<string, double>? _boughtLots;
    [ThreadStatic] static List<(string Lot, double X, bool Dropped)>? _lotChanges;

    /// <summary>Cover target in days: the firm's own D, raised towards the scenario's maximum by the precaution level.</summary>
    public static double CoverDays(FirmState s, BuyerSettings b, string commodity, double ownCoverDays)
    {
        var level = s.Precaution.GetValueOrDefault(commodity);
        return level <= 0 ? ownCoverDays : ownCoverDays + Math.Max(0, b.PrecautionMaxCoverDays - ownCoverDays) * level;
    }

    /// <summary>The tick's learning for every input of a buying firm: risk, qualification, precaution.</summary>
    public static void AfterTick(ScenarioSpec world, FirmState s, string country, IReadOnlyList<string> inputs, AgentSettlement st, TickContext ctx)
    {
        Learn(s, world.Buyers, st.Disruptions);
        LearnSuppliers(s, world.Buyers, st.Bought);
        Procurement.NoteApplied(s, st.Applied);
        for (int i = 0; i < inputs.Count; i++) // index loops: a foreach over the interface boxes an enumerator
        {
            var k = inputs[i];
            Qualify(world, s, k, st.Tick);
            Commission(world, s, k, ctx, st.Tick);
            UpdatePrecaution(s, world.Buyers, k, country, ctx.NewsOf(k, country), st.Tick);
        }
    }
}
