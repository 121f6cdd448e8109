using MarketSim.Classrooms;

namespace MarketSim.Dashboard.Classrooms;

// The messages of /hubs/classroom (docs/ARCHITECTURE.md, "Classroom hub"). Tokens appear only in the answers to the one
// caller they belong to (CreateClassroom, Join, Rejoin); the state broadcast to everyone carries none.

public sealed record ClassroomCreated(string Code, string InstructorToken, string SessionId);

public sealed record SeatGrant(string Code, string SeatId, string Token, string Name, string? Country, string SessionId);

public sealed record SeatInfo(string Id, string Name, string? Country, bool Human, string? Bot, bool Connected, bool Submitted);

public sealed record ClassroomState(string Code, string Scenario, string SessionId, ClassroomPhase Phase, int Round, int Tick,
    int Horizon, DateOnly Date, DateTimeOffset? Deadline, RoundMode Mode, int RoundTicks, IReadOnlyList<string> Playable,
    IReadOnlyList<SeatInfo> Seats, bool AllSubmitted, ScoreWeights ScoreWeights);

public sealed record LeverView(string Id, string Kind, string Label, string Unit, double Min, double Max, double Value, bool Persistent)
{
    /// <summary>What it acts on, in words, for a form that shows the kind as a heading (<see cref="MarketSim.Classrooms.Lever.Subject"/>).</summary>
    public string Subject { get; init; } = "";
}

/// <summary>A student's country in numbers: what the scoreboard shows for it (<see cref="ScoreRow"/>), with its rank of
/// <see cref="Ranked"/> countries, and the stockpile it has ordered.</summary>
public sealed record CountryHeadline(string Country, string Name, double Loss, double GdpShare, double FiscalCost, double Shortage,
    double StockpileOrdered, string Currency)
{
    public int Rank { get; init; }
    public int Ranked { get; init; }
    /// <summary>False while every country's score is 0 (the class has changed nothing yet): then there is no rank to show.</summary>
    public bool Differs { get; init; }
    /// <summary>The last round's ticks [from, to), and the country's leading indicators over them in the class's world and in
    /// the world nobody played (<see cref="LeadingIndicators"/>).</summary>
    public (int From, int To) Window { get; init; }
    public LeadingIndicators? Played { get; init; }
    public LeadingIndicators? Unplayed { get; init; }
    public double Score { get; init; }
    public ScoreParts Parts { get; init; } = new(0, 0, 0, 0);
    public double ExportRevenue { get; init; }
    public double ExportRent { get; init; }
}

/// <summary>What a student sees: their seat, their country's numbers and levers, the round, the news.</summary>
public sealed record StudentView(SeatInfo Seat, ClassroomState Classroom, CountryHeadline? Headline, IReadOnlyList<LeverView> Levers,
    IReadOnlyList<LeverChoice> Submitted, IReadOnlyList<string> News)
{
    /// <summary>The policies the seat may still add in this class (its share of the session's: docs/CLASSROOM.md).</summary>
    public int PoliciesLeft { get; init; }
    /// <summary>What the world's events said of the seat's country, latest first ("date · event"): its stockpiles' releases and
    /// refills, controls and tariffs that name it starting and ending, its capacity coming online, its producers'
    /// expansions (at most 12).</summary>
    public IReadOnlyList<string> Happened { get; init; } = [];
}

/// <summary>Broadcast to the classroom's group when something happened (decisions applied, an event injected).</summary>
public sealed record NewsMessage(string Code, int Round, int Tick, IReadOnlyList<string> Items);

public static class ClassroomMessages
{
    public const string State = "Classroom", News = "News";
    /// <summary>Sent with the join code when the instructor ends the classroom for good.</summary>
    public const string Ended = "ClassroomEnded";
}
