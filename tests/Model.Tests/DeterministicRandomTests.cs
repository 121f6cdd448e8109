namespace MarketSim.Model.Tests;

public class DeterministicRandomTests
{
    [Fact]
    public void The_same_inputs_give_the_same_draw()
    {
        Assert.Equal(DeterministicRandom.Uniform(7, 12, "licence-approval", "jp-auto/a", "cn-licence|dy_oxide"),
                     DeterministicRandom.Uniform(7, 12, "licence-approval", "jp-auto/a", "cn-licence|dy_oxide"));
    }

    [Fact]
    public void Every_input_changes_the_draw()
    {
        var x = DeterministicRandom.Uniform(7, 12, "p", "a", "b");
        Assert.NotEqual(x, DeterministicRandom.Uniform(8, 12, "p", "a", "b"));
        Assert.NotEqual(x, DeterministicRandom.Uniform(7, 13, "p", "a", "b"));
        Assert.NotEqual(x, DeterministicRandom.Uniform(7, 12, "q", "a", "b"));
        Assert.NotEqual(x, DeterministicRandom.Uniform(7, 12, "p", "c", "b"));
        Assert.NotEqual(x, DeterministicRandom.Uniform(7, 12, "p", "a", "c"));
        // Keys are separated: ("ab", "") is not ("a", "b").
        Assert.NotEqual(DeterministicRandom.Uniform(7, 12, "p", "ab", ""), DeterministicRandom.Uniform(7, 12, "p", "a", "b"));
    }

    /// <summary>Pinned values, computed by an independent re-implementation of the documented algorithm (FNV-1a, then SplitMix64's
    /// finaliser, top 53 bits). A change here changes every licence decision of every saved run.</summary>
    [Theory]
    [InlineData(7UL, 12, "licence-approval", "jp-auto/a", "cn-licence|dy_oxide", 0.09073517446347923)]
    [InlineData(0UL, 0, "licence-delay", "x", "", 0.524722018434975)]
    [InlineData(42UL, -1, "p", "a", "b", 0.6538676017160879)]
    public void Draws_are_pinned(ulong seed, int tick, string purpose, string a, string b, double expected) =>
        Assert.Equal(expected, DeterministicRandom.Uniform(seed, tick, purpose, a, b));

    [Fact]
    public void Draws_lie_in_zero_to_one_and_spread_over_it()
    {
        var xs = Enumerable.Range(0, 10_000).Select(i => DeterministicRandom.Uniform(3, i, "test", "firm-" + (i % 37))).ToList();
        Assert.All(xs, x => Assert.InRange(x, 0.0, Math.BitDecrement(1.0)));
        Assert.InRange(xs.Average(), 0.48, 0.52);
        Assert.InRange(xs.Count(x => x < 0.25) / 10_000.0, 0.23, 0.27);
    }
}
