using MarketSim.Model.Policies;

namespace MarketSim.Model.Market;

/// <summary>
/// The quota state one clearing reads and writes, by integer slot: what each quota has shipped in its current period. A
/// quota's state persists as <see cref="MarketState.QuotaUsed"/> ("control|tick its period began" → quantity); the clearing reads a quota's
/// key the first time it meets the quota and writes back what its fills added when they are done, instead of building the key
/// string and looking it up for every request and fill. The same additions in the same order: the state it leaves is the one
/// the lookups left (keys first written in the order the fills first reached them).
/// </summary>
internal sealed class QuotaBook
{
    readonly MarketState _state;
    readonly int _tick;
    readonly Dictionary<ExportControl, int> _slotOf = new(ReferenceEqualityComparer.Instance);
    readonly Dictionary<string, int> _slotOfKey = new(StringComparer.Ordinal);
    readonly List<string> _keys = new();
    readonly List<double> _used = new();
    readonly List<int> _written = new();

    public QuotaBook(MarketState state, int tick)
    {
        _state = state;
        _tick = tick;
    }

    /// <summary>The quota's period now: (tick − start) ÷ its period's days.</summary>
    public int Period(ExportControl c) => (_tick - c.Start) / Math.Max(1, c.QuotaPeriodDays);

    // A period is keyed by the tick it began: a new version of a quota (a live edit, or a file listing versions under one id) has
    // periods of its own from its start. Keyed by the period's number before Dec 2026, a version's first period read its
    // predecessor's first, used up: re-stating a 10 t a month quota from day 180 shipped nothing for the rest of the year,
    // and raising it to 20 still shipped 10.
    static string Key(ExportControl c, int period) => c.Id + "|" + (c.Start + period * Math.Max(1, c.QuotaPeriodDays));

    /// <summary>The quota's slot (quotas with the same key share one, as they shared the key).</summary>
    public int SlotOf(ExportControl c)
    {
        if (_slotOf.TryGetValue(c, out var slot)) return slot;
        var period = Period(c);
        var key = Key(c, period);
        if (!_slotOfKey.TryGetValue(key, out slot))
        {
            _slotOfKey[key] = slot = _keys.Count;
            _keys.Add(key);
            _used.Add(_state.QuotaUsed.GetValueOrDefault(key));
        }
        _slotOf[c] = slot;
        return slot;
    }

    /// <summary>Shipped under the quota in <paramref name="period"/>. Another period than its current one (the one before, as
    /// the price rule reads it) is looked up by its key, among the slots first: where two versions of one control are in force
    /// at once, one's period before may be the other's current one, with this clearing's fills in it.</summary>
    public double Used(ExportControl c, int period)
    {
        if (period == Period(c)) return _used[SlotOf(c)];
        var key = Key(c, period);
        return _slotOfKey.TryGetValue(key, out var slot) ? _used[slot] : _state.QuotaUsed.GetValueOrDefault(key);
    }

    /// <summary>A fill of <paramref name="q"/> under the quota in its current period.</summary>
    public void Add(ExportControl c, double q)
    {
        var slot = SlotOf(c);
        if (!_written.Contains(slot)) _written.Add(slot);
        _used[slot] += q;
    }

    /// <summary>Writes what the fills added into the market's state.</summary>
    public void WriteBack()
    {
        foreach (var slot in _written) _state.QuotaUsed[_keys[slot]] = _used[slot];
    }
}
