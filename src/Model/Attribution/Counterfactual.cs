using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Attribution;

/// <summary>
/// Counterfactual worlds: the same scenario with some of its policies removed. A policy is known by its id; the versions of
/// a policy (the same id, replaced during a session) go on and off together.
/// </summary>
public static class Counterfactual
{
    /// <summary>The scenario's policy ids, each once, in the order they first appear.</summary>
    public static IReadOnlyList<string> PolicyIds(ScenarioSpec world) => world.Policies.Select(p => p.Id).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The ids among <paramref name="ids"/> that are not policies of the scenario (empty when all are).</summary>
    public static IReadOnlyList<string> Unknown(ScenarioSpec world, IEnumerable<string> ids)
    {
        var known = PolicyIds(world).ToHashSet(StringComparer.Ordinal);
        return ids.Where(id => !known.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The same scenario without the policies of these ids (every version of each); the others keep their order.</summary>
    public static ScenarioSpec Without(ScenarioSpec world, IEnumerable<string> ids)
    {
        var off = ids.ToHashSet(StringComparer.Ordinal);
        return world with { Policies = world.Policies.Where(p => !off.Contains(p.Id)).ToList() };
    }

    /// <summary>
    /// Reads every lazily built index of the scenario once, so that runs in parallel on copies of it only read them. The
    /// copies a `with` makes share these indexes (and the agents' specs) with the original.
    /// </summary>
    public static void Prime(ScenarioSpec world)
    {
        foreach (var c in world.Commodities) world.Commodity(c.Id);
        foreach (var c in world.Countries) { world.Country(c.Id); world.SegmentOf(c.Id); }
        foreach (var m in world.Manufacturers) m.InputOrder();
        world.ContentCountries();
        foreach (var c in world.Commodities) { world.SupplierCountries(c.Id); world.ProducersOf(c.Id); }
    }
}

/// <summary>One player of the attribution game: a policy, or a named group of policies that go on and off together.</summary>
public sealed record Player(string Name, IReadOnlyList<string> PolicyIds);

/// <summary>
/// The attribution game: who the players are, and which policies stay in force in every coalition (the background: the
/// scenario's policies that are in no player, when the players were narrowed).
/// </summary>
public sealed record AttributionGame(IReadOnlyList<Player> Players, IReadOnlyList<string> Background)
{
    public int Count => Players.Count;

    /// <summary>
    /// The players from the command line: each group (name=a+b) is one player; each id of <paramref name="policies"/> is one;
    /// with no <paramref name="policies"/>, every policy not in a group is one. Errors are plain sentences.
    /// </summary>
    public static (AttributionGame? Game, string? Error) Build(ScenarioSpec world, IReadOnlyList<string>? policies, IReadOnlyList<(string Name, IReadOnlyList<string> Ids)> groups)
    {
        var all = Counterfactual.PolicyIds(world);
        if (all.Count == 0) return (null, "the scenario has no policies to attribute anything to");
        var players = new List<Player>();
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);   // policy id → player name
        var names = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (name, ids) in groups)
        {
            if (name.Length == 0) return (null, "a group needs a name (name=a+b)");
            if (!names.Add(name)) return (null, $"the player name \"{name}\" is used twice");
            if (ids.Count == 0) return (null, $"group \"{name}\" names no policy");
            if (Counterfactual.Unknown(world, ids) is [var u, ..]) return (null, $"group \"{name}\": no policy \"{u}\" in the scenario (policies: {string.Join(", ", all)})");
            foreach (var id in ids)
                if (!taken.TryAdd(id, name)) return (null, $"policy \"{id}\" is in two players (\"{taken[id]}\" and \"{name}\")");
            players.Add(new Player(name, ids.Distinct(StringComparer.Ordinal).ToList()));
        }

        var singles = policies ?? all.Where(id => !taken.ContainsKey(id)).ToList();
        if (policies is not null && Counterfactual.Unknown(world, policies) is [var v, ..])
            return (null, $"--policies: no policy \"{v}\" in the scenario (policies: {string.Join(", ", all)})");
        foreach (var id in singles)
        {
            if (taken.TryGetValue(id, out var other)) return (null, $"policy \"{id}\" is in two players (\"{other}\" and \"{id}\")");
            if (!names.Add(id)) return (null, $"the player name \"{id}\" is used twice");
            taken[id] = id;
            players.Add(new Player(id, [id]));
        }
        if (players.Count == 0) return (null, "no players: every policy is left out");
        if (players.Any(p => p.Name == "total")) return (null, "\"total\" is reserved for the sum of the players; name the group otherwise");
        if (players.Count > Shapley.MaxPlayers) return (null, $"{players.Count} players; at most {Shapley.MaxPlayers}");
        return (new AttributionGame(players, all.Where(id => !taken.ContainsKey(id)).ToList()), null);
    }

    /// <summary>The world of a coalition: the background and the coalition's players' policies on, every other player's off.</summary>
    public ScenarioSpec World(ScenarioSpec world, ulong coalition)
    {
        var off = new List<string>();
        for (int i = 0; i < Players.Count; i++)
            if ((coalition & (1UL << i)) == 0) off.AddRange(Players[i].PolicyIds);
        return Counterfactual.Without(world, off);
    }

    /// <summary>The coalition of every player.</summary>
    public ulong Grand => Players.Count == 64 ? ulong.MaxValue : (1UL << Players.Count) - 1;
}
