using MarketSim.Model.Scenario;

namespace MarketSim.Classrooms;

/// <summary>Rounds: students submit, the round closes (teacher or timer), the world runs a round. RealTime: decisions apply from the next tick while the world plays.</summary>
public enum RoundMode { Rounds, RealTime }

/// <summary>Auto: the country with the fewest seats. Choose: the student picks a playable country. Teacher: seats wait for the teacher.</summary>
public enum SeatAssignment { Auto, Choose, Teacher }

public sealed record ClassroomSettings
{
    /// <summary>Simulated days per round (30 ≈ one month).</summary>
    public int RoundTicks { get; init; } = 30;
    /// <summary>Wall-clock limit of a round; when it passes the round closes as if the teacher advanced. 0: no limit.</summary>
    public int RoundSeconds { get; init; } = 180;
    /// <summary>Countries students may play; empty: every country that holds a lever.</summary>
    public IReadOnlyList<string> Playable { get; init; } = [];
    public RoundMode Mode { get; init; } = RoundMode.Rounds;
    public SeatAssignment Assignment { get; init; } = SeatAssignment.Auto;
    /// <summary>Most human seats (bots are not counted).</summary>
    public int Capacity { get; init; } = 60;
    /// <summary>When a student's connection drops, a passive bot keeps the seat until the student returns.</summary>
    public bool BotTakeover { get; init; } = true;
    /// <summary>How the scoreboard weighs each country's loss, fiscal cost, export revenue and export rent (<see cref="Classrooms.ScoreWeights"/>).</summary>
    public ScoreWeights ScoreWeights { get; init; } = new();

    /// <summary>Every problem, as "field: what is wrong"; empty when the settings fit the scenario.</summary>
    public IReadOnlyList<string> Problems(ScenarioSpec world)
    {
        var problems = new List<string>();
        if (RoundTicks is < 1 or > 365) problems.Add($"roundTicks: {RoundTicks} is outside 1–365");
        if (RoundSeconds is < 0 or > 3600) problems.Add($"roundSeconds: {RoundSeconds} is outside 0–3600");
        if (Capacity is < 1 or > 500) problems.Add($"capacity: {Capacity} is outside 1–500");
        var holders = LeverCatalog.Countries(world);
        // A client's JSON may send null for a list: refuse it by name rather than fail on it.
        if (Playable is null) { problems.Add("playable: is null; leave it out (or []) for every country that holds a lever"); return problems; }
        if (Playable.Any(c => c is null)) { problems.Add("playable: a country is null"); return problems; }
        foreach (var c in Playable)
            if (!holders.Contains(c))
                problems.Add(world.Countries.Any(x => x.Id == c)
                    ? $"playable: country \"{ErrorLimits.Short(c)}\" holds no lever in this scenario"
                    : $"playable: unknown country \"{ErrorLimits.Short(c)}\"");
        if (Playable.Distinct().Count() != Playable.Count) problems.Add("playable: a country is listed twice");
        if (ScoreWeights is null) problems.Add("scoreWeights: is null; leave it out for the defaults");
        else problems.AddRange(ScoreWeights.Problems());
        return problems;
    }

    public IReadOnlyList<string> PlayableIn(ScenarioSpec world) => Playable.Count > 0 ? Playable : LeverCatalog.Countries(world);
}
