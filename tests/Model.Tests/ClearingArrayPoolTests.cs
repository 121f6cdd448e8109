using MarketSim.Model.Market;

namespace MarketSim.Model.Tests;

/// <summary>The clearing's array pool: a new array is an eighth longer than asked (so a market of 8.5 million order parts gets
/// arrays of ≈9.6 million, not ArrayPool's 16.8), a kept one serves any rent it holds up to half as long again, and a trim
/// after a clearing lets go of what that clearing did not rent.</summary>
public class ClearingArrayPoolTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(4096, 4096)]
    [InlineData(4097, 4609)]
    [InlineData(8_500_000, 9_562_500)]
    public void A_new_array_is_a_power_of_two_up_to_4096_then_an_eighth_longer_than_asked(int n, int expected) =>
        Assert.Equal(expected, ClearingArrayPool<int>.NewLength(n));

    [Fact]
    public void A_kept_array_serves_a_rent_it_holds_up_to_half_as_long_again_and_never_a_longer_one()
    {
        var pool = new ClearingArrayPool<double>();
        var a = pool.Rent(10_000);
        Assert.Equal(11_250, a.Length);
        pool.Return(a);
        Assert.Same(a, pool.Rent(11_000)); // grew a little: the same array
        pool.Return(a);
        Assert.NotSame(a, pool.Rent(11_251)); // longer than it: a new one
        Assert.NotSame(a, pool.Rent(7_000)); // 11,250 is more than half as long again as 7,000
        Assert.Same(a, pool.Rent(7_500));
    }

    [Fact]
    public void A_rent_takes_the_shortest_kept_array_that_fits()
    {
        var pool = new ClearingArrayPool<int>();
        var longer = pool.Rent(12_000);
        var shorter = pool.Rent(10_000);
        pool.Return(longer);
        pool.Return(shorter);
        Assert.Same(shorter, pool.Rent(10_000));
        Assert.Same(longer, pool.Rent(10_000));
    }

    [Fact]
    public void A_trim_keeps_only_the_arrays_rented_since_the_last()
    {
        var pool = new ClearingArrayPool<int>();
        var a = pool.Rent(5000);
        var b = pool.Rent(9000);
        pool.Return(a);
        pool.Return(b);
        pool.Trim(); // both were rented in this round: both kept
        Assert.Same(a, pool.Rent(5000));
        pool.Return(a);
        pool.Trim(); // b was not rented in this round: let go
        Assert.Same(a, pool.Rent(5000));
        Assert.NotSame(b, pool.Rent(9000));
    }
}
