using System.Globalization;

namespace MarketSim.Bench.Shared;

/// <summary>Small helpers every bench program needs: percentiles, "--name value" arguments, the repository root.</summary>
public static class BenchHelpers
{
    /// <summary>The nearest-rank percentile <paramref name="p"/> (0–1) of sorted values; NaN when there are none.</summary>
    public static double Pct(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public static string? ArgText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public static int Arg(string[] args, string name, int fallback) =>
        ArgText(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public static double Arg(string[] args, string name, double fallback) =>
        ArgText(args, name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The folder holding MarketSim.sln, above the current directory or else above the program.</summary>
    public static string RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "MarketSim.sln"))) return d.FullName;
        throw new InvalidOperationException("Cannot find MarketSim.sln above the current directory: run from the repository.");
    }
}
