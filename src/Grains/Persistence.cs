using Microsoft.Extensions.DependencyInjection;

namespace MarketSim.Grains;

/// <summary>The name of the grain storage every MarketSim grain persists to (memory storage unless the host configures another).</summary>
public static class Persistence
{
    public const string StorageName = "marketsim";

    /// <summary>State is written after a tick t when (t + 1) is a multiple of the checkpoint interval: the same ticks everywhere.</summary>
    public static bool IsCheckpoint(int tick, int every) => every > 0 && (tick + 1) % every == 0;

    /// <summary>
    /// True when a silo shuts down over in-memory storage (an embedded host's Ctrl+C, a test host's dispose): that storage
    /// goes with the silo, so a write on deactivation could only fail, noisily and slowly; recovery then uses the last
    /// committed checkpoint, as after a crash.
    /// </summary>
    public static bool StorageLeavesWithSilo(IServiceProvider services, DeactivationReason reason) =>
        reason.ReasonCode == DeactivationReasonCode.ShuttingDown
        && services.GetKeyedService<Orleans.Storage.IGrainStorage>(StorageName)?.GetType().Name == "MemoryGrainStorage";
}
