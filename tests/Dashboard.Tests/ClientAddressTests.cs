using System.Net;
using MarketSim.Dashboard.Security;

namespace MarketSim.Dashboard.Tests;

/// <summary>What a client's quotas are kept under, and that they are not kept for ever.</summary>
public class ClientAddressTests
{
    sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void An_ipv6_client_is_its_64_network_so_new_addresses_in_it_share_its_limits()
    {
        var a = ClientAddress.Of(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        Assert.Equal("2001:db8:1:2::/64", a);
        Assert.Equal(a, ClientAddress.Of(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.NotEqual(a, ClientAddress.Of(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("192.0.2.7", ClientAddress.Of(IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.Equal("192.0.2.7", ClientAddress.Of(IPAddress.Parse("192.0.2.7")));
        Assert.Null(ClientAddress.Of(null));
    }

    [Fact]
    public void Join_windows_of_addresses_gone_quiet_are_forgotten()
    {
        var clock = new Clock();
        var quotas = new ClientQuotas(new DashboardLimits(), clock);
        for (int i = 0; i < ClientQuotas.SweepAbove + 200; i++) quotas.JoinAttempt($"10.0.{i / 256}.{i % 256}");
        Assert.Equal(ClientQuotas.SweepAbove + 200, quotas.WindowsKept);
        clock.Now += TimeSpan.FromMinutes(2);
        quotas.JoinAttempt("10.9.9.9");
        Assert.Equal(1, quotas.WindowsKept);
        // A limit still holds for an address that keeps calling.
        var limits = new DashboardLimits();
        for (int i = 0; i < limits.JoinAttemptsPerMinute - 1; i++) quotas.JoinAttempt("10.9.9.9");
        Assert.Throws<QuotaException>(() => quotas.JoinAttempt("10.9.9.9"));
    }

    [Fact]
    public void A_session_that_ends_frees_its_subscribers_places()
    {
        // Unsubscribe cannot name a session that ended; until Dec 2026 its place was held until the connection closed, and a
        // connection subscribed to sessions others ended was refused new ones (a review's probe).
        var limits = new DashboardLimits();
        var quotas = new ClientQuotas(limits, new Clock());
        for (int i = 0; i < limits.MaxSubscriptionsPerConnection; i++) quotas.Subscribe("conn", $"fork-{i}");
        Assert.Throws<QuotaException>(() => quotas.Subscribe("conn", "default"));
        quotas.Ended("fork-0");
        quotas.Subscribe("conn", "default");
        Assert.Throws<QuotaException>(() => quotas.Subscribe("conn", "another"));
    }
}
