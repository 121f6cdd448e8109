using System.Net;
using System.Net.Sockets;
using MarketSim.Grains.Serialization;
using MarketSim.Silo;

namespace MarketSim.Dashboard.Hosting;

/// <summary>
/// Where the grains live. By default the dashboard hosts a silo in-process (localhost clustering), so one command gives a
/// working app; with <c>MarketSim:Cluster:Mode = Client</c> it joins an existing cluster through its gateway instead.
/// </summary>
public static class OrleansHosting
{
    public const string Section = "MarketSim:Cluster";

    public static WebApplicationBuilder AddMarketSimOrleans(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(Section);
        var serviceId = cluster["ServiceId"] ?? "marketsim";
        var clusterId = cluster["ClusterId"] ?? "marketsim";
        if (string.Equals(cluster["Mode"], "Client", StringComparison.OrdinalIgnoreCase))
        {
            var gateway = cluster.GetValue("GatewayPort", MarketSimSiloOptions.DefaultGatewayPort);
            builder.UseOrleansClient(client =>
            {
                client.UseLocalhostClustering(gateway, serviceId, clusterId);
                client.Services.AddMarketSimSerialization();
            });
            return builder;
        }

        // Free ports unless configured: a dashboard must not collide with a standalone silo, a test or a benchmark
        // (TOOLCHAIN pitfall 9). 0 or absent = pick a free one.
        var siloPort = builder.Configuration.GetValue("Orleans:SiloPort", 0);
        var gatewayPort = builder.Configuration.GetValue("Orleans:GatewayPort", 0);
        builder.UseOrleans(silo => silo.UseMarketSim(new MarketSimSiloOptions
        {
            SiloPort = siloPort > 0 ? siloPort : FreePort(),
            GatewayPort = gatewayPort > 0 ? gatewayPort : FreePort(),
            ServiceId = serviceId,
            ClusterId = clusterId,
        }));
        return builder;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
