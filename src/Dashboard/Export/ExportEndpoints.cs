using System.Text;
using MarketSim.Dashboard.Classrooms;
using MarketSim.Dashboard.Sessions;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Export;

/// <summary>
/// Downloads: a session's CSV files (the CLI's files, from the same writer) and its timeline as a scenario file. A
/// classroom's world ("class-CODE") is the instructor's download: it needs the classroom's instructor token, and answers
/// an unknown code as a wrong token (<see cref="ClassroomExports"/>).
/// </summary>
public static class ExportEndpoints
{
    public static void MapExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sessions/{id}/export/csv.zip", async (HttpContext http, string id, string? token, SessionDirectory sessions,
            ClassroomDirectory rooms, CsvZips zips) =>
        {
            var (s, refusal) = await FindAsync(http, id, token, sessions, rooms);
            if (s is null) return refusal!;
            var zip = await zips.GetAsync(s, ClassroomExports.ClientOf(http) ?? "unknown");
            if (zip is null)
            {
                http.Response.Headers.RetryAfter = "5";
                return Results.Text("busy: the server is building other CSV downloads (MaxExports, MaxExportsPerClient); retry in a few seconds\n",
                    statusCode: StatusCodes.Status429TooManyRequests);
            }
            return Results.File(zip, "application/zip", $"{s.Id}-csv.zip");
        });

        app.MapGet("/sessions/{id}/export/timeline.yaml", async (HttpContext http, string id, string? token, SessionDirectory sessions,
            ClassroomDirectory rooms) =>
        {
            var (s, refusal) = await FindAsync(http, id, token, sessions, rooms);
            if (s is null) return refusal!;
            var replay = await s.Grain.GetReplayAsync();
            var yaml = TimelineYaml.Write(s.Yaml, replay.Seed, replay.Scenario.Policies,
                $"timeline of dashboard session {s.Id} at tick {replay.Tick}, live changes included");
            return Results.File(Encoding.UTF8.GetBytes(yaml), "application/yaml", $"{s.Id}-timeline.yaml");
        });
    }

    /// <summary>The session to download, or the answer: 404 for an id that names no session (held to the id rules, cut in
    /// the message); for a classroom's world, the classroom's answer to its code and token.</summary>
    static async Task<(SessionEntry?, IResult?)> FindAsync(HttpContext http, string id, string? token, SessionDirectory sessions, ClassroomDirectory rooms)
    {
        if (SessionDirectory.ClassroomCodeOf(id) is { } code)
        {
            var (host, refusal) = await ClassroomExports.AuthorizeAsync(http, rooms, code, token);
            return (host?.Session, refusal);
        }
        if (SessionDirectory.IdProblem(id) is null && sessions.Find(id) is { } s) return (s, null);
        return (null, Results.NotFound($"No session \"{ErrorLimits.Short(id)}\"."));
    }
}
