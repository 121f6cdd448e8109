using System.Numerics;
using MarketSim.Model.Attribution;

namespace MarketSim.Model.Tests.Attribution;

public class ShapleyTests
{
    static bool Has(ulong s, int i) => (s & (1UL << i)) != 0;

    /// <summary>A fixed, irregular game: worths from a hash of the mask, so no structure helps the sum come out right.</summary>
    static double Irregular(ulong s) => DeterministicRandom.Uniform(42, (int)s, "game", "v") * 1e9 - 3e8;

    [Fact]
    public void Weights_over_all_coalitions_without_a_player_sum_to_one()
    {
        for (int n = 1; n <= 12; n++)
        {
            double sum = 0, binom = 1;
            for (int s = 0; s < n; s++)
            {
                sum += binom * Shapley.Weight(n, s);
                binom = binom * (n - 1 - s) / (s + 1);
            }
            Assert.Equal(1.0, sum, 12);
        }
        Assert.Equal(1.0 / 3, Shapley.Weight(3, 0), 15);   // 0!·2!/3!
        Assert.Equal(1.0 / 6, Shapley.Weight(3, 1), 15);   // 1!·1!/3!
        Assert.Equal(1.0 / 3, Shapley.Weight(3, 2), 15);   // 2!·0!/3!
    }

    [Fact]
    public void Glove_game_one_left_glove_two_right_gloves()
    {
        // Player 0 holds a left glove, 1 and 2 a right glove each; a pair is worth 1. Known values: 2/3, 1/6, 1/6.
        var phi = Shapley.Exact(3, s => Has(s, 0) && (Has(s, 1) || Has(s, 2)) ? 1 : 0);
        Assert.Equal(2.0 / 3, phi[0], 12);
        Assert.Equal(1.0 / 6, phi[1], 12);
        Assert.Equal(1.0 / 6, phi[2], 12);
    }

    [Fact]
    public void Three_player_majority_game_splits_equally()
    {
        var phi = Shapley.Exact(3, s => BitOperations.PopCount(s) >= 2 ? 1 : 0);
        Assert.All(phi, x => Assert.Equal(1.0 / 3, x, 12));
    }

    [Fact]
    public void Weighted_majority_game_four_three_two_one_one()
    {
        // [quota 4; weights 3, 2, 1, 1]: textbook values 1/2, 1/6, 1/6, 1/6 (player 0 is pivotal in 12 of the 24 orders).
        int[] w = [3, 2, 1, 1];
        var phi = Shapley.Exact(4, s => Enumerable.Range(0, 4).Where(i => Has(s, i)).Sum(i => w[i]) >= 4 ? 1 : 0);
        Assert.Equal(0.5, phi[0], 12);
        for (int i = 1; i < 4; i++) Assert.Equal(1.0 / 6, phi[i], 12);
    }

    [Fact]
    public void Airport_game_shares_each_runway_segment_among_its_users()
    {
        // v(S) = the longest runway S needs (1, 2, 4): segment k is shared equally by the planes that need it.
        double[] c = [1, 2, 4];
        var phi = Shapley.Exact(3, s => Enumerable.Range(0, 3).Where(i => Has(s, i)).Select(i => c[i]).DefaultIfEmpty(0).Max());
        Assert.Equal(1.0 / 3, phi[0], 12);
        Assert.Equal(1.0 / 3 + 1.0 / 2, phi[1], 12);
        Assert.Equal(1.0 / 3 + 1.0 / 2 + 2, phi[2], 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(10)]
    public void Efficiency_values_add_up_to_the_grand_coalition_less_the_empty_one(int n)
    {
        var phi = Shapley.Exact(n, Irregular);
        var total = Irregular((1UL << n) - 1) - Irregular(0);
        Assert.Equal(total, phi.Sum(), Math.Abs(total) * 1e-12 + 1e-6);
    }

    [Fact]
    public void Symmetry_players_who_add_the_same_to_every_coalition_get_the_same()
    {
        // Players 1 and 3 are interchangeable: v depends on them only through how many of the two are in.
        double V(ulong s) => 7 * (Has(s, 0) ? 1 : 0) + Math.Pow((Has(s, 1) ? 1 : 0) + (Has(s, 3) ? 1 : 0), 2) * (Has(s, 2) ? 5 : 1)
            + (Has(s, 4) && Has(s, 0) ? 11 : 0);
        var phi = Shapley.Exact(5, V);
        Assert.Equal(phi[1], phi[3], 12);
        Assert.NotEqual(phi[1], phi[0], 3);
    }

    [Fact]
    public void Dummy_a_player_who_always_adds_c_gets_c_and_a_null_player_gets_nothing()
    {
        // Player 2 adds 4.5 to every coalition; player 4 adds nothing; the rest interact.
        double V(ulong s) => Irregular(s & 0b01011) + (Has(s, 2) ? 4.5 : 0);
        var phi = Shapley.Exact(5, V);
        Assert.Equal(4.5, phi[2], 6);
        Assert.Equal(0, phi[4], 6);
    }

    [Fact]
    public void Vector_game_gives_each_component_its_own_values()
    {
        // Component 0 is the glove game, component 1 the majority game: one set of worths for both.
        var worths = Shapley.AllCoalitions(3).Select(s => new double[]
        {
            Has(s, 0) && (Has(s, 1) || Has(s, 2)) ? 1 : 0,
            BitOperations.PopCount(s) >= 2 ? 1 : 0,
        }).ToArray();
        var phi = Shapley.Exact(3, worths);
        Assert.Equal(2.0 / 3, phi[0][0], 12);
        Assert.Equal(1.0 / 6, phi[2][0], 12);
        Assert.All(phi, p => Assert.Equal(1.0 / 3, p[1], 12));
    }

    [Fact]
    public void Sampled_permutations_are_a_pure_function_of_the_seed()
    {
        var a = Shapley.SamplePermutations(9, 50, 7);
        var b = Shapley.SamplePermutations(9, 50, 7);
        var c = Shapley.SamplePermutations(9, 50, 8);
        Assert.Equal(a.Select(p => string.Join(",", p)), b.Select(p => string.Join(",", p)));
        Assert.NotEqual(a.Select(p => string.Join(",", p)), c.Select(p => string.Join(",", p)));
        Assert.All(a, p => Assert.Equal(Enumerable.Range(0, 9), p.Order()));
        // Every prefix of every permutation is a coalition to run, ∅ and N included, each once.
        var coalitions = Shapley.CoalitionsOf(a);
        Assert.Equal(0UL, coalitions[0]);
        Assert.Equal((1UL << 9) - 1, coalitions[^1]);
        Assert.Equal(coalitions.Count, coalitions.Distinct().Count());
    }

    [Fact]
    public void Sampled_values_add_up_to_the_total_and_approach_the_exact_ones_within_their_errors()
    {
        const int n = 6;
        var exact = Shapley.Exact(n, Irregular);
        var perms = Shapley.SamplePermutations(n, 4000, 3);
        var (value, err) = Shapley.Sampled(n, perms, s => [Irregular(s)]);
        var total = Irregular((1UL << n) - 1) - Irregular(0);
        Assert.Equal(total, value.Sum(v => v[0]), Math.Abs(total) * 1e-9);
        for (int i = 0; i < n; i++)
        {
            Assert.True(err[i][0] > 0);
            Assert.True(Math.Abs(value[i][0] - exact[i]) < 5 * err[i][0], $"player {i}: {value[i][0]} vs exact {exact[i]} ± {err[i][0]}");
        }
    }

    [Fact]
    public void Sampled_values_of_an_additive_game_are_exact_with_zero_error()
    {
        double[] c = [1, -2, 3.5, 0, 10];
        var perms = Shapley.SamplePermutations(5, 20, 1);
        var (value, err) = Shapley.Sampled(5, perms, s => [Enumerable.Range(0, 5).Where(i => Has(s, i)).Sum(i => c[i])]);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(c[i], value[i][0], 12);
            Assert.Equal(0, err[i][0], 12);
        }
    }

    [Fact]
    public void Bad_sizes_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Shapley.Exact(0, _ => 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Shapley.Exact(Shapley.MaxExactPlayers + 1, _ => 0));
        Assert.Throws<ArgumentException>(() => Shapley.Exact(3, new double[7][]));
    }
}
