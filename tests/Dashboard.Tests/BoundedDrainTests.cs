using MarketSim.Dashboard.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Dashboard.Tests;

/// <summary>
/// A request that never ends (a closed tab's circuit waiting on a JS call, seen in CI) must not take the host's whole stop:
/// the web server's drain is bounded, so the silo stopped after it keeps its time.
/// </summary>
public class BoundedDrainTests
{
    /// <summary>A server whose drain waits until it is told to give up, as Kestrel does for a request that never ends.</summary>
    sealed class StuckServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();
        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;
        public async Task StopAsync(CancellationToken cancellationToken)
        {
            try { await Task.Delay(Timeout.Infinite, cancellationToken); }
            catch (OperationCanceledException) { } // Kestrel aborts what is left and returns
        }
        public void Dispose() { }
    }

    [Fact]
    public async Task A_drain_that_never_ends_is_cut_at_the_bound_not_at_the_hosts_timeout()
    {
        var server = new BoundedDrain(new StuckServer(), TimeSpan.FromMilliseconds(300));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var host = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // the host's own shutdown budget
        await server.StopAsync(host.Token).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the drain took {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.False(host.IsCancellationRequested);
    }

    [Fact]
    public async Task A_web_host_built_with_the_provider_factory_drains_through_the_bound_and_a_test_server_is_left_alone()
    {
        var web = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        web.Host.UseServiceProviderFactory(new BoundedDrain.ProviderFactory(new ServiceProviderOptions()));
        await using (var app = web.Build())
            Assert.IsType<BoundedDrain>(app.Services.GetRequiredService<IServer>()); // Kestrel, wrapped

        var test = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        test.WebHost.UseTestServer(); // WebApplicationFactory's in-memory server: it reads it back by its own type
        test.Host.UseServiceProviderFactory(new BoundedDrain.ProviderFactory(new ServiceProviderOptions()));
        await using (var app = test.Build())
            Assert.IsType<Microsoft.AspNetCore.TestHost.TestServer>(app.Services.GetRequiredService<IServer>());
    }
}
