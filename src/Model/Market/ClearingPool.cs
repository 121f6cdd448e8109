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

    readonly Dictionary<Type, object> _pools = new();

    public ArrayPool<T> Of<T>()
    {
        lock (_pools)
        {
            if (!_pools.TryGetValue(typeof(T), out var p)) _pools[typeof(T)] = p = ArrayPool<T>.Create(1 << 30, PerSize);
            return (ArrayPool<T>)p;
        }
    }
}
