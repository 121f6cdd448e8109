using System.Collections;

namespace MarketSim.Model.Agents;

/// <summary>
/// A firm's shipments in transit, in arrival order. Arrivals leave from the front every tick: the list keeps an offset to its
/// first live entry instead of shifting what is left down, and moves the live entries back only once the dead ones outnumber
/// them, so a tick's arrivals cost what arrives, not the whole pipeline. (A List's RemoveRange(0, due) moved every entry still
/// in transit every tick: ≈70 entries a firm, ≈220 MB a tick at 100,000 firms, most of their settlement's time.) It is an
/// ICollection too, so System.Text.Json (grain messages) reads it back as it reads a list.
/// </summary>
public sealed class Pipeline : IReadOnlyList<Shipment>, ICollection<Shipment>
{
    Shipment[] _items;
    int _head, _count;

    public Pipeline() => _items = [];

    public Pipeline(IEnumerable<Shipment> shipments)
    {
        _items = shipments.ToArray();
        _count = _items.Length;
    }

    public int Count => _count;

    public Shipment this[int index]
    {
        get => (uint)index < (uint)_count ? _items[_head + index] : throw new ArgumentOutOfRangeException(nameof(index));
        set
        {
            if ((uint)index >= (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
            _items[_head + index] = value;
        }
    }

    public void Add(Shipment shipment) => Insert(_count, shipment);

    public void Insert(int index, Shipment shipment)
    {
        if ((uint)index > (uint)_count) throw new ArgumentOutOfRangeException(nameof(index));
        if (_head + _count == _items.Length) MakeRoom();
        var at = _head + index;
        if (index < _count) Array.Copy(_items, at, _items, at + 1, _count - index);
        _items[at] = shipment;
        _count++;
    }

    /// <summary>Drops the first <paramref name="n"/> entries (those that arrived).</summary>
    public void RemoveFirst(int n)
    {
        if ((uint)n > (uint)_count) throw new ArgumentOutOfRangeException(nameof(n));
        Array.Clear(_items, _head, n);
        _head += n;
        _count -= n;
        if (_count == 0) _head = 0;
    }

    public void Clear()
    {
        Array.Clear(_items, _head, _count);
        _head = _count = 0;
    }

    bool ICollection<Shipment>.IsReadOnly => false;
    public bool Contains(Shipment item) => IndexOf(item) >= 0;
    public void CopyTo(Shipment[] array, int arrayIndex) => Array.Copy(_items, _head, array, arrayIndex, _count);
    int IndexOf(Shipment item) => _count == 0 ? -1 : Array.IndexOf(_items, item, _head, _count) is var i and >= 0 ? i - _head : -1;

    public bool Remove(Shipment item)
    {
        var i = IndexOf(item);
        if (i < 0) return false;
        Array.Copy(_items, _head + i + 1, _items, _head + i, _count - i - 1);
        _items[_head + --_count] = default;
        return true;
    }

    /// <summary>At the array's end: moves the live entries to the front if the dead ones are at least as many (each entry is
    /// then moved at most once per entry that left before it), else doubles the array.</summary>
    void MakeRoom()
    {
        if (_head > 0 && _head >= _count)
        {
            Array.Copy(_items, _head, _items, 0, _count);
            Array.Clear(_items, _count, _head);
            _head = 0;
            return;
        }
        var larger = new Shipment[Math.Max(4, _items.Length * 2)];
        Array.Copy(_items, _head, larger, 0, _count);
        _items = larger;
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
        public readonly Shipment Current => (uint)_i < (uint)_p._count ? _p._items[_p._head + _i] : default;
        readonly object IEnumerator.Current => Current;
        public bool MoveNext() => ++_i < _p._count;
        public void Reset() => _i = -1;
        public readonly void Dispose() { }
    }
}
