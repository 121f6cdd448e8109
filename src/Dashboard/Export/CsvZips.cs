using System.IO.Compression;
using System.Text;
using MarketSim.Dashboard.Security;
using MarketSim.Dashboard.Sessions;
using MarketSim.Model.Output;

namespace MarketSim.Dashboard.Export;

/// <summary>
/// A session's CSV files as one zip. Building it writes every table of every tick (a 365-tick session: about a second of
/// a core and a few hundred MB on the way), so a zip is built once per state of the session and kept (the latest
/// <see cref="ExportBuilds{T}.Kept"/>, each a few MB at most), requests for the same state share one build, and new builds
/// are bounded per web host (<see cref="DashboardLimits.MaxExports"/>) and per address
/// (<see cref="DashboardLimits.MaxExportsPerClient"/>): past them the answer is 429 "busy, retry", never a queue
/// (<see cref="ExportBuilds{T}"/>).
/// </summary>
public sealed class CsvZips(DashboardLimits limits)
{
    readonly ExportBuilds<byte[]> _builds = new(() => limits.MaxExports, () => limits.MaxExportsPerClient);

    /// <summary>Zips built since start (diagnostics and tests).</summary>
    public int Builds => _builds.Builds;

    /// <summary>The zip of <paramref name="s"/> as it is now, or null when building it would exceed a limit (answer 429).</summary>
    public Task<byte[]?> GetAsync(SessionEntry s, string client) => _builds.GetAsync(s, client, replay => BuildAsync(s, replay.Tick));

    static async Task<byte[]> BuildAsync(SessionEntry s, int tick)
    {
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
}
