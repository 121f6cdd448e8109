using System.Globalization;
using System.Text.Json;
using MarketSim.Dashboard.Security;
using MarketSim.Dashboard.Sessions;
using MarketSim.Grains.Session;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Hubs;

/// <summary>
/// /hubs/simulation: subscribe to sessions' frames and drive them. Every method checks its arguments first and answers a
/// bad one with a <see cref="HubException"/> ("argument: what is wrong") before anything changes, so other viewers see
/// nothing. The contract is documented in docs/ARCHITECTURE.md ("Dashboard and hub contract").
/// </summary>
public sealed class SimulationHub(SessionDirectory sessions, ClientQuotas quotas) : Hub
{
    public const string Path = "/hubs/simulation";

    public static string GroupOf(string sessionId) => "session:" + sessionId;

    public IReadOnlyList<SessionInfo> ListSessions() => sessions.All.Select(s => s.Describe()).ToList();

    /// <summary>
    /// Joins the session's group and returns its frames from <paramref name="fromTick"/>, one page at most
    /// (<see cref="DashboardLimits.MaxFramesPerCall"/>); <see cref="SubscribeResult.More"/> says the history goes on (ask
    /// <see cref="GetFrames"/> from the tick after the last frame). Live frames follow as "Frame" messages; one may repeat a
    /// tick already returned here (joined before the history was read): keep the highest tick seen and drop frames at or
    /// below it. A client that reconnects subscribes again from its next tick. A connection may hold
    /// <see cref="DashboardLimits.MaxSubscriptionsPerConnection"/> subscriptions.
    /// </summary>
    public Task<SubscribeResult> Subscribe(string sessionId, int fromTick) => Quota(async () =>
    {
        // A session another web host of the cluster created is adopted here (frames come from its grain to every host).
        var s = await RequireAsync(sessionId);
        if (fromTick < 0) throw PolicyArguments.Error("fromTick", $"{fromTick} is negative");
        quotas.Subscribe(Context.ConnectionId, s.Id);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(s.Id));
        var (frames, more) = await PageAsync(s, fromTick);
        var policies = (await s.Grain.GetPoliciesAsync()).Value;
        return new SubscribeResult(s.Describe(), s.Runner.Status, frames, policies, more);
    });

    /// <summary>One page of a session's history from <paramref name="fromTick"/> (at most MaxFramesPerCall frames).</summary>
    public async Task<FramePage> GetFrames(string sessionId, int fromTick)
    {
        var s = await RequireAsync(sessionId);
        if (fromTick < 0) throw PolicyArguments.Error("fromTick", $"{fromTick} is negative");
        var (frames, more) = await PageAsync(s, fromTick);
        return new FramePage(s.Id, fromTick, frames, more);
    }

    async Task<(IReadOnlyList<MarketSim.Model.Simulation.Frame> Frames, bool More)> PageAsync(SessionEntry s, int fromTick)
    {
        var max = Math.Max(1, quotas.Limits.MaxFramesPerCall);
        var frames = (await s.Grain.GetFramePageAsync(fromTick, max)).Value;
        var more = frames.Count == max && await s.Grain.GetTickAsync() > fromTick + frames.Count;
        return (frames, more);
    }

    public Task Unsubscribe(string sessionId)
    {
        var s = Require(sessionId);
        quotas.Unsubscribe(Context.ConnectionId, s.Id);
        return Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(s.Id));
    }

    /// <summary>
    /// Ends a session: its runner stops, its grains and stored records are dropped, viewers get an "Ended" message and it
    /// leaves ListSessions. A classroom's world ends only with its classroom; the default session is not ended.
    /// </summary>
    public async Task EndSession(string sessionId)
    {
        var s = RequireControl(sessionId);
        if (s.Id == DefaultSession.Id) throw PolicyArguments.Error("sessionId", "the default session stays (reset it instead)");
        await sessions.EndAsync(s.Id);
        quotas.Ended(s.Id);
        await Clients.Group(GroupOf(s.Id)).SendAsync(HubMessages.Ended, s.Id);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        quotas.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    public Task<SessionStatus> GetStatus(string sessionId) => Task.FromResult(Require(sessionId).Runner.Status);

    public async Task<SessionStatus> Play(string sessionId)
    {
        var s = RequireControl(sessionId);
        await Ended(() => s.Runner.PlayAsync());
        return s.Runner.Status;
    }

    public async Task<SessionStatus> Pause(string sessionId)
    {
        var s = RequireControl(sessionId);
        await s.Runner.PauseAsync();
        return s.Runner.Status;
    }

    /// <summary>Runs <paramref name="ticks"/> ticks (1–365) now and returns when they are done.</summary>
    public async Task<SessionStatus> Step(string sessionId, int ticks)
    {
        var s = RequireControl(sessionId);
        if (ticks is < 1 or > 365) throw PolicyArguments.Error("ticks", $"{ticks} is outside 1–365");
        await Ended(() => s.Runner.StepAsync(ticks));
        return s.Runner.Status;
    }

    public async Task<SessionStatus> SetSpeed(string sessionId, double ticksPerSecond)
    {
        var s = RequireControl(sessionId);
        if (!double.IsFinite(ticksPerSecond) || ticksPerSecond < SessionRunner.MinSpeed || ticksPerSecond > SessionRunner.MaxSpeed)
            throw PolicyArguments.Error("ticksPerSecond", $"{ticksPerSecond} is outside {SessionRunner.MinSpeed}–{SessionRunner.MaxSpeed}");
        await s.Runner.SetSpeedAsync(ticksPerSecond);
        return s.Runner.Status;
    }

    /// <summary>Back to tick 0 of the scenario the session was created from (live changes dropped); a "Reset" message follows.</summary>
    public async Task<SessionStatus> Reset(string sessionId)
    {
        var s = RequireControl(sessionId);
        await s.Runner.ResetAsync();
        return s.Runner.Status;
    }

    /// <summary>Runs at full speed through <paramref name="date"/> (yyyy-MM-dd, a day of the session): its frame is the last one run.</summary>
    public async Task<SessionStatus> RunTo(string sessionId, string date)
    {
        var s = RequireControl(sessionId);
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            throw PolicyArguments.Error("date", $"\"{date}\" is not a date (yyyy-MM-dd)");
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

    public async Task<IReadOnlyList<PolicySpec>> GetPolicies(string sessionId) => (await Require(sessionId).Grain.GetPoliciesAsync()).Value;

    /// <summary>
    /// Adds a policy, or replaces the one with the same id (same kind). It applies from the next tick and is recorded in the
    /// timeline. <paramref name="policy"/> is a JSON object with "$kind" (export_control, tariff, price_floor, stockpile,
    /// capacity_project) and the policy's fields in camelCase.
    /// </summary>
    public async Task<PolicyChangeMessage> SetPolicy(string sessionId, JsonElement policy)
    {
        var s = RequireControl(sessionId);
        var spec = PolicyArguments.ExpandGroups(s.Scenario, PolicyArguments.Parse(policy));
        PolicyArguments.Validate(s.Scenario, spec);
        var timeline = (await s.Grain.GetPoliciesAsync()).Value;
        if (timeline.Count >= quotas.Limits.MaxPoliciesPerSession)
            throw PolicyArguments.Error("policy", $"session \"{s.Id}\" holds {timeline.Count} policies (versions included), the most allowed (MaxPoliciesPerSession = {quotas.Limits.MaxPoliciesPerSession})");
        var from = await Grain(() => s.Grain.SetPolicyAsync(spec)); // the grain says when: a tick read here would be stale while playing
        return await Announce(s, from, $"set {spec.Id}: {spec.Describe()}");
    }

    /// <summary>Ends a policy at the next tick (drops it if it has not started yet).</summary>
    public async Task<PolicyChangeMessage> RemovePolicy(string sessionId, string policyId)
    {
        var s = RequireControl(sessionId);
        if (string.IsNullOrWhiteSpace(policyId)) throw PolicyArguments.Error("policyId", "is empty");
        if (IdRules.Problem(policyId) is { } problem) throw PolicyArguments.Error("policyId", problem);
        var from = await Grain(() => s.Grain.RemovePolicyAsync(policyId));
        return await Announce(s, from, $"remove {policyId}");
    }

    /// <summary>A new session with this one's state at its current tick; returns its id once it has caught up.</summary>
    public Task<string> Fork(string sessionId) => Quota(async () =>
    {
        var s = Require(sessionId);
        var client = ClientQuotas.ClientOf(Context);
        quotas.CheckFork(client, Context.ConnectionId);
        var fork = await sessions.ForkAsync(s.Id);
        quotas.Forked(client, Context.ConnectionId, fork.Id);
        return fork.Id;
    });

    /// <summary>A quota or limit reached becomes the caller's error, "argument: which limit".</summary>
    static async Task<T> Quota<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        catch (QuotaException e) { throw new HubException(e.Message); }
    }

    async Task<PolicyChangeMessage> Announce(SessionEntry s, int tick, string description)
    {
        var message = new PolicyChangeMessage(s.Id, tick, description, (await s.Grain.GetPoliciesAsync()).Value);
        await Clients.Group(GroupOf(s.Id)).SendAsync(HubMessages.PolicyChanged, message);
        return message;
    }

    /// <summary>A session that ended on an error says so, naming the session, instead of SignalR's "unexpected error".</summary>
    static async Task Ended(Func<Task> call)
    {
        try { await call(); }
        catch (SessionFaultedException e) { throw PolicyArguments.Error("sessionId", e.Message); }
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

    async Task<SessionEntry> RequireAsync(string? sessionId)
    {
        if (string.IsNullOrWhiteSpace(sessionId)) throw PolicyArguments.Error("sessionId", "is empty");
        return await sessions.FindOrAdoptAsync(sessionId)
            ?? throw PolicyArguments.Error("sessionId", $"no session \"{sessionId}\" (it has ended, or the address is mistyped: the start page lists the sessions)");
    }

    /// <summary>A session this caller may drive: a classroom's world moves only through its classroom's rules and tokens.</summary>
    SessionEntry RequireControl(string? sessionId)
    {
        var s = Require(sessionId);
        if (s.Classroom is { } code)
            throw PolicyArguments.Error("sessionId", $"session \"{s.Id}\" is the world of classroom {code}; it moves only through the classroom ({Classrooms.ClassroomHub.Path})");
        return s;
    }

    SessionEntry Require(string? sessionId)
    {
        if (string.IsNullOrWhiteSpace(sessionId)) throw PolicyArguments.Error("sessionId", "is empty");
        return sessions.Find(sessionId) ?? throw PolicyArguments.Error("sessionId", $"no session \"{sessionId}\" (it has ended, or the address is mistyped: the start page lists the sessions)");
    }
}
