using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains.Session;

/// <summary>
/// Splits the agents into contiguous ranges, in the reference runner's order (producers, then manufacturers, each in scenario
/// order), so that concatenating the shards' answers gives the reference runner's lists.
/// </summary>
public static class ShardPlanner
{
    public static IReadOnlyList<AgentRef[]> Assign(ScenarioSpec world, SessionSettings settings)
    {
        var agents = world.Producers.Select((p, i) => new AgentRef(AgentKind.Producer, p.Id, i))
            .Concat(world.Manufacturers.Select((m, i) => new AgentRef(AgentKind.Manufacturer, m.Id, i)))
            .ToArray();
        if (agents.Length == 0) return [];
        var count = settings.ShardCount ?? agents.Length / Math.Max(1, settings.AgentsPerShard);
        count = Math.Clamp(count, 1, agents.Length);
        var shards = new List<AgentRef[]>(count);
        for (int i = 0; i < count; i++)
        {
            // Even split: shard i takes [i·n/count, (i+1)·n/count).
            int from = (int)((long)i * agents.Length / count), to = (int)((long)(i + 1) * agents.Length / count);
            shards.Add(agents[from..to]);
        }
        return shards;
    }
}
