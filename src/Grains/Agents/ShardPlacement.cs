using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace MarketSim.Grains.Agents;

/// <summary>
/// Where a session's shards (and so their firms) go: shard 0 beside the session, which activates them, and shard i on the
/// i-th silo after it in address order. N shards therefore spread evenly over the silos (random placement had left one
/// silo of three with a third of the others' firms in a 100k world), and a world of one shard runs wholly in the session's
/// silo, with no silo-to-silo call in its tick.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class ShardPlacement : PlacementStrategy;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShardPlacementAttribute() : PlacementAttribute(new ShardPlacement());

public sealed class ShardPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        var index = GrainKeys.ShardIndexOf(target.GrainIdentity.Key.ToString() ?? "");
        // The silo deciding is the caller's: the session's when it starts or restores its members.
        var here = context.LocalSiloStatus == SiloStatus.Active ? Array.IndexOf(silos, context.LocalSilo) : -1;
        if (index < 0) return Task.FromResult(silos[Random.Shared.Next(silos.Length)]);
        return Task.FromResult(silos[(Math.Max(here, 0) + index) % silos.Length]);
    }
}
