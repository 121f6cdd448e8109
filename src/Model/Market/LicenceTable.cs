namespace MarketSim.Model.Market;

/// <summary>
/// The licence state of a <see cref="MarketState"/> by integer id, kept across ticks beside the state's string-keyed maps
/// ("buyer|exporter[|application]"), which stay the persisted form and are written exactly as before. Clearing reads the
/// entries here instead of building and hashing the key string per bid part per tick. The table is not serialised: a
/// state that arrives from a checkpoint or a copy has none, and one is built from its maps on the first use
/// (<see cref="For"/>); a table that no longer matches its maps (other instances, other sizes) is rebuilt too.
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
        /// <summary>Drawn down this tick: written back to the state's map after the rounds.</summary>
        public bool Used;
    }

    readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
    // By control, then buyer: ordinal string keys hash without randomisation, and the (buyer, control) tuple key this replaces
    // hashed both strings with the default comparer on every lookup (8% of the 100k world's magnet clearing).
    readonly Dictionary<string, Dictionary<string, int[]>> _byParts = new(StringComparer.Ordinal);
    Entry[] _entries = new Entry[16];
    int _blocked, _valid, _delays, _lefts;
    Dictionary<string, int>? _blockedMap, _validMap, _delayMap;
    Dictionary<string, double>? _leftMap;

    public int Count { get; private set; }
    public ref Entry this[int id] => ref _entries[id];

    /// <summary>The state's table, built from its maps when it has none or the maps changed under it.</summary>
    public static LicenceTable For(MarketState state)
    {
        var t = state.Licences;
        if (t is null || !t.Matches(state)) state.Licences = t = Build(state);
        return t;
    }

    bool Matches(MarketState s) =>
        ReferenceEquals(_blockedMap, s.LicenceBlockedUntil) && ReferenceEquals(_validMap, s.LicenceValidUntil)
        && ReferenceEquals(_delayMap, s.LicenceDelay) && ReferenceEquals(_leftMap, s.LicenceLeft)
        && _blocked == s.LicenceBlockedUntil.Count && _valid == s.LicenceValidUntil.Count
        && _delays == s.LicenceDelay.Count && _lefts == s.LicenceLeft.Count;

    static LicenceTable Build(MarketState s)
    {
        var t = new LicenceTable
        {
            _blockedMap = s.LicenceBlockedUntil, _validMap = s.LicenceValidUntil, _delayMap = s.LicenceDelay, _leftMap = s.LicenceLeft,
        };
        foreach (var (k, v) in s.LicenceBlockedUntil) t.SetBlocked(t.IdOf(k), v);
        foreach (var (k, v) in s.LicenceValidUntil) t.SetValid(t.IdOf(k), v);
        foreach (var (k, v) in s.LicenceDelay) t.SetDelay(t.IdOf(k), v);
        foreach (var (k, v) in s.LicenceLeft) t.SetLeft(t.IdOf(k), v);
        return t;
    }

    int IdOf(string key)
    {
        if (_byKey.TryGetValue(key, out var id)) return id;
        id = Count++;
        if (id == _entries.Length) Array.Resize(ref _entries, 2 * id);
        _entries[id] = new Entry { Key = key };
        _byKey[key] = id;
        return id;
    }

    /// <summary>The ids of "buyer|exporter" (application 0) and "buyer|exporter|j" for each application j below
    /// <paramref name="applications"/> (at least), in one array kept across ticks, so the parts of an order look their ids up
    /// once; a key string is built only the first time it is needed.</summary>
    public int[] IdsOf(string buyer, string control, int applications)
    {
        if (!_byParts.TryGetValue(control, out var byBuyer)) _byParts[control] = byBuyer = new(StringComparer.Ordinal);
        if (byBuyer.TryGetValue(buyer, out var ids) && ids.Length >= applications) return ids;
        var known = ids ?? [];
        ids = new int[applications];
        known.CopyTo(ids, 0);
        for (int j = known.Length; j < applications; j++) ids[j] = IdOf(buyer + "|" + control + (j == 0 ? "" : "|" + j));
        byBuyer[buyer] = ids;
        return ids;
    }

    // Setters mirror the map writes (the caller writes the map too); Clear* mirror removals.
    public void SetBlocked(int id, int until) { ref var e = ref _entries[id]; if (!e.Blocked) _blocked++; e.Blocked = true; e.BlockedUntil = until; }
    public void SetValid(int id, int until) { ref var e = ref _entries[id]; if (!e.Valid) _valid++; e.Valid = true; e.ValidUntil = until; }
    public void SetDelay(int id, int delay) { ref var e = ref _entries[id]; if (!e.HasDelay) _delays++; e.HasDelay = true; e.Delay = delay; }
    public void SetLeft(int id, double left) { ref var e = ref _entries[id]; if (!e.HasLeft) _lefts++; e.HasLeft = true; e.Left = left; }
    public void ClearBlocked(int id) { ref var e = ref _entries[id]; if (e.Blocked) _blocked--; e.Blocked = false; }
    public void ClearValid(int id)
    {
        ref var e = ref _entries[id];
        if (e.Valid) _valid--;
        if (e.HasDelay) _delays--;
        if (e.HasLeft) _lefts--;
        e.Valid = e.HasDelay = e.HasLeft = false;
    }
}
