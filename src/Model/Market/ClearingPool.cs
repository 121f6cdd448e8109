using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace MarketSim.Model.Market;

/// <summary>
/// The pools one market's clearing rents its scratch arrays from (<see cref="RentedArrays"/>, <see cref="PooledList{T}"/>), one per element type, kept with the market's state (<see cref="MarketState.Pools"/>, never
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
            grown[i] = pool = new ClearingArrayPool<T>();
            _slots = grown;
            return pool;
        }
    }

    /// <summary>The day's demand by reservation price (<see cref="PriceWindows.DemandAt"/>), cleared and refilled by each clearing
    /// of a market with a price window: one entry per fill before fills merge, so a list made afresh each tick was the default
    /// scenario's largest allocation (180 KB a tick, Dec 2026).</summary>
    public List<PriceWindows.DemandAt> DemandAt { get; } = new();

    /// <summary>How many fills and disruptions the last clearing made: the next one's lists start that long (and an eighth more),
    /// not grown by doubling from the order count (at 100,000 buyers the magnet market's fill list went through five arrays,
    /// ≈25 MB a tick on the large-object heap).</summary>
    public int LastFills, LastDisruptions;

    /// <summary>The input positions of the last clearing's bids in sorted order, when it had to sort them (ClearingRun.InOrder):
    /// the next day's bids mostly come in the same order and are checked against it before any sort.</summary>
    public int[]? LastBidOrder;

    /// <summary>Called as a clearing ends, its arrays given back: each pool keeps only the arrays this clearing rented, so a
    /// market whose size moved on does not keep arrays of the old size beside the new.</summary>
    public void Trim()
    {
        foreach (var slot in _slots)
            if (slot is ITrimmable pool) pool.Trim();
    }
}

internal interface ITrimmable
{
    void Trim();
}

/// <summary>
/// An array pool for a clearing's arrays, which are as long as its order parts or requests and so change length a little from
/// tick to tick. A rent takes the shortest kept array that holds it and is at most half as long again (twice, for arrays up to
/// 4,096), else a new one an eighth longer than asked (small ones: a power of two), so a market that grows a little reuses its
/// arrays. ArrayPool's powers of two wasted up to half: at a million firms the magnet market's ≈8.5 million parts took arrays
/// of 2²⁴ ≈ 16.8 million in each of a dozen arrays and nine request lists. A trim after each clearing lets go of what it did
/// not rent, so a market whose size moved on does not keep arrays of both sizes. At most 256 arrays are kept (a clearing
/// rents about twenty and a request list per ask with room; a market of more asks than that allocates the rest each tick).
/// Locked: rents are a few dozen a clearing, and a market's state may be shared with a fork.
/// </summary>
/// <summary>A pool that takes back an array it lent, whatever its element type (RentedArrays keeps one list of a clearing's).</summary>
internal interface IGivesBack
{
    void GiveBack(Array array);
}

internal sealed class ClearingArrayPool<T> : ArrayPool<T>, ITrimmable, IGivesBack
{
    /// <summary>Arrays of references are cleared as they come back, so the pool holds no orders or lists alive.</summary>
    public void GiveBack(Array array) => Return((T[])array, RuntimeHelpers.IsReferenceOrContainsReferences<T>());

    const int MaxKept = 256;
    const int Small = 4096;
    readonly List<(T[] Array, int Round)> _kept = new();
    int _round;
    readonly Lock _lock = new();

    /// <summary>The length of a new array for <paramref name="n"/> items: a power of two up to 4,096, else n + n/8.</summary>
    internal static int NewLength(int n) =>
        n <= Small ? (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, n)) : (int)Math.Max(n, Math.Min(n + (long)n / 8, Array.MaxLength));

    /// <summary>Whether a kept array of <paramref name="length"/> may serve a rent of <paramref name="n"/>.</summary>
    internal static bool Fits(int length, int n) => length >= n && length <= (n <= Small ? 2L * n : n + (long)n / 2);

    public override T[] Rent(int minimumLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumLength);
        if (minimumLength == 0) return [];
        lock (_lock)
        {
            var best = -1;
            for (int i = 0; i < _kept.Count; i++)
                if (Fits(_kept[i].Array.Length, minimumLength) && (best < 0 || _kept[i].Array.Length < _kept[best].Array.Length)) best = i;
            if (best >= 0)
            {
                var array = _kept[best].Array;
                _kept.RemoveAt(best);
                return array;
            }
        }
        return new T[NewLength(minimumLength)];
    }

    public override void Return(T[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length == 0) return;
        if (clearArray) Array.Clear(array);
        lock (_lock)
            if (_kept.Count < MaxKept) _kept.Add((array, _round));
    }

    /// <summary>Lets go of the arrays not given back since the last trim (so not rented since: every rent is given back before
    /// the clearing ends).</summary>
    public void Trim()
    {
        lock (_lock)
        {
            _kept.RemoveAll(k => k.Round != _round);
            _round++;
        }
    }
}
