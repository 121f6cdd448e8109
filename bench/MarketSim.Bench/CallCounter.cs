using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace MarketSim.Bench;

/// <summary>
/// Counts every application grain call the silo receives, by target grain type (session, agent shards, countries,
/// markets, and Orleans' own memory-storage grain when state is written). Registered as an incoming
/// grain call filter, so it sees exactly what the runtime dispatches; its cost (one dictionary lookup and one interlocked
/// add per call) is included in the Orleans timings. Keyed by the grain type itself, named only when read: the type's name
/// built per call was a string per call (200,000 a tick at 100,000 firms) charged to Orleans.
/// </summary>
public sealed class CallCounter : IIncomingGrainCallFilter
{
    static readonly ConcurrentDictionary<GrainType, StrongBox<long>> Counts = new();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var box = Counts.GetOrAdd(context.TargetId.Type, static _ => new StrongBox<long>());
        Interlocked.Increment(ref box.Value);
        return context.Invoke();
    }

    public static Dictionary<string, long> Snapshot() => Counts.ToDictionary(kv => kv.Key.ToString()!, kv => Interlocked.Read(ref kv.Value.Value));

    public static Dictionary<string, long> Delta(Dictionary<string, long> before, Dictionary<string, long> after) =>
        after.Select(kv => (kv.Key, V: kv.Value - before.GetValueOrDefault(kv.Key))).Where(x => x.V != 0).ToDictionary(x => x.Key, x => x.V);
}
