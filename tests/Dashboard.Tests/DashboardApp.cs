using System.Net;
using MarketSim.Dashboard.Hosting;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Sessions;
using MarketSim.Model.Scenario;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// The real dashboard (in-process silo, hub, pages) on a free port of 127.0.0.1 served by Kestrel, so the SignalR client
/// and the browser reach it as they would in production. One per test collection: startup is the
/// expensive part. Tests make their own sessions so they do not disturb each other; the default one is left to the
/// browser tests.
/// </summary>
public sealed class DashboardApp : IAsyncLifetime
{
    WebApplicationFactory<Program>? _factory;

    public Uri BaseAddress { get; private set; } = null!;
    /// <summary>The configured address phones join at (MarketSim:PublicUrl); nothing answers there.</summary>
    public const string PublicUrl = "http://classroom.example.test:5243/";
    public IServiceProvider Services => _factory!.Services;
    public SessionDirectory Sessions => Services.GetRequiredService<SessionDirectory>();
    public MarketSim.Dashboard.Classrooms.ClassroomDirectory Classrooms => Services.GetRequiredService<MarketSim.Dashboard.Classrooms.ClassroomDirectory>();

    public Task InitializeAsync()
    {
        var port = MarketSim.Hosting.FreePorts.Next();
        _factory = new WebApplicationFactory<Program>()
            .WithWebHostBuilder(b => b.UseSetting("Logging:LogLevel:Default", "Warning")
                // No start-up warm-up (WarmUpTests has its own host): it would take a core from the tests for seconds.
                .UseSetting(WarmUp.TicksKey, "0")
                // The classroom's join link: the configured public address, not the 127.0.0.1 the tests' browsers use.
                .UseSetting(MarketSim.Dashboard.Classrooms.JoinAddress.Key, PublicUrl)
                // Every test connects from 127.0.0.1, and the suite's classrooms together come near the default 25 an address
                // may hold: one test failing before it ended its class made the next test's class refused (CI, Dec 2026). The
                // limit's own test sets it where it needs it.
                .UseSetting($"{MarketSim.Dashboard.Security.DashboardLimits.Section}:MaxClassroomsPerClient", "100")
                // Test-only: lets a test make a tick throw as a model bug would (null: no fault; HardeningTests).
                .ConfigureServices(s => s.AddSingleton<MarketSim.Grains.Session.SessionFaults>())
                // What the host logs at Warning and above, for tests of what a caller can make it log.
                .ConfigureServices(s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs)));
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        _factory.StartServer();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        return Task.CompletedTask;
    }

    /// <summary>Everything the host logged at Warning or above since it started.</summary>
    public LogSink Logs { get; } = new();

    /// <summary>
    /// A client at its own loopback address (127.0.0.2 and up, never 127.0.0.1, which the other tests share), so per-address
    /// quotas start from nothing: an HttpClient whose connections leave from that address.
    /// </summary>
    public HttpClient HttpFrom(IPAddress from) => new(From(from)) { BaseAddress = BaseAddress };

    /// <summary>A hub connection from <paramref name="from"/> (long polling: every request over <see cref="HttpFrom"/>'s sockets).</summary>
    public async Task<HubConnection> ConnectFromAsync(IPAddress from, string hubPath = SimulationHub.Path)
    {
        var hub = BuildFrom(from, hubPath);
        await hub.StartAsync();
        return hub;
    }

    /// <summary><see cref="ConnectFromAsync"/> not yet started (to watch its Closed event from the start).</summary>
    public HubConnection BuildFrom(IPAddress from, string hubPath = SimulationHub.Path) => new HubConnectionBuilder()
        .WithUrl(new Uri(BaseAddress, hubPath.TrimStart('/')), Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling,
            o => o.HttpMessageHandlerFactory = _ => From(from))
        .AddJsonProtocol(o => HubJson.Configure(o.PayloadSerializerOptions))
        .Build();

    static int _lastAddress = 1;

    /// <summary>A loopback address no other test has used in this run.</summary>
    public static IPAddress NewAddress() => new([127, 0, 0, (byte)Interlocked.Increment(ref _lastAddress)]);

    static SocketsHttpHandler From(IPAddress from) => new()
    {
        ConnectCallback = async (context, cancel) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>A fresh session of a shipped scenario (default: the default scenario), paused at tick 0.</summary>
    public async Task<SessionEntry> NewSessionAsync(string file = ScenarioCatalog.DefaultFile)
    {
        var path = Path.Combine(Paths.RepoRoot, "scenarios", file);
        return await Sessions.CreateAsync(ScenarioLoader.LoadOrThrow(path), await File.ReadAllTextAsync(path));
    }

    /// <summary>A hub connection (default /hubs/simulation) as an outside program would open it: URL and JSON settings from the documented contract.</summary>
    public async Task<HubConnection> ConnectAsync(string hubPath = SimulationHub.Path)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, hubPath.TrimStart('/')))
            .AddJsonProtocol(o => HubJson.Configure(o.PayloadSerializerOptions))
            .Build();
        await hub.StartAsync();
        return hub;
    }

    /// <summary>Stops the host (its silo deactivates every session's grains). A stop that fails says how long it ran and what
    /// the host logged at Error and above, so a cleanup failure in CI can be read from the log alone.</summary>
    public async Task DisposeAsync()
    {
        if (_factory is null) return;
        var open = Sessions.All.Count;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await _factory.DisposeAsync();
        }
        catch (Exception e)
        {
            var errors = Logs.Entries.Where(x => x.Level >= Microsoft.Extensions.Logging.LogLevel.Error).TakeLast(5)
                .Select(x => $"[{x.Category}] {x.Text.Split('\n')[0]}");
            throw new InvalidOperationException($"The dashboard host did not stop cleanly ({e.GetType().Name} after {watch.Elapsed.TotalSeconds:0.0} s; " +
                $"{open} sessions were open). Its last errors: {string.Join(" | ", errors)}", e);
        }
    }
}

/// <summary>Log entries (level, category, message with its exception) kept in memory.</summary>
public sealed class LogSink : Microsoft.Extensions.Logging.ILoggerProvider
{
    public sealed record Entry(Microsoft.Extensions.Logging.LogLevel Level, string Category, string Text);

    readonly System.Collections.Concurrent.ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => _entries.ToList();

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    sealed class Logger(LogSink sink, string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink._entries.Enqueue(new Entry(logLevel, category, formatter(state, exception) + (exception is null ? "" : "\n" + exception)));
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardApp>
{
    public const string Name = "dashboard";
}

public static class Paths
{
    public static string RepoRoot { get; } = Find();

    static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "MarketSim.sln"))) return d.FullName;
        throw new InvalidOperationException("MarketSim.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Where browser tests put their screenshots: TestResults/ beside the test project's output.</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(RepoRoot, "tests", "Dashboard.Tests", "TestResults", "screenshots")).FullName;
}
