namespace MarketSim.Dashboard.Export;

/// <summary>
/// Downloads built from a session's state, each kind in one of these: a build is kept per state (the latest <see cref="Kept"/>),
/// requests for the same state share one build, and new builds are bounded per web host and per client address; past the
/// bounds the answer is null (the endpoint says 429 "busy, retry"), never a queue.
/// </summary>
public sealed class ExportBuilds<T>(Func<int> maxBuilds, Func<int> maxPerClient)
{
    /// <summary>Builds kept (the most recently built first).</summary>
    public const int Kept = 4;

    readonly object _sync = new();
    readonly LinkedList<(string Key, Task<T> Value)> _kept = new();
    readonly Dictionary<string, int> _byClient = new(StringComparer.Ordinal);
    int _building, _builds;

    /// <summary>Builds started since start (diagnostics and tests).</summary>
    public int Builds => Volatile.Read(ref _builds);

    /// <summary>The build for state <paramref name="key"/>, kept or started now, or null when starting one would pass a bound.</summary>
    public Task<T>? Get(string key, string client, Func<Task<T>> build)
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
