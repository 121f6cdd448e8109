namespace MarketSim.Model.Market;

/// <summary>
/// The licence state of a <see cref="MarketState"/> by integer id: what clearing reads and writes. Its persisted form is the
/// state's string-keyed maps ("buyer|exporter[|application]"), written from the table only when they are read (a checkpoint,
/// a test), in ordinal key order: at 100,000 buyers a market decides ≈400,000 applications a tick, and writing each decision
/// into four string-keyed maps (and removing expired keys from them) was a fifth of its clearing. A state that arrives from a
/// checkpoint or a copy has no table, and one is built from its maps on the first use (<see cref="For"/>); maps changed by
/// hand since they were last written (their sizes differ from the table's) are read again.
/// </summary>
internal sealed class LicenceTable
{
    public struct Entry
    {
        public string Key;
        public bool Blocked; public int BlockedUntil;
        public bool Valid; public int ValidUntil;
        public bool HasDelay; public int Delay;
        public bool HasLeft; public double Left;
        public bool HasRefused; public int RefusedDays;
        /// <summary>The requirement its application in flight covers: the licensed normal requirement × the days until its decision
        /// (none after a refusal).</summary>
        public bool HasFlight; public double Flight;
        /// <summary>What the buyer drew under the approval in force beyond its base (precautionary stock), not yet set against a
        /// day the used-up volume left its base unserved.</summary>
        public bool HasStocked; public double Stocked;
    }

    readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
    // By control, then buyer: ordinal string keys hash without randomisation, and the (buyer, control) tuple key this replaces
    // hashed both strings with the default comparer on every lookup (8% of the 100k world's magnet clearing).
    readonly Dictionary<string, Applicants> _byParts = new(StringComparer.Ordinal);

    /// <summary>A licensing state's applicants: each buyer's ids by application (−1 where none is known yet), and the buyers in
    /// ordinal order, sorted again only when one is added (each with its ids, so reading them all looks no buyer up by name).</summary>
    sealed class Applicants
    {
        public readonly Dictionary<string, Applicant> ByBuyer = new(StringComparer.Ordinal);
        public Applicant[]? Sorted;
    }
    sealed class Applicant(string buyer, int[] ids)
    {
        public readonly string Buyer = buyer;
        public int[] Ids = ids;
    }
    Entry[] _entries = new Entry[16];
    int _blocked, _valid, _delays, _lefts, _refused, _flights, _stocked;

    /// <summary>Changed since the maps were last written from it.</summary>
    public bool Dirty { get; private set; }

    public int Count { get; private set; }
    public ref Entry this[int id] => ref _entries[id];

    /// <summary>The state's table, built from its maps when it has none or the maps were changed by hand.</summary>
    public static LicenceTable For(MarketState state)
    {
        var t = state.Licences;
        if (t is null || !t.Matches(state)) state.Licences = t = Build(state);
        return t;
    }

    // A dirty table is ahead of its maps; a clean one matches them unless someone changed them (their sizes say so).
    bool Matches(MarketState s) =>
        Dirty || (_blocked == s.BlockedMap.Count && _valid == s.ValidMap.Count && _delays == s.DelayMap.Count
            && _lefts == s.LeftMap.Count && _refused == s.RefusedMap.Count && _flights == s.FlightMap.Count && _stocked == s.StockedMap.Count);

    static LicenceTable Build(MarketState s)
    {
        var t = new LicenceTable();
        foreach (var (k, v) in s.BlockedMap) t.SetBlocked(t.IdOf(k), v);
        foreach (var (k, v) in s.ValidMap) t.SetValid(t.IdOf(k), v);
        foreach (var (k, v) in s.DelayMap) t.SetDelay(t.IdOf(k), v);
        foreach (var (k, v) in s.LeftMap) t.SetLeft(t.IdOf(k), v);
        foreach (var (k, v) in s.RefusedMap) t.SetRefused(t.IdOf(k), v);
        foreach (var (k, v) in s.FlightMap) t.SetFlight(t.IdOf(k), v);
        foreach (var (k, v) in s.StockedMap) t.SetStocked(t.IdOf(k), v);
        t.Dirty = false;
        return t;
    }

    /// <summary>Writes the table into the state's maps (cleared first), in ordinal key order, so the persisted form does not
    /// depend on the order licences were first met in.</summary>
    public void WriteTo(MarketState s)
    {
        var ids = new List<int>(Count);
        for (int id = 0; id < Count; id++)
        {
            ref var e = ref _entries[id];
            if (e.Blocked || e.Valid || e.HasDelay || e.HasLeft || e.HasRefused || e.HasFlight || e.HasStocked) ids.Add(id);
        }
        ids.Sort((x, y) => string.CompareOrdinal(_entries[x].Key, _entries[y].Key));
        s.BlockedMap.Clear(); s.ValidMap.Clear(); s.DelayMap.Clear(); s.LeftMap.Clear(); s.RefusedMap.Clear(); s.FlightMap.Clear(); s.StockedMap.Clear();
        foreach (var id in ids)
        {
            ref var e = ref _entries[id];
            if (e.Blocked) s.BlockedMap[e.Key] = e.BlockedUntil;
            if (e.Valid) s.ValidMap[e.Key] = e.ValidUntil;
            if (e.HasDelay) s.DelayMap[e.Key] = e.Delay;
            if (e.HasLeft) s.LeftMap[e.Key] = e.Left;
            if (e.HasRefused) s.RefusedMap[e.Key] = e.RefusedDays;
            if (e.HasFlight) s.FlightMap[e.Key] = e.Flight;
            if (e.HasStocked) s.StockedMap[e.Key] = e.Stocked;
        }
        Dirty = false;
    }

    /// <summary>A key from the persisted maps: its id, also filed under its buyer and state (as IdsOf files them).</summary>
    int IdOf(string key)
    {
        var parts = Parts(key);
        var id = IdOfKey(key);
        var ids = IdsArray(parts.Buyer, parts.Exporter, parts.Application + 1);
        ids[parts.Application] = id;
        return id;
    }

    int IdOfKey(string key)
    {
        if (_byKey.TryGetValue(key, out var id)) return id;
        id = Count++;
        if (id == _entries.Length) Array.Resize(ref _entries, 2 * id);
        _entries[id] = new Entry { Key = key };
        _byKey[key] = id;
        return id;
    }

    /// <summary>A persisted key's parts: "buyer|exporter" is application 0, "buyer|exporter|j" application j, read from the
    /// right (exporters are country ids, or "state>destination" for a re-export licence, whose holder is the seller: neither
    /// holds '|'; a buyer's id may).</summary>
    static (string Buyer, string Exporter, int Application) Parts(string key)
    {
        var cut = key.LastIndexOf('|');
        if (cut < 0) return (key, "", 0);
        var last = key[(cut + 1)..];
        var head = key[..cut];
        // Country ids are never digits alone (ScenarioReader), so a number is an application's (at most MaxApplications − 1).
        if (int.TryParse(last, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var j)
            && j < Policies.PolicyRules.MaxApplications && head.LastIndexOf('|') is var c2 and >= 0)
            return (head[..c2], head[(c2 + 1)..], j);
        return (head, last, 0);
    }

    /// <summary>The ids of "buyer|exporter" (application 0) and "buyer|exporter|j" for each application j below
    /// <paramref name="applications"/> (at least), in one array kept across ticks, so the parts of an order look their ids up
    /// once; a key string is built only the first time it is needed.</summary>
    public int[] IdsOf(string buyer, string control, int applications)
    {
        var ids = IdsArray(buyer, control, applications);
        for (int j = 0; j < applications; j++)
            if (ids[j] < 0) ids[j] = IdOfKey(buyer + "|" + control + (j == 0 ? "" : "|" + j));
        return ids;
    }

    /// <summary>The buyer's ids under the state, at least <paramref name="applications"/> long (new places −1).</summary>
    int[] IdsArray(string buyer, string control, int applications)
    {
        if (!_byParts.TryGetValue(control, out var applicants)) _byParts[control] = applicants = new();
        if (applicants.ByBuyer.TryGetValue(buyer, out var applicant) && applicant.Ids.Length >= applications) return applicant.Ids;
        var known = applicant?.Ids ?? [];
        var ids = new int[applications];
        known.CopyTo(ids, 0);
        Array.Fill(ids, -1, known.Length, applications - known.Length);
        if (applicant is not null) applicant.Ids = ids;
        else
        {
            applicants.ByBuyer[buyer] = new Applicant(buyer, ids);
            applicants.Sorted = null;
        }
        return ids;
    }

    /// <summary>For each buyer (in ordinal order) that has applied to <paramref name="control"/>, what its applications in flight
    /// cover (<see cref="Entry.Flight"/>), added in application order: the same sum whatever order the table met them in.</summary>
    public void InFlight(string control, List<(string Buyer, double InFlight)> into)
    {
        if (!_byParts.TryGetValue(control, out var applicants)) return;
        if (applicants.Sorted is null)
        {
            applicants.Sorted = new Applicant[applicants.ByBuyer.Count];
            applicants.ByBuyer.Values.CopyTo(applicants.Sorted, 0);
            Array.Sort(applicants.Sorted, static (x, y) => string.CompareOrdinal(x.Buyer, y.Buyer));
        }
        foreach (var applicant in applicants.Sorted)
        {
            double sum = 0;
            foreach (var id in applicant.Ids)
                if (id >= 0 && _entries[id].HasFlight && _entries[id].Flight > 0) sum += _entries[id].Flight;
            if (sum > 0) into.Add((applicant.Buyer, sum));
        }
    }

    public void SetBlocked(int id, int until) { ref var e = ref _entries[id]; if (!e.Blocked) _blocked++; e.Blocked = true; e.BlockedUntil = until; Dirty = true; }
    public void SetValid(int id, int until) { ref var e = ref _entries[id]; if (!e.Valid) _valid++; e.Valid = true; e.ValidUntil = until; Dirty = true; }
    public void SetDelay(int id, int delay) { ref var e = ref _entries[id]; if (!e.HasDelay) _delays++; e.HasDelay = true; e.Delay = delay; Dirty = true; }
    public void SetLeft(int id, double left) { ref var e = ref _entries[id]; if (!e.HasLeft) _lefts++; e.HasLeft = true; e.Left = left; Dirty = true; }
    public void SetRefused(int id, int days) { ref var e = ref _entries[id]; if (!e.HasRefused) _refused++; e.HasRefused = true; e.RefusedDays = days; Dirty = true; }
    public void SetFlight(int id, double days) { ref var e = ref _entries[id]; if (!e.HasFlight) _flights++; e.HasFlight = true; e.Flight = days; Dirty = true; }
    public void ClearFlight(int id) { ref var e = ref _entries[id]; if (e.HasFlight) _flights--; e.HasFlight = false; Dirty = true; }
    /// <summary>A shipment drawn down an approval's volume.</summary>
    public void DrawDown(int id, double q) { _entries[id].Left -= q; Dirty = true; }
    public void SetStocked(int id, double q) { ref var e = ref _entries[id]; if (!e.HasStocked) _stocked++; e.HasStocked = true; e.Stocked = q; Dirty = true; }
    public void ClearStocked(int id) { ref var e = ref _entries[id]; if (e.HasStocked) _stocked--; e.HasStocked = false; e.Stocked = 0; Dirty = true; }
    public void ClearBlocked(int id) { ref var e = ref _entries[id]; if (e.Blocked) _blocked--; e.Blocked = false; Dirty = true; }
    /// <summary>An approval that ran out: its delay, volume and stock drawn go with it (its refused days stay: they mark the
    /// application lodged).</summary>
    public void ClearValid(int id)
    {
        ref var e = ref _entries[id];
        if (e.Valid) _valid--;
        if (e.HasDelay) _delays--;
        if (e.HasLeft) _lefts--;
        if (e.HasStocked) _stocked--;
        e.Valid = e.HasDelay = e.HasLeft = e.HasStocked = false;
        e.Stocked = 0;
        Dirty = true;
    }

    /// <summary>Every licence forgotten (no licence in force on the commodity any more).</summary>
    public void ClearAll()
    {
        for (int id = 0; id < Count; id++)
        {
            ref var e = ref _entries[id];
            e.Blocked = e.Valid = e.HasDelay = e.HasLeft = e.HasRefused = e.HasFlight = e.HasStocked = false;
            e.Stocked = 0;
        }
        _blocked = _valid = _delays = _lefts = _refused = _flights = _stocked = 0;
        Dirty = true;
    }

    /// <summary>Any licence state at all.</summary>
    public bool Any => _blocked + _valid + _delays + _lefts + _refused + _flights + _stocked > 0;
}
