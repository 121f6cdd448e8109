using MarketSim.Dashboard.Components.Classroom;
using MarketSim.Dashboard.Hosting;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>
/// A class preset: a documented set of the create page's settings and an opening event, nothing else. It changes no model
/// parameter and no scenario value: the round length decides how much of the year each round shows, and the opening event
/// is an ordinary teacher's event (InjectPanel's), made on day 0, logged, in the news and the debrief, and part of the
/// world the score is counted against only as the class's own decision (docs/CLASSROOM.md, "Class presets").
/// </summary>
/// <param name="OpeningEvent">The key of an <see cref="InjectPanel.Presets"/> event injected on day 0; null: none.</param>
public sealed record ClassPreset(string Key, string Name, string Description, string Scenario, int RoundTicks, int RoundSeconds, string? OpeningEvent);

public static class ClassPresets
{
    public static readonly IReadOnlyList<ClassPreset> All =
    [
        new("lesson", "A 50-minute lesson",
            "6 rounds of 60 days (the year's first ~12 months in 6 rounds), 4 minutes each; opening event on day 0: China halts Dy, Tb and magnet exports to Japan (as in Sep 2010)",
            ScenarioCatalog.DefaultFile, 60, 240, "cn-jp-halt"),
        new("demo", "A 20-minute demonstration",
            "4 rounds of 90 days, 3 minutes each; opening event on day 0: China halts Dy, Tb and magnet exports to Japan (as in Sep 2010)",
            ScenarioCatalog.DefaultFile, 90, 180, "cn-jp-halt"),
        new("month", "Month by month (no opening event)",
            "30-day rounds of 3 minutes and the scenario as it is; stocks cushion the first months, so effects show after several rounds",
            ScenarioCatalog.DefaultFile, 30, 180, null),
    ];

    public static ClassPreset? Find(string? key) => All.FirstOrDefault(p => p.Key == key);

    /// <summary>Makes the preset's opening event (if any) in a class still in its lobby, as the teacher's first event.</summary>
    public static async Task OpenAsync(ClassroomHost host, string token, ClassPreset preset)
    {
        if (preset.OpeningEvent is null) return;
        var e = InjectPanel.Presets.First(p => p.Key == preset.OpeningEvent);
        await host.InjectAsync(token, e.Make?.Invoke(host.State().Tick, 1), e.RemoveId);
    }
}
