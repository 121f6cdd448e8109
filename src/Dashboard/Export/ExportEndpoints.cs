using System.IO.Compression;
using System.Text;
using MarketSim.Dashboard.Sessions;
using MarketSim.Model.Output;

namespace MarketSim.Dashboard.Export;

/// <summary>Downloads: a session's CSV files (the CLI's files, from the same writer) and its timeline as a scenario file.</summary>
public static class ExportEndpoints
{
    public static void MapExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sessions/{id}/export/csv.zip", async (string id, SessionDirectory sessions) =>
        {
            if (sessions.Find(id) is not { } s) return Results.NotFound($"No session \"{id}\".");
            var frames = (await s.Grain.GetFramesAsync(0)).Value;
            var world = (await s.Grain.GetScenarioAsync()).Value;
            var files = CsvExport.ToStrings(world, frames);
            var zip = new MemoryStream();
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
                foreach (var name in CsvTables.FileNames)
                {
                    await using var entry = new StreamWriter(archive.CreateEntry(name).Open(), new UTF8Encoding(false));
                    await entry.WriteAsync(files[name]);
                }
            zip.Position = 0;
            return Results.File(zip, "application/zip", $"{s.Id}-csv.zip");
        });

        app.MapGet("/sessions/{id}/export/timeline.yaml", async (string id, SessionDirectory sessions) =>
        {
            if (sessions.Find(id) is not { } s) return Results.NotFound($"No session \"{id}\".");
            var replay = await s.Grain.GetReplayAsync();
            var yaml = TimelineYaml.Write(s.Yaml, replay.Seed, replay.Scenario.Policies,
                $"timeline of dashboard session {s.Id} at tick {replay.Tick}, live changes included");
            return Results.File(Encoding.UTF8.GetBytes(yaml), "application/yaml", $"{s.Id}-timeline.yaml");
        });
    }
}
