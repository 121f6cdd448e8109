using MarketSim.Model.Market;

namespace MarketSim.Model.Tests;

/// <summary>The clearing's array pool: size classes an eighth of an octave apart above 4,096 (so a market of 8.5 million order
/// parts gets arrays of ≈9.4 million, not 16.8), arrays reused within a class and never handed out shorter than asked.</summary>
public class SizeClassPoolTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 4608)]
    [InlineData(8192, 8192)]
    [InlineData(8193, 9216)]
    [InlineData(8_500_000, 9_437_184)]
    public void A_class_is_the_least_step_at_or_above_the_length(int n, int expected) =>
        Assert.Equal(expected, SizeClassPool<int>.ClassLength(n));

    [Fact]
    public void Every_length_gets_a_class_that_holds_it_and_wastes_at_most_an_eighth()
    {
        for (long n = 4097; n < 1L << 28; n = n * 1013 / 1000 + 1)
        {
            var c = SizeClassPool<int>.ClassLength((int)n);
            Assert.InRange(c, n, n + n / 8 + 1);
            Assert.Equal(c, SizeClassPool<int>.ClassLength(c)); // a class's length is its own class
        }
    }

    [Fact]
    public void A_returned_array_is_rented_again_for_any_length_of_its_class_and_not_for_a_longer_one()
    {
        var pool = new SizeClassPool<double>();
        var a = pool.Rent(5000);
        Assert.Equal(5120, a.Length);
        pool.Return(a);
        Assert.Same(a, pool.Rent(5100));
        pool.Return(a);
        var b = pool.Rent(5121);
        Assert.NotSame(a, b);
        Assert.True(b.Length >= 5121);
    }

    [Fact]
    public void Arrays_of_other_lengths_are_not_kept()
    {
        var pool = new SizeClassPool<int>();
        var odd = new int[5000];
        pool.Return(odd);
        Assert.NotSame(odd, pool.Rent(5000));
    }
}
