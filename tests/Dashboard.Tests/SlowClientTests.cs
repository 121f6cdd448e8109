using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MarketSim.Classrooms;
using MarketSim.Dashboard.Classrooms;
using MarketSim.Dashboard.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// A hub client that stops reading (a full socket) must hold up nobody else: not the other viewers' frames, not the
/// session, not a classroom (docs/SECURITY.md). Every wait is bounded; all traffic is on loopback.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SlowClientTests(DashboardApp app)
{
    [Fact]
    public async Task A_client_that_stops_reading_holds_up_neither_another_viewers_frames_nor_the_session()
    {
        var s = await app.NewSessionAsync();
        await using var deaf = await DeafClient.ConnectAsync(app.BaseAddress, SimulationHub.Path);
        await deaf.InvokeAsync("Subscribe", s.Id, 0);

        await using var viewer = await app.ConnectAsync();
        var clock = Stopwatch.StartNew();
        var arrivals = new List<(int Tick, TimeSpan At)>();
        viewer.On<FrameMessage>(HubMessages.Frame, m => { if (m.SessionId == s.Id) lock (arrivals) arrivals.Add((m.Frame.Tick, clock.Elapsed)); });
        await Bounded(viewer.InvokeAsync<SubscribeResult>("Subscribe", s.Id, 0), "Subscribe");
        await Bounded(viewer.InvokeAsync<SessionStatus>("SetSpeed", s.Id, 50.0), "SetSpeed");
        var playedAt = clock.Elapsed;
        await Bounded(viewer.InvokeAsync<SessionStatus>("Play", s.Id), "Play");
        // 50 frames a second of ≈45 KB each: the deaf client's socket is full within a second or two.
        await Task.Delay(TimeSpan.FromSeconds(8));
        var paused = await Bounded(viewer.InvokeAsync<SessionStatus>("Pause", s.Id), "Pause (its status goes to the deaf client too)");
        var pausedAt = clock.Elapsed;
        Assert.True(paused.Tick >= 40, $"the session ran only {paused.Tick} ticks in 8 s");

        // The viewer has every frame the session ran, in order, soon after it ran them.
        var until = DateTime.UtcNow.AddSeconds(10);
        while (Last() < paused.Tick - 1 && DateTime.UtcNow < until) await Task.Delay(50);
        List<(int Tick, TimeSpan At)> got;
        lock (arrivals) got = arrivals.ToList();
        Assert.True(Last() >= paused.Tick - 1, $"the viewer received frames up to tick {Last()} of {paused.Tick - 1}");
        Assert.Equal(Enumerable.Range(0, got.Count), got.Select(a => a.Tick));
        // While the session played, no pause between the viewer's frames (a stall behind the deaf client was 12–16 s).
        var times = new[] { playedAt }.Concat(got.Select(a => a.At).Where(t => t <= pausedAt)).ToList();
        var gap = times.Zip(times.Skip(1), (a, b) => b - a).DefaultIfEmpty().Max();
        Assert.True(gap < TimeSpan.FromSeconds(2), $"the viewer waited {gap.TotalSeconds:0.0} s for a frame while the session played");

        // The server let the deaf client go rather than keep its messages: its connection ends.
        Assert.True(await deaf.ClosedWithinAsync(TimeSpan.FromSeconds(20)), "the deaf client is still connected");
        await Bounded(viewer.InvokeAsync("EndSession", s.Id), "EndSession");

        int Last() { lock (arrivals) return arrivals.Count == 0 ? -1 : arrivals[^1].Tick; }
    }

    [Fact]
    public async Task A_client_that_stops_reading_does_not_hold_up_a_classroom()
    {
        await using var teacher = await app.ConnectAsync(ClassroomHub.Path);
        await using var student = await app.ConnectAsync(ClassroomHub.Path);
        var settings = new ClassroomSettings { RoundTicks = 5, RoundSeconds = 0, Playable = ["CN", "JP", "US"], Capacity = 3 };
        var c = await Bounded(teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL, settings), "CreateClassroom");
        var seat = await Bounded(student.InvokeAsync<SeatGrant>("Join", c.Code, "Ana", null), "Join");
        await Bounded(teacher.InvokeAsync("Start", c.Code, c.InstructorToken), "Start");

        // Anyone may watch the class's world without a token; this client also asks for a long history and never reads it,
        // so its connection is full before the first round closes.
        var history = await app.NewSessionAsync();
        await history.Runner.StepAsync(200);
        await using var deaf = await DeafClient.ConnectAsync(app.BaseAddress, SimulationHub.Path);
        await deaf.InvokeAsync("Subscribe", c.SessionId, 0);
        await deaf.InvokeAsync("GetFrames", history.Id, 0);
        await using var deafWatcher = await DeafClient.ConnectAsync(app.BaseAddress, ClassroomHub.Path);
        await deafWatcher.InvokeAsync("Watch", c.Code);
        await Task.Delay(TimeSpan.FromSeconds(1));

        for (var round = 1; round <= 3; round++)
        {
            var sw = Stopwatch.StartNew();
            var tick = await Bounded(teacher.InvokeAsync<int>("Advance", c.Code, c.InstructorToken), $"Advance of round {round}");
            Assert.Equal(5 * round, tick);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"Advance of round {round} took {sw.Elapsed.TotalSeconds:0.0} s");
            sw.Restart();
            var view = await Bounded(student.InvokeAsync<StudentView>("GetView", c.Code, seat.Token), $"GetView after round {round}");
            Assert.Equal(5 * round, view.Classroom.Tick);
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"GetView after round {round} took {sw.Elapsed.TotalSeconds:0.0} s");
        }
        // Its first message has waited longer than a write may: the server has let it go (and dropped what it kept for it).
        await Task.Delay(QueuedHubLifetimeManager<SimulationHub>.WriteTimeout + TimeSpan.FromSeconds(1));
        Assert.True(await deaf.ClosedWithinAsync(TimeSpan.FromSeconds(20)), "the deaf client is still connected");
        await Bounded(teacher.InvokeAsync("EndClassroom", c.Code, c.InstructorToken), "EndClassroom");
        await app.Sessions.EndAsync(history.Id);
    }

    /// <summary>A call that must answer within <paramref name="seconds"/> (a wedged server fails the test instead of hanging it).</summary>
    static async Task<T> Bounded<T>(Task<T> call, string what, double seconds = 15)
    {
        try { return await call.WaitAsync(TimeSpan.FromSeconds(seconds)); }
        catch (TimeoutException) { throw new TimeoutException($"{what}: no answer within {seconds} s"); }
    }

    static async Task Bounded(Task call, string what, double seconds = 15)
    {
        try { await call.WaitAsync(TimeSpan.FromSeconds(seconds)); }
        catch (TimeoutException) { throw new TimeoutException($"{what}: no answer within {seconds} s"); }
    }
}

/// <summary>
/// A SignalR client that sends its calls and never reads what comes back: a WebSocket (no negotiation) over a socket with
/// a tiny receive buffer, speaking the JSON hub protocol by hand, as an attacker's script would.
/// </summary>
sealed class DeafClient : IAsyncDisposable
{
    readonly ClientWebSocket _ws = new();
    Socket? _socket;
    int _calls;

    public static async Task<DeafClient> ConnectAsync(Uri baseAddress, string hubPath, System.Net.IPAddress? from = null)
    {
        var client = new DeafClient();
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = client._socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024, NoDelay = true };
                if (from is not null) socket.Bind(new System.Net.IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var uri = new UriBuilder(new Uri(baseAddress, hubPath.TrimStart('/'))) { Scheme = "ws" }.Uri;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client._ws.ConnectAsync(uri, new HttpMessageInvoker(handler), cts.Token);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        return client;
    }

    public Task InvokeAsync(string target, params object?[] arguments) =>
        SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = (++_calls).ToString(), target, arguments }));

    async Task SendAsync(string json)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _ws.SendAsync(Encoding.UTF8.GetBytes(json + "\u001e"), WebSocketMessageType.Text, true, cts.Token);
    }

    /// <summary>Reads (at last) until the server closes the connection; false if it is still open after <paramref name="within"/>.</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        // A 1 KB window drains megabytes (an unread history) at a few KB a second: read with a normal one now.
        _socket!.ReceiveBufferSize = 1 << 20;
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var r = await _ws.ReceiveAsync(buffer, cts.Token);
                                if (r.MessageType == WebSocketMessageType.Close) return true;
            }
        }
        catch (OperationCanceledException) { return false; }
        catch (WebSocketException) { return true; }
    }

    public ValueTask DisposeAsync()
    {
        _ws.Abort();
        _ws.Dispose();
        return ValueTask.CompletedTask;
    }
}
