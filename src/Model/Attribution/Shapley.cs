using MarketSim.Model.Simulation;

namespace MarketSim.Model.Attribution;

/// <summary>
/// Shapley values of a cooperative game with n players whose worth v is given on coalitions as bitmasks (bit i set =
/// player i in the coalition). Pure: no I/O, no clock; the worth is asked once per coalition it needs.
/// </summary>
/// <remarks>
/// φᵢ = Σ_{S⊆N∖{i}} |S|!(n−|S|−1)!/n! · (v(S∪{i}) − v(S)). Exact by all 2ⁿ coalitions, or estimated from sampled
/// permutations: φᵢ ≈ the mean over permutations π of v(Pᵢ^π ∪ {i}) − v(Pᵢ^π), Pᵢ^π the players before i in π. Along each
/// permutation the marginal contributions telescope to v(N) − v(∅), so the sampled values add up to the total as the
/// exact ones do. The worth may be a vector (one game per component, e.g. per country and metric): every coalition
/// is evaluated once for all of them.
/// </remarks>
public static class Shapley
{
    /// <summary>Above this the exact computation (2ⁿ coalitions) is refused; callers sample instead.</summary>
    public const int MaxExactPlayers = 24;
    /// <summary>Coalitions are 64-bit masks.</summary>
    public const int MaxPlayers = 63;

    /// <summary>The weight |S|!(n−|S|−1)!/n! = 1 / (n · C(n−1, |S|)) of a coalition of size s not containing the player.</summary>
    public static double Weight(int n, int s)
    {
        if (n < 1 || s < 0 || s > n - 1) throw new ArgumentOutOfRangeException(nameof(s), $"coalition size {s} with {n} players");
        // C(n−1, s) by the multiplicative formula; exact in double well beyond MaxExactPlayers.
        double c = 1;
        for (int k = 1; k <= s; k++) c = c * (n - s - 1 + k) / k;
        return 1.0 / (n * c);
    }

    /// <summary>Exact Shapley values of a scalar game.</summary>
    public static double[] Exact(int n, Func<ulong, double> worth)
    {
        var r = Exact(n, AllCoalitions(n).Select(m => new[] { worth(m) }).ToArray());
        return r.Select(x => x[0]).ToArray();
    }

    /// <summary>Every coalition of n players, in mask order 0 .. 2ⁿ−1.</summary>
    public static IEnumerable<ulong> AllCoalitions(int n)
    {
        CheckExact(n);
        for (ulong m = 0; m < 1UL << n; m++) yield return m;
    }

    /// <summary>
    /// Exact Shapley values of a vector game from its worths, indexed by coalition mask (length 2ⁿ, every vector of the
    /// same length K). Returns [player][component].
    /// </summary>
    public static double[][] Exact(int n, IReadOnlyList<double[]> worthByMask)
    {
        CheckExact(n);
        if (worthByMask.Count != 1 << n) throw new ArgumentException($"{n} players need {1 << n} worths, got {worthByMask.Count}", nameof(worthByMask));
        var k = worthByMask[0].Length;
        if (worthByMask.Any(w => w.Length != k)) throw new ArgumentException("every worth needs the same number of components", nameof(worthByMask));

        var weights = Enumerable.Range(0, n).Select(s => Weight(n, s)).ToArray();
        var phi = new double[n][];
        for (int i = 0; i < n; i++)
        {
            phi[i] = new double[k];
            var bit = 1UL << i;
            for (ulong s = 0; s < 1UL << n; s++)
            {
                if ((s & bit) != 0) continue;
                var w = weights[System.Numerics.BitOperations.PopCount(s)];
                var with = worthByMask[(int)(s | bit)];
                var without = worthByMask[(int)s];
                for (int j = 0; j < k; j++) phi[i][j] += w * (with[j] - without[j]);
            }
        }
        return phi;
    }

    /// <summary>
    /// <paramref name="count"/> permutations of 0..n−1, each a pure function of (seed, its index): Fisher–Yates with
    /// <see cref="DeterministicRandom"/>, so the same seed gives the same permutations on any machine.
    /// </summary>
    public static IReadOnlyList<int[]> SamplePermutations(int n, int count, ulong seed)
    {
        if (n < 1 || n > MaxPlayers) throw new ArgumentOutOfRangeException(nameof(n), $"1 to {MaxPlayers} players, got {n}");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "at least one permutation");
        var result = new int[count][];
        for (int p = 0; p < count; p++)
        {
            var perm = Enumerable.Range(0, n).ToArray();
            for (int i = n - 1; i > 0; i--)
            {
                var u = DeterministicRandom.Uniform(seed, p, "shapley-permutation", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var j = Math.Min(i, (int)(u * (i + 1)));
                (perm[i], perm[j]) = (perm[j], perm[i]);
            }
            result[p] = perm;
        }
        return result;
    }

    /// <summary>The distinct coalitions the permutations visit (every prefix, ∅ and N included), in ascending mask order.</summary>
    public static IReadOnlyList<ulong> CoalitionsOf(IReadOnlyList<int[]> permutations)
    {
        var set = new SortedSet<ulong>();
        foreach (var perm in permutations)
        {
            ulong m = 0;
            set.Add(m);
            foreach (var i in perm) set.Add(m |= 1UL << i);
        }
        return set.ToList();
    }

    /// <summary>
    /// Shapley values estimated from permutations, with the standard error of each (sample standard deviation of the
    /// marginal contributions over the permutations, divided by √m; NaN with one permutation). Values and errors are
    /// [player][component]; <paramref name="worth"/> must know every coalition of <see cref="CoalitionsOf"/>.
    /// </summary>
    public static (double[][] Value, double[][] StdErr) Sampled(int n, IReadOnlyList<int[]> permutations, Func<ulong, double[]> worth)
    {
        if (permutations.Count == 0) throw new ArgumentException("at least one permutation", nameof(permutations));
        var k = worth(0).Length;
        // Welford's running mean and sum of squared deviations: no cancellation when losses are large and spreads small.
        var mean = new double[n][];
        var m2 = new double[n][];
        for (int i = 0; i < n; i++) { mean[i] = new double[k]; m2[i] = new double[k]; }
        int seen = 0;

        foreach (var perm in permutations)
        {
            if (perm.Length != n || perm.Distinct().Count() != n || perm.Any(i => i < 0 || i >= n))
                throw new ArgumentException($"not a permutation of 0..{n - 1}: [{string.Join(",", perm)}]", nameof(permutations));
            seen++;
            ulong m = 0;
            var before = worth(m);
            foreach (var i in perm)
            {
                m |= 1UL << i;
                var after = worth(m);
                for (int j = 0; j < k; j++)
                {
                    var d = after[j] - before[j];
                    var delta = d - mean[i][j];
                    mean[i][j] += delta / seen;
                    m2[i][j] += delta * (d - mean[i][j]);
                }
                before = after;
            }
        }

        var err = new double[n][];
        for (int i = 0; i < n; i++)
        {
            err[i] = new double[k];
            for (int j = 0; j < k; j++)
                err[i][j] = seen < 2 ? double.NaN : Math.Sqrt(m2[i][j] / (seen - 1) / seen);
        }
        return (mean, err);
    }

    static void CheckExact(int n)
    {
        if (n < 1 || n > MaxExactPlayers)
            throw new ArgumentOutOfRangeException(nameof(n), $"exact Shapley values need 1 to {MaxExactPlayers} players, got {n}");
    }
}
