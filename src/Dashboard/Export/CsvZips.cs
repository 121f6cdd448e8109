using System.IO.Compression;
using System.Text;
using System.Text.Json;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Security;
using MarketSim.Dashboard.Sessions;
using MarketSim.Model.Output;

namespace MarketSim.Dashboard.Export;

/// <summary>
/// A session's CSV files as one zip. Building it writes every table of every tick (a 365-tick session: about a second of
/// a core and a few hundred MB on the way), so a zip is built once per state of the session and kept (the latest
/// <see cref="Kept"/>), requests for the same state share one build, and new builds are bounded per web host
/// (<see cref="DashboardLimits.MaxExports"/>) and per address (<see cref="DashboardLimits.MaxExportsPerClient"/>): past
/// them the answer is 429 "busy, retry", never a queue.
/// </summary>
public sealed class CsvZips(DashboardLimits limits)
{
    /// <summary>Zips kept (the most recently built first); each is a few MB at most.</summary>
    public const int Kept = 4;

    readonly object _sync = new();
    readonly LinkedList<(string Key, Task<byte[]> Zip)> _kept = new();
    readonly Dictionary<string, int> _buildsByClient = new(StringComparer.Ordinal);
    int _building, _builds;

    /// <summary>Zips built since start (diagnostics and tests).</summary>
    public int Builds => Volatile.Read(ref _builds);

    /// <summary>The zip of <paramref name="s"/> as it is now, or null when building it would exceed a limit (answer 429).</summary>
    public async Task<byte[]?> GetAsync(SessionEntry s, string client)
    {
        // The run is a function of (scenario with its timeline, seed) and the tick: the same state, the same files.
        var replay = await s.Grain.GetReplayAsync();
        var key = $"{s.Id}\n{replay.Seed}\n{replay.Tick}\n{JsonSerializer.Serialize(replay.Scenario.Policies, HubJson.Options)}";
        Task<byte[]> zip;
        lock (_sync)
        {
            if (_kept.FirstOrDefault(k => k.Key == key) is { Zip: { } found } hit && !found.IsFaulted)
            {
                _kept.Remove(hit);
                _kept.AddFirst(hit);
                zip = found;
            }
            else
            {
                if (_building >= limits.MaxExports || _buildsByClient.GetValueOrDefault(client) >= limits.MaxExportsPerClient) return null;
                _building++;
                _buildsByClient[client] = _buildsByClient.GetValueOrDefault(client) + 1;
                zip = Task.Run(() => BuildAsync(s, replay.Tick, client));
                _kept.AddFirst((key, zip));
                while (_kept.Count > Kept) _kept.RemoveLast();
            }
        }
        return await zip;
    }

    async Task<byte[]> BuildAsync(SessionEntry s, int tick, string client)
    {
        try
        {
            Interlocked.Increment(ref _builds);
            var frames = (await s.Grain.GetFramesAsync(0)).Value.Take(tick).ToList(); // ticks run since: not this state's
            var world = (await s.Grain.GetScenarioAsync()).Value;
            // The tables are written in one pass over the frames, all at once, and a zip takes one entry at a time: they go to
            // files first, then into the zip. Built as strings they held the run's text twice over in memory (a 10-year session's
            // build peaked at 843 MB, a Dec 2026 review).
            var dir = Directory.CreateTempSubdirectory("marketsim-csv-");
            try
            {
                CsvExport.WriteAll(world, frames, name => new StreamWriter(Path.Combine(dir.FullName, name), append: false, new UTF8Encoding(false)));
                using var zip = new MemoryStream();
                using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
                    foreach (var name in CsvTables.FileNames)
                    {
                        await using var entry = archive.CreateEntry(name).Open();
                        await using var file = File.OpenRead(Path.Combine(dir.FullName, name));
                        await file.CopyToAsync(entry);
                    }
                return zip.ToArray();
            }
            finally
            {
                try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
        finally
        {
            lock (_sync)
            {
                _building--;
                if (--_buildsByClient[client] == 0) _buildsByClient.Remove(client);
            }
        }
    }
}
