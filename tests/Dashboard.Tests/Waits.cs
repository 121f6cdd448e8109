namespace MarketSim.Dashboard.Tests;

/// <summary>Waiting for a state the server reaches on its own (a round opened, a session paused): bounded, never a measure of speed.</summary>
static class Waits
{
    /// <summary>Waits for <paramref name="condition"/>; fails with <paramref name="what"/> when it does not hold within <paramref name="seconds"/>.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, double seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what}: not within {seconds} s");
            await Task.Delay(20);
        }
    }

    public static Task Eventually(Func<bool> condition, string what, double seconds = 30) => Eventually(() => Task.FromResult(condition()), what, seconds);
}
