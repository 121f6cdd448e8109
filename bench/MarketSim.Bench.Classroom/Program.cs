using static MarketSim.Bench.Shared.BenchHelpers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using MarketSim.Dashboard.Classrooms;
using MarketSim.Dashboard.Hosting;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Sessions;
using MarketSim.Classrooms;
using MarketSim.Model.Scenario;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Bench.Classroom;

/// <summary>
/// Classroom load (issue 5): the real dashboard hosted in this process on one silo (WebApplicationFactory on Kestrel,
/// 127.0.0.1, no default session), classrooms created through /hubs/classroom, and per classroom 60 bot students, each its
/// own SignalR client connection, that join and, whenever a "Classroom" message opens a new round, submit one lever choice
/// read from their GetView levers. Each classroom's instructor connection starts the class and, for R rounds, waits until
/// all its seats have submitted, then calls Advance. Round-advance latency = from calling Advance until every one of the
/// classroom's students has the "Classroom" message with the next round open (one clock: this process).
/// Usage: dotnet run -c Release --project bench/MarketSim.Bench.Classroom [-- --rounds 6 --seats 60 --classrooms 1,10 --out FILE]
/// </summary>
static class Bench
{
    const string Scenario = "china-japan-2026.yaml";
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    static string Root = "";

    static async Task<int> Main(string[] args)
    {
        var rounds = Arg(args, "--rounds", 6);
        var seats = Arg(args, "--seats", 60);
        var sizes = (ArgText(args, "--classrooms") ?? "1,10").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        if (rounds is < 1 or > 11) throw new ArgumentException("--rounds: 1–11 (the scenario's 365 days hold 12 rounds of 30 ticks; the last advance must open a round)");

        Root = RepoRoot();
        var output = Path.GetFullPath(ArgText(args, "--out") ?? Path.Combine(Root, "bench", "RESULTS-classroom.md"));
        // WebApplicationFactory finds the dashboard's content root through MvcTestingAppManifest.json in the current
        // directory (as a test run has it): run from the output folder.
        Environment.CurrentDirectory = AppContext.BaseDirectory;

        var port = MarketSim.Hosting.FreePorts.Next();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Logging:LogLevel:Default", "Warning")
            .UseSetting("MarketSim:DefaultSession", "false")
            // Hundreds of simulated students join from one address within seconds: lift the per-address join limit
            // (docs/SECURITY.md), which a real class of phones on the network does not reach.
            .UseSetting("MarketSim:Limits:JoinAttemptsPerMinute", "1000000"));
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        var url = $"http://127.0.0.1:{port}{ClassroomHub.Path}";
        var sessions = factory.Services.GetRequiredService<SessionDirectory>().All.Count;
        Console.Error.WriteLine($"dashboard in-process on {url}; {Environment.ProcessorCount} cores; {sessions} session(s) before the classrooms");

        var results = new List<Result>();
        var steps = new List<(string When, int Sessions, double[] Ms)>();
        // Cold: the first simulation of the process, as a freshly started server runs its first session (tier-0 JIT code).
        steps.Add(("cold (first simulation in the process)", 1, await StepOnlyAsync(factory.Services, 1, rounds, "cold")));
        Console.Error.WriteLine(StepRow(steps[^1]));
        // Warm-up, as bench/MarketSim.Bench does before it measures: on 2 cores tiered JIT (tier 0 → instrumented → tier 1)
        // takes several hundred ticks to reach the simulation's hot paths, and would otherwise land in the timed rounds.
        var warm = Stopwatch.StartNew();
        var warmTicks = await WarmUpAsync(factory.Services);
        Console.Error.WriteLine($"warm-up: {warmTicks} ticks in {warm.Elapsed.TotalSeconds:F1} s");
        foreach (var n in sizes)
        {
            Console.Error.WriteLine($"-- {n} classroom(s) × {seats} seats, {rounds} rounds");
            results.Add(await RunAsync(url, n, seats, rounds));
            Console.Error.WriteLine(results[^1].Row());
            // Diagnostic: the same stepping without a classroom or a client (n fresh sessions, each stepped 30 ticks per round).
            steps.Add(("after the classroom scenario", n, await StepOnlyAsync(factory.Services, n, rounds, "after")));
            Console.Error.WriteLine(StepRow(steps[^1]));
        }

        var table = new StringBuilder()
            .AppendLine("| classrooms × seats | connections | advances | median ms | p95 ms | max ms | Advance call median / p95 ms | open → all submitted median / p95 ms | GC heap peak MB | GC heap live MB | working set peak MB | errors |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results) table.AppendLine(r.Row());
        var stepTable = new StringBuilder()
            .AppendLine("| when | sessions stepped at once (no classroom, no client) | steps of 30 ticks | median ms | p95 ms | max ms |")
            .AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (var s in steps) stepTable.AppendLine(StepRow(s));
        Console.WriteLine(table);
        Console.WriteLine(stepTable);

        var command = "dotnet run -c Release --project bench/MarketSim.Bench.Classroom" + (args.Length > 0 ? " -- " + string.Join(' ', args) : "");
        var md = new StringBuilder()
            .AppendLine("# Classroom load")
            .AppendLine()
            .AppendLine($"Round-advance latency of /hubs/classroom with bot students ({Scenario}, RoundTicks 30, RoundSeconds 0, Capacity {seats},")
            .AppendLine($"automatic country assignment; {rounds} rounds per classroom). The dashboard runs in the bench's process on one silo")
            .AppendLine("(WebApplicationFactory on Kestrel, 127.0.0.1, `MarketSim:DefaultSession=false`); every student and every instructor is its")
            .AppendLine("own .NET SignalR client connection (WebSockets) in the same process. See bench/MarketSim.Bench.Classroom/Program.cs.")
            .AppendLine()
            .AppendLine("```sh")
            .AppendLine(command)
            .AppendLine("```")
            .AppendLine()
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Run on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, commit {Git("rev-parse --short HEAD")}, Release, {Environment.ProcessorCount} cores, shared, noisy; one run."))
            .AppendLine()
            .Append(table)
            .AppendLine()
            .AppendLine("The same run, diagnostic: what `Session.Runner.StepAsync(30)` alone costs, on as many fresh sessions at once (in the")
            .AppendLine("same process; no classroom, no SignalR client). The cold row runs before anything else; then one session is stepped")
            .AppendLine($"through two years ({warmTicks} ticks) to let tiered JIT reach the simulation's hot paths, as bench/MarketSim.Bench")
            .AppendLine("does before it measures; the classroom rows and the other step rows come after that warm-up:")
            .AppendLine()
            .Append(stepTable)
            .AppendLine()
            .AppendLine("- **median / p95 / max ms**: over all advances (rounds × classrooms): from the instructor calling `Advance` to the last of")
            .AppendLine("  the classroom's students receiving the \"Classroom\" message with the next round open.")
            .AppendLine("- **Advance call**: from calling `Advance` to its result at the instructor (the server closes the round, applies the")
            .AppendLine("  decisions, steps the session 30 ticks, opens the next round and queues the broadcast); the rest is the fan-out.")
            .AppendLine("- **open → all submitted**: from the round opening (Start or Advance called) to the last student's `Submit` returning;")
            .AppendLine("  every submission goes through the classroom's gate and broadcasts the state (60 seats) to the whole group.")
            .AppendLine("- **memory**: of the whole process, server and clients together: GC heap peak and working-set peak sampled every 100 ms")
            .AppendLine("  during the scenario; GC heap live after a full collection with all connections still open. The 10-classroom row")
            .AppendLine("  also holds the earlier scenario's classroom (classrooms live as long as the web host).");
        await File.WriteAllTextAsync(output, md.ToString());
        Console.Error.WriteLine($"written {output}");
        return results.Sum(r => r.Errors) == 0 ? 0 : 1;
    }

    static async Task<Result> RunAsync(string url, int classrooms, int seats, int rounds)
    {
        await using var memory = new MemorySampler();
        var errors = new Counter();
        var rooms = new List<Room>();
        using var limit = new SemaphoreSlim(16);
        var settings = new ClassroomSettings { RoundTicks = 30, RoundSeconds = 0, Capacity = seats, Mode = RoundMode.Rounds, Assignment = SeatAssignment.Auto };
        var clock = Stopwatch.StartNew();
        for (var c = 0; c < classrooms; c++)
        {
            var instructor = await ConnectAsync(url);
            var created = await instructor.InvokeAsync<ClassroomCreated>(nameof(ClassroomHub.CreateClassroom), Scenario, (ulong?)null, settings);
            rooms.Add(new Room(created.Code, created.InstructorToken, instructor, seats));
        }
        // Students connect and join, at most 16 handshakes at a time over all classrooms.
        await Task.WhenAll(rooms.SelectMany(room => Enumerable.Range(0, seats).Select(async i =>
        {
            await limit.WaitAsync();
            try { room.Students[i] = await Student.JoinAsync(url, room, i, errors); }
            finally { limit.Release(); }
        })));
        Console.Error.WriteLine($"   {rooms.Count * (seats + 1)} connections joined in {clock.Elapsed.TotalSeconds:0.0} s");
        memory.Reset(); // the peaks of the rounds, not of the handshakes

        var advances = new ConcurrentBag<double>();
        var calls = new ConcurrentBag<double>();
        var submitted = new ConcurrentBag<double>();
        await Task.WhenAll(rooms.Select(room => Task.Run(async () =>
        {
            room.Track(1).Opened = Stopwatch.GetTimestamp();
            await room.Instructor.InvokeAsync(nameof(ClassroomHub.Start), room.Code, room.Token);
            for (var r = 1; r <= rounds; r++)
            {
                var track = room.Track(r);
                await track.AllSubmitted.Task.WaitAsync(Patience);
                submitted.Add(Ms(track.Opened, track.LastSubmitted));
                var next = room.Track(r + 1);
                var t0 = Stopwatch.GetTimestamp();
                next.Opened = t0;
                await room.Instructor.InvokeAsync<int>(nameof(ClassroomHub.Advance), room.Code, room.Token);
                calls.Add(Ms(t0, Stopwatch.GetTimestamp()));
                await next.AllReceived.Task.WaitAsync(Patience);
                advances.Add(Ms(t0, next.LastReceived));
            }
            // The last Advance opened one more round: let its submissions finish before disconnecting.
            await room.Track(rounds + 1).AllSubmitted.Task.WaitAsync(Patience);
        })));
        var (gcPeak, wsPeak) = memory.Peaks();
        var live = GC.GetTotalMemory(forceFullCollection: true);
        var connections = rooms.Count * (seats + 1);
        await Task.WhenAll(rooms.SelectMany(r => r.Students.Select(s => s!.Hub).Append(r.Instructor)).Select(h => h.DisposeAsync().AsTask()));
        return new Result(classrooms, seats, connections, advances.Order().ToArray(), calls.Order().ToArray(), submitted.Order().ToArray(),
            gcPeak, live, wsPeak, errors.Value);
    }

    /// <summary>The JIT warm-up: one session of the scenario stepped to its horizon twice (reset in between); it stays in the directory.</summary>
    static async Task<int> WarmUpAsync(IServiceProvider services)
    {
        var directory = services.GetRequiredService<SessionDirectory>();
        var path = Path.Combine(Root, "scenarios", Scenario);
        var session = await directory.CreateAsync(ScenarioLoader.LoadOrThrow(path), await File.ReadAllTextAsync(path), id: "bench-warmup");
        var ticks = 0;
        for (var year = 0; year < 2; year++)
        {
            if (year > 0) await session.Runner.ResetAsync();
            while (session.Runner.Status.Tick < session.Runner.Horizon) await session.Runner.StepAsync(30);
            ticks += session.Runner.Status.Tick;
        }
        return ticks;
    }

    static async Task<double[]> StepOnlyAsync(IServiceProvider services, int count, int rounds, string tag)
    {
        var directory = services.GetRequiredService<SessionDirectory>();
        var path = Path.Combine(Root, "scenarios", Scenario);
        var yaml = await File.ReadAllTextAsync(path);
        var sessions = new List<SessionEntry>();
        for (var i = 0; i < count; i++)
            sessions.Add(await directory.CreateAsync(ScenarioLoader.LoadOrThrow(path), yaml, id: $"bench-step-{tag}-{count}-{i}"));
        var times = new ConcurrentBag<double>();
        await Task.WhenAll(sessions.Select(s => Task.Run(async () =>
        {
            for (var r = 0; r < rounds; r++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await s.Runner.StepAsync(30);
                times.Add(Ms(t0, Stopwatch.GetTimestamp()));
            }
        })));
        return times.Order().ToArray();
    }

    static string StepRow((string When, int Sessions, double[] Ms) s) => string.Create(CultureInfo.InvariantCulture,
        $"| {s.When} | {s.Sessions} | {s.Ms.Length} | {Pct(s.Ms, 0.5):0} | {Pct(s.Ms, 0.95):0} | {s.Ms.LastOrDefault():0} |");

    internal static async Task<HubConnection> ConnectAsync(string url)
    {
        var hub = new HubConnectionBuilder().WithUrl(url)
            .AddJsonProtocol(o => HubJson.Configure(o.PayloadSerializerOptions)).Build();
        await hub.StartAsync();
        return hub;
    }

    static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    static string Git(string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 && text.Length > 0 ? text : "unknown";
        }
        catch (Exception) { return "unknown"; }
    }
}

sealed class Counter
{
    int _value;
    public int Value => Volatile.Read(ref _value);
    public void Add() => Interlocked.Increment(ref _value);
}

/// <summary>One classroom: its instructor connection and what its students have received and submitted, per round.</summary>
sealed class Room(string code, string token, HubConnection instructor, int seats)
{
    readonly ConcurrentDictionary<int, RoundTrack> _rounds = new();
    public string Code { get; } = code;
    public string Token { get; } = token;
    public HubConnection Instructor { get; } = instructor;
    public int Seats { get; } = seats;
    public Student?[] Students { get; } = new Student?[seats];
    public RoundTrack Track(int round) => _rounds.GetOrAdd(round, _ => new RoundTrack(Seats));
}

sealed class RoundTrack(int seats)
{
    int _received, _submitted;
    long _lastReceived, _lastSubmitted;
    public long Opened { get; set; }
    public long LastReceived => Interlocked.Read(ref _lastReceived);
    public long LastSubmitted => Interlocked.Read(ref _lastSubmitted);
    public TaskCompletionSource AllReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource AllSubmitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Received(long at)
    {
        Max(ref _lastReceived, at);
        if (Interlocked.Increment(ref _received) == seats) AllReceived.TrySetResult();
    }

    public void Submitted(long at)
    {
        Max(ref _lastSubmitted, at);
        if (Interlocked.Increment(ref _submitted) == seats) AllSubmitted.TrySetResult();
    }

    static void Max(ref long field, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref field)) < value && Interlocked.CompareExchange(ref field, value, seen) != seen) { }
    }
}

/// <summary>A bot student: its own connection; on each newly opened round it submits one lever choice.</summary>
sealed class Student
{
    readonly Room _room;
    readonly Counter _errors;
    int _lastRound;
    string _token = "";
    LeverView? _lever;

    Student(Room room, HubConnection hub, Counter errors) { _room = room; Hub = hub; _errors = errors; }

    public HubConnection Hub { get; }

    public static async Task<Student> JoinAsync(string url, Room room, int index, Counter errors)
    {
        var hub = await Bench.ConnectAsync(url);
        var student = new Student(room, hub, errors);
        hub.On<ClassroomState>(ClassroomMessages.State, student.OnState);
        var grant = await hub.InvokeAsync<SeatGrant>(nameof(ClassroomHub.Join), room.Code, $"bot {index + 1}", (string?)null);
        student._token = grant.Token;
        var view = await hub.InvokeAsync<StudentView>(nameof(ClassroomHub.GetView), room.Code, grant.Token);
        // A tariff if the country holds one (the classic lever), else its first lever.
        student._lever = view.Levers.FirstOrDefault(l => l.Kind.Contains("tariff", StringComparison.OrdinalIgnoreCase)) ?? view.Levers.FirstOrDefault();
        if (student._lever is null) { errors.Add(); Console.Error.WriteLine($"   {room.Code} seat {grant.SeatId} ({grant.Country}) has no lever"); }
        return student;
    }

    void OnState(ClassroomState state)
    {
        if (state.Phase != ClassroomPhase.Open) return;
        var seen = Volatile.Read(ref _lastRound);
        if (state.Round <= seen || Interlocked.CompareExchange(ref _lastRound, state.Round, seen) != seen) return;
        _room.Track(state.Round).Received(Stopwatch.GetTimestamp());
        _ = Task.Run(() => SubmitAsync(state.Round)); // not inside the handler: the connection's messages keep flowing
    }

    async Task SubmitAsync(int round)
    {
        try
        {
            if (_lever is { } l)
            {
                // A different value each round, inside the lever's range.
                var value = l.Min + (l.Max - l.Min) * (round % 4) / 4.0;
                await Hub.InvokeAsync<IReadOnlyList<LeverChoice>>(nameof(ClassroomHub.Submit), _room.Code, _token, new[] { new LeverChoice(l.Id, value) });
            }
        }
        catch (Exception e)
        {
            _errors.Add();
            Console.Error.WriteLine($"   {_room.Code} round {round}: submit failed: {e.Message}");
        }
        _room.Track(round).Submitted(Stopwatch.GetTimestamp());
    }
}

/// <summary>Peaks of the GC heap and the working set, sampled every 100 ms.</summary>
sealed class MemorySampler : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    long _gcPeak, _wsPeak;

    public MemorySampler() => _loop = Task.Run(async () =>
    {
        using var process = Process.GetCurrentProcess();
        while (!_stop.IsCancellationRequested)
        {
            process.Refresh();
            InterlockedMax(ref _gcPeak, GC.GetTotalMemory(false));
            InterlockedMax(ref _wsPeak, process.WorkingSet64);
            try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
        }
    });

    public void Reset() { Interlocked.Exchange(ref _gcPeak, 0); Interlocked.Exchange(ref _wsPeak, 0); }

    public (long Gc, long WorkingSet) Peaks() => (Interlocked.Read(ref _gcPeak), Interlocked.Read(ref _wsPeak));

    static void InterlockedMax(ref long field, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref field)) < value && Interlocked.CompareExchange(ref field, value, seen) != seen) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}

sealed record Result(int Classrooms, int Seats, int Connections, double[] Advances, double[] Calls, double[] Submitted,
    long GcPeak, long GcLive, long WorkingSetPeak, int Errors)
{
    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Classrooms} × {Seats} | {Connections} | {Advances.Length} | {Pct(Advances, 0.5):0} | {Pct(Advances, 0.95):0} | {Advances.LastOrDefault():0} | " +
        $"{Pct(Calls, 0.5):0} / {Pct(Calls, 0.95):0} | {Pct(Submitted, 0.5):0} / {Pct(Submitted, 0.95):0} | " +
        $"{GcPeak / 1048576.0:0} | {GcLive / 1048576.0:0} | {WorkingSetPeak / 1048576.0:0} | {Errors} |");
}
