using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MarketSim.Classrooms;
using MarketSim.Dashboard.Classrooms;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Security;
using MarketSim.Model.Simulation;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// Lookups by join code: every way of naming one (hub calls, downloads, pages, a classroom world's session id) counts an
/// unknown one against the caller's address, and where a token matters none tells a wrong token from a missing classroom.
/// Callers come from addresses of their own (127.0.0.N) so their quotas start from nothing.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class LookupTests(DashboardApp app)
{
    static readonly ClassroomSettings Small = new() { RoundTicks = 5, RoundSeconds = 0, Playable = ["CN", "JP", "US"], Capacity = 3 };

    ClientQuotas Quotas => app.Services.GetRequiredService<ClientQuotas>();
    DashboardLimits Limits => app.Services.GetRequiredService<DashboardLimits>();

    async Task<ClassroomCreated> NewClassAsync()
    {
        await using var teacher = await app.ConnectAsync(ClassroomHub.Path);
        return await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, Small);
    }

    string UnknownCode()
    {
        string code;
        do code = Tokens.NewCode(); while (app.Classrooms.Find(code) is not null);
        return code;
    }

    [Fact]
    public async Task Every_way_of_naming_a_code_counts_an_unknown_one_against_the_address()
    {
        var created = await NewClassAsync();
        var from = DashboardApp.NewAddress();
        var ip = from.ToString();
        await using var room = await app.ConnectFromAsync(from, ClassroomHub.Path);
        await using var sim = await app.ConnectFromAsync(from);
        using var http = app.HttpFrom(from);
        var policy = JsonDocument.Parse("""{"$kind":"tariff","id":"t","start":0,"importer":"JP","commodities":["dy_oxide"],"rate":0.1}""").RootElement;
        async Task Http(string url) => Assert.NotEqual(HttpStatusCode.OK, (await http.GetAsync(url)).StatusCode);
        var ways = new (string Way, Func<string, Task> Guess)[]
        {
            ("GetScoreboard", c => room.InvokeAsync<IReadOnlyList<ScoreRow>>("GetScoreboard", c)),
            ("GetView", c => room.InvokeAsync<StudentView>("GetView", c, "x")),
            ("Submit", c => room.InvokeAsync<IReadOnlyList<LeverChoice>>("Submit", c, "x", Array.Empty<LeverChoice>())),
            ("Start", c => room.InvokeAsync("Start", c, "x")),
            ("Advance", c => room.InvokeAsync<int>("Advance", c, "x")),
            ("Pause", c => room.InvokeAsync("Pause", c, "x")),
            ("Resume", c => room.InvokeAsync("Resume", c, "x")),
            ("Finish", c => room.InvokeAsync("Finish", c, "x")),
            ("EndClassroom", c => room.InvokeAsync("EndClassroom", c, "x")),
            ("RemoveSeat", c => room.InvokeAsync("RemoveSeat", c, "x", "s1")),
            ("Assign", c => room.InvokeAsync("Assign", c, "x", "s1", "CN")),
            ("SetBot", c => room.InvokeAsync("SetBot", c, "x", "s1", "passive")),
            ("AddBot", c => room.InvokeAsync<SeatInfo>("AddBot", c, "x", "CN", "passive")),
            ("FillWithBots", c => room.InvokeAsync<IReadOnlyList<SeatInfo>>("FillWithBots", c, "x", "passive")),
            ("Inject", c => room.InvokeAsync<string>("Inject", c, "x", policy, null)),
            ("Watch", c => room.InvokeAsync<ClassroomState>("Watch", c)),
            ("decisions.csv", c => Http($"/classrooms/{c}/export/decisions.csv?token=x")),
            ("scoreboard.csv", c => Http($"/classrooms/{c}/export/scoreboard.csv")),
            ("csv.zip of the world", c => Http($"/sessions/class-{c.ToLowerInvariant()}/export/csv.zip")),
            ("timeline.yaml of the world", c => Http($"/sessions/class-{c.ToLowerInvariant()}/export/timeline.yaml")),
            ("Subscribe to the world", c => sim.InvokeAsync<SubscribeResult>("Subscribe", "class-" + c.ToLowerInvariant(), 0)),
            ("GetFrames of the world", c => sim.InvokeAsync<FramePage>("GetFrames", "class-" + c.ToLowerInvariant(), 0)),
            ("GetStatus of the world", c => sim.InvokeAsync<SessionStatus>("GetStatus", "class-" + c.ToLowerInvariant())),
        };
        var limit = Limits.CodeGuessesPerMinute;
        try
        {
            Limits.CodeGuessesPerMinute = ways.Length + 1;
            var uncounted = new List<string>();
            foreach (var (way, guess) in ways)
            {
                var before = Quotas.RecentCodeGuesses(ip);
                try { await guess(UnknownCode()); }
                catch (HubException refusal) { Assert.DoesNotContain("too many", refusal.Message); }
                if (Quotas.RecentCodeGuesses(ip) != before + 1) uncounted.Add(way);
            }
            Assert.Empty(uncounted);

            // Over the budget, the real code waits too, whichever way it is named.
            Limits.CodeGuessesPerMinute = Quotas.RecentCodeGuesses(ip);
            var e = await Assert.ThrowsAsync<HubException>(() => room.InvokeAsync<IReadOnlyList<ScoreRow>>("GetScoreboard", created.Code));
            Assert.Contains("code: too many unknown codes tried from your address", e.Message);
            var download = await http.GetAsync($"/classrooms/{created.Code}/export/scoreboard.csv?token={created.InstructorToken}");
            Assert.Equal(HttpStatusCode.TooManyRequests, download.StatusCode);
            // Another address is not held back.
            await using var other = await app.ConnectFromAsync(DashboardApp.NewAddress(), ClassroomHub.Path);
            Assert.NotEmpty(await other.InvokeAsync<IReadOnlyList<ScoreRow>>("GetScoreboard", created.Code));
        }
        finally { Limits.CodeGuessesPerMinute = limit; }
    }

    [Fact]
    public async Task Downloads_answer_an_unknown_code_as_a_wrong_token_and_a_classrooms_world_needs_its_token()
    {
        var created = await NewClassAsync();
        using var http = app.HttpFrom(DashboardApp.NewAddress());
        var world = "class-" + created.Code.ToLowerInvariant();
        var unknown = "class-" + UnknownCode().ToLowerInvariant();
        var answers = new List<(string Url, HttpStatusCode Status, string Body)>();
        foreach (var url in new[]
        {
            $"/classrooms/{UnknownCode()}/export/decisions.csv?token={created.InstructorToken}",
            $"/classrooms/{created.Code}/export/decisions.csv?token=wrong",
            $"/classrooms/{created.Code}/export/scoreboard.csv",
            $"/sessions/{world}/export/csv.zip",
            $"/sessions/{world}/export/csv.zip?token=wrong",
            $"/sessions/{unknown}/export/csv.zip",
            $"/sessions/{world}/export/timeline.yaml",
            $"/sessions/{unknown}/export/timeline.yaml",
        })
        {
            var r = await http.GetAsync(url);
            answers.Add((url, r.StatusCode, await r.Content.ReadAsStringAsync()));
        }
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.Forbidden, answers[0].Body), (a.Status, a.Body)));
        Assert.DoesNotContain(created.Code, answers[0].Body);

        // The instructor's token opens them all.
        foreach (var url in new[]
        {
            $"/classrooms/{created.Code}/export/decisions.csv",
            $"/sessions/{world}/export/csv.zip",
            $"/sessions/{world}/export/timeline.yaml",
        })
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{url}?token={Uri.EscapeDataString(created.InstructorToken)}")).StatusCode);
    }

    [Fact]
    public async Task The_projector_page_is_the_same_for_every_code_until_it_is_interactive()
    {
        var created = await NewClassAsync();
        using var http = app.HttpFrom(DashboardApp.NewAddress());
        var unknown = UnknownCode();
        var real = await http.GetStringAsync($"/classroom/{created.Code}/screen");
        var none = await http.GetStringAsync($"/classroom/{unknown}/screen");
        Assert.DoesNotContain("no classroom", none);
        // Blazor's prerendered markers differ per request; the page's own text does not.
        string Text(string html) => System.Text.RegularExpressions.Regex.Replace(html, "<!--.*?-->|<[^>]*>", "").Replace(created.Code, "CODE").Replace(unknown, "CODE");
        Assert.Equal(Text(none), Text(real));
    }
}
