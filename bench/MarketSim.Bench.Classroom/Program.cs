using static MarketSim.Bench.Shared.BenchHelpers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
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
/// Each student, on the message opening a round, reads its view (GetView) and submits. The cold-start rows come first (a
/// fresh process's first class, --cold N classrooms, default the largest size, 0 for none; with --server-warm-up, the first
/// class after the server's own start-up warm-up), then a JIT warm-up, then the
/// warm rows. --clients process runs the connections in a second process of this program, so the server's CPU time is
/// known apart from the clients'. The server's own phase times come from ClassroomMetrics.
/// Usage: dotnet run -c Release --project bench/MarketSim.Bench.Classroom [-- --rounds 6 --seats 60 --classrooms 1,10 --cold N --server-warm-up --clients in-process|process --clients-priority normal|idle --out FILE]
/// </summary>
static class Bench
{
    const string Scenario = "china-japan-2026.yaml";
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    static string Root = "";
    static bool ClientsIdle;
    static string IdleNote => ClientsIdle ? ", run at idle priority (`--clients-priority idle`, nice 19: a diagnostic, the clients take only the CPU the server leaves, as students' phones take none of it)" : "";
    const string RoundsStart = "@rounds-start", RoundsEnd = "@rounds-end", ResultLine = "@result ";

    static async Task<int> Main(string[] args)
    {
        var rounds = Arg(args, "--rounds", 6);
        var seats = Arg(args, "--seats", 60);
        var sizes = (ArgText(args, "--classrooms") ?? "1,10").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        if (rounds is < 1 or > 11) throw new ArgumentException("--rounds: 1–11 (the scenario's 365 days hold 12 rounds of 30 ticks; the last advance must open a round)");
        // The clients' own process (--clients process): it runs the classrooms' connections against the server's URL.
        if (ArgText(args, "--clients-for") is { } serverUrl) return await ClientProcessAsync(serverUrl, sizes[0], seats, rounds);
        var cold = Arg(args, "--cold", sizes.Max());
        // --server-warm-up: the server runs its own start-up warm-up (WarmUp, MarketSim:WarmUpTicks) and the cold rows start
        // when it has ended (a server started a while before its first class); without it the warm-up is off and the cold
        // rows are the first thing the process does.
        var serverWarmUp = args.Contains("--server-warm-up");
        var separate = (ArgText(args, "--clients") ?? "in-process") switch
        {
            "in-process" => false,
            "process" => true,
            var other => throw new ArgumentException($"--clients: \"{other}\" is not in-process or process"),
        };

        ClientsIdle = (ArgText(args, "--clients-priority") ?? "normal") switch
        {
            "normal" => false,
            "idle" when separate => true,
            "idle" => throw new ArgumentException("--clients-priority idle needs --clients process"),
            var other => throw new ArgumentException($"--clients-priority: \"{other}\" is not normal or idle"),
        };
        Root = RepoRoot();
        var output = Path.GetFullPath(ArgText(args, "--out") ?? Path.Combine(Root, "bench", "RESULTS-classroom.md"));
        // WebApplicationFactory finds the dashboard's content root through MvcTestingAppManifest.json in the current
        // directory (as a test run has it): run from the output folder.
        Environment.CurrentDirectory = AppContext.BaseDirectory;

        using var phases = new PhaseRecorder();
        var port = MarketSim.Hosting.FreePorts.Next();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("Logging:LogLevel:Default", "Warning")
            .UseSetting("MarketSim:DefaultSession", "false")
            .UseSetting(WarmUp.TicksKey, serverWarmUp ? "365" : "0")
            // Hundreds of simulated students join from one address within seconds: lift the per-address join limit
            // (docs/SECURITY.md), which a real class of phones on the network does not reach.
            .UseSetting("MarketSim:Limits:JoinAttemptsPerMinute", "1000000")
            // Every simulated student is a hub connection from 127.0.0.1: lift the per-address connection cap too (students'
            // phones use the pages, not the hub, so a real class does not meet it).
            .UseSetting("MarketSim:Limits:MaxHubConnectionsPerClient", "1000000")
            // Every class is created from 127.0.0.1 too (cold, warm-up and warm runs: 31 by default; a teacher makes one).
            .UseSetting("MarketSim:Limits:MaxClassroomsPerClient", "1000"));
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        var url = $"http://127.0.0.1:{port}{ClassroomHub.Path}";
        var sessions = factory.Services.GetRequiredService<SessionDirectory>().All.Count;
        Console.Error.WriteLine($"dashboard in-process on {url}; {Environment.ProcessorCount} cores; {sessions} session(s) before the classrooms; clients {(separate ? "in their own process" : "in this process")}{(ClientsIdle ? " at idle priority" : "")}");

        var results = new List<Result>();
        var phaseRows = new List<string>();
        var lagRows = new List<string>();
        var steps = new List<(string When, int Sessions, double[] Ms, double Cpu)>();
        async Task<ClientRun> Run(string when, int n)
        {
            var run = separate ? await InChildAsync(url, n, seats, rounds, phases) : await RunInProcessAsync(url, n, seats, rounds, phases);
            phaseRows.AddRange(phases.Rows($"{when} {n} × {seats}"));
            lagRows.Add(run.LagRow($"{when} {n} × {seats}"));
            return run;
        }
        if (serverWarmUp)
        {
            var clock = Stopwatch.StartNew();
            var ran = await factory.Services.GetRequiredService<WarmUp>().Completed;
            Console.Error.WriteLine($"the server's own warm-up: {ran} ticks, ended {clock.Elapsed.TotalSeconds:F1} s after the server started");
        }
        var coldWhen = serverWarmUp ? "after the server's own warm-up" : "fresh process";
        if (cold > 0)
        {
            // Cold start: a freshly started server's first class; its first advance activates the world's grains and runs
            // the simulation's code for the first time (tier-0 JIT). A separate row, before anything warms the process up.
            Console.Error.WriteLine($"-- cold start: {cold} classroom(s) × {seats} seats, {rounds} rounds, {coldWhen}");
            var run = await Run("cold", cold);
            results.Add(Result.Of($"cold start: first advance of each classroom ({coldWhen})", cold, seats, run, r => r == 1));
            results.Add(Result.Of($"{coldWhen}: later advances", cold, seats, run, r => r > 1));
            foreach (var r in results) Console.Error.WriteLine(r.Row());
        }
        // Warm-up, as bench/MarketSim.Bench does before it measures: on 2 cores tiered JIT (tier 0 → instrumented → tier 1)
        // takes several hundred ticks to reach the simulation's hot paths, and would otherwise land in the timed rounds.
        var warm = Stopwatch.StartNew();
        var warmTicks = await WarmUpAsync(factory.Services);
        Console.Error.WriteLine($"warm-up: {warmTicks} ticks in {warm.Elapsed.TotalSeconds:F1} s");
        // Then the classes' own code (the hub, views, scores, the messages' serialisation) at the largest size, once and untimed,
        // so the warm rows measure a server that has run such a class before: after the session warm-up and a 1 × 60 class
        // the JIT still compiled ≈800–1,000 methods (≈1 s of the server's ≈8 s of CPU) during the 10 × 60 rounds.
        var warmClass = separate ? await InChildAsync(url, sizes.Max(), seats, rounds, phases) : await RunInProcessAsync(url, sizes.Max(), seats, rounds, phases);
        Console.Error.WriteLine($"warm-up class: {sizes.Max()} × {seats}, {rounds} rounds; the server's JIT meanwhile {warmClass.ServerJit}");
        var warmClassJit = warmClass.ServerJit;
        foreach (var n in sizes)
        {
            Console.Error.WriteLine($"-- {n} classroom(s) × {seats} seats, {rounds} rounds");
            results.Add(Result.Of("warm: every advance", n, seats, await Run("warm", n), _ => true));
            Console.Error.WriteLine(results[^1].Row());
            // Diagnostic: the same stepping without a classroom or a client (n fresh sessions, each stepped 30 ticks per round).
            var (ms, cpu) = await StepOnlyAsync(factory.Services, n, rounds, "after");
            steps.Add(("after the classroom scenario", n, ms, cpu));
            Console.Error.WriteLine(StepRow(steps[^1]));
        }

        var table = new StringBuilder()
            .AppendLine("| when | classrooms × seats | connections | advances | median ms | p95 ms | max ms | Advance call median / p95 ms | open → all submitted median / p95 ms | CPU s: server / clients | GC heap peak MB | GC heap live MB | working set peak MB | errors |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results) table.AppendLine(r.Row());
        var phaseTable = new StringBuilder()
            .AppendLine("| run | server time (ClassroomMetrics) | phase | count | median ms | p95 ms | max ms | sum s |")
            .AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var row in phaseRows) phaseTable.AppendLine(row);
        var lagTable = new StringBuilder()
            .AppendLine("| run | server: wait median / p95 / max ms (samples) | server's pool: threads, queued items | server's JIT during the rounds | clients: wait median / p95 / max ms (samples) |")
            .AppendLine("|---|---:|---|---|---:|");
        foreach (var row in lagRows) lagTable.AppendLine(row);
        var stepTable = new StringBuilder()
            .AppendLine("| when | sessions stepped at once (no classroom, no client) | steps of 30 ticks | median ms | p95 ms | max ms | CPU s |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var s in steps) stepTable.AppendLine(StepRow(s));
        Console.WriteLine(table);
        Console.WriteLine(phaseTable);
        Console.WriteLine(lagTable);
        Console.WriteLine(stepTable);

        var command = "dotnet run -c Release --project bench/MarketSim.Bench.Classroom" + (args.Length > 0 ? " -- " + string.Join(' ', args) : "");
        var md = new StringBuilder()
            .AppendLine("# Classroom load")
            .AppendLine()
            .AppendLine($"Round-advance latency of /hubs/classroom with bot students ({Scenario}, RoundTicks 30, RoundSeconds 0, Capacity {seats},")
            .AppendLine($"automatic country assignment; {rounds} rounds per classroom). The dashboard runs in the bench's process on one silo")
            .AppendLine("(WebApplicationFactory on Kestrel, 127.0.0.1, `MarketSim:DefaultSession=false`); every student and every instructor is its")
            .AppendLine($"own .NET SignalR client connection (WebSockets), {(separate ? "all of them in a second process of the bench (`--clients process`)" + IdleNote : "in the same process")}. See bench/MarketSim.Bench.Classroom/Program.cs.")
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
            .AppendLine("Where the server's time went in the same runs (`ClassroomMetrics`, recorded in the server during the rounds):")
            .AppendLine()
            .Append(phaseTable)
            .AppendLine()
            .AppendLine("How long a work item waited in each process's thread-pool queue during the rounds (`PoolLag`: one item queued every")
            .AppendLine("20 ms, as a socket's completions are queued; a hub message, its response and each send wait this on top of their own")
            .AppendLine("work). With the clients in the server's process there is one pool, shown as the server's:")
            .AppendLine()
            .Append(lagTable)
            .AppendLine()
            .AppendLine("The same run, diagnostic: what `Session.Runner.StepAsync(30)` alone costs, on as many fresh sessions at once (in the")
            .AppendLine($"same process; no classroom, no SignalR client), after the warm-up ({warmTicks} ticks of one session, as")
            .AppendLine("bench/MarketSim.Bench does before it measures):")
            .AppendLine()
            .Append(stepTable)
            .AppendLine()
            .AppendLine("- **when**: the cold start is the first thing the process does (no warm-up): a freshly started server's first class;")
            .AppendLine("  its first advance per classroom activates the world's grains and runs the simulation's code for the first time. The")
            .AppendLine("  warm rows come after the warm-up (the scenario's ticks, then one untimed class of the largest size: its server JIT")
            .AppendLine($"  {warmClassJit}); their first advances activate their new worlds' grains as any new class does.")
            .AppendLine("- **median / p95 / max ms**: over the row's advances: from the instructor calling `Advance` to the last of the")
            .AppendLine("  classroom's students receiving the \"Classroom\" message with the next round open.")
            .AppendLine("- **Advance call**: from calling `Advance` to its result at the instructor (the server closes the round, applies the")
            .AppendLine("  decisions, steps the session 30 ticks, opens the next round and sends the state); the rest is the fan-out.")
            .AppendLine("- **open → all submitted**: from the round opening (Start or Advance called) to the last student's `Submit` returning;")
            .AppendLine("  each student, on the message opening a round, reads its view (`GetView`, as the play page does) and submits.")
            .AppendLine("- **CPU s**: processor time (user + system) of the server's process and of the clients' during the rounds; with the")
            .AppendLine("  clients in the server's process only their sum is known.")
            .AppendLine("- **memory**: of the server's process (and the clients', when in the same process): GC heap peak and working-set peak")
            .AppendLine("  sampled every 100 ms during the rounds; GC heap live after a full collection with all connections still open.");
        await File.WriteAllTextAsync(output, md.ToString());
        Console.Error.WriteLine($"written {output}");
        return results.Sum(r => r.Errors) == 0 ? 0 : 1;
    }

    /// <summary>The classrooms' clients in this process: the server's and the clients' CPU time are one figure.</summary>
    static async Task<ClientRun> RunInProcessAsync(string url, int classrooms, int seats, int rounds, PhaseRecorder phases)
    {
        await using var memory = new MemorySampler();
        var run = await RunAsync(url, classrooms, seats, rounds, onRounds: started =>
        {
            if (started) { memory.Reset(); phases.Reset(); }
            else phases.Stop();
        });
        var (gcPeak, wsPeak) = memory.Peaks();
        // One pool: the clients' waits are the server's.
        return run with { ServerCpuSeconds = null, GcPeak = gcPeak, WorkingSetPeak = wsPeak, ServerLag = run.ClientLag, ClientLag = [] };
    }

    /// <summary>The classrooms' clients in a second process of this bench: the CPU time of each process is known apart.</summary>
    static async Task<ClientRun> InChildAsync(string url, int classrooms, int seats, int rounds, PhaseRecorder phases)
    {
        await using var memory = new MemorySampler();
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        // The clients stand for students' phones: they keep the runtime's default compilation (PGO, 100 ms before counting
        // calls), so a change to the server's (src/ServerTiering.props, which this bench imports) is measured alone.
        start.Environment["DOTNET_TieredPGO"] = "1";
        start.Environment["DOTNET_TC_CallCountingDelayMs"] = "100";
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(Bench).Assembly.Location);
        foreach (var a in new[] { "--clients-for", url, "--classrooms", classrooms.ToString(CultureInfo.InvariantCulture),
            "--seats", seats.ToString(CultureInfo.InvariantCulture), "--rounds", rounds.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        // --clients-priority idle (diagnostic): the clients take only the CPU the server leaves (nice 19 on Linux), as students'
        // phones take none of the server's; the default is the same priority as the server.
        if (ClientsIdle) child.PriorityClass = ProcessPriorityClass.Idle;
        using var me = Process.GetCurrentProcess();
        await using var lag = new PoolLag();
        TimeSpan cpuFrom = default, cpuTo = default;
        long live = 0;
        ClientRun? run = null;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == RoundsStart) { memory.Reset(); phases.Reset(); lag.Reset(); me.Refresh(); cpuFrom = me.TotalProcessorTime; }
            else if (line == RoundsEnd) { phases.Stop(); lag.Stop(); me.Refresh(); cpuTo = me.TotalProcessorTime; live = GC.GetTotalMemory(forceFullCollection: true); }
            else if (line.StartsWith(ResultLine, StringComparison.Ordinal)) run = JsonSerializer.Deserialize<ClientRun>(line[ResultLine.Length..]);
        }
        await child.WaitForExitAsync();
        if (run is null) throw new InvalidOperationException($"the clients' process ended ({child.ExitCode}) without a result");
        var (gcPeak, wsPeak) = memory.Peaks();
        return run with { ServerCpuSeconds = (cpuTo - cpuFrom).TotalSeconds, GcPeak = gcPeak, WorkingSetPeak = wsPeak, GcLive = live, ServerLag = lag.Sorted(), ServerPool = lag.Pool(), ServerJit = lag.Jit() };
    }

    static async Task<int> ClientProcessAsync(string url, int classrooms, int seats, int rounds)
    {
        var run = await RunAsync(url, classrooms, seats, rounds, onRounds: started => Console.WriteLine(started ? RoundsStart : RoundsEnd));
        Console.WriteLine(ResultLine + JsonSerializer.Serialize(run));
        return 0;
    }

    /// <summary>
    /// The clients of <paramref name="classrooms"/> classrooms against the server at <paramref name="url"/>: create, join,
    /// play the rounds. <paramref name="onRounds"/> is told when the timed rounds start (true) and end (false).
    /// </summary>
    static async Task<ClientRun> RunAsync(string url, int classrooms, int seats, int rounds, Action<bool> onRounds)
    {
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
        await using var lag = new PoolLag();
        onRounds(true);
        lag.Reset();
        using var me = Process.GetCurrentProcess();
        var cpuFrom = me.TotalProcessorTime;

        var advances = new ConcurrentBag<(int Round, double Ms)>();
        var calls = new ConcurrentBag<(int Round, double Ms)>();
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
                calls.Add((r, Ms(t0, Stopwatch.GetTimestamp())));
                await next.AllReceived.Task.WaitAsync(Patience);
                advances.Add((r, Ms(t0, next.LastReceived)));
            }
            // The last Advance opened one more round: let its submissions finish before disconnecting.
            await room.Track(rounds + 1).AllSubmitted.Task.WaitAsync(Patience);
        })));
        onRounds(false);
        lag.Stop();
        me.Refresh();
        var cpu = (me.TotalProcessorTime - cpuFrom).TotalSeconds;
        var live = GC.GetTotalMemory(forceFullCollection: true);
        var connections = rooms.Count * (seats + 1);
        // The classes end, as a teacher ends one: before Dec 2026 every run's classes and their worlds stayed in the server
        // for the runs after it (31 by the warm rows, ≈375 MB of live heap against ≈175 MB).
        await Task.WhenAll(rooms.Select(r => r.Instructor.InvokeAsync(nameof(ClassroomHub.EndClassroom), r.Code, r.Token)));
        await Task.WhenAll(rooms.SelectMany(r => r.Students.Select(s => s!.Hub).Append(r.Instructor)).Select(h => h.DisposeAsync().AsTask()));
        return new ClientRun(connections, advances.Select(a => a.Round).ToArray(), advances.Select(a => a.Ms).ToArray(),
            calls.Select(a => a.Round).ToArray(), calls.Select(a => a.Ms).ToArray(), submitted.Order().ToArray(), cpu, null, 0, live, 0, errors.Value) { ClientLag = lag.Sorted(), ServerJit = lag.Jit() }; // the JIT: the server's too when in its process (else replaced)
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

    static int _stepRuns;

    static async Task<(double[] Ms, double Cpu)> StepOnlyAsync(IServiceProvider services, int count, int rounds, string tag)
    {
        var directory = services.GetRequiredService<SessionDirectory>();
        var path = Path.Combine(Root, "scenarios", Scenario);
        var yaml = await File.ReadAllTextAsync(path);
        var sessions = new List<SessionEntry>();
        for (var i = 0; i < count; i++)
            sessions.Add(await directory.CreateAsync(ScenarioLoader.LoadOrThrow(path), yaml, id: $"bench-step-{tag}-{count}-{i}-{Interlocked.Increment(ref _stepRuns)}"));
        var times = new ConcurrentBag<double>();
        using var me = Process.GetCurrentProcess();
        var cpu = me.TotalProcessorTime;
        await Task.WhenAll(sessions.Select(s => Task.Run(async () =>
        {
            for (var r = 0; r < rounds; r++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await s.Runner.StepAsync(30);
                times.Add(Ms(t0, Stopwatch.GetTimestamp()));
            }
        })));
        me.Refresh();
        return (times.Order().ToArray(), (me.TotalProcessorTime - cpu).TotalSeconds);
    }

    static string StepRow((string When, int Sessions, double[] Ms, double Cpu) s) => string.Create(CultureInfo.InvariantCulture,
        $"| {s.When} | {s.Sessions} | {s.Ms.Length} | {Pct(s.Ms, 0.5):0} | {Pct(s.Ms, 0.95):0} | {s.Ms.LastOrDefault():0} | {s.Cpu:0.0} |");

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
        var grant = await hub.InvokeAsync<SeatGrant>(nameof(ClassroomHub.Join), room.Code, $"student {index + 1}", (string?)null);
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
            // As the play page does when the classroom changes: the seat's view (its country's numbers) before deciding.
            await Hub.InvokeAsync<StudentView>(nameof(ClassroomHub.GetView), _room.Code, _token);
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

/// <summary>What the clients of one run measured (and, filled in by the server's side, its CPU time and memory).</summary>
sealed record ClientRun(int Connections, int[] AdvanceRounds, double[] AdvanceMs, int[] CallRounds, double[] CallMs, double[] Submitted,
    double ProcessCpuSeconds, double? ServerCpuSeconds, long GcPeak, long GcLive, long WorkingSetPeak, int Errors)
{
    /// <summary>The clients' process's thread-pool waits during the rounds (PoolLag), and the server's when known.</summary>
    public double[] ClientLag { get; init; } = [];
    public double[] ServerLag { get; init; } = [];
    public string ServerPool { get; init; } = "";
    public string ServerJit { get; init; } = "–";

    public string LagRow(string run) => string.Create(CultureInfo.InvariantCulture,
        $"| {run} | {Waits(ServerLag)} | {ServerPool} | {ServerJit} | {Waits(ClientLag)} |");

    static string Waits(double[] ms) => ms.Length == 0 ? "–"
        : string.Create(CultureInfo.InvariantCulture, $"{Pct(ms, 0.5):0.0} / {Pct(ms, 0.95):0.0} / {ms[^1]:0.0} ({ms.Length})");
}

sealed record Result(string When, int Classrooms, int Seats, int Connections, double[] Advances, double[] Calls, double[] Submitted,
    double ProcessCpuSeconds, double? ServerCpuSeconds, long GcPeak, long GcLive, long WorkingSetPeak, int Errors)
{
    /// <summary>The run's advances of the rounds <paramref name="rounds"/> picks (round r's advance opens round r + 1).</summary>
    public static Result Of(string when, int classrooms, int seats, ClientRun run, Func<int, bool> rounds)
    {
        static double[] Pick(int[] r, double[] ms, Func<int, bool> keep) => r.Zip(ms).Where(x => keep(x.First)).Select(x => x.Second).Order().ToArray();
        return new(when, classrooms, seats, run.Connections, Pick(run.AdvanceRounds, run.AdvanceMs, rounds), Pick(run.CallRounds, run.CallMs, rounds),
            run.Submitted, run.ProcessCpuSeconds, run.ServerCpuSeconds, run.GcPeak, run.GcLive, run.WorkingSetPeak, run.Errors);
    }

    string Cpu => ServerCpuSeconds is { } server
        ? string.Create(CultureInfo.InvariantCulture, $"{server:0.0} / {ProcessCpuSeconds:0.0}")
        : string.Create(CultureInfo.InvariantCulture, $"{ProcessCpuSeconds:0.0} together");

    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {When} | {Classrooms} × {Seats} | {Connections} | {Advances.Length} | {Pct(Advances, 0.5):0} | {Pct(Advances, 0.95):0} | {Advances.LastOrDefault():0} | " +
        $"{Pct(Calls, 0.5):0} / {Pct(Calls, 0.95):0} | {Pct(Submitted, 0.5):0} / {Pct(Submitted, 0.95):0} | {Cpu} | " +
        $"{GcPeak / 1048576.0:0} | {GcLive / 1048576.0:0} | {WorkingSetPeak / 1048576.0:0} | {Errors} |");
}

/// <summary>The server's own timings (<see cref="ClassroomMetrics"/>) during a run's rounds, by instrument and phase.</summary>
sealed class PhaseRecorder : IDisposable
{
    readonly MeterListener _listener = new();
    readonly ConcurrentDictionary<(string Instrument, string Phase), ConcurrentBag<double>> _seen = new();
    volatile bool _on;

    public PhaseRecorder()
    {
        _listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == ClassroomMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (!_on) return;
            var phase = "";
            foreach (var t in tags) if (t.Key == "phase") phase = t.Value as string ?? "";
            _seen.GetOrAdd((instrument.Name, phase), _ => new()).Add(value);
        });
        _listener.Start();
    }

    public void Reset() { _seen.Clear(); _on = true; }
    public void Stop() => _on = false;

    public IEnumerable<string> Rows(string run) => _seen.OrderBy(x => x.Key.Instrument).ThenBy(x => Order(x.Key.Phase)).Select(x =>
    {
        var v = x.Value.Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {run} | {x.Key.Instrument} | {x.Key.Phase} | {v.Length} | {Pct(v, 0.5):0.0} | {Pct(v, 0.95):0.0} | {v.LastOrDefault():0.0} | {v.Sum() / 1000:0.00} |");
    }).ToList();

    static int Order(string phase) => Array.IndexOf(new[] { "gate", "apply", "step", "bots", "broadcast", "all" }, phase);

    public void Dispose() => _listener.Dispose();
}
