using System.Globalization;
using MarketSim.Model.Simulation;

namespace MarketSim.Experiments;

/// <summary>
/// A prior on a scenario number nobody publishes (docs/SCENARIOS.md, "Priors"): uniform(min, max), triangular(min, mode, max),
/// or log-normal(median, sigma) truncated to [min, max].
/// </summary>
public sealed record Prior(string Distribution, double Min, double Max, double? Mode = null, double? Median = null, double? Sigma = null)
{
    /// <summary>The value at cumulative probability u ∈ (0, 1) (the inverse CDF).</summary>
    public double Quantile(double u) => Distribution switch
    {
        "uniform" => Min + u * (Max - Min),
        "triangular" => Triangular(u),
        "lognormal" => LogNormal(u),
        _ => throw new InvalidOperationException($"unknown distribution '{Distribution}'"),
    };

    double Triangular(double u)
    {
        var c = Mode!.Value;
        var f = (c - Min) / (Max - Min);
        return u < f ? Min + Math.Sqrt(u * (Max - Min) * (c - Min)) : Max - Math.Sqrt((1 - u) * (Max - Min) * (Max - c));
    }

    // Truncated to [min, max] by drawing u within the CDF's range there, so every draw falls inside the bounds.
    double LogNormal(double u)
    {
        double mu = Math.Log(Median!.Value), s = Sigma!.Value;
        double lo = Normal.Cdf((Math.Log(Min) - mu) / s), hi = Normal.Cdf((Math.Log(Max) - mu) / s);
        return Math.Clamp(Math.Exp(mu + s * Normal.Quantile(lo + u * (hi - lo))), Min, Max);
    }
}

/// <summary>
/// Latin hypercube sampling: n samples of k parameters, each parameter's range cut into n equally likely strata, each stratum
/// used exactly once, strata paired across parameters by independent random permutations; a uniform draw within the stratum.
/// Every draw is keyed by (master seed, parameter name, sample), so the same experiment gives the same values.
/// </summary>
public static class LatinHypercube
{
    public static IReadOnlyList<double> Sample(ulong masterSeed, string parameter, int n, Prior prior)
    {
        // Fisher–Yates with keyed draws: stratum of sample i.
        var strata = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            var j = (int)Math.Min(i, Math.Floor(DeterministicRandom.Uniform(masterSeed, i, "lhs-permutation", parameter, "") * (i + 1)));
            (strata[i], strata[j]) = (strata[j], strata[i]);
        }
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            var u = (strata[i] + DeterministicRandom.Uniform(masterSeed, i, "lhs-draw", parameter, "")) / n;
            values[i] = prior.Quantile(Math.Clamp(u, 1e-12, 1 - 1e-12));
        }
        return values;
    }

    /// <summary>Four significant digits: the value written into the scenario and the report, so both say the same number.</summary>
    public static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}

/// <summary>The standard normal distribution's CDF and quantile (Acklam's rational approximation, relative error &lt; 1.2e-9).</summary>
public static class Normal
{
    public static double Cdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    static double Erfc(double x)
    {
        // Numerical Recipes' erfc (Chebyshev), fractional error < 1.2e-7.
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807
            + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    public static double Quantile(double p)
    {
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        var x = p - 0.5;
        var r = x * x;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * x / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
