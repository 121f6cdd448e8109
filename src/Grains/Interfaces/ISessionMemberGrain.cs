namespace MarketSim.Grains.Interfaces;

/// <summary>
/// A grain that holds part of a session's state (a shard of firms, a country, a market). Checkpoints are
/// driven by the session: every member writes the same tick into the same slot, then the session commits.
/// </summary>
public interface ISessionMemberGrain : IMarketSimGrain
{
    /// <summary>Writes the state (which must be at the start of <paramref name="tick"/>) into checkpoint slot 0 or 1.</summary>
    Task CheckpointAsync(int slot, int tick);

    /// <summary>Loads checkpoint slot <paramref name="slot"/>, which must hold tick <paramref name="tick"/>; the grain is then at the start of that tick.</summary>
    Task RestoreAsync(int slot, int tick);
}
