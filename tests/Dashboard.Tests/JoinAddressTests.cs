using MarketSim.Dashboard.Classrooms;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;

namespace MarketSim.Dashboard.Tests;

/// <summary>The join address: the configured one, else a phone-reachable one, and a warning whenever phones cannot reach it.</summary>
public sealed class JoinAddressTests
{
    sealed class Server(params string[] addresses) : IServer
    {
        public IFeatureCollection Features { get; } = Make(addresses);
        static FeatureCollection Make(string[] addresses)
        {
            var f = new FeatureCollection();
            var a = new ServerAddressesFeature();
            foreach (var x in addresses) a.Addresses.Add(x);
            f.Set<IServerAddressesFeature>(a);
            return f;
        }
        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public void Dispose() { }
    }

    static JoinAddress Make(string? configured, params string[] listening) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(configured is null ? [] : [new(JoinAddress.Key, configured)]).Build(), new Server(listening));

    static readonly Uri Laptop = new("http://127.0.0.1:5243/");

    [Fact]
    public void The_configured_address_wins()
    {
        var r = Make("http://192.168.1.20:5243", "http://127.0.0.1:5243").For(Laptop);
        Assert.Equal("http://192.168.1.20:5243/join/ABC234", r.Join("ABC234"));
        Assert.Null(r.Warning);
    }

    [Fact]
    public void A_configured_address_that_is_not_http_is_named_in_a_warning()
    {
        var r = Make("192.168.1.20", "http://0.0.0.0:5243").For(new Uri("http://10.0.0.5:5243/"));
        Assert.Equal("http://10.0.0.5:5243/join/ABC234", r.Join("ABC234"));
        Assert.Contains(JoinAddress.Key, r.Warning);
    }

    [Fact]
    public void A_page_opened_on_a_network_address_keeps_it()
    {
        var r = Make(null, "http://0.0.0.0:5243").For(new Uri("http://10.0.0.5:5243/"));
        Assert.Equal("http://10.0.0.5:5243/join", r.JoinPage);
        Assert.Null(r.Warning);
    }

    [Fact]
    public void On_loopback_it_never_hands_phones_127_0_0_1_without_a_warning()
    {
        var r = Make(null, "http://127.0.0.1:5243").For(Laptop);
        // Either this machine's network address (and a warning that the dashboard listens on loopback only) or, with no
        // network, the loopback address with a warning.
        Assert.NotNull(r.Warning);
        if (r.Base.Host != "127.0.0.1") Assert.Equal(5243, r.Base.Port);
    }
}
