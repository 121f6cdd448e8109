namespace MarketSim.Grains.Interfaces;

/// <summary>How a session is spread over grains and how often it writes checkpoints. None of it changes the results.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionSettings
{
    public static readonly SessionSettings Default = new();

    /// <summary>Agents per shard when <see cref="ShardCount"/> is not set: shards = max(1, agents / AgentsPerShard).</summary>
    [Id(0)] public int AgentsPerShard { get; init; } = 256;

    /// <summary>A fixed number of shards (at most one per agent); null = derived from <see cref="AgentsPerShard"/>.</summary>
    [Id(1)] public int? ShardCount { get; init; }

    /// <summary>Ticks between checkpoints of the session's and every agent's state; 0 = only at start and deactivation.</summary>
    [Id(2)] public int CheckpointEvery { get; init; } = 30;
}
