namespace MarketSim.Dashboard.Security;

/// <summary>
/// The memory this web host's sessions may hold (<see cref="DashboardLimits.MaxHeapMegabytes"/>). Per-client quotas bound
/// what one address starts, but a classroom network is many addresses, and every session keeps every tick's frame (≈46 KB a
/// tick in the shipped worlds, more in a large upload): without a bound on the whole, enough of them run long enough end the
/// process, every class with it. Above the budget, new sessions are refused and no session runs further; what is held stays
/// readable and downloadable, and ending sessions frees it. Read from the heap's size at the last collection (a collection
/// runs often while sessions allocate), so the check costs nothing on the tick's path.
/// </summary>
public sealed class MemoryBudget(DashboardLimits limits)
{
    const long MB = 1 << 20;

    /// <summary>The budget in bytes.</summary>
    public long Bytes => limits.MaxHeapMegabytes > 0
        ? limits.MaxHeapMegabytes * MB
        : (long)(0.7 * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

    /// <summary>Why nothing more may be started or run (the heap above the budget), or null.</summary>
    public string? Problem()
    {
        var info = GC.GetGCMemoryInfo();
        // Before the first collection the heap's size is not known yet: what is allocated is an upper bound.
        var heap = info.Index > 0 ? info.HeapSizeBytes : GC.GetTotalMemory(forceFullCollection: false);
        var budget = Bytes;
        return heap <= budget ? null
            : $"this server's sessions hold {heap / MB:N0} MB, over its memory budget of {budget / MB:N0} MB (MaxHeapMegabytes); " +
              "end a session you no longer need, then try again";
    }

    /// <summary>Throws <see cref="QuotaException"/> (field "memory") when over the budget.</summary>
    public void ThrowIfOver()
    {
        if (Problem() is { } why) throw new QuotaException("memory", why);
    }
}
