namespace MarketSim.Dashboard.Security;

/// <summary>
/// The memory this web host's sessions may hold (<see cref="DashboardLimits.MaxHeapMegabytes"/>). Per-client quotas bound
/// what one address starts, but a classroom network is many addresses, and every session keeps every tick's frame (≈46 KB a
/// tick in the shipped worlds, more in a large upload): without a bound on the whole, enough of them run long enough end the
/// process, every class with it. Above the budget, new sessions are refused and no session runs further; what is held stays
/// readable and downloadable, and ending sessions frees it. Read from the heap's size at the last collection (a collection
/// runs often while sessions allocate), so the check costs nothing on the tick's path; but an ephemeral collection still
/// counts the old generation's dead objects, where ended sessions' frames lie, so a reading over the budget is confirmed by a
/// full collection first, at most one every <paramref name="confirmEvery"/> (10 s by default: what a caller who keeps
/// asking can make the host spend on them).
/// </summary>
public sealed class MemoryBudget(DashboardLimits limits, TimeSpan? confirmEvery = null)
{
    const long MB = 1 << 20;
    readonly TimeSpan _confirmEvery = confirmEvery ?? TimeSpan.FromSeconds(10);
    long _confirmedAt = long.MinValue / 2; // Stopwatch timestamp of the last confirming collection

    /// <summary>The budget in bytes.</summary>
    public long Bytes => limits.MaxHeapMegabytes > 0
        ? limits.MaxHeapMegabytes * MB
        : (long)(0.7 * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>Why nothing more may be started or run (the heap above the budget), or null.</summary>
    public string? Problem()
    {
        var budget = Bytes;
        var heap = Heap();
        if (heap > budget)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            var last = Interlocked.Read(ref _confirmedAt);
            if (System.Diagnostics.Stopwatch.GetElapsedTime(last, now) >= _confirmEvery && Interlocked.CompareExchange(ref _confirmedAt, now, last) == last)
            {
                GC.Collect();
                heap = Heap();
            }
        }
        return heap <= budget ? null
            : $"this server's sessions hold {heap / MB:N0} MB, over its memory budget of {budget / MB:N0} MB (MaxHeapMegabytes); " +
              "end a session you no longer need, then try again";
    }

    /// <summary>The heap's size at the last collection; before the first, what is allocated (an upper bound).</summary>
    static long Heap()
    {
        var info = GC.GetGCMemoryInfo();
        return info.Index > 0 ? info.HeapSizeBytes : GC.GetTotalMemory(forceFullCollection: false);
    }

    /// <summary>Throws <see cref="QuotaException"/> (field "memory") when over the budget.</summary>
    public void ThrowIfOver()
    {
        if (Problem() is { } why) throw new QuotaException("memory", why);
    }
}
