using System.Net;
using MarketSim.Dashboard.Hosting;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Sessions;
using MarketSim.Model.Scenario;
using Microsoft.AspNetCore.Builder;
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
public sealed class DashboardApp(Xunit.Abstractions.IMessageSink diagnostics) : IAsyncLifetime
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
                // The host's and the silo's stop stages, so a slow stop can be read from what they logged (DisposeAsync).
                .UseSetting("Logging:LogLevel:Microsoft.Extensions.Hosting", "Debug")
                .UseSetting("Logging:LogLevel:Orleans.Runtime.SiloLifecycleSubject", "Debug")
                .UseSetting($"Logging:LogLevel:{typeof(DefaultSession).FullName}", "Information")
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
                .ConfigureServices(s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs))
                // The requests in flight, to say which ones a slow stop waited for (DisposeAsync).
                .ConfigureServices(s => s.AddSingleton<IStartupFilter>(Open)));
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        _factory.StartServer();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        return Task.CompletedTask;
    }

    /// <summary>The host's requests in flight.</summary>
    public OpenRequests Open { get; } = new();

    /// <summary>Everything the host logged at Warning or above since it started (and its stop's stages, below that).</summary>
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

    /// <summary>Stops the host (its silo deactivates every session's grains) and says how long that took, which requests were
    /// still open after 10 s and what the host logged meanwhile (an xunit diagnostic message, printed in CI's log), so a slow
    /// or failed stop can be read from the log alone.</summary>
    public async Task DisposeAsync()
    {
        if (_factory is null) return;
        var open = Sessions.All.Count;
        var started = DateTime.UtcNow;
        // Kestrel waits for the requests in flight before the rest of the host stops: those still open after 10 s.
        var lingering = Task.Delay(TimeSpan.FromSeconds(10)).ContinueWith(_ => Open.Describe());
        Exception? failed = null;
        try { await _factory.DisposeAsync(); }
        catch (Exception e) { failed = e; }
        var took = DateTime.UtcNow - started;
        var said = string.Join(" | ", Logs.Entries.Where(x => x.At >= started).Take(40)
            .Select(x => $"+{(x.At - started).TotalSeconds:0.0} s {x.Level} [{x.Category}] {x.Text.Split('\n')[0]}"));
        var report = (failed is null ? "The dashboard host stopped" : $"The dashboard host did not stop cleanly ({failed.GetType().Name}: {failed.Message})") +
            $" in {took.TotalSeconds:0.0} s ({open} sessions were open). " +
            (took < TimeSpan.FromSeconds(10) ? "" : $"Requests open 10 s into the stop: {await lingering}. ") +
            $"Logged while stopping: {said}";
        // A diagnostic message is printed in the test log whatever happens; a fixture's exception is printed by its type alone.
        diagnostics.OnMessage(new Xunit.Sdk.DiagnosticMessage(report));
        if (failed is not null) throw new InvalidOperationException(report, failed);
    }
}

/// <summary>Log entries (level, category, message with its exception) kept in memory.</summary>
public sealed class LogSink : Microsoft.Extensions.Logging.ILoggerProvider
{
    public sealed record Entry(Microsoft.Extensions.Logging.LogLevel Level, string Category, string Text, DateTime At);

    readonly System.Collections.Concurrent.ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => _entries.ToList();

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    sealed class Logger(LogSink sink, string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink._entries.Enqueue(new Entry(logLevel, category, formatter(state, exception) + (exception is null ? "" : "\n" + exception), DateTime.UtcNow));
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

/// <summary>The requests a host is serving (a WebSocket is one for as long as it is open): a middleware put first.</summary>
public sealed class OpenRequests : IStartupFilter
{
    readonly System.Collections.Concurrent.ConcurrentDictionary<Microsoft.AspNetCore.Http.HttpContext, DateTime> _open = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            _open[context] = DateTime.UtcNow;
            try { await inner(context); }
            finally
            {
                _open.TryRemove(context, out _);
                _finished.AddOrUpdate($"{context.Request.Method} {context.Request.Path}", 1, (_, n) => n + 1);
            }
        });
        next(app);
    };

    /// <summary>Requests open now with this method and path.</summary>
    public int Count(string method, string path) =>
        _open.Keys.Count(c => c.Request.Method == method && c.Request.Path.Value == path);

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _finished = new();

    /// <summary>Requests with this method and path answered so far.</summary>
    public int Finished(string method, string path) => _finished.GetValueOrDefault($"{method} {path}");

    public string Describe()
    {
        var now = DateTime.UtcNow;
        var open = _open.ToArray();
        return open.Length == 0 ? "none" : $"{open.Length}: " + string.Join(", ", open.OrderBy(x => x.Value).Take(20).Select(x =>
            $"{x.Key.Request.Method} {x.Key.Request.Path}{(x.Key.WebSockets.IsWebSocketRequest ? " (WebSocket)" : "")} from " +
            $"{x.Key.Connection.RemoteIpAddress}:{x.Key.Connection.RemotePort}, open {(now - x.Value).TotalSeconds:0} s"));
    }
}
