namespace MarketSim.Hosting;

/// <summary>
/// A free loopback TCP port: Orleans' default ports 11111 and 30000 clash between an app, tests and benchmarks on one
/// machine. The one copy of this helper (silos on port 0, the tests' web hosts and processes, the benches).
/// </summary>
public static class FreePorts
{
    public static int Next()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
