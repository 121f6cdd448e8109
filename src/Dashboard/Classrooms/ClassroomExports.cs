using System.Text;
using MarketSim.Classrooms;
using MarketSim.Dashboard.Security;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>
/// The instructor's downloads (the token in the query string; students' names are in them): every decision, the
/// scoreboard, and the session's own CSV files under /sessions/{id}/export/csv.zip (with the same token for a classroom's
/// world). An unknown code and a wrong token get the same answer (403, one sentence), so a download tells nobody whether
/// a code exists; unknown codes count against the address's code guesses, and past them the answer is 429.
/// </summary>
public static class ClassroomExports
{
    /// <summary>The one answer to an unknown code and to a wrong token alike.</summary>
    public const string Refused = "code, token: no classroom here with this code and instructor's token (download it from the instructor's console)\n";

    public static void MapClassroomExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/classrooms/{code}/export/decisions.csv", (HttpContext http, string code, string? token, ClassroomDirectory rooms) =>
            Instructor(http, rooms, code, token, host => Task.FromResult(ClassroomRecord.DecisionsCsv(host.Room.Scenario, host.Room.Log.ToList())),
                "decisions"));

        app.MapGet("/classrooms/{code}/export/scoreboard.csv", (HttpContext http, string code, string? token, ClassroomDirectory rooms) =>
            Instructor(http, rooms, code, token, async host => ClassroomRecord.ScoreboardCsv(await host.ScoreboardAsync(), host.Room.Scenario.Currency),
                "scoreboard"));
    }

    static async Task<IResult> Instructor(HttpContext http, ClassroomDirectory rooms, string code, string? token, Func<ClassroomHost, Task<string>> csv, string name)
    {
        var (host, refusal) = await AuthorizeAsync(http, rooms, code, token);
        if (host is null) return refusal!;
        return Results.File(Encoding.UTF8.GetBytes(await csv(host)), "text/csv", $"classroom-{host.Code}-{name}.csv");
    }

    /// <summary>
    /// The classroom of <paramref name="code"/> when <paramref name="token"/> is its instructor's; otherwise the answer to
    /// give: 403 <see cref="Refused"/> for an unknown code and a wrong token alike, 429 when the address guessed too often.
    /// </summary>
    public static async Task<(ClassroomHost? Host, IResult? Refusal)> AuthorizeAsync(HttpContext http, ClassroomDirectory rooms, string? code, string? token)
    {
        try
        {
            var host = rooms.FindFor(code, ClientOf(http));
            if (host is null) return (null, Forbidden());
            await host.RequireInstructorAsync(token);
            return (host, null);
        }
        catch (QuotaException e) { return (null, Results.Text(e.Message + "\n", statusCode: StatusCodes.Status429TooManyRequests)); }
        catch (ClassroomError) { return (null, Forbidden()); }
    }

    static IResult Forbidden() => Results.Text(Refused, statusCode: StatusCodes.Status403Forbidden);

    /// <summary>The caller's address as the hubs see it (null: not counted).</summary>
    public static string? ClientOf(HttpContext http) => MarketSim.Dashboard.Security.ClientAddress.Of(http.Connection.RemoteIpAddress);
}
