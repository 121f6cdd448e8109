using System.Text.Json;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Security;
using MarketSim.Classrooms;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>
/// /hubs/classroom: join, play and teach. Every method but CreateClassroom, Join and Watch takes the caller's token and is
/// checked by the classroom's rules (<see cref="Classroom"/>), never by the client: a student's token moves only their own
/// country's levers, only while a round is open; only the instructor's token advances, pauses, injects or seats. A refusal
/// is a <see cref="HubException"/> "field: what is wrong" and changes nothing. Contract: docs/ARCHITECTURE.md.
/// </summary>
public sealed class ClassroomHub(ClassroomDirectory rooms, ClientQuotas quotas, MarketSim.Dashboard.Sessions.FrameRelay relay, SeatPresence presence) : Hub
{
    public const string Path = "/hubs/classroom";

    public static string GroupOf(string code) => "classroom:" + code;

    public Task<ClassroomCreated> CreateClassroom(string? scenarioFile, ulong? seed, ClassroomSettings? settings) =>
        Call(async () =>
        {
            var client = ClientQuotas.ClientOf(Context);
            using var place = quotas.ReserveClassroom(client);
            var created = await rooms.CreateAsync(scenarioFile, seed, settings);
            place.Keep(created.Code);
            await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(created.Code));
            return created;
        });

    /// <summary>
    /// The classroom a join code names, for the calls anyone may make with a code alone (Watch, Join, Rejoin): Join and
    /// Rejoin count towards the caller's join attempts per minute; the code is looked up as by <see cref="Room"/>.
    /// </summary>
    ClassroomHost Entry(string? code, bool join = true)
    {
        var client = ClientQuotas.ClientOf(Context);
        quotas.CheckGuesses(client);
        if (join) quotas.JoinAttempt(client);
        return Room(code);
    }

    /// <summary>Every call names its classroom by code: a code that names none counts towards the caller's code guesses,
    /// whatever the call (a scoreboard or a forged token's Start answers "no classroom" as Watch does).</summary>
    ClassroomHost Room(string? code) => rooms.Require(code, ClientQuotas.ClientOf(Context));

    /// <summary>Read-only: the projector's and anyone's view of the classroom (no tokens in it). Live "Classroom" messages follow.</summary>
    public Task<ClassroomState> Watch(string? code) => Call(async () =>
    {
        var room = Entry(code, join: false);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(room.Code));
        return room.State();
    });

    public Task<SeatGrant> Join(string? code, string? name, string? country) => Call(async () =>
    {
        var room = Entry(code);
        var grant = await room.JoinAsync(name, country);
        presence.Hold(Context.ConnectionId, room.Code, grant.SeatId);
        await Settle(room);
        return grant;
    });

    public Task<SeatGrant> Rejoin(string? code, string? token) => Call(async () =>
    {
        var room = Entry(code);
        // Held before the seat is taken back, so another holder of it (the student's page) closing meanwhile does not drop it.
        presence.Hold(Context.ConnectionId, room.Code, await room.SeatIdAsync(token));
        var grant = await room.RejoinAsync(token);
        await Settle(room);
        return grant;
    });

    /// <summary>
    /// After a Join or Rejoin: this connection holds its seat (<see cref="SeatPresence"/>, with the student's pages; every
    /// seat it joined, in one class or several) and hears its class. A connection that closed while its call waited for the
    /// class (a round running) had its OnDisconnectedAsync find nothing to drop: the seat stayed "connected" for good, with
    /// no stand-in, and the round could never see everyone submitted (a review, Dec 2026). It lets its seats go itself; a
    /// second drop changes nothing.
    /// </summary>
    async Task Settle(ClassroomHost room)
    {
        if (Context.ConnectionAborted.IsCancellationRequested)
        {
            await presence.ReleaseAsync(Context.ConnectionId);
            return;
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(room.Code));
    }

    public Task<StudentView> GetView(string? code, string? token) => Call(() => Room(code).ViewAsync(token));

    public Task<IReadOnlyList<LeverChoice>> Submit(string? code, string? token, IReadOnlyList<LeverChoice>? decisions) =>
        Call(() => Room(code).SubmitAsync(token, decisions));

    public Task<IReadOnlyList<ScoreRow>> GetScoreboard(string? code) => Call(() => Room(code).ScoreboardAsync());

    // ---- instructor ------------------------------------------------------------------------------------------------------

    public Task Start(string? code, string? token) => Call(() => Room(code).StartAsync(token));

    public Task<int> Advance(string? code, string? token) => Call(() => Room(code).AdvanceAsync(token));

    public Task Pause(string? code, string? token) => Call(() => Room(code).PauseAsync(token));

    public Task Resume(string? code, string? token) => Call(() => Room(code).ResumeAsync(token));

    public Task Finish(string? code, string? token) => Call(() => Room(code).FinishAsync(token));

    /// <summary>Instructor: ends the classroom for good and frees its world and its place in the quotas; the code then names
    /// nothing. Students and the projector receive "ClassroomEnded".</summary>
    public Task EndClassroom(string? code, string? token) => Call(async () =>
    {
        var normalised = Tokens.NormaliseCode(code);
        await rooms.EndAsync(code, token, ClientQuotas.ClientOf(Context));
        quotas.ClassroomEnded(normalised);
        // Its world's subscribers' places, under the world's id (lower case): freed under the code's case before Dec 2026, they
        // stayed taken, and a watcher of 20 classes that ended could subscribe to nothing more until it reconnected. They are
        // told, as EndSession tells a session's ("Ended"): a program watching the world waited for frames that never came.
        var world = MarketSim.Dashboard.Sessions.SessionDirectory.ClassroomWorldId(normalised);
        quotas.Ended(world);
        relay.PublishEnded(world);
        await Clients.Group(GroupOf(normalised)).SendAsync(ClassroomMessages.Ended, normalised);
    });

    /// <summary>The instructor removes a seat: its token stops working, the place is free (docs/SECURITY.md).</summary>
    public Task RemoveSeat(string? code, string? token, string? seatId) =>
        Call(() => Room(code).RemoveSeatAsync(token, seatId));

    public Task Assign(string? code, string? token, string? seatId, string? country) =>
        Call(() => Room(code).AssignAsync(token, seatId, country));

    public Task SetBot(string? code, string? token, string? seatId, string? strategy) =>
        Call(() => Room(code).SetBotAsync(token, seatId, strategy));

    public Task<SeatInfo> AddBot(string? code, string? token, string? country, string? strategy) =>
        Call(() => Room(code).AddBotAsync(token, country, strategy));

    public Task<IReadOnlyList<SeatInfo>> FillWithBots(string? code, string? token, string? strategy) =>
        Call(() => Room(code).FillWithBotsAsync(token, strategy));

    /// <summary>
    /// The teacher's event: <paramref name="policy"/> is a policy JSON as for /hubs/simulation's SetPolicy (e.g. China's
    /// licence approval to Japan down to 25%), or null with <paramref name="removePolicyId"/> to lift a policy.
    /// </summary>
    public Task<string> Inject(string? code, string? token, JsonElement? policy, string? removePolicyId) => Call(async () =>
    {
        var room = Room(code);
        await room.RequireInstructorAsync(token); // a student learns nothing about the policy's validity
        PolicySpec? spec = null;
        if (policy is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } json)
        {
            spec = PolicyArguments.ExpandGroups(room.Room.Scenario, PolicyArguments.Parse(json));
            PolicyArguments.Validate(room.Room.Scenario, spec);
        }
        // Held to the id rules (at most 100 characters) as /hubs/simulation's RemovePolicy is: the timeline's "no policy with
        // id" error quotes it, and a 30 KB id came back whole.
        if (!string.IsNullOrWhiteSpace(removePolicyId) && IdRules.Problem(removePolicyId) is { } problem)
            throw new ClassroomError("removePolicyId", problem);
        return await room.InjectAsync(token, spec, string.IsNullOrWhiteSpace(removePolicyId) ? null : removePolicyId);
    });

    /// <summary>Counted with /hubs/simulation's connections against the address's
    /// <see cref="MarketSim.Dashboard.Security.DashboardLimits.MaxHubConnectionsPerClient"/>.</summary>
    public override Task OnConnectedAsync()
    {
        ConnectionQuota.Take(quotas, Context);
        return base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        quotas.Disconnected(Context.ConnectionId);
        await presence.ReleaseAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    const string Overloaded = "classroom: the server is overloaded and the round's days did not finish in time; the class stays where the world got to: try again in a moment";

    /// <summary>The classroom's refusals become the caller's error message, "field: what is wrong".</summary>
    static async Task<T> Call<T>(Func<Task<T>> action)
    {
        try { return await action(); }
        catch (ClassroomError e) { throw new HubException(e.Message); }
        catch (TimeoutException) { throw new HubException(Overloaded); }
        catch (QuotaException e) { throw new HubException(e.Message); }
        catch (MarketSim.Grains.Session.SessionFaultedException e) { throw new HubException("classroom: " + e.Message); }
    }

    static async Task Call(Func<Task> action)
    {
        try { await action(); }
        catch (ClassroomError e) { throw new HubException(e.Message); }
        catch (TimeoutException) { throw new HubException(Overloaded); }
        catch (QuotaException e) { throw new HubException(e.Message); }
        catch (MarketSim.Grains.Session.SessionFaultedException e) { throw new HubException("classroom: " + e.Message); }
    }
}
