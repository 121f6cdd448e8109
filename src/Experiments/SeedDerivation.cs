namespace MarketSim.Experiments;

/// <summary>
/// Seeds of a batch's runs, derived from one master seed by a fixed hash (SplitMix64 finaliser), so a run's seed depends only
/// on the experiment, never on the order or the machine the runs execute in.
/// </summary>
public static class SeedDerivation
{
    /// <summary>Seeds have at most 15 digits: a spreadsheet keeps 15 significant digits, so a 16-digit seed copied out of
    /// runs.csv came back with its last digit 0 and replayed another run (before Dec 2026 seeds were masked to 53 bits, up to
    /// 9,007,199,254,740,991). Below 2^53 as well, so a scenario's <c>seed:</c> field (read as a float) holds it exactly.</summary>
    public const ulong Limit = 1_000_000_000_000_000;

    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The seed of stream <paramref name="stream"/> under <paramref name="master"/>.</summary>
    public static ulong Derive(ulong master, ulong stream) => Mix(master ^ Mix(stream)) % Limit;

    /// <summary>
    /// Common seeds: stream = the 0-based repetition, the same in every variant (so variants are compared under the same
    /// draws). Independent seeds: stream = (variant index &lt;&lt; 32) | repetition.
    /// </summary>
    public static ulong ForRun(ulong master, bool common, int variantIndex, int repetition) =>
        Derive(master, common ? (ulong)repetition : ((ulong)variantIndex << 32) | (uint)repetition);
}
