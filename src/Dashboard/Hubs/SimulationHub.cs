using System.Text.Json;
using MarketSim.Dashboard.Security;
using MarketSim.Dashboard.Sessions;
using MarketSim.Model.Policies;
using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Hubs;

/// <summary>
/// /hubs/simulation: subscribe to sessions' frames and drive them, for programs outside the web host (the pages read the
/// same sessions in process, <see cref="Live.LiveFeed"/>). Every method checks its arguments first and answers a bad one
/// with a <see cref="HubException"/> ("argument: what is wrong") before anything changes, so other viewers see nothing;
/// the checks and actions are <see cref="SessionControl"/>'s, shared with the pages. The contract is documented in
/// docs/ARCHITECTURE.md ("Dashboard and hub contract").
/// </summary>
public sealed class SimulationHub(SessionDirectory sessions, SessionControl control, ClientQuotas quotas) : Hub
{
    public const string Path = "/hubs/simulation";

    public static string GroupOf(string sessionId) => "session:" + sessionId;

    // The caller's address: a classroom world's id ("class-CODE") names a join code, and unknown ones count as code guesses.
    string Client => ClientQuotas.ClientOf(Context);

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
        var s = await control.RequireAsync(sessionId, Client);
        if (fromTick < 0) throw PolicyArguments.Error("fromTick", $"{fromTick} is negative");
        quotas.Subscribe(Context.ConnectionId, s.Id);
        // Closed while this call ran (after OnDisconnectedAsync let its places go): the place just taken would be kept for good.
        if (Context.ConnectionAborted.IsCancellationRequested) quotas.Disconnected(Context.ConnectionId);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(s.Id));
        var (frames, more) = await control.PageAsync(s, fromTick);
        var policies = (await s.Grain.GetPoliciesAsync()).Value;
        return new SubscribeResult(s.Describe(), s.Runner.Status, frames, policies, more);
    });

    /// <summary>One page of a session's history from <paramref name="fromTick"/> (at most MaxFramesPerCall frames).</summary>
    public async Task<FramePage> GetFrames(string sessionId, int fromTick)
    {
        var s = await control.RequireAsync(sessionId, Client);
        if (fromTick < 0) throw PolicyArguments.Error("fromTick", $"{fromTick} is negative");
        var (frames, more) = await control.PageAsync(s, fromTick);
        return new FramePage(s.Id, fromTick, frames, more);
    }

    public Task Unsubscribe(string sessionId)
    {
        var s = control.Require(sessionId, Client);
        quotas.Unsubscribe(Context.ConnectionId, s.Id);
        return Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(s.Id));
    }

    /// <summary>
    /// Ends a session: its runner stops, its grains and stored records are dropped, viewers get an "Ended" message and it
    /// leaves ListSessions. A classroom's world ends only with its classroom; the default session is not ended.
    /// </summary>
    public Task EndSession(string sessionId) => control.EndSessionAsync(sessionId);

    /// <summary>An address holds at most <see cref="DashboardLimits.MaxHubConnectionsPerClient"/> hub connections: one more is
    /// closed at once with "connection: … the most allowed (MaxHubConnectionsPerClient = N)".</summary>
    public override Task OnConnectedAsync()
    {
        ConnectionQuota.Take(quotas, Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        quotas.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    public Task<SessionStatus> GetStatus(string sessionId) => Task.FromResult(control.Require(sessionId, Client).Runner.Status);

    public Task<SessionStatus> Play(string sessionId) => control.PlayAsync(sessionId);

    public Task<SessionStatus> Pause(string sessionId) => control.PauseAsync(sessionId);

    /// <summary>Runs <paramref name="ticks"/> ticks (1–365) now and returns when they are done.</summary>
    public Task<SessionStatus> Step(string sessionId, int ticks) => control.StepAsync(sessionId, ticks);

    public Task<SessionStatus> SetSpeed(string sessionId, double ticksPerSecond) => control.SetSpeedAsync(sessionId, ticksPerSecond);

    /// <summary>Back to tick 0 of the scenario the session was created from (live changes dropped); a "Reset" message follows.</summary>
    public Task<SessionStatus> Reset(string sessionId) => control.ResetAsync(sessionId);

    /// <summary>Runs at full speed through <paramref name="date"/> (yyyy-MM-dd, a day of the session): its frame is the last one run.</summary>
    public Task<SessionStatus> RunTo(string sessionId, string date) => control.RunToAsync(sessionId, date);

    public Task<IReadOnlyList<PolicySpec>> GetPolicies(string sessionId) => control.GetPoliciesAsync(sessionId, Client);

    /// <summary>
    /// Adds a policy, or replaces the one with the same id (same kind). It applies from the next tick and is recorded in the
    /// timeline. <paramref name="policy"/> is a JSON object with "$kind" (export_control, tariff, price_floor, stockpile,
    /// capacity_project) and the policy's fields in camelCase.
    /// </summary>
    public Task<PolicyChangeMessage> SetPolicy(string sessionId, JsonElement policy) => control.SetPolicyAsync(sessionId, policy);

    /// <summary>Ends a policy at the next tick (drops it if it has not started yet).</summary>
    public Task<PolicyChangeMessage> RemovePolicy(string sessionId, string policyId) => control.RemovePolicyAsync(sessionId, policyId);

    /// <summary>A new session with this one's state at its current tick; returns its id once it has caught up.</summary>
    public Task<string> Fork(string sessionId) => control.ForkAsync(sessionId, ClientQuotas.ClientOf(Context), Context.ConnectionId);

    /// <summary>A quota or limit reached becomes the caller's error, "argument: which limit".</summary>
    static async Task<T> Quota<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        catch (QuotaException e) { throw new HubException(e.Message); }
    }
}
