using System.Text;
using MarketSim.Classrooms;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>
/// The instructor's downloads (the token in the query string; students' names are in them): every decision, the
/// scoreboard, and the session's own CSV files under /sessions/{id}/export/csv.zip.
/// </summary>
public static class ClassroomExports
{
    public static void MapClassroomExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/classrooms/{code}/export/decisions.csv", (string code, string? token, ClassroomDirectory rooms) =>
            Instructor(rooms, code, token, host => Task.FromResult(ClassroomRecord.DecisionsCsv(host.Room.Scenario, host.Room.Log.ToList())),
                "decisions"));

        app.MapGet("/classrooms/{code}/export/scoreboard.csv", (string code, string? token, ClassroomDirectory rooms) =>
            Instructor(rooms, code, token, async host => ClassroomRecord.ScoreboardCsv(await host.ScoreboardAsync(), host.Room.Scenario.Currency),
                "scoreboard"));
    }

    static async Task<IResult> Instructor(ClassroomDirectory rooms, string code, string? token, Func<ClassroomHost, Task<string>> csv, string name)
    {
        if (rooms.Find(code) is not { } host) return Results.NotFound($"code: no classroom \"{code}\"");
        try { await host.RequireInstructorAsync(token); }
        catch (ClassroomError e) { return Results.Text(e.Message + "\n", statusCode: StatusCodes.Status403Forbidden); }
        return Results.File(Encoding.UTF8.GetBytes(await csv(host)), "text/csv", $"classroom-{host.Code}-{name}.csv");
    }
}
