using MarketSim.Dashboard.Security;
using MarketSim.Dashboard.Sessions;

namespace MarketSim.Dashboard.Export;

/// <summary>
/// A session's timeline as a scenario file (<see cref="TimelineYaml"/>), built once per state of the session and kept, new
/// builds bounded per web host and per address as CSV zips are (<see cref="ExportBuilds{T}"/>, the same limits, counted
/// apart). Writing it parses the session's upload two or three times: for a 2 MB upload (the largest the start page takes)
/// ≈0.2 s of a core and ≈30 MB allocated a download (a probe, Dec 2026), so a client asking many times at once could hold
/// the host's cores and memory; before Dec 2026 nothing bounded it.
/// </summary>
public sealed class TimelineFiles(DashboardLimits limits)
{
    readonly ExportBuilds<string> _builds = new(() => limits.MaxExports, () => limits.MaxExportsPerClient);

    /// <summary>Files written since start (diagnostics and tests).</summary>
    public int Builds => _builds.Builds;

    /// <summary>The timeline of <paramref name="s"/> as it is now, or null when writing it would exceed a limit (answer 429).</summary>
    public Task<string?> GetAsync(SessionEntry s, string client) => _builds.GetAsync(s, client, replay => Task.FromResult(
        TimelineYaml.Write(s.Yaml, replay.Seed, replay.Scenario.Policies, $"timeline of dashboard session {s.Id} at tick {replay.Tick}, live changes included")));
}
