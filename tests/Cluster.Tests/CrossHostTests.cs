using MarketSim.Hosting;
using System.Net;
using MarketSim.Dashboard.Classrooms;
using MarketSim.Dashboard.Hubs;
using MarketSim.Classrooms;
using MarketSim.Dashboard.Sessions;
using MarketSim.Model.Scenario;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
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

    [Fact]
    public async Task A_second_web_host_cannot_drive_a_classrooms_world()
    {
        await cluster.EnsureThreeAsync();
        await using var a = DashboardHost.Start(cluster);
        await using var b = DashboardHost.Start(cluster);
        try
        {
            await using var teacher = await a.ConnectAsync(ClassroomHub.Path);
            var created = await teacher.InvokeAsync<ClassroomCreated>("CreateClassroom", "china-japan-2026.yaml", 7UL,
                new ClassroomSettings { RoundTicks = 5, RoundSeconds = 0, Playable = ["CN", "JP", "US"], Capacity = 3 });
            await using var hubB = await b.ConnectAsync();
            var sub = await hubB.InvokeAsync<SubscribeResult>("Subscribe", created.SessionId, 0); // watching is allowed
            Assert.Equal(created.SessionId, sub.Session.SessionId);
            var before = sub.Status.Tick;

            // Host B never created the class; every call that would move or change its world is refused there.
            var policy = System.Text.Json.JsonDocument.Parse("""{"kind":"tariff","id":"x-tariff","importer":"JP","commodities":["dy_oxide"],"rate":0.1,"start":0}""").RootElement;
            await Assert.ThrowsAsync<HubException>(() => hubB.InvokeAsync<SessionStatus>("Step", created.SessionId, 3));
            await Assert.ThrowsAsync<HubException>(() => hubB.InvokeAsync<SessionStatus>("Play", created.SessionId));
            await Assert.ThrowsAsync<HubException>(() => hubB.InvokeAsync<SessionStatus>("Reset", created.SessionId));
            await Assert.ThrowsAsync<HubException>(() => hubB.InvokeAsync<PolicyChangeMessage>("SetPolicy", created.SessionId, policy));

            var after = await hubB.InvokeAsync<SubscribeResult>("Subscribe", created.SessionId, 0);
            Assert.Equal(before, after.Status.Tick);
            Assert.DoesNotContain(after.Policies, p => p.Id == "x-tariff");

            // The contrast: an ordinary session created on host A can be driven from host B, so the refusal is the classroom's.
            var path = Path.Combine(Free.RepoRoot, "scenarios", "china-japan-2026.yaml");
            var ordinary = await a.Sessions.CreateAsync(ScenarioLoader.LoadOrThrow(path), await File.ReadAllTextAsync(path));
            await hubB.InvokeAsync<SubscribeResult>("Subscribe", ordinary.Id, 0); // host B adopts it, as it adopted the class's world
            Assert.Equal(2, (await hubB.InvokeAsync<SessionStatus>("Step", ordinary.Id, 2)).Tick);
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
            var port = FreePorts.Next();
            var o = cluster.Options;
            var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
                .UseSetting("Logging:LogLevel:Default", "Warning")
                .UseSetting("MarketSim:DefaultSession", "false")
                .UseSetting(MarketSim.Dashboard.Sessions.WarmUp.TicksKey, "0")
                .UseSetting("MarketSim:Cluster:Redis", o.Redis)
                .UseSetting("MarketSim:Cluster:ClusterId", o.ClusterId)
                .UseSetting("MarketSim:Cluster:ServiceId", o.ServiceId)
                .UseSetting("MarketSim:Cluster:ResponseTimeoutSeconds", "10"));
            factory.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
            factory.StartServer();
            return new DashboardHost(factory, new Uri($"http://127.0.0.1:{port}/"));
        }

        public async Task<HubConnection> ConnectAsync(string? path = null)
        {
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(_base, (path ?? SimulationHub.Path).TrimStart('/')))
                .AddJsonProtocol(j => HubJson.Configure(j.PayloadSerializerOptions))
                .Build();
            await hub.StartAsync();
            return hub;
        }

        public ValueTask DisposeAsync() => _factory.DisposeAsync();
    }
}
