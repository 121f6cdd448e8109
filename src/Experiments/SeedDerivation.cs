namespace MarketSim.Experiments;

/// <summary>
/// Seeds of a batch's runs, derived from one master seed by a fixed hash (SplitMix64 finaliser), so a run's seed depends only
/// on the experiment, never on the order or the machine the runs execute in.
/// </summary>
public static class SeedDerivation
{
    /// <summary>Seeds are kept below 2^53 so that one can be pasted into a scenario's <c>seed:</c> field (read as a float) exactly.</summary>
    public const ulong Mask = (1UL << 53) - 1;

    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The seed of stream <paramref name="stream"/> under <paramref name="master"/>.</summary>
    public static ulong Derive(ulong master, ulong stream) => Mix(master ^ Mix(stream)) & Mask;

    /// <summary>
    /// Common seeds: stream = the 0-based repetition, the same in every variant (so variants are compared under the same
    /// draws). Independent seeds: stream = (variant index &lt;&lt; 32) | repetition.
    /// </summary>
    public static ulong ForRun(ulong master, bool common, int variantIndex, int repetition) =>
        Derive(master, common ? (ulong)repetition : ((ulong)variantIndex << 32) | (uint)repetition);
}
