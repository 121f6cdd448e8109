using MarketSim.Model.Attribution;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Why;

/// <summary>One player of a session's attribution as the panel shows it: a policy, or policies that go on and off together.</summary>
/// <param name="Label">The policy's id, or the group's name ("China: export quotas").</param>
/// <param name="Description">The policy in words, or the group's members.</param>
public sealed record WhyPlayer(string Label, string Description, IReadOnlyList<string> PolicyIds);

/// <summary>
/// Who the players of a session's attribution are. The players are the timeline's policies that have started by the last
/// day split (one that starts later changes nothing yet: it stays out, in force in every run). Up to
/// <see cref="PolicyAttribution.MaxExact"/> players each policy is one; beyond, policies are grouped, by country and kind,
/// then by country, then by kind (at most five kinds), whichever first gives at most that many players, so the split
/// stays exact (2ⁿ runs, at most 256) instead of sampled.
/// </summary>
/// <param name="Grouping">Null when each policy is its own player; else how they were grouped, in words.</param>
/// <param name="NotStarted">Ids of the timeline's policies that start after the last day split.</param>
public sealed record WhyPlan(AttributionGame Game, IReadOnlyList<WhyPlayer> Players, string? Grouping, IReadOnlyList<string> NotStarted)
{
    /// <summary>Counterfactual runs: every combination of the players on and off.</summary>
    public int Runs => 1 << Players.Count;

    /// <summary>The plan for splitting the first <paramref name="days"/> days of <paramref name="world"/> (its policies = the
    /// session's timeline); an error in words when there is nothing to split.</summary>
    public static (WhyPlan? Plan, string? Error) For(ScenarioSpec world, int days)
    {
        var ids = Counterfactual.PolicyIds(world);
        var started = ids.Where(id => world.Policies.Any(p => p.Id == id && p.Start < days)).ToList();
        var notStarted = ids.Except(started, StringComparer.Ordinal).ToList();
        if (started.Count == 0)
            return (null, ids.Count == 0 ? "The session has no policies to split the loss among."
                                         : "No policy of the session has started yet: nothing to split.");
        // The version in force last describes a policy (a live edit keeps its id and kind).
        var latest = started.ToDictionary(id => id, id => world.Policies.Last(p => p.Id == id && p.Start < days), StringComparer.Ordinal);

        string? grouping = null;
        List<WhyPlayer> players;
        if (started.Count <= PolicyAttribution.MaxExact)
            players = started.Select(id => new WhyPlayer(id, latest[id].Describe(), [id])).ToList();
        else
        {
            players = [];
            foreach (var (words, key) in Groupings(world))
            {
                players = started.GroupBy(id => key(latest[id]), StringComparer.Ordinal)
                    .Select(g => g.Count() == 1
                        ? new WhyPlayer(g.First(), latest[g.First()].Describe(), [g.First()])
                        : new WhyPlayer(g.Key, Members(g.ToList()), g.ToList()))
                    .ToList();
                grouping = $"{started.Count} policies, grouped {words} into {players.Count} players";
                if (players.Count <= PolicyAttribution.MaxExact) break;
            }
        }
        // Players are named p1, p2, … in the game: labels may repeat an id, and "total" is the game's own row.
        var game = new AttributionGame(
            players.Select((p, i) => new Player($"p{i + 1}", p.PolicyIds)).ToList(),
            notStarted);
        return (new WhyPlan(game, players, grouping, notStarted), null);
    }

    static string Members(IReadOnlyList<string> ids) =>
        $"{ids.Count} policies: {string.Join(", ", ids.Take(6))}{(ids.Count > 6 ? $" and {ids.Count - 6} more" : "")}";

    /// <summary>The ways to group, finest first: (how, in words; the group's name for a policy).</summary>
    static IEnumerable<(string Words, Func<PolicySpec, string> Key)> Groupings(ScenarioSpec world)
    {
        string Name(string country) => world.Countries.FirstOrDefault(c => c.Id == country) is { } c && c.Name.Length > 0 ? c.Name : country;
        string Actor(PolicySpec p) => p switch
        {
            ExportControl e => Name(e.Exporter),
            Tariff t => Name(t.Importer),
            Stockpile s => Name(s.Country),
            CapacityProject c => Name(c.Payer ?? world.Producers.FirstOrDefault(x => x.Id == c.Producer)?.Country ?? c.Producer),
            PriceFloor f => string.Join(" + ", f.Club.Select(Name)),
            _ => "",
        };
        static string Kind(PolicySpec p) => p switch
        {
            ExportControl { Mode: ControlMode.Ban } => "export bans",
            ExportControl { Mode: ControlMode.Quota } => "export quotas",
            ExportControl => "export licensing",
            _ => Kinds(p),
        };
        static string Kinds(PolicySpec p) => p switch
        {
            ExportControl => "export controls",
            Tariff => "tariffs",
            PriceFloor => "price floors",
            Stockpile => "stockpiles",
            CapacityProject => "capacity projects",
            _ => p.Kind,
        };
        yield return ("by country and kind", p => $"{Actor(p)}: {Kind(p)}");
        yield return ("by country", p => $"{Actor(p)}: every policy");
        yield return ("by kind", p => $"All {Kinds(p)}");
    }
}
