using MarketSim.Dashboard.Classrooms;
using MarketSim.Classrooms;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// Class presets (docs/CLASSROOM.md, "Class presets"): settings and an opening event, no model parameter. The lesson preset
/// shows consequences within its first rounds even when nobody moves a lever; the scenario as it is shows none, and then the
/// scoreboard says so instead of ranking.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ClassPresetTests(DashboardApp app)
{
    async Task<(ClassroomHost Host, string Token)> CreateAsync(ClassPreset preset)
    {
        var created = await app.Classrooms.CreateAsync(preset.Scenario, null,
            new ClassroomSettings { RoundTicks = preset.RoundTicks, RoundSeconds = 0 }); // no timer in a test
        var host = app.Classrooms.Find(created.Code)!;
        await ClassPresets.OpenAsync(host, created.InstructorToken, preset);
        return (host, created.InstructorToken);
    }

    [Fact]
    public async Task The_lesson_preset_shows_differences_within_four_rounds_and_logs_its_opening_event()
    {
        var preset = ClassPresets.Find("lesson")!;
        var (host, token) = await CreateAsync(preset);
        var opening = Assert.Single(host.Room.Log);
        Assert.Equal(0, opening.Tick);
        Assert.Equal("instructor", opening.By);
        await host.StartAsync(token);
        var rows = await host.ScoreboardAsync();
        // Within four rounds the class sees the halt cost Japan (differences elsewhere, e.g. China's export revenue, may show first).
        bool JapanPays() => Scoreboard.Differs(rows) && rows.Single(r => r.Country == "JP").Score < 0;
        for (var round = 1; round <= 4 && !JapanPays(); round++)
        {
            await host.AdvanceAsync(token);
            rows = await host.ScoreboardAsync();
        }
        Assert.True(Scoreboard.Differs(rows), $"after {host.State().Tick} days the scores are all {rows[0].Score}");
        var japan = rows.Single(r => r.Country == "JP");
        Assert.True(japan.Score < 0, $"Japan's score {japan.Score}: the halt should cost it");
    }

    [Fact]
    public async Task Without_an_opening_event_an_untouched_class_shows_no_differences()
    {
        var (host, token) = await CreateAsync(ClassPresets.Find("month")!);
        Assert.Empty(host.Room.Log);
        await host.StartAsync(token);
        await host.AdvanceAsync(token);
        Assert.False(Scoreboard.Differs(await host.ScoreboardAsync()));
    }
}
