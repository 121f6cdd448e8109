using static MarketSim.Bench.Shared.BenchHelpers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Diagnostics;
using MarketSim.Dashboard.Hosting;
using MarketSim.Dashboard.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

// Tick-to-client latency of the dashboard's live feed: the real app (its own process: in-process silo, hub) on a free loopback port, N .NET
// SignalR clients subscribed to its default session (the default scenario) playing at a fixed speed. Latency per frame and client
// = when the client has the frame − when the web host got it from the session grain's observer call (FrameMessage.EmittedAt;
// same machine, same clock). Usage: dotnet run -c Release --project bench/MarketSim.Bench.Latency [-- --ticks 200 --speed 20 --clients 1,50]
var ticks = Arg(args, "--ticks", 200);
var speed = Arg(args, "--speed", 20.0);
var clientCounts = (ArgText(args, "--clients") ?? "1,50").Split(',').Select(int.Parse).ToArray();
const int warmUp = 20; // the first ticks include JIT and connection setup

var port = MarketSim.Hosting.FreePorts.Next();
// The dashboard as its own process, as users run it (its in-process silo, the default session), on a free loopback port.
var dashboardDll = Path.Combine(RepoRoot(), "src", "Dashboard", "bin", "Release", "net10.0", "MarketSim.Dashboard.dll");
// Every client is a hub connection from 127.0.0.1: the per-address connection cap (docs/SECURITY.md) is lifted.
using var dashboard = Process.Start(new ProcessStartInfo("dotnet", [dashboardDll, "--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning",
    "--MarketSim:Limits:MaxHubConnectionsPerClient=1000000"])
{
    WorkingDirectory = Path.Combine(RepoRoot(), "src", "Dashboard"), RedirectStandardOutput = true, RedirectStandardError = true,
})!;
var ready = new TaskCompletionSource();
dashboard.OutputDataReceived += (_, e) => { if (e.Data?.Contains("MarketSim dashboard: open") == true) ready.TrySetResult(); };
dashboard.BeginOutputReadLine();
dashboard.BeginErrorReadLine();
await ready.Task.WaitAsync(TimeSpan.FromMinutes(2));
try
{
Console.WriteLine($"tick-to-client latency, {ticks} ticks at {speed} ticks/s (first {warmUp} ticks not counted), default scenario");
Console.WriteLine("clients | frames | median ms | p95 ms | max ms | ticks/s achieved");
foreach (var n in clientCounts)
{
    var samples = new ConcurrentBag<double>();
    var done = new CountdownEvent(n);
    var connections = new List<HubConnection>();
    for (var i = 0; i < n; i++)
    {
        var hub = new HubConnectionBuilder().WithUrl($"http://127.0.0.1:{port}{SimulationHub.Path}")
            .AddJsonProtocol(o => HubJson.Configure(o.PayloadSerializerOptions)).Build();
        var finished = false;
        hub.On<FrameMessage>(HubMessages.Frame, m =>
        {
            var ms = (DateTimeOffset.UtcNow - m.EmittedAt).TotalMilliseconds;
            if (m.Frame.Tick >= warmUp) samples.Add(ms);
            if (m.Frame.Tick >= ticks - 1 && !finished) { finished = true; done.Signal(); }
        });
        await hub.StartAsync();
        await hub.InvokeAsync<SubscribeResult>(nameof(SimulationHub.Subscribe), "default", 0);
        connections.Add(hub);
    }
    var control = connections[0];
    await control.InvokeAsync<SessionStatus>(nameof(SimulationHub.Reset), "default");
    await Task.Delay(500); // let the reset reach every client before the first frame
    await control.InvokeAsync<SessionStatus>(nameof(SimulationHub.SetSpeed), "default", speed);
    var clock = Stopwatch.StartNew();
    await control.InvokeAsync<SessionStatus>(nameof(SimulationHub.Play), "default");
    done.Wait(TimeSpan.FromMinutes(5));
    var elapsed = clock.Elapsed.TotalSeconds;
    await control.InvokeAsync<SessionStatus>(nameof(SimulationHub.Pause), "default");
    var sorted = samples.Order().ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{n,7} | {sorted.Length,6} | {Pct(sorted, 0.5),9:0.0} | {Pct(sorted, 0.95),6:0.0} | {sorted.LastOrDefault(),6:0.0} | {ticks / elapsed,6:0.0}"));
    foreach (var c in connections) await c.DisposeAsync();
}
}
finally
{
    dashboard.Kill(entireProcessTree: true);
}

