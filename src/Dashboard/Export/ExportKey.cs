using System.Text.Json;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Sessions;
using MarketSim.Grains.Interfaces;

namespace MarketSim.Dashboard.Export;

/// <summary>The state a download is built from: a run is a function of (scenario with its timeline, seed) and the tick, so the
/// same state gives the same files.</summary>
public static class ExportKey
{
    public static string Of(SessionEntry s, SessionReplay replay) =>
        $"{s.Id}\n{replay.Seed}\n{replay.Tick}\n{JsonSerializer.Serialize(replay.Scenario.Policies, HubJson.Options)}";
}
