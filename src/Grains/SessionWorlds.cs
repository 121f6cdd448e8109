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
        return serializer.Deserialize<ScenarioSpec>(await AssembleAsync(part => source.GetWorldPartAsync(generation, part)));
    }

    /// <summary>A serialised world put together from its parts, one at a time (what is in flight stays a part's size). Every
    /// part must come from the serialisation part 0 came from (its <see cref="WorldPart.Token"/>): a session that serialised
    /// the world again meanwhile (it let go of the bytes, or it was activated again) starts the fetch over, at most
    /// <paramref name="attempts"/> times.</summary>
    public static async Task<byte[]> AssembleAsync(Func<int, Task<WorldPart>> partAt, int attempts = 3)
    {
        for (int attempt = 1; ; attempt++)
        {
            var first = await partAt(0);
            if (first.Parts == 1) return first.Bytes;
            var bytes = new byte[first.Length];
            first.Bytes.CopyTo(bytes, 0);
            var whole = true;
            for (int i = 1; i < first.Parts && whole; i++)
            {
                var part = await partAt(i);
                whole = part.Token == first.Token && part.Parts == first.Parts && part.Length == first.Length;
                if (whole) part.Bytes.CopyTo(bytes, (long)i * PartBytes);
            }
            if (whole) return bytes;
            if (attempt == attempts)
                throw new InvalidOperationException($"The world changed while it was fetched, {attempts} times over.");
        }
    }

    /// <summary>The size of a part of a serialised world: big enough that a million firms' world is ≈50 calls, small enough
    /// that Orleans' pools, which keep the most that was ever in flight, stay small.</summary>
    public const int PartBytes = 4 << 20;

    /// <summary>Part <paramref name="part"/> of the serialised world <paramref name="bytes"/>, serialisation
    /// <paramref name="token"/>.</summary>
    public static WorldPart Part(byte[] bytes, int part, Guid token)
    {
        var parts = Math.Max(1, (int)((bytes.LongLength + PartBytes - 1) / PartBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        var from = (long)part * PartBytes;
        var slice = parts == 1 ? bytes : bytes.AsSpan((int)from, (int)Math.Min(PartBytes, bytes.LongLength - from)).ToArray();
        return new WorldPart(slice, parts, bytes.Length, token);
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
