using MarketSim.Model.Policies;
using MarketSim.Model.Simulation;

namespace MarketSim.Dashboard.Hubs;

// The messages of /hubs/simulation (docs/ARCHITECTURE.md, "Dashboard and hub contract"). JSON, camelCase, enums as
// snake_case strings, NaN/Infinity as strings, policies polymorphic on "$kind" (HubJson). Changing a shape here changes the
// public contract: update the document and the contract tests with it.

/// <summary>Names of the messages the server sends to subscribed clients.</summary>
public static class HubMessages
{
    /// <summary><see cref="FrameMessage"/>: one per tick, in tick order, to every subscriber of the session.</summary>
    public const string Frame = "Frame";
    /// <summary>string sessionId: the session restarted at tick 0; drop its frames.</summary>
    public const string Reset = "Reset";
    /// <summary><see cref="SessionStatus"/>: playing/paused, speed, tick; on every control change and when a run stops.</summary>
    public const string Status = "Status";
    /// <summary><see cref="PolicyChangeMessage"/>: the timeline changed (a live change by any viewer).</summary>
    public const string PolicyChanged = "PolicyChanged";
    /// <summary>string sessionId: the session was ended (EndSession) and its grains freed; it is gone.</summary>
    public const string Ended = "Ended";
}

/// <param name="EmittedAt">When the web host received the frame from the session grain (for latency measurement only).</param>
public sealed record FrameMessage(string SessionId, Frame Frame, DateTimeOffset EmittedAt);

/// <param name="Tick">The next tick to run (= frames so far).</param>
/// <param name="TicksPerSecond">Play speed.</param>
/// <param name="TargetTick">Set while a "run to" is in progress.</param>
/// <param name="Horizon">The scenario's days: play stops there.</param>
/// <param name="Error">Set when the session ended on an error recomputing did not fix (a tick failed twice the same way):
/// Play, Step and RunTo are refused with it until Reset.</param>
/// <param name="Notice">Why the server paused a session that was playing (its host over its memory budget), until Play, Step
/// or RunTo runs it again.</param>
public sealed record SessionStatus(string SessionId, int Tick, bool Playing, double TicksPerSecond, int? TargetTick, int Horizon, string? Error = null,
    string? Notice = null);

/// <param name="EffectiveTick">The first tick the change reaches.</param>
/// <param name="Description">Human-readable: "set cn-dy-ban-jp: CN export ban on dy_oxide to JP (all use)".</param>
/// <param name="Policies">The whole timeline after the change.</param>
public sealed record PolicyChangeMessage(string SessionId, int EffectiveTick, string Description, IReadOnlyList<PolicySpec> Policies);

public sealed record CountryInfo(string Id, string Name, double Gdp);
public sealed record CommodityInfo(string Id, string Name, string Unit, double ReferencePrice, double MaxPrice);
/// <summary>A price segment: its id (as in prices.csv) and what a chart's legend calls it ("in China", "outside China").</summary>
public sealed record MarketInfo(string Id, string Name);

/// <summary>What a client needs to label a session's frames.</summary>
public sealed record SessionInfo(
    string SessionId, string Title, string Scenario, DateOnly StartDate, int Days, string Currency, ulong Seed,
    IReadOnlyList<CountryInfo> Countries, IReadOnlyList<CommodityInfo> Commodities, IReadOnlyList<MarketInfo> Markets,
    string? ForkedFrom, int? ForkTick);

/// <summary>
/// The answer to Subscribe: the frames from the requested tick, at most one page (MaxFramesPerCall, 50 by default); live
/// frames follow as messages. <paramref name="More"/>: the history goes on; ask GetFrames from the tick after the last frame.
/// </summary>
public sealed record SubscribeResult(SessionInfo Session, SessionStatus Status, IReadOnlyList<Frame> Frames, IReadOnlyList<PolicySpec> Policies, bool More = false);

/// <summary>The answer to GetFrames: one page of a session's history from <paramref name="FromTick"/>.</summary>
public sealed record FramePage(string SessionId, int FromTick, IReadOnlyList<Frame> Frames, bool More);
