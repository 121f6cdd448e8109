using System.Globalization;
using System.Text.Json;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Security;
using MarketSim.Grains.Session;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Sessions;

/// <summary>
/// What /hubs/simulation and the pages may do to a session, in one place so both answer alike: every method checks its
/// arguments first and answers a bad one with a <see cref="HubException"/> ("argument: what is wrong") before anything
/// changes. The hub passes its caller's connection and address; a page passes its feed's id and its browser's address.
/// </summary>
public sealed class SessionControl(SessionDirectory sessions, FrameRelay relay, ClientQuotas quotas)
{
    public ClientQuotas Quotas => quotas;

    /// <summary>One page of a session's history from <paramref name="fromTick"/> (at most MaxFramesPerCall frames) and whether more follow.</summary>
    public async Task<(IReadOnlyList<Frame> Frames, bool More)> PageAsync(SessionEntry s, int fromTick)
    {
        var max = Math.Max(1, quotas.Limits.MaxFramesPerCall);
        var frames = (await s.Grain.GetFramePageAsync(fromTick, max)).Value;
        var more = frames.Count == max && await s.Grain.GetTickAsync() > fromTick + frames.Count;
        return (frames, more);
    }

    public async Task<SessionStatus> PlayAsync(string? sessionId)
    {
        var s = RequireControl(sessionId);
        await Ended(() => s.Runner.PlayAsync());
        return s.Runner.Status;
    }

    public async Task<SessionStatus> PauseAsync(string? sessionId)
    {
        var s = RequireControl(sessionId);
        await s.Runner.PauseAsync();
        return s.Runner.Status;
    }

    public async Task<SessionStatus> StepAsync(string? sessionId, int ticks)
    {
        var s = RequireControl(sessionId);
        if (ticks is < 1 or > 365) throw PolicyArguments.Error("ticks", $"{ticks} is outside 1–365");
        await Ended(() => s.Runner.StepAsync(ticks));
        return s.Runner.Status;
    }

    public async Task<SessionStatus> SetSpeedAsync(string? sessionId, double ticksPerSecond)
    {
        var s = RequireControl(sessionId);
        if (!double.IsFinite(ticksPerSecond) || ticksPerSecond < SessionRunner.MinSpeed || ticksPerSecond > SessionRunner.MaxSpeed)
            throw PolicyArguments.Error("ticksPerSecond", $"{ticksPerSecond} is outside {SessionRunner.MinSpeed}–{SessionRunner.MaxSpeed}");
        await s.Runner.SetSpeedAsync(ticksPerSecond);
        return s.Runner.Status;
    }

    public async Task<SessionStatus> ResetAsync(string? sessionId)
    {
        var s = RequireControl(sessionId);
        await s.Runner.ResetAsync();
        return s.Runner.Status;
    }

    public async Task<SessionStatus> RunToAsync(string? sessionId, string? date)
    {
        var s = RequireControl(sessionId);
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            throw PolicyArguments.Error("date", $"\"{ErrorLimits.Short(date ?? "")}\" is not a date (yyyy-MM-dd)");
        // Runs through the day asked: its frame (tick d − start) is the last one run, so the next tick to run is one more
        // (docs/ARCHITECTURE.md, "The clock").
        var tick = d.DayNumber - s.Scenario.StartDate.DayNumber;
        if (tick < 0 || tick >= s.Scenario.Days)
            throw PolicyArguments.Error("date", $"{date} is outside the session, {s.Scenario.StartDate:yyyy-MM-dd} to {s.Scenario.DateOf(s.Scenario.Days - 1):yyyy-MM-dd}");
        if (s.Runner.Fault is null && tick + 1 <= s.Runner.Status.Tick)
            throw PolicyArguments.Error("date", $"{date} has already run (the last day run is {s.Scenario.DateOf(s.Runner.Status.Tick - 1):yyyy-MM-dd}); Reset to run it again");
        await Ended(() => s.Runner.RunToAsync(tick + 1));
        return s.Runner.Status;
    }

    public async Task<IReadOnlyList<PolicySpec>> GetPoliciesAsync(string? sessionId, string? client) => (await Require(sessionId, client).Grain.GetPoliciesAsync()).Value;

    /// <summary>Adds a policy or replaces the one with the same id (same kind), from the next tick; every viewer is told.</summary>
    public async Task<PolicyChangeMessage> SetPolicyAsync(string? sessionId, JsonElement policy)
    {
        var s = RequireControl(sessionId);
        var spec = PolicyArguments.ExpandGroups(s.Scenario, PolicyArguments.Parse(policy));
        PolicyArguments.Validate(s.Scenario, spec);
        var timeline = (await s.Grain.GetPoliciesAsync()).Value;
        if (timeline.Count >= quotas.Limits.MaxPoliciesPerSession)
            throw PolicyArguments.Error("policy", $"session \"{s.Id}\" holds {timeline.Count} policies (versions included), the most allowed (MaxPoliciesPerSession = {quotas.Limits.MaxPoliciesPerSession})");
        // The grain says when (a tick read here would be stale while playing) and holds the limit with the change: the count
        // above only answers early with the limit's name, and callers at once all pass it.
        var from = await Grain(() => s.Grain.SetPolicyWithinAsync(spec, quotas.Limits.MaxPoliciesPerSession));
        return await Announce(s, from, $"set {spec.Id}: {spec.Describe()}");
    }

    /// <summary>Ends a policy at the next tick (drops it if it has not started yet).</summary>
    public async Task<PolicyChangeMessage> RemovePolicyAsync(string? sessionId, string? policyId)
    {
        var s = RequireControl(sessionId);
        if (string.IsNullOrWhiteSpace(policyId)) throw PolicyArguments.Error("policyId", "is empty");
        if (IdRules.Problem(policyId) is { } problem) throw PolicyArguments.Error("policyId", problem);
        var from = await Grain(() => s.Grain.RemovePolicyAsync(policyId));
        return await Announce(s, from, $"remove {policyId}");
    }

    /// <summary>A new session with this one's state at its current tick, within the fork quotas of <paramref name="client"/> and <paramref name="connection"/>.</summary>
    public async Task<string> ForkAsync(string? sessionId, string client, string connection)
    {
        // Not a classroom's world: a fork of it would be a public session under the class's name (its join code in the title)
        // whose exports need no token, and would outlive the class.
        if (SessionDirectory.ClassroomCodeOf(ValidId(sessionId)) is not null) RequireControl(sessionId);
        var s = Require(sessionId, client);
        try
        {
            using var place = quotas.ReserveFork(client, connection);
            var fork = await sessions.ForkAsync(s.Id);
            place.Keep(fork.Id);
            return fork.Id;
        }
        catch (QuotaException e) { throw new HubException(e.Message); }
    }

    /// <summary>Ends a session (not a classroom's world, not the default one); its viewers get "Ended".</summary>
    public async Task EndSessionAsync(string? sessionId)
    {
        var s = RequireControl(sessionId);
        if (s.Id == DefaultSession.Id) throw PolicyArguments.Error("sessionId", "the default session stays (reset it instead)");
        await sessions.EndAsync(s.Id);
        quotas.Ended(s.Id);
        relay.PublishEnded(s.Id);
    }

    async Task<PolicyChangeMessage> Announce(SessionEntry s, int tick, string description)
    {
        var message = new PolicyChangeMessage(s.Id, tick, description, (await s.Grain.GetPoliciesAsync()).Value);
        relay.PublishPolicyChanged(message);
        return message;
    }

    /// <summary>A session that ended on an error says so, naming the session, and a host over its memory budget says that,
    /// instead of SignalR's "unexpected error".</summary>
    static async Task Ended(Func<Task> call)
    {
        try { await call(); }
        catch (SessionFaultedException e) { throw PolicyArguments.Error("sessionId", e.Message); }
        catch (QuotaException e) { throw new HubException(e.Message); }
    }

    /// <summary>The grain's validation speaks ArgumentException; the caller gets its message (the grain changed nothing).</summary>
    static async Task<T> Grain<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        catch (ArgumentException e)
        {
            var message = e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "") : e.Message;
            throw new HubException($"{e.ParamName ?? "policy"}: {message}");
        }
    }

    /// <summary>A session of this host, or one another web host of the cluster created (adopted here); looked up as by
    /// <see cref="Require"/>.</summary>
    public async Task<SessionEntry> RequireAsync(string? sessionId, string? client)
    {
        var id = ValidId(sessionId);
        return await ByCode(id, client, () => sessions.FindOrAdoptAsync(id)) ?? throw NoSession(id);
    }

    /// <summary>
    /// A session this caller may drive. A classroom's world moves only through its classroom's rules and tokens, so an id
    /// of one ("class-CODE") is refused before any lookup, in the same words whether the classroom exists or not.
    /// </summary>
    public SessionEntry RequireControl(string? sessionId)
    {
        var id = ValidId(sessionId);
        if (SessionDirectory.ClassroomCodeOf(id) is { } code)
            throw PolicyArguments.Error("sessionId", $"session \"{ErrorLimits.Short(id)}\" is the world of classroom {ErrorLimits.Short(code)}; it moves only through the classroom ({Classrooms.ClassroomHub.Path})");
        return Require(id, client: null); // not a code: nothing to count
    }

    /// <summary>
    /// A session of this host by id, held to the id rules first (at most 100 characters, no control characters) so a
    /// 20 KB id costs nothing and is never repeated. A classroom world's id holds its join code: an unknown one counts
    /// against <paramref name="client"/>'s code guesses (<see cref="ClientQuotas.FindByCode"/>), as Watch would.
    /// </summary>
    public SessionEntry Require(string? sessionId, string? client)
    {
        var id = ValidId(sessionId);
        return ByCode(id, client, () => sessions.Find(id)) ?? throw NoSession(id);
    }

    static string ValidId(string? sessionId)
    {
        if (string.IsNullOrWhiteSpace(sessionId)) throw PolicyArguments.Error("sessionId", "is empty");
        if (SessionDirectory.IdProblem(sessionId) is { } problem) throw PolicyArguments.Error("sessionId", problem);
        return sessionId;
    }

    /// <summary>The lookup, counted as a code guess when the id is a classroom world's ("class-CODE").</summary>
    async Task<SessionEntry?> ByCode(string id, string? client, Func<Task<SessionEntry?>> find)
    {
        if (SessionDirectory.ClassroomCodeOf(id) is null) return await find();
        try { return await quotas.FindByCodeAsync(client, find); }
        catch (QuotaException e) { throw new HubException(e.Message); }
    }

    SessionEntry? ByCode(string id, string? client, Func<SessionEntry?> find) =>
        ByCode(id, client, () => Task.FromResult(find())).GetAwaiter().GetResult();

    static HubException NoSession(string id) =>
        PolicyArguments.Error("sessionId", $"no session \"{ErrorLimits.Short(id)}\" (it has ended, or the address is mistyped: the start page lists the sessions)");
}
