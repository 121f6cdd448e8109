using MarketSim.Grains;
using MarketSim.Grains.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarketSim.Silo;

public static class MarketSimSiloBuilderExtensions
{
    /// <summary>A MarketSim silo: localhost clustering on configurable ports, the grains' storage and serializer, quiet logs.</summary>
    public static ISiloBuilder UseMarketSim(this ISiloBuilder silo, MarketSimSiloOptions? options = null)
    {
        options ??= new MarketSimSiloOptions();
        if (options.UseLocalhostClustering)
        {
            var siloPort = options.SiloPort ?? silo.Configuration.GetValue("Orleans:SiloPort", MarketSimSiloOptions.DefaultSiloPort);
            var gatewayPort = options.GatewayPort ?? silo.Configuration.GetValue("Orleans:GatewayPort", MarketSimSiloOptions.DefaultGatewayPort);
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        }
        return silo.AddMarketSimGrains(options.UseMemoryStorage);
    }

    /// <summary>Everything but clustering: for hosts that cluster on their own terms (the test cluster).</summary>
    public static ISiloBuilder AddMarketSimGrains(this ISiloBuilder silo, bool useMemoryStorage = true)
    {
        silo.Services.AddMarketSimSerialization();
        if (useMemoryStorage)
        {
            silo.AddMemoryGrainStorage(Persistence.StorageName);
            // Store with Orleans' serializer, so Model types inside grain state go through the same JSON codec as messages.
            silo.Services.AddOptions<MemoryGrainStorageOptions>(Persistence.StorageName)
                .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        }
        // Orleans logs every activation at Information under "Polly" (TOOLCHAIN pitfall 13).
        silo.Services.AddLogging(l => l.AddFilter("Polly", LogLevel.Warning));
        return silo;
    }
}
