using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace MarketSim.Dashboard.Hosting;

/// <summary>
/// Gives the web server a bounded share of the host's stop. Kestrel, stopped first, waits for every request in flight, and a
/// request can outlive any reasonable wait: a browser tab closed while plotly.js was still loading posts Blazor's
/// /_blazor/disconnect, whose circuit disposal waits on Plotly.Blazor's module load, a JS call the closed page never answers
/// (seen in a dump: 45 to 426 s). Unbounded, the drain took the host's whole shutdown budget (60 s) and the silo, stopped
/// after it, had none left: its grains were not deactivated and sessions did not write their live records. With the bound,
/// requests still open after <see cref="Drain"/> are aborted and the rest of the budget is the silo's.
/// </summary>
public sealed class BoundedDrain(IServer inner, TimeSpan drain) : IServer
{
    /// <summary>How long the server may drain requests when the host stops.</summary>
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    public IFeatureCollection Features => inner.Features;

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
        inner.StartAsync(application, cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(drain);
        await inner.StopAsync(bounded.Token);
    }

    public void Dispose() => inner.Dispose();

    /// <summary>
    /// Builds the host's services with the last registered server wrapped if it is Kestrel. A service provider factory, because it sees the
    /// final registrations: a host built by WebApplicationFactory registers its Kestrel after Program.cs has run.
    /// </summary>
    public sealed class ProviderFactory(ServiceProviderOptions options) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services) => services;

        public IServiceProvider CreateServiceProvider(IServiceCollection services)
        {
            // Kestrel's only: an in-memory TestServer has no connections to drain, and its factory reads it back by its type.
            if (services.LastOrDefault(d => d.ServiceType == typeof(IServer)) is { IsKeyedService: false } server
                && server.ImplementationType?.Assembly == typeof(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions).Assembly)
            {
                services.Remove(server);
                services.AddSingleton<IServer>(sp => new BoundedDrain((IServer)ActivatorUtilities.CreateInstance(sp, server.ImplementationType!), Drain));
            }
            return services.BuildServiceProvider(options);
        }
    }
}
