using Microsoft.AspNetCore.SignalR;
using MarketSim.Dashboard.Classrooms;
using MarketSim.Dashboard.Components;
using MarketSim.Dashboard.Export;
using MarketSim.Dashboard.Hosting;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Security;
using MarketSim.Dashboard.Sessions;

var builder = WebApplication.CreateBuilder(args);
// Blazor's and Plotly's static assets outside Development and from the build output (without it they answer HTTP 500 when run from the build output outside Development).
builder.WebHost.UseStaticWebAssets();
// Loopback only unless told otherwise (--urls, ASPNETCORE_URLS, "urls" in configuration).
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])) builder.WebHost.UseUrls("http://127.0.0.1:5243");
try
{
    builder.AddMarketSimOrleans();
}
catch (InvalidOperationException e) // a cluster setting out of range or unresolvable (MarketSimClusterOptions): what and where, once
{
    Console.Error.WriteLine($"MarketSim dashboard: {e.Message}");
    return 1;
}
// Room to stop cleanly: the web server drains its requests (≤ 10 s, BoundedDrain), session runners finish their tick in
// flight (≤ 5 s), then the silo deactivates its grains.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
builder.Host.UseServiceProviderFactory(new BoundedDrain.ProviderFactory(new ServiceProviderOptions
{
    // As the default factory: scopes and registrations checked in Development.
    ValidateScopes = builder.Environment.IsDevelopment(),
    ValidateOnBuild = builder.Environment.IsDevelopment(),
}));

// Circuits whose browser went away (a phone asleep, a closed tab that sent no goodbye) are kept for a return, Blazor's
// defaults stated so they stay: at most 100 on the host, each at most 3 minutes, the oldest let go first. Connected
// circuits are bounded per address and per host (CircuitQuota, docs/SECURITY.md).
builder.Services.AddRazorComponents().AddInteractiveServerComponents(o =>
{
    o.DisconnectedCircuitMaxRetained = 100;
    o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(3);
});
// Hub errors are logged by HubRefusals (refusals short, at Debug; faults with their stack), not by SignalR's dispatcher.
builder.Services.AddSignalR(o => { o.AddFilter<HubRefusals>(); o.AddFilter<CircuitQuota>(); }).AddJsonProtocol(o => { HubJson.Configure(o.PayloadSerializerOptions); HubJson.Strict(o.PayloadSerializerOptions); })
    .AddHubOptions<SimulationHub>(HubLimits).AddHubOptions<ClassroomHub>(HubLimits);
builder.Logging.AddFilter(HubRefusals.DispatcherCategory, LogLevel.Critical);
builder.Logging.AddFilter(HubRefusals.ConnectionHandlerCategory, LogLevel.Critical); // HubRefusals logs OnConnected/OnDisconnected failures
// Arguments of the wrong type are answered naming the argument (ArgumentErrors wraps the JSON protocol it replaces).
builder.Services.Remove(builder.Services.Single(d => d.ServiceType == typeof(Microsoft.AspNetCore.SignalR.Protocol.IHubProtocol)
    && d.ImplementationType == typeof(Microsoft.AspNetCore.SignalR.Protocol.JsonHubProtocol)));
builder.Services.AddSingleton<Microsoft.AspNetCore.SignalR.Protocol.IHubProtocol>(sp => new ArgumentErrors(
    ActivatorUtilities.CreateInstance<Microsoft.AspNetCore.SignalR.Protocol.JsonHubProtocol>(sp), typeof(SimulationHub), typeof(ClassroomHub)));
// Broadcasts never wait for a client: each connection has a small queue, and one that falls behind is disconnected
// (QueuedHubLifetimeManager; docs/SECURITY.md). Only the dashboard's hubs: Blazor's own circuit hub keeps the default.
builder.Services.AddSingleton<Microsoft.AspNetCore.SignalR.HubLifetimeManager<SimulationHub>, QueuedHubLifetimeManager<SimulationHub>>();
builder.Services.AddSingleton<Microsoft.AspNetCore.SignalR.HubLifetimeManager<ClassroomHub>, QueuedHubLifetimeManager<ClassroomHub>>();
builder.Services.AddSingleton<ScenarioCatalog>();
builder.Services.AddSingleton<FrameRelay>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<FrameRelay>());
// Quotas and limits (docs/SECURITY.md), from the host's final configuration.
builder.Services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(DashboardLimits.Section).Get<DashboardLimits>() ?? new DashboardLimits());
builder.Services.AddSingleton<ClientQuotas>();
builder.Services.AddHttpContextAccessor(); // the join page's client address, for its rate limits
builder.Services.AddSingleton<SessionDirectory>();
// What the hub and the pages may do to a session (one set of checks); pages read frames in process, not through the hub.
builder.Services.AddSingleton<SessionControl>();
builder.Services.AddSingleton<CsvZips>(); // csv.zip downloads: built once per state, bounded (docs/SECURITY.md)
builder.Services.AddSingleton<TimelineFiles>(); // timeline.yaml downloads: the same (docs/SECURITY.md)
builder.Services.AddSingleton<MarketSim.Dashboard.Live.LiveFeeds>();
// A page's charts: plotly.js loaded once, their calls to it cancelled as the page's circuit closes (ChartCircuit says why).
builder.Services.AddScoped<MarketSim.Dashboard.Components.Charts.ChartCircuit>();
builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, MarketSim.Dashboard.Components.Charts.ChartCircuit.OnClose>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ClassroomDirectory>();
builder.Services.AddSingleton<SeatPresence>(); // who holds each seat: hub connections and student pages together
// The join link's address: MarketSim:PublicUrl, else this machine's network address (phones cannot reach 127.0.0.1).
builder.Services.AddSingleton<JoinAddress>();
// The session page's "Why" panel: attributions and baselines, bounded per host (docs/SECURITY.md).
builder.Services.AddSingleton<MarketSim.Dashboard.Why.WhyService>();
// After UseOrleans: hosted services start in order, so the silo is up when the default session is created.
builder.Services.AddHostedService<DefaultSession>();
// In the background once started: the default scenario through a throwaway session, so the first class runs warm code.
builder.Services.AddSingleton<WarmUp>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<WarmUp>());

var app = builder.Build();
if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
// A 404 without a body (an unknown address) shows the not-found page with its links home; a 404 that says something (an
// export of an unknown session) keeps its message.
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();
app.MapStaticAssets();
app.MapGet("/favicon.ico", () => Results.Redirect("/favicon.svg", permanent: true)); // browsers ask for it before reading the page
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapHub<SimulationHub>(SimulationHub.Path);
app.MapHub<ClassroomHub>(ClassroomHub.Path);
app.MapClassroomExports();
app.MapExports();
// The Orleans dashboard for operators: off unless configured, and then behind a password (docs/SECURITY.md); under a
// prefix so it does not hide the home page.
MarketSim.Hosting.OperatorDashboard.Map(app);
// Health for operators and docker-compose: 200 when the cluster answers (issue 6).
app.MapGet("/healthz", async (IGrainFactory grains, CancellationToken ct) =>
{
    try
    {
        var hosts = await grains.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), ct);
        return Results.Text($"ok: {hosts.Count} active silo(s)\n");
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        return Results.Text($"cluster unreachable: {e.GetType().Name}: {e.Message}\n", statusCode: 503);
    }
});

var started = false;
app.Lifetime.ApplicationStarted.Register(() =>
{
    started = true;
    Console.WriteLine($"MarketSim dashboard: open {string.Join(", ", app.Urls)}");
    // Development mode shows stack traces and detailed hub errors to every caller: never on a network address (docs/SECURITY.md).
    if (app.Environment.IsDevelopment() && app.Urls.Any(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || !(uri.IsLoopback || uri.Host == "localhost")))
        Console.Error.WriteLine("MarketSim dashboard: WARNING: Development mode on a network address shows error details to everyone who can reach it; " +
            "for a class run `dotnet run -c Release --project src/Dashboard --no-launch-profile -- --urls http://0.0.0.0:5243` (docs/SECURITY.md).");
});
// A client of a cluster that fails before it has started could not join it (OrleansHosting): one line, exit 1. Read before Run,
// which disposes the host and its configuration when it fails.
var cluster = MarketSim.Hosting.MarketSimClusterOptions.From(app.Configuration);
try
{
    app.Run();
}
catch (Exception e) when (!started && cluster.IsClient)
{
    Console.Error.WriteLine($"MarketSim dashboard: {cluster.JoinFailure(e)}");
    return 1;
}
return 0;

// What one connection may make the server hold (docs/SECURITY.md). ASP.NET Core's defaults, stated so they stay: a call is
// at most 32 KB (a policy is well under it), a client's calls run one at a time, and no hub method streams.
static void HubLimits<THub>(Microsoft.AspNetCore.SignalR.HubOptions<THub> o) where THub : Microsoft.AspNetCore.SignalR.Hub
{
    o.MaximumReceiveMessageSize = 32 * 1024;
    o.MaximumParallelInvocationsPerClient = 1;
    o.StreamBufferCapacity = 10;
}

/// <summary>Visible to WebApplicationFactory in the tests (.NET 10's WebApplicationFactory needs a public Program).</summary>
public partial class Program;
