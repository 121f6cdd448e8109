using System.Collections;

namespace MarketSim.Model.Agents;

/// <summary>
/// A firm's shipments in transit, in arrival order, as a ring: arrivals leave from the front and bookings join at the back
/// without moving what stays, and the array is only as large as the shipments in transit at the busiest time (grown by half
/// when full; never a second, emptying half). An entry is 16 bytes: its quantity, its arrival tick and the index of its
/// (commodity, origin) lot in the pipeline's own short table of lots (a firm buys a few inputs of a few origins). It was a
/// 32-byte record with both strings, in an array that grew by doubling and moved its live entries back only once the dead
/// ones outnumbered them: at 100,000 firms of the synthetic benchmark world, ≈174 entries a firm in arrays of 256 took
/// 822 MB, a quarter of the Orleans run's live heap (a heap dump, Dec 2026; 508 MB as this ring). It is an ICollection too,
/// so System.Text.Json reads it back as it reads a list.
/// The entries must stay in arrival order (Book inserts by arrival; a round trip keeps the order):
/// <see cref="Quantity"/> and <see cref="After"/> stop at the first entry due after the day they ask about.
/// </summary>
public sealed class Pipeline : IReadOnlyList<Shipment>, ICollection<Shipment>
{
    struct Entry
    {
        public double Quantity;
        public int ArrivalTick;
        public int Lot;
    }

    Entry[] _ring;
    int _head, _count;
    // Each lot with its origin's hash code: lot keys with content shares are long and alike (alike in length too), and the
    // table is searched for each run of a batch's shipments; a hash compared first leaves a string comparison for the match.
    (string Commodity, string Origin, int OriginHash)[] _lots = [];
    int _lotCount;

    public Pipeline() => _ring = [];

    public Pipeline(IEnumerable<Shipment> shipments)
    {
        _ring = [];
        foreach (var s in shipments) Add(s);
    }

    public int Count => _count;

    /// <summary>The ring slot of entry <paramref name="index"/> (0 = the next to arrive).</summary>
    int Slot(int index)
    {
        var i = _head + index;
        return i < _ring.Length ? i : i - _ring.Length;
    }

    Shipment Read(int slot)
    {
        ref readonly var e = ref _ring[slot];
        var (commodity, origin, _) = _lots[e.Lot];
        return new Shipment(commodity, origin, e.Quantity, e.ArrivalTick);
    }

    /// <summary>The index of (commodity, origin) in the lot table, or −1 if it has none (each pair is there once at most). Searched
    /// from the newest: the lots bought now are mostly among the last added.</summary>
    int FindLot(string commodity, string origin)
    {
        var hash = origin.GetHashCode();
        for (int i = _lotCount - 1; i >= 0; i--)
            if (_lots[i].OriginHash == hash && _lots[i].Commodity == commodity && _lots[i].Origin == origin) return i;
        return -1;
    }

    /// <summary>The index of (commodity, origin) in the lot table, added if new (the table keeps every lot the firm has ever
    /// booked: a few inputs times a few origins, more where lot keys carry content shares, which change as mixes do).</summary>
    int LotOf(string commodity, string origin)
    {
        var found = FindLot(commodity, origin);
        if (found >= 0) return found;
        if (_lotCount == _lots.Length) Array.Resize(ref _lots, Math.Max(4, _lots.Length * 2));
        _lots[_lotCount] = (commodity, origin, origin.GetHashCode());
        return _lotCount++;
    }

    public Shipment this[int index] =>
        (uint)index < (uint)_count ? Read(Slot(index)) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary><paramref name="start"/> plus what is in transit of <paramref name="commodity"/>, of every origin, due by
    /// <paramref name="dueBy"/> (all of it by default): added in arrival order, as a loop over the shipments would (the same
    /// float sum), but matching the commodity once per lot rather than once per entry.</summary>
    public double Quantity(string commodity, int dueBy = int.MaxValue, double start = 0)
    {
        // All of it from 0 (what a firm has in transit, asked once per input as it plans): every input's sum from one pass.
        if (dueBy == int.MaxValue && start == 0) return InTransit(commodity);
        Span<bool> match = _lotCount <= 64 ? stackalloc bool[_lotCount] : new bool[_lotCount];
        var any = false;
        for (int l = 0; l < _lotCount; l++) any |= match[l] = _lots[l].Commodity == commodity;
        var q = start;
        if (!any) return q;
        // The ring's two runs in arrival order (head to end, then start), stopping at the first entry due after dueBy.
        var first = _ring.AsSpan(_head, Math.Min(_count, _ring.Length - _head));
        foreach (ref readonly var e in first)
        {
            if (e.ArrivalTick > dueBy) return q;
            if (match[e.Lot]) q += e.Quantity;
        }
        foreach (ref readonly var e in _ring.AsSpan(0, _count - first.Length))
        {
            if (e.ArrivalTick > dueBy) return q;
            if (match[e.Lot]) q += e.Quantity;
        }
        return q;
    }

    // What is in transit per commodity, each summed over the entries in arrival order from 0 (the scan's float sums): a firm
    // plans each of its inputs in turn and the pipeline does not change in between, so one pass serves them all. Rebuilt after
    // any change (_totalsValid false).
    bool _totalsValid;
    int[] _lotCommodity = [];
    string[] _commodities = [];
    double[] _totals = [];
    int _commodityCount;

    double InTransit(string commodity)
    {
        if (!_totalsValid)
        {
            if (_lotCommodity.Length < _lotCount) _lotCommodity = new int[_lots.Length];
            if (_commodities.Length < _lotCount) { _commodities = new string[_lots.Length]; _totals = new double[_lots.Length]; }
            _commodityCount = 0;
            for (int l = 0; l < _lotCount; l++)
            {
                var c = 0;
                while (c < _commodityCount && _commodities[c] != _lots[l].Commodity) c++;
                if (c == _commodityCount) { _commodities[c] = _lots[l].Commodity; _totals[c] = 0; _commodityCount++; }
                _lotCommodity[l] = c;
            }
            // The ring's two runs (head to end, then start), each entry added to its commodity's sum in arrival order; a firm of
            // one input (most) sums in a register.
            var first = _ring.AsSpan(_head, Math.Min(_count, _ring.Length - _head));
            var second = _ring.AsSpan(0, _count - first.Length);
            if (_commodityCount == 1)
            {
                double t = 0;
                foreach (ref readonly var e in first) t += e.Quantity;
                foreach (ref readonly var e in second) t += e.Quantity;
                _totals[0] = t;
            }
            else
            {
                var of = _lotCommodity;
                foreach (ref readonly var e in first) _totals[of[e.Lot]] += e.Quantity;
                foreach (ref readonly var e in second) _totals[of[e.Lot]] += e.Quantity;
            }
            _totalsValid = true;
        }
        for (int c = 0; c < _commodityCount; c++)
            if (_commodities[c] == commodity) return _totals[c];
        return 0;
    }

    /// <summary>
    /// Books a shipment, merged with one due the same tick with the same commodity and origin (whenever it was ordered): a firm
    /// holds one entry per arrival day, input and origin lot, however long its orders take, so the work on it does not grow
    /// with its order history. A new entry goes after those due the same tick. Cost: a look-up in the table of lots (once per
    /// run of shipments of the same strings), a binary search and a scan of the day's entries (a few), compared by lot index.
    /// </summary>
    public void Book(Shipment sh) => Book(new ReadOnlySpan<Shipment>(in sh));

    // Scratch for the bookings of one batch that start entries (per thread: pipelines are settled one at a time on a thread).
    [ThreadStatic] static Entry[]? _staged;
    [ThreadStatic] static long[]? _stagedOrder;

    /// <summary>
    /// Books <paramref name="shipments"/> as <see cref="Book(Shipment)"/> would one after another (the same merges, in the same
    /// order: the same bits), but inserts the entries they start in one pass from the back: a tick's fills arrive on days
    /// spread over the next weeks, and inserting each one moved every entry due after it. A small gain where pipelines are
    /// long (≈480 entries a manufacturer in the default year: booking fell from ≈10% to ≈9% of its CPU samples, Dec 2026;
    /// the rest is finding each shipment's day and lot).
    /// </summary>
    public void Book(ReadOnlySpan<Shipment> shipments)
    {
        _totalsValid = false;
        var staged = _staged ??= new Entry[16];
        var n = 0;
        // Each shipment's lot is looked up once (−1: not in the table, so no entry holds it) and entries are matched by index,
        // not by comparing their strings (lot keys with content shares are long and alike: comparing them under Book was ≈2.6%
        // of the default year's CPU samples, Dec 2026). A batch's shipments come in runs of one fill link's strings: looked up
        // once a run.
        string? lastCommodity = null, lastOrigin = null;
        var lot = -1;
        foreach (var sh in shipments)
        {
            if (!(ReferenceEquals(sh.Commodity, lastCommodity) && ReferenceEquals(sh.Origin, lastOrigin)))
                (lastCommodity, lastOrigin, lot) = (sh.Commodity, sh.Origin, FindLot(sh.Commodity, sh.Origin));
            if (lot >= 0 && MergeIntoDay(sh, lot)) continue;
            var merged = false;
            for (int p = 0; p < n && !merged && lot >= 0; p++)
            {
                ref var e = ref staged[p];
                if (e.ArrivalTick == sh.ArrivalTick && e.Lot == lot)
                {
                    e.Quantity += sh.Quantity;
                    merged = true;
                }
            }
            if (merged) continue;
            if (lot < 0) lot = LotOf(sh.Commodity, sh.Origin);
            if (n == staged.Length) Array.Resize(ref staged, 2 * n);
            staged[n++] = new Entry { Quantity = sh.Quantity, ArrivalTick = sh.ArrivalTick, Lot = lot };
        }
        _staged = staged;
        if (n == 0) return;
        // In arrival order, keeping the booking order within a day (the key's low half): unique keys, so an unstable sort is stable.
        var order = _stagedOrder is { } o && o.Length >= n ? o : _stagedOrder = new long[Math.Max(16, staged.Length)];
        for (int p = 0; p < n; p++) order[p] = ((long)staged[p].ArrivalTick << 32) | (uint)p;
        order.AsSpan(0, n).Sort();
        while (_ring.Length < _count + n) Grow();
        // Merged from the back: a new entry goes after the entries already due the same tick, as Book puts it.
        int i = _count - 1, j = n - 1;
        for (int w = _count + n - 1; j >= 0; w--)
        {
            ref readonly var next = ref staged[(int)(order[j] & 0xFFFFFFFF)];
            if (i >= 0 && _ring[Slot(i)].ArrivalTick > next.ArrivalTick) _ring[Slot(w)] = _ring[Slot(i--)];
            else { _ring[Slot(w)] = next; j--; }
        }
        _count += n;
    }

    /// <summary>Adds the shipment to the entry due the same tick with its lot (its commodity and origin), if there is one.</summary>
    bool MergeIntoDay(in Shipment sh, int lot)
    {
        for (int i = After(sh.ArrivalTick) - 1; i >= 0; i--)
        {
            ref var e = ref _ring[Slot(i)];
            if (e.ArrivalTick != sh.ArrivalTick) break;
            if (e.Lot == lot)
            {
                e.Quantity += sh.Quantity;
                return true;
            }
        }
        return false;
    }

    /// <summary>The index after the last entry due by <paramref name="tick"/> (a binary search: entries are in arrival order).</summary>
    public int After(int tick)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_ring[Slot(mid)].ArrivalTick <= tick) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    public void Add(Shipment shipment) => Insert(_count, shipment);

    /// <summary>Inserts at <paramref name="index"/>, moving the entries after it one slot back (a booking goes after the
    /// entries due by its arrival, so mostly at the back, or a few days' entries before it).</summary>
    public void Insert(int index, Shipment shipment)
    {
        if ((uint)index > (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
        Insert(index, LotOf(shipment.Commodity, shipment.Origin), shipment);
    }

    void Insert(int index, int lot, Shipment shipment)
    {
        _totalsValid = false;
        if (_count == _ring.Length) Grow();
        for (int i = _count; i > index; i--) _ring[Slot(i)] = _ring[Slot(i - 1)];
        _ring[Slot(index)] = new Entry { Quantity = shipment.Quantity, ArrivalTick = shipment.ArrivalTick, Lot = lot };
        _count++;
    }

    /// <summary>Drops the first <paramref name="n"/> entries (those that arrived).</summary>
    public void RemoveFirst(int n)
    {
        if ((uint)n > (uint)_count) throw new ArgumentOutOfRangeException(nameof(n));
        _totalsValid = false;
        _head = _count == n ? 0 : Slot(n);
        _count -= n;
    }

    public void Clear()
    {
        _head = _count = 0;
        _totalsValid = false;
    }

    bool ICollection<Shipment>.IsReadOnly => false;
    public bool Contains(Shipment item) => IndexOf(item) >= 0;

    public void CopyTo(Shipment[] array, int arrayIndex)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (arrayIndex < 0 || array.Length - arrayIndex < _count) throw new ArgumentException("The array is too short.", nameof(array));
        for (int i = 0; i < _count; i++) array[arrayIndex + i] = Read(Slot(i));
    }

    int IndexOf(Shipment item)
    {
        for (int i = 0; i < _count; i++)
            if (Read(Slot(i)).Equals(item)) return i;
        return -1;
    }

    public bool Remove(Shipment item)
    {
        var at = IndexOf(item);
        if (at < 0) return false;
        _totalsValid = false;
        for (int i = at; i < _count - 1; i++) _ring[Slot(i)] = _ring[Slot(i + 1)];
        _count--;
        return true;
    }

    /// <summary>A full ring grows by half (at least 4), its entries copied in order to the front of the new array.</summary>
    void Grow()
    {
        var larger = new Entry[Math.Max(4, _ring.Length + _ring.Length / 2)];
        for (int i = 0; i < _count; i++) larger[i] = _ring[Slot(i)];
        _ring = larger;
        _head = 0;
    }

    public Enumerator GetEnumerator() => new(this);
    IEnumerator<Shipment> IEnumerable<Shipment>.GetEnumerator() => GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A struct enumerator: a foreach over a firm's pipeline allocates nothing.</summary>
    public struct Enumerator : IEnumerator<Shipment>
    {
        readonly Pipeline _p;
        int _i;
        internal Enumerator(Pipeline p) { _p = p; _i = -1; }
        public readonly Shipment Current => (uint)_i < (uint)_p._count ? _p.Read(_p.Slot(_i)) : default;
        readonly object IEnumerator.Current => Current;
        public bool MoveNext() => ++_i < _p._count;
        public void Reset() => _i = -1;
        public readonly void Dispose() { }
    }
}
