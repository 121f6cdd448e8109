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
            return zip is null ? Busy(http, "CSV") : Results.File(zip, "application/zip", $"{s.Id}-csv.zip");
        });

        app.MapGet("/sessions/{id}/export/timeline.yaml", async (HttpContext http, string id, string? token, SessionDirectory sessions,
            ClassroomDirectory rooms, TimelineFiles timelines) =>
        {
            var (s, refusal) = await FindAsync(http, id, token, sessions, rooms);
            if (s is null) return refusal!;
            // A session this host adopted from the cluster came without its scenario file (SessionDirectory): its timeline,
            // the upload with the session's policies, can only be written by the host that started it. Before Dec 2026 the
            // build threw on the empty text and answered 500, again at every try (a review).
            if (s.Yaml.Length == 0)
                return Results.Text($"timeline.yaml: session {s.Id} was started on another web host of the cluster, which holds its scenario file; " +
                    "download its timeline there (its CSV files can be downloaded here)\n", "text/plain", Encoding.UTF8, StatusCodes.Status409Conflict);
            var yaml = await timelines.GetAsync(s, ClassroomExports.ClientOf(http) ?? "unknown");
            return yaml is null ? Busy(http, "timeline") : Results.File(Encoding.UTF8.GetBytes(yaml), "application/yaml", $"{s.Id}-timeline.yaml");
        });
    }

    /// <summary>429 with Retry-After: the bounds on downloads being built at once are met (docs/SECURITY.md).</summary>
    static IResult Busy(HttpContext http, string what)
    {
        http.Response.Headers.RetryAfter = "5";
        return Results.Text($"busy: the server is building other {what} downloads (MaxExports, MaxExportsPerClient); retry in a few seconds\n",
            statusCode: StatusCodes.Status429TooManyRequests);
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
