namespace MarketSim.Grains.Interfaces;

/// <summary>How long a frame subscription lives without renewal: long enough to survive a busy minute, short enough that a
/// crashed web host stops costing the session anything.</summary>
public static class SessionObservers
{
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(5);

    /// <summary>How often a subscriber should renew: well inside <see cref="Expiry"/>.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);
}
