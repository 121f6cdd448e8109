namespace MarketSim.Grains;

/// <summary>The name of the grain storage every MarketSim grain persists to (memory storage unless the host configures another).</summary>
public static class Persistence
{
    public const string StorageName = "marketsim";

    /// <summary>State is written after a tick t when (t + 1) is a multiple of the checkpoint interval: the same ticks everywhere.</summary>
    public static bool IsCheckpoint(int tick, int every) => every > 0 && (tick + 1) % every == 0;
}
