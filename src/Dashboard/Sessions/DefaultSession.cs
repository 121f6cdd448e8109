using MarketSim.Dashboard.Hosting;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Sessions;

/// <summary>
/// Creates the session the start page opens with: the default scenario (china-japan-2026), ready at tick 0. Runs before
/// Kestrel listens, so the first request already finds it. <c>MarketSim:DefaultSession=false</c> turns it off.
/// </summary>
public sealed class DefaultSession(SessionDirectory sessions, Classrooms.ClassroomDirectory classrooms, ScenarioCatalog catalog, IConfiguration config, ILogger<DefaultSession> log)
    : IHostedService
{
    public const string Id = "default";

    public async Task StartAsync(CancellationToken ct)
    {
        if (!config.GetValue("MarketSim:DefaultSession", true)) return;
        if (catalog.Find(ScenarioCatalog.DefaultFile) is not { } shipped)
        {
            log.LogWarning("No scenarios/{File} found (looked up from the content root; set MarketSim:ScenariosPath): no default session",
                ScenarioCatalog.DefaultFile);
            return;
        }
        var scenario = ScenarioLoader.LoadOrThrow(shipped.Path);
        await sessions.CreateAsync(scenario, await File.ReadAllTextAsync(shipped.Path, ct), id: Id, title: $"{scenario.Name} (default)");
    }

    public async Task StopAsync(CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await classrooms.DisposeAllAsync(); // round timers first: they drive sessions
        var roomsDone = watch.Elapsed.TotalSeconds;
        await sessions.DisposeAllAsync();
        // How long the host's own part of a stop took (the silo's deactivations come after): a slow stop says where it went.
        log.LogInformation("Stopping: classrooms' timers stopped in {Rooms:0.0} s, {Sessions} sessions' clocks in {Clocks:0.0} s",
            roomsDone, sessions.All.Count, watch.Elapsed.TotalSeconds - roomsDone);
    }
}
