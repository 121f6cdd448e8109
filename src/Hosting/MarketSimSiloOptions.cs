namespace MarketSim.Hosting;

/// <summary>
/// How a MarketSim silo joins its cluster. A port left null is read from configuration ("Orleans:SiloPort",
/// "Orleans:GatewayPort"; environment: Orleans__SiloPort, Orleans__GatewayPort), else the Orleans default.
/// </summary>
public sealed class MarketSimSiloOptions
{
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    public int? SiloPort { get; set; }
    public int? GatewayPort { get; set; }
    public string ClusterId { get; set; } = "marketsim";
    public string ServiceId { get; set; } = "marketsim";

    /// <summary>False when the host configures clustering itself (a test cluster, later Redis).</summary>
    public bool UseLocalhostClustering { get; set; } = true;

    /// <summary>False when the host registers its own "marketsim" grain storage.</summary>
    public bool UseMemoryStorage { get; set; } = true;
}
