using System.Net;
using Microsoft.Extensions.Configuration;

namespace MarketSim.Hosting;

/// <summary>
/// How a silo, the CLI or the dashboard finds its cluster, read from configuration section <c>MarketSim:Cluster</c>
/// (appsettings.json, or environment variables with ASP.NET conventions, e.g. <c>MarketSim__Cluster__Redis=127.0.0.1:6379</c>).
/// With no <see cref="Redis"/> the default stays: localhost clustering and in-memory grain state, one machine.
/// </summary>
public sealed class MarketSimClusterOptions
{
    public const string Section = "MarketSim:Cluster";

    /// <summary>"Embedded" (default: the dashboard or CLI hosts its own silo) or "Client" (join the configured cluster).
    /// A configured <see cref="Redis"/> makes the CLI a client whatever this says.</summary>
    public string Mode { get; set; } = "Embedded";

    /// <summary>StackExchange.Redis connection string (e.g. "127.0.0.1:6379"): membership and grain state go to Redis.</summary>
    public string? Redis { get; set; }

    public string ClusterId { get; set; } = "marketsim";
    public string ServiceId { get; set; } = "marketsim";

    /// <summary>Silo-to-silo port; 0 = a free port. Null = Orleans:SiloPort, else 11111.</summary>
    public int? SiloPort { get; set; }

    /// <summary>Client gateway port; 0 = a free port. Null = Orleans:GatewayPort, else 30000. Clients without Redis connect to it on loopback.</summary>
    public int? GatewayPort { get; set; }

    /// <summary>The address other silos and clients reach this silo at: an IP or a host name (resolved at start, as in
    /// docker-compose). Default 127.0.0.1. A non-loopback address makes the silo listen on every interface.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>"Memory" or "Redis"; default: Redis when <see cref="Redis"/> is set.</summary>
    public string? Storage { get; set; }

    /// <summary>How long a caller waits for a grain call (Orleans' default 30 s). A crashed silo's unanswered calls
    /// fail after this, so crash recovery is at least this slow for a caller whose request went to the dead silo.</summary>
    public double? ResponseTimeoutSeconds { get; set; }

    /// <summary>How long a client (the CLI's <c>--cluster</c>, the dashboard in Client mode) waits for a silo of the cluster to
    /// take it before it says so and stops. A running cluster takes a client in well under a second; left to itself the Orleans
    /// client looked for a gateway for 3 minutes, or, at a gateway port where no silo listens, did not stop at all (the
    /// dashboard answered nothing, not even /healthz: a Dec 2026 review).</summary>
    public double JoinTimeoutSeconds { get; set; } = 30;

    /// <summary><see cref="JoinTimeoutSeconds"/>, checked where a client uses it (a silo never reads it, so a value meant for the
    /// clients in a shared environment cannot stop a silo).</summary>
    public TimeSpan JoinTimeout => JoinTimeoutSeconds is >= 1 and <= 86_400 ? TimeSpan.FromSeconds(JoinTimeoutSeconds)
        : throw new InvalidOperationException($"{Section}:JoinTimeoutSeconds is {JoinTimeoutSeconds}: give a number of seconds from 1 to 86400.");

    /// <summary>Where a client looks for the cluster, in the words its errors use.</summary>
    public string Where => UsesRedis
        ? $"the cluster at Redis {Redis} (cluster id \"{ClusterId}\")"
        : $"the cluster's gateway at 127.0.0.1:{(GatewayPort is > 0 ? GatewayPort.Value : MarketSimSiloOptions.DefaultGatewayPort)} (cluster id \"{ClusterId}\")";

    /// <summary>A client's one line when no silo took it within <see cref="JoinTimeoutSeconds"/>, or when joining failed.</summary>
    public string JoinFailure(Exception e) =>
        $"cannot join {Where}: " + (e is OperationCanceledException ? $"no silo took it as a client within {JoinTimeoutSeconds:0.#} s"
            : e.Message.Split('\n')[0].Trim().TrimEnd('.'))
        + "; check that the cluster's silos are running and use the same cluster id (MarketSim__Cluster__ClusterId)";

    /// <summary>Port of the silo's HTTP health endpoint (GET /healthz); 0 or null = none.</summary>
    public int? HealthPort { get; set; }

    /// <summary>
    /// Orleans refuses messages over 100 MB by default; a scenario of a million firms, sent once to the session (a member
    /// silo fetches it from there in parts of 4 MB), is larger than that.
    /// </summary>
    public const int MaxMessageBodySize = 1 << 30;

    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);
    public bool IsClient => UsesRedis || string.Equals(Mode, "Client", StringComparison.OrdinalIgnoreCase);
    public bool RedisStorage => Storage is { } s ? string.Equals(s, "Redis", StringComparison.OrdinalIgnoreCase) : UsesRedis;

    public static MarketSimClusterOptions From(IConfiguration configuration)
    {
        var o = new MarketSimClusterOptions();
        configuration.GetSection(Section).Bind(o);
        o.SiloPort ??= configuration.GetValue<int?>("Orleans:SiloPort");
        o.GatewayPort ??= configuration.GetValue<int?>("Orleans:GatewayPort");
        return o;
    }

    /// <summary>The advertised IP: the configured address, or the first IPv4 address of the configured host name.</summary>
    public IPAddress AdvertisedIp()
    {
        if (string.IsNullOrWhiteSpace(AdvertisedAddress)) return IPAddress.Loopback;
        if (IPAddress.TryParse(AdvertisedAddress, out var ip)) return ip;
        var addresses = Dns.GetHostAddresses(AdvertisedAddress);
        return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"{Section}:AdvertisedAddress \"{AdvertisedAddress}\" does not resolve to an address.");
    }

    /// <summary>The Redis connection options: never abort on a failed connect, so a silo outlives a Redis restart.</summary>
    public StackExchange.Redis.ConfigurationOptions RedisOptions()
    {
        var o = StackExchange.Redis.ConfigurationOptions.Parse(Redis!);
        o.AbortOnConnectFail = false;
        // A session's start or checkpoint writes one record per grain at once (100,000 at 100k firms): give the
        // multiplexer's backlog time to drain instead of failing after the 5 s default.
        if (!Redis!.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase)) o.AsyncTimeout = 60_000;
        if (!Redis.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase)) o.SyncTimeout = 60_000;
        return o;
    }
}
