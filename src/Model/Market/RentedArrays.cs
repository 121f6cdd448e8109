using System.Buffers;

namespace MarketSim.Model.Market;

/// <summary>
/// The per-part arrays of one clearing, rented from the market's pool (<see cref="ClearingPool"/>) and given back when it ends. At 100,000 buyers a market
/// has ≈850,000 order parts (ten licence applications an order), so each of these arrays is megabytes: allocated fresh every
/// tick they went to the large-object heap, were zeroed page by page as the kernel faulted them in, and cost collections.
/// A rented array is cleared over the length asked for (the clearing reads only that), so it reads as a fresh one.
/// </summary>
internal sealed class RentedArrays(ClearingPool pools) : IDisposable
{
    // Each array with its pool (not a closure per array: two objects a rent, ≈2% of the default year's allocations, Dec 2026).
    readonly List<(IGivesBack Pool, Array Array)> _rented = new();

    public T[] Rent<T>(int length)
    {
        var pool = pools.Of<T>();
        var a = pool.Rent(Math.Max(1, length));
        Array.Clear(a, 0, length);
        _rented.Add(((IGivesBack)pool, a));
        return a;
    }

    public void Dispose()
    {
        foreach (var (pool, a) in _rented) pool.GiveBack(a);
        _rented.Clear();
    }
}
