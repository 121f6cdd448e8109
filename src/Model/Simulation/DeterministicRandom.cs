namespace MarketSim.Model.Simulation;

/// <summary>
/// A counter-based generator: a draw is a pure function of (seed, tick, purpose, keys), so the order in which
/// agents or grains run changes nothing. FNV-1a over the keys, then SplitMix64's finaliser.
/// </summary>
public static class DeterministicRandom
{
    public static double Uniform(ulong seed, int tick, string purpose, string a, string b = "")
    {
        ulong h = 14695981039346656037UL ^ seed;
        h = Mix(h, (ulong)(uint)tick);
        h = Hash(h, purpose);
        h = Hash(h, a);
        h = Hash(h, b);
        return (Finalise(h) >> 11) * (1.0 / (1UL << 53));
    }

    static ulong Hash(ulong h, string s)
    {
        foreach (var ch in s) { h ^= ch; h *= 1099511628211UL; }
        h ^= 0xFF; h *= 1099511628211UL; // separator, so ("ab","c") differs from ("a","bc")
        return h;
    }

    static ulong Mix(ulong h, ulong v) { h ^= v; h *= 1099511628211UL; return h; }

    static ulong Finalise(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
