using System.Buffers;
using System.Numerics;

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
            grown[i] = pool = new SizeClassPool<T>();
            _slots = grown;
            return pool;
        }
    }
}

/// <summary>
/// An array pool whose size classes are eighths of an octave (each at most ≈9% above the last) rather than ArrayPool's
/// powers of two: the clearing's arrays are as long as its order parts or requests, and at a million firms the magnet
/// market's ≈8.5 million parts took arrays of 2²⁴ ≈ 16.8 million, nearly twice what was used, in each of a dozen arrays and
/// nine request lists. Up to 64 arrays of a class are kept (a clearing holds about ten of one length at once, and a request
/// list per ask); beyond that a returned array is left to the collector. Small arrays (up to 4,096) keep powers of two.
/// Locked: a pool is one market's, but rents are few (dozens a clearing), and a market's state may be read by a fork.
/// </summary>
internal sealed class SizeClassPool<T> : ArrayPool<T>
{
    const int PerClass = 64;
    const int Small = 4096;
    readonly Dictionary<int, Stack<T[]>> _kept = new();
    readonly Lock _lock = new();

    /// <summary>The length of <paramref name="n"/>'s size class: the least power of two ≥ n up to 4,096, above it the least
    /// m·2^s ≥ n with 8 ≤ m ≤ 16.</summary>
    internal static int ClassLength(int n)
    {
        if (n <= Small) return (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, n));
        var shift = BitOperations.Log2((uint)(n - 1)) - 3;
        var m = ((n - 1) >> shift) + 1; // 9..16
        return (int)Math.Min((long)m << shift, Array.MaxLength);
    }

    public override T[] Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        if (minimumLength == 0) return [];
        var length = ClassLength(minimumLength);
        lock (_lock)
            if (_kept.TryGetValue(length, out var stack) && stack.TryPop(out var kept)) return kept;
        return new T[length];
    }

    public override void Return(T[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length == 0 || ClassLength(array.Length) != array.Length) return; // not one of this pool's
        if (clearArray) Array.Clear(array);
        lock (_lock)
        {
            if (!_kept.TryGetValue(array.Length, out var stack)) _kept[array.Length] = stack = new Stack<T[]>();
            if (stack.Count < PerClass) stack.Push(array);
        }
    }
}
