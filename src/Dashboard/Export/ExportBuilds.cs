using System.Text.Json;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Sessions;
using MarketSim.Grains.Interfaces;

namespace MarketSim.Dashboard.Export;

/// <summary>
/// Downloads built from a session's state, each kind in one of these: a build is kept per state (the latest <see cref="Kept"/>),
/// requests for the same state share one build, and new builds are bounded per web host and per client address; past the
/// bounds the answer is null (the endpoint says 429 "busy, retry"), never a queue.
/// </summary>
public sealed class ExportBuilds<T>(Func<int> maxBuilds, Func<int> maxPerClient) where T : class
{
    /// <summary>Builds kept (the most recently built first).</summary>
    public const int Kept = 4;

    readonly object _sync = new();
    readonly LinkedList<(string Key, Task<T> Value)> _kept = new();
    readonly Dictionary<string, int> _byClient = new(StringComparer.Ordinal);
    int _building, _builds;

    /// <summary>Builds started since start (diagnostics and tests).</summary>
    public int Builds => Volatile.Read(ref _builds);

    /// <summary>What <paramref name="build"/> makes of <paramref name="s"/> as it is now, kept or built now, or null when building
    /// it would pass a bound (answer 429). A run is a function of (scenario with its timeline, seed) and the tick: the same
    /// state, the same files.</summary>
    public async Task<T?> GetAsync(SessionEntry s, string client, Func<SessionReplay, Task<T>> build)
    {
        var replay = await s.Grain.GetReplayAsync();
        var key = $"{s.Id}\n{replay.Seed}\n{replay.Tick}\n{JsonSerializer.Serialize(replay.Scenario.Policies, HubJson.Options)}";
        return Get(key, client, () => build(replay)) is { } task ? await task : null;
    }

    Task<T>? Get(string key, string client, Func<Task<T>> build)
    {
        lock (_sync)
        {
            if (_kept.FirstOrDefault(k => k.Key == key) is { Value: { } found } hit && !found.IsFaulted)
            {
                _kept.Remove(hit);
                _kept.AddFirst(hit);
                return found;
            }
            if (_building >= maxBuilds() || _byClient.GetValueOrDefault(client) >= maxPerClient()) return null;
            _building++;
            _byClient[client] = _byClient.GetValueOrDefault(client) + 1;
            var task = Task.Run(() => RunAsync(build, client));
            _kept.AddFirst((key, task));
            while (_kept.Count > Kept) _kept.RemoveLast();
            return task;
        }
    }

    async Task<T> RunAsync(Func<Task<T>> build, string client)
    {
        try
        {
            Interlocked.Increment(ref _builds);
            return await build();
        }
        finally
        {
            lock (_sync)
            {
                _building--;
                if (--_byClient[client] == 0) _byClient.Remove(client);
            }
        }
    }
}
