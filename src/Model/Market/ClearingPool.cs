using System.Buffers;

namespace MarketSim.Model.Market;

/// <summary>
/// The pool a clearing's scratch arrays are rented from (<see cref="RentedArrays"/>, <see cref="PooledList{T}"/>,
/// <see cref="FillBook"/>). Not ArrayPool.Shared: that keeps a returned array in the returning thread's own slot as well as
/// in per-core stacks, and a market grain clears on whichever pool thread runs it, so each large array came to be kept once
/// per thread. This pool keeps at most <see cref="PerSize"/> arrays of each size class, whichever thread gives them back.
/// </summary>
internal static class ClearingPool<T>
{
    /// <summary>Enough for the arrays of one size a clearing holds at once (about ten double arrays of the same length), with
    /// a few markets clearing side by side.</summary>
    const int PerSize = 16;

    public static readonly ArrayPool<T> Arrays = ArrayPool<T>.Create(1 << 30, PerSize);
}
