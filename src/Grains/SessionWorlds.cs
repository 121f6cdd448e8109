using Orleans.Serialization;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains;

/// <summary>
/// One copy of each session's scenario per silo, shared by the session's members there. A scenario of 100,000 firms is tens
/// of megabytes: it crosses to a silo once (fetched from the session on first need), not once per shard or per grain.
/// Keyed by session and generation (a fresh id per <c>StartAsync</c>), so a restarted session never reads an older world.
/// </summary>
public sealed class SessionWorlds(Serializer serializer)
{
    readonly object _gate = new();
    readonly Dictionary<string, (string Generation, Task<ScenarioSpec> World)> _worlds = new(StringComparer.Ordinal);

    /// <summary>The world of <paramref name="session"/>'s run <paramref name="generation"/>, fetched from the session if this silo has not got it.</summary>
    public Task<ScenarioSpec> GetAsync(IGrainFactory grains, string session, string generation)
    {
        lock (_gate)
        {
            if (_worlds.TryGetValue(session, out var known) && known.Generation == generation && !known.World.IsFaulted && !known.World.IsCanceled)
                return known.World;
            var fetch = FetchAsync(grains, session, generation);
            _worlds[session] = (generation, fetch);
            return fetch;
        }
    }

    async Task<ScenarioSpec> FetchAsync(IGrainFactory grains, string session, string generation)
    {
        var source = grains.GetGrain<ISessionGrain>(session);
        var first = await source.GetWorldPartAsync(generation, 0);
        var bytes = first.Parts == 1 ? first.Bytes : new byte[first.Length];
        if (first.Parts > 1)
        {
            first.Bytes.CopyTo(bytes, 0);
            // One part at a time: what is in flight stays a part's size.
            for (int i = 1; i < first.Parts; i++)
                (await source.GetWorldPartAsync(generation, i)).Bytes.CopyTo(bytes, (long)i * PartBytes);
        }
        return serializer.Deserialize<ScenarioSpec>(bytes);
    }

    /// <summary>The size of a part of a serialised world: big enough that a million firms' world is ≈50 calls, small enough
    /// that Orleans' pools, which keep the most that was ever in flight, stay small.</summary>
    public const int PartBytes = 4 << 20;

    /// <summary>Part <paramref name="part"/> of the serialised world <paramref name="bytes"/>.</summary>
    public static WorldPart Part(byte[] bytes, int part)
    {
        var parts = Math.Max(1, (int)((bytes.LongLength + PartBytes - 1) / PartBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        var from = (long)part * PartBytes;
        var slice = parts == 1 ? bytes : bytes.AsSpan((int)from, (int)Math.Min(PartBytes, bytes.LongLength - from)).ToArray();
        return new WorldPart(slice, parts, bytes.Length);
    }

    /// <summary>The session's own silo has the world already.</summary>
    public void Put(string session, string generation, ScenarioSpec world)
    {
        lock (_gate) _worlds[session] = (generation, Task.FromResult(world));
    }

    public void Forget(string session)
    {
        lock (_gate) _worlds.Remove(session);
    }
}
