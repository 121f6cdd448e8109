using System.Buffers;

namespace MarketSim.Model.Market;

/// <summary>
/// A list on an array rented from the market's pool (<see cref="ClearingPool"/>), for a clearing's per-seller requests: at 10,000 buyers each seller's list is
/// hundreds of kilobytes, so a fresh one per clearing went to the large-object heap and cost a full collection every few ticks.
/// Fixed capacity (the caller knows the most it will hold); what a rented array held before is never read (only [0, Count)).
/// Return it with <see cref="Dispose"/>; a list not returned is merely collected.
/// </summary>
internal sealed class PooledList<T> : IDisposable
{
    T[] _items;
    readonly int _capacity;
    readonly ArrayPool<T> _pool;

    public PooledList(int capacity, ClearingPool pools)
    {
        _capacity = capacity;
        _pool = pools.Of<T>();
        _items = capacity == 0 ? [] : _pool.Rent(capacity);
    }

    public int Count { get; private set; }

    public T this[int i] => i < Count ? _items[i] : throw new ArgumentOutOfRangeException(nameof(i));

    /// <summary>The item at <paramref name="i"/>, to change in place.</summary>
    public ref T At(int i)
    {
        if (i >= Count) throw new ArgumentOutOfRangeException(nameof(i));
        return ref _items[i];
    }

    public void Add(T item)
    {
        if (Count == _capacity) throw new InvalidOperationException($"a list with room for {_capacity} was given one more");
        _items[Count++] = item;
    }

    public void Clear() => Count = 0;

    public void Dispose()
    {
        if (_items.Length > 0) _pool.Return(_items);
        _items = [];
        Count = 0;
    }
}
