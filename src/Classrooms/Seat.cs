using MarketSim.Model.Policies;

namespace MarketSim.Classrooms;

/// <summary>Who a token belongs to. Observers (the projector) hold no token: they only read, with the join code.</summary>
public enum ClassroomRole { Instructor, Student }

public enum ClassroomPhase { Lobby, Open, Running, Paused, Finished }

/// <summary>A bad request to a classroom: which field (or hub argument) and what is wrong. Nothing was changed.</summary>
public sealed class ClassroomError(string field, string message) : Exception($"{field}: {message}")
{
    public string Field { get; } = field;
}

/// <summary>
/// A place in the classroom: a student (with a bot standing in while they are away) or a bot. The token is the seat's
/// only credential: unguessable, never shown to anyone but the seat's holder.
/// </summary>
public sealed class Seat
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Country { get; set; }
    public required string Token { get; init; }
    /// <summary>False for a seat created for a bot.</summary>
    public required bool Human { get; init; }
    /// <summary>The strategy of the bot holding the seat now (a bot seat, or a student's seat while they are away); null: the student.</summary>
    public string? Bot { get; set; }
    /// <summary>The bot is a stand-in while the student is away (<see cref="Classroom.Dropped"/>): the student's return or
    /// submission hands the seat back. False for a bot the teacher put on the seat.</summary>
    public bool StandIn { get; set; }
    public bool Connected { get; set; }
    /// <summary>The last round this seat submitted in (0: none).</summary>
    public int SubmittedRound { get; set; }
    /// <summary>Real-time classes: the round the counts below are for, its submissions so far and the one-off levers used.</summary>
    public int AllowanceRound { get; set; }
    public int SubmissionsThisRound { get; set; }
    public HashSet<string> OneOffsThisRound { get; set; } = new(StringComparer.Ordinal);
}

public sealed record Caller(ClassroomRole Role, Seat? Seat);

/// <summary>One line of the classroom's log: a lever decision (by a student, a bot or the teacher) or an injected event.</summary>
public sealed record Decision(int Round, int Tick, DateTimeOffset At, string SeatId, string Name, string Country, string LeverId,
    double Value, string By, string Description)
{
    /// <summary>An injected policy (teacher's event); null for lever decisions.</summary>
    public PolicySpec? Injected { get; init; }
    /// <summary>An injected removal of a policy by id (e.g. lifting a scenario's control).</summary>
    public string? Removed { get; init; }
}

/// <summary>A lever value submitted by a student or a bot, before the round closes.</summary>
public sealed record LeverChoice(string Lever, double Value);
