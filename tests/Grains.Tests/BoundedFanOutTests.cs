using MarketSim.Grains.Session;

namespace MarketSim.Grains.Tests;

/// <summary>A tick's calls to its shards, at most a bounded number in flight: every call made once, never more in flight
/// than the bound, and a failure thrown only once the calls already started have finished.</summary>
public sealed class BoundedFanOutTests
{
    [Fact]
    public async Task Every_call_is_made_once_and_no_more_than_the_bound_run_at_once()
    {
        int running = 0, most = 0;
        var made = new int[200];
        await BoundedFanOut.RunAsync(made.Length, 7, async i =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(i % 3);
            Interlocked.Increment(ref made[i]);
            Interlocked.Decrement(ref running);
        });
        Assert.All(made, n => Assert.Equal(1, n));
        Assert.InRange(most, 2, 7);
    }

    [Fact]
    public async Task A_failure_is_thrown_after_the_calls_in_flight_have_finished_and_no_later_call_starts()
    {
        var finished = new bool[50];
        var started = new bool[50];
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => BoundedFanOut.RunAsync(50, 4, async i =>
        {
            started[i] = true;
            await Task.Delay(i == 5 ? 1 : 30);
            if (i == 5) throw new InvalidOperationException("shard 5");
            finished[i] = true;
        }));
        Assert.Equal("shard 5", e.Message);
        for (int i = 0; i < 50; i++) Assert.Equal(started[i] && i != 5, finished[i]); // nothing left running
        Assert.False(started[49]);
    }

    [Fact]
    public async Task A_call_that_throws_before_its_first_await_is_a_failure_like_any_other()
    {
        var finished = 0;
        Task Start(int i)
        {
            if (i == 0) throw new ArgumentException("at once");
            return Task.Delay(20).ContinueWith(_ => Interlocked.Increment(ref finished));
        }
        await Assert.ThrowsAsync<ArgumentException>(() => BoundedFanOut.RunAsync(10, 3, Start));
        Assert.True(finished >= 2); // the two started beside it ran to their end
    }

    static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
