using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Grains.Interfaces;

/// <summary>
/// One simulation session, keyed by its id (no '/'): owns the clock, the policy timeline and the history of frames, and
/// drives the tick over shards, countries and markets exactly as <see cref="ReferenceRunner.Step"/> does.
/// </summary>
public interface ISessionGrain : IMarketSimGrain
{
    /// <summary>(Re)starts the session at tick 0 with this scenario and seed; every shard, country and market is initialised. A scenario with a
    /// spin-up (ScenarioSpec.SpinUpDays) starts at its first day, below 0: <c>SessionGrainExtensions.SpinUpAsync</c> steps it
    /// to 0 in calls of bounded length (the extension StartAsync does both).</summary>
    Task StartAsync(Immutable<ScenarioSpec> scenario, ulong seed, SessionSettings settings);

    /// <summary>Runs <paramref name="ticks"/> ticks from day 0 or the next tick, whichever is later (what remains of a spin-up runs
    /// first); returns the next tick to run.</summary>
    Task<int> StepAsync(int ticks);

    /// <summary>Runs until the next tick to run is <paramref name="tick"/> (no-op if already there or past); returns it.</summary>
    Task<int> RunToAsync(int tick);

    /// <summary>The next tick to run (= the number of frames so far; below 0 while a spin-up remains, with no frames).</summary>
    [AlwaysInterleave] Task<int> GetTickAsync();

    /// <summary>The frames of ticks ≥ <paramref name="fromTick"/>, in tick order.</summary>
    [AlwaysInterleave] Task<Immutable<IReadOnlyList<Frame>>> GetFramesAsync(int fromTick);

    /// <summary>At most <paramref name="maxCount"/> frames of ticks ≥ <paramref name="fromTick"/>, in tick order (a page of the history).</summary>
    [AlwaysInterleave] Task<Immutable<IReadOnlyList<Frame>>> GetFramePageAsync(int fromTick, int maxCount);

    [AlwaysInterleave] Task<Immutable<ScenarioSpec>> GetScenarioAsync();

    /// <summary>Part <paramref name="part"/> of the world of run <paramref name="generation"/>, serialised (for
    /// <see cref="SessionWorlds"/>: a world of a million firms is ≈200 MB, and one message that size stays in Orleans' pooled
    /// buffers at both ends for the life of the process); a member of another run gets <c>MemberStateLostException</c>.</summary>
    [AlwaysInterleave] Task<WorldPart> GetWorldPartAsync(string generation, int part);

    /// <summary>The policy timeline, including changes that take effect at the next tick.</summary>
    [AlwaysInterleave] Task<Immutable<IReadOnlyList<PolicySpec>>> GetPoliciesAsync();

    /// <summary>
    /// Adds a policy, or replaces the one with the same id (same kind only), effective from the next tick: a start before it
    /// is moved to it. Unknown countries, commodities or producers throw <see cref="ArgumentException"/> and change nothing.
    /// Called while a tick runs, the change waits for that tick to end. Returns the first tick the policy is in force.
    /// </summary>
    [AlwaysInterleave] Task<int> SetPolicyAsync(PolicySpec policy);

    /// <summary>
    /// <see cref="SetPolicyAsync"/> refused (<see cref="ArgumentException"/>, changing nothing) if the session would then hold
    /// more than <paramref name="maxPolicies"/> policies, versions included: checked with the change in one step, so callers
    /// at once cannot pass the limit together (a count read before the call could be passed by 40 at once: a review, Dec 2026).
    /// </summary>
    [AlwaysInterleave] Task<int> SetPolicyWithinAsync(PolicySpec policy, int maxPolicies);

    /// <summary>
    /// Several changes at once, in order, all from the next tick: all are checked (each against the timeline the ones before
    /// it leave) before any applies, so a bad one changes nothing; the timeline is stored once. A classroom's round.
    /// Returns the tick the changes apply from. Concurrent calls store their timelines one at a time, the latest last.
    /// </summary>
    [AlwaysInterleave] Task<int> ChangePoliciesAsync(IReadOnlyList<PolicyChange> changes);

    /// <summary>Ends a policy at the next tick (drops it if it has not started). Unknown id: <see cref="ArgumentException"/>.</summary>
    /// <returns>The tick from which the policy is no longer in force.</returns>
    [AlwaysInterleave] Task<int> RemovePolicyAsync(string policyId);

    /// <summary>
    /// Pushes every new frame (and restarts) to <paramref name="observer"/> until it unsubscribes or 5 minutes pass without
    /// a renewed subscription (<see cref="SessionObservers.Expiry"/>). Subscribing again renews it.
    /// </summary>
    [AlwaysInterleave] Task SubscribeAsync(ISessionObserver observer);

    [AlwaysInterleave] Task UnsubscribeAsync(ISessionObserver observer);

    /// <summary>The scenario with the current timeline, the seed and the next tick, read between ticks: what a fork replays.</summary>
    Task<SessionReplay> GetReplayAsync();

    /// <summary>Writes a checkpoint of the whole session now (e.g. at pause); returns the committed tick.</summary>
    Task<int> CheckpointAsync();

    /// <summary>Where this activation's ticks spent their time (for bench/: the serial share of a tick).</summary>
    [AlwaysInterleave] Task<SessionTimings> GetTimingsAsync();

    /// <summary>The distinct silos hosting this session's grains (session, shards, countries, markets).</summary>
    Task<IReadOnlyList<string>> GetSilosAsync();
}

/// <summary>
/// Sums over the ticks this session activation ran: <see cref="Serial"/> is the session grain's own computing (Begin, Gather,
/// Route, Finish: one thread, whatever the cluster's size); <see cref="Clear"/> the wait for the markets' clearing (a few
/// grains, one per commodity); <see cref="Wall"/> whole ticks. Seconds.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SessionTimings([property: Id(0)] int Ticks, [property: Id(1)] double Serial, [property: Id(2)] double Clear, [property: Id(3)] double Wall);

/// <summary>A part of a serialised world: its bytes, the world's length and number of parts, and which serialisation it is
/// of (a session that serialises the world again gives it a new token; parts of two are never put together).</summary>
[GenerateSerializer, Immutable]
public sealed record WorldPart([property: Id(0)] byte[] Bytes, [property: Id(1)] int Parts, [property: Id(2)] int Length, [property: Id(3)] Guid Token);
