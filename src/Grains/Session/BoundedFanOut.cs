namespace MarketSim.Grains.Session;

/// <summary>
/// Calls to many grains with at most a bounded number in flight. What a call sends and what it answers wait in Orleans'
/// socket slabs and serialisation segments, which are pooled and kept at their peak: a session that called its 391 shards at
/// once (100,000 firms) held 238 MB of them at its silo (a heap dump, Dec 2026), and 1,000,000 firms would hold ≈2.4 GB. A
/// bounded window keeps every silo busy all the same. The caller keeps results by index, so their order, and every sum
/// over them, is the order of the calls, not of their answers.
/// </summary>
public static class BoundedFanOut
{
    /// <summary>Calls <paramref name="start"/> for 0 ≤ i &lt; <paramref name="count"/>, at most <paramref name="atOnce"/>
    /// unfinished at a time; the first failure is thrown once the calls started before it have finished.</summary>
    public static async Task RunAsync(int count, int atOnce, Func<int, Task> start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(atOnce, 1);
        var running = new List<Task>(Math.Min(count, atOnce));
        for (int i = 0; i < count; i++)
        {
            if (running.Count >= atOnce)
            {
                var done = await Task.WhenAny(running);
                running.Remove(done);
                if (!done.IsCompletedSuccessfully)
                {
                    // None is left running unobserved when one fails (the caller may run the tick again).
                    try { await Task.WhenAll(running); } catch (Exception) { }
                    await done; // its failure
                }
            }
            Task call;
            try { call = start(i); }
            catch (Exception e) { call = Task.FromException(e); } // thrown before its first await: a failure like any other
            running.Add(call);
        }
        await Task.WhenAll(running);
    }
}
