using MarketSim.Grains.Serialization;
using MarketSim.Hosting;
using Orleans.TestingHost;

namespace MarketSim.Grains.Tests;

/// <summary>An in-process test cluster configured like a real MarketSim silo (storage, serializer), minus the clustering.</summary>
public abstract class ClusterFixture(short silos) : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) => silo.AddMarketSimGrains());
        builder.ConfigureClient(client => client.Services.AddMarketSimSerialization());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}

public sealed class OneSiloFixture() : ClusterFixture(1);
public sealed class ThreeSiloFixture() : ClusterFixture(3);
