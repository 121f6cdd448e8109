using System.Net;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Sessions;
using MarketSim.Model.Scenario;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MarketSim.Cluster.Tests;

/// <summary>
/// SignalR across web hosts (issue 6, item 3): two dashboard hosts join the same Redis cluster as clients; a session created
/// and played through host A is watched live through host B. Frames originate in the session grain, which pushes them to
/// every host's observer, so no SignalR backplane is involved.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class CrossHostTests(LocalCluster cluster, ITestOutputHelper output) : IClassFixture<LocalCluster>
{
    [Fact]
    public async Task A_session_created_and_played_on_one_web_host_streams_live_without_gaps_on_another()
    {
        await cluster.EnsureThreeAsync();
        await using var a = DashboardHost.Start(cluster);
        await using var b = DashboardHost.Start(cluster);
        try
        {
            var path = Path.Combine(Free.RepoRoot, "scenarios", "china-japan-2026.yaml");
            var session = await a.Sessions.CreateAsync(ScenarioLoader.LoadOrThrow(path), await File.ReadAllTextAsync(path));
            Assert.Null(b.Sessions.Find(session.Id)); // host B has never heard of it

            await using var hubA = await a.ConnectAsync();
            await using var hubB = await b.ConnectAsync();
            var live = System.Threading.Channels.Channel.CreateUnbounded<FrameMessage>();
            hubB.On<FrameMessage>(HubMessages.Frame, m => live.Writer.TryWrite(m));

            await hubA.InvokeAsync<SessionStatus>("Step", session.Id, 3);
            var sub = await hubB.InvokeAsync<SubscribeResult>("Subscribe", session.Id, 0);
            Assert.Equal(session.Id, sub.Session.SessionId);
            Assert.Equal(Enumerable.Range(0, 3), sub.Frames.Select(f => f.Tick));
            Assert.Contains(await hubB.InvokeAsync<IReadOnlyList<SessionInfo>>("ListSessions"), s => s.SessionId == session.Id);

            await hubA.InvokeAsync<SessionStatus>("SetSpeed", session.Id, 20.0);
            await hubA.InvokeAsync<SessionStatus>("Play", session.Id);

            // As a client does: the history, then live frames, dropping any at or below the highest tick seen.
            const int until = 30;
            var ticks = sub.Frames.Select(f => f.Tick).ToList();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (ticks[^1] < until)
            {
                var m = await live.Reader.ReadAsync(cts.Token);
                Assert.Equal(session.Id, m.SessionId);
                if (m.Frame.Tick > ticks[^1]) ticks.Add(m.Frame.Tick);
            }
            await hubA.InvokeAsync<SessionStatus>("Pause", session.Id);
            Assert.Equal(Enumerable.Range(0, ticks.Count), ticks);
            output.WriteLine($"host B received ticks 0..{ticks[^1]} of {session.Id}, created and played on host A");
        }
        catch
        {
            output.WriteLine(cluster.Logs);
            throw;
        }
    }

    /// <summary>The real dashboard app on a free loopback port, joined to the test cluster as an Orleans client.</summary>
    sealed class DashboardHost : IAsyncDisposable
    {
        readonly WebApplicationFactory<Program> _factory;
        readonly Uri _base;

        DashboardHost(WebApplicationFactory<Program> factory, Uri baseAddress) { _factory = factory; _base = baseAddress; }

        public SessionDirectory Sessions => _factory.Services.GetRequiredService<SessionDirectory>();

        public static DashboardHost Start(LocalCluster cluster)
        {
            var port = Free.Port();
            var o = cluster.Options;
            var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
                .UseSetting("Logging:LogLevel:Default", "Warning")
                .UseSetting("MarketSim:DefaultSession", "false")
                .UseSetting("MarketSim:Cluster:Redis", o.Redis)
                .UseSetting("MarketSim:Cluster:ClusterId", o.ClusterId)
                .UseSetting("MarketSim:Cluster:ServiceId", o.ServiceId)
                .UseSetting("MarketSim:Cluster:ResponseTimeoutSeconds", "10"));
            factory.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
            factory.StartServer();
            return new DashboardHost(factory, new Uri($"http://127.0.0.1:{port}/"));
        }

        public async Task<HubConnection> ConnectAsync()
        {
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(_base, SimulationHub.Path.TrimStart('/')))
                .AddJsonProtocol(j => HubJson.Configure(j.PayloadSerializerOptions))
                .Build();
            await hub.StartAsync();
            return hub;
        }

        public ValueTask DisposeAsync() => _factory.DisposeAsync();
    }
}
