using System.Buffers;

namespace MarketSim.Model.Market;

/// <summary>
/// The pools one market's clearing rents its scratch arrays from (<see cref="RentedArrays"/>, <see cref="PooledList{T}"/>,
/// <see cref="FillBook"/>), one per element type, kept with the market's state (<see cref="MarketState.Pools"/>, never
/// persisted): the market reuses its own arrays tick after tick, and they go when its session does. Not ArrayPool.Shared:
/// that keeps a returned array in the returning thread's own slot as well as in per-core stacks, and a market grain clears
/// on whichever pool thread runs it, so each large array came to be kept once per thread (a heap dump of the 10k Orleans
/// run: eight 12.6 MB arrays of one clearing type where the reference runner, on one thread, kept two; at 100k the Orleans
/// run's live heap was 1.1 GiB above the reference runner's, 0.25 GiB with a pool of the clearing's own).
/// </summary>
internal sealed class ClearingPool
{
    /// <summary>The arrays of one element type and size class a pool keeps: a clearing holds about ten double arrays of one
    /// length at once, and one request list per ask (each seller's origin lot is an ask, so a market of many sellers with many
    /// lots holds many short lists of a few size classes). Beyond this many, the extra arrays are allocated and collected.
    /// Each pool reserves its slots up front (≈27 size classes × this many references).</summary>
    const int PerSize = 64;

    static int _types;

    /// <summary>A number per element type, given on first use: the pool's slot for that type.</summary>
    static class Slot<T>
    {
        public static readonly int Index = Interlocked.Increment(ref _types) - 1;
    }

    // Read without a lock (a clearing rents a few dozen arrays, and a sampled trace of the default scenario put 5% of the
    // reference runner's time in the lock a dictionary lookup took); a new type's pool is added under the lock, into a copy.
    volatile object?[] _slots = new object?[16];
    readonly Lock _adding = new();

    public ArrayPool<T> Of<T>()
    {
        var i = Slot<T>.Index;
        var slots = _slots;
        if (i < slots.Length && slots[i] is ArrayPool<T> pool) return pool;
        lock (_adding)
        {
            slots = _slots;
            if (i < slots.Length && slots[i] is ArrayPool<T> added) return added;
            var grown = new object?[Math.Max(slots.Length, i + 1)];
            Array.Copy(slots, grown, slots.Length);
            grown[i] = pool = ArrayPool<T>.Create(1 << 30, PerSize);
            _slots = grown;
            return pool;
        }
    }
}
