using System.Net;
using System.Net.Sockets;

namespace MarketSim.Hosting;

/// <summary>
/// A free loopback TCP port: Orleans' default ports 11111 and 30000 clash between an app, tests and benchmarks on one
/// machine. The one copy of this helper (silos on port 0, the tests' web hosts and processes, the benches).
/// A port is handed out here and bound later, often by another process. An ephemeral port (what binding port 0 gives) can
/// be taken in between by any outgoing connection, which draws from the same range: a cluster test's silo once failed to
/// bind its health port for that reason. So ports come from below the system's ephemeral range, from a random start per
/// process, each checked free and never handed out twice by one process.
/// </summary>
public static class FreePorts
{
    static readonly object Gate = new();
    static readonly HashSet<int> Given = [];
    static int _next;

    public static int Next()
    {
        lock (Gate)
        {
            var (lo, hi) = BelowEphemeral();
            for (int tries = 0; tries < 1000 && hi > lo; tries++)
            {
                if (_next < lo || _next >= hi) _next = lo + Random.Shared.Next(hi - lo);
                var port = _next++;
                if (Given.Contains(port) || !Bindable(port)) continue;
                Given.Add(port);
                return port;
            }
        }
        // No such range here: the system's choice.
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    static bool Bindable(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>[12000, the ephemeral range's first port) on Linux (32768 by default); elsewhere [12000, 32768).</summary>
    static (int Lo, int Hi) BelowEphemeral()
    {
        var hi = 32768;
        try
        {
            const string range = "/proc/sys/net/ipv4/ip_local_port_range";
            if (File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], out var first))
                hi = first;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return (12000, hi);
    }
}
