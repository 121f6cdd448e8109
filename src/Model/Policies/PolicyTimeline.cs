using MarketSim.Model.Scenario;

namespace MarketSim.Model.Policies;

/// <summary>A live change to the policy timeline: set (add or replace by id) or remove.</summary>
public sealed record PolicyChange(PolicySpec? Set, string? RemoveId);

/// <summary>
/// Checks and applies live policy changes. A change takes effect from <c>nextTick</c>, the first tick not yet begun: the
/// past is never rewritten, so the frames already emitted stay true.
/// </summary>
public static class PolicyTimeline
{
    /// <summary>
    /// The most policies (versions included) a live session's timeline may hold. Every tick reads the whole timeline and
    /// every change stores it, so whatever path changes come by (dashboard, classroom, API) this bounds what they can cost.
    /// </summary>
    public const int MaxVersions = 5000;

    /// <summary>Throws <see cref="ArgumentException"/> if the change cannot apply to this timeline; changes nothing.</summary>
    public static void Validate(ScenarioSpec world, IReadOnlyList<PolicySpec> timeline, PolicyChange change, int nextTick)
    {
        if (change.RemoveId is { } id)
        {
            if (timeline.All(p => p.Id != id)) throw new ArgumentException($"No policy with id \"{id}\" in the timeline.", "policyId");
            return;
        }
        var p = change.Set ?? throw new ArgumentNullException("policy");
        if (string.IsNullOrWhiteSpace(p.Id)) throw new ArgumentException("A policy needs an id.", "policy");
        var start = Math.Max(p.Start, nextTick);
        if (p.End is { } end && end <= start)
            throw new ArgumentException($"Policy \"{p.Id}\" ends at tick {end}, not after its start at tick {start}: it would never be in force.", "policy");
        if (timeline.LastOrDefault(x => x.Id == p.Id) is { } old)
        {
            if (old.GetType() != p.GetType())
                throw new ArgumentException($"Policy \"{p.Id}\" is a {old.Kind}; it cannot be replaced by a {p.Kind}.", "policy");
            if (old is CapacityProject && old.Start < nextTick)
                throw new ArgumentException($"Capacity project \"{p.Id}\" has started; add a new project instead of replacing it.", "policy");
            // Holdings are kept by id: a stockpile's next version must hold the same thing for the same country.
            if (old is Stockpile so && p is Stockpile sn && (so.Country != sn.Country || so.Commodity != sn.Commodity) && old.Start < nextTick)
                throw new ArgumentException($"Stockpile \"{p.Id}\" holds {so.Commodity} for {so.Country}; a new version must too (add a new stockpile instead).", "policy");
        }
        foreach (var problem in References(world, p))
            throw new ArgumentException($"Policy \"{p.Id}\" ({p.Kind}): {problem}.", "policy");
    }

    static IEnumerable<string> References(ScenarioSpec world, PolicySpec p)
    {
        var countries = world.Countries.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var commodities = world.Commodities.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        IEnumerable<string> Countries(string field, IEnumerable<string> ids) =>
            ids.Where(c => !countries.Contains(c)).Select(c => $"{field}: unknown country \"{c}\"");
        IEnumerable<string> Commodities(string field, IEnumerable<string> ids) =>
            ids.Where(c => !commodities.Contains(c)).Select(c => $"{field}: unknown commodity \"{c}\"");

        var problems = p switch
        {
            ExportControl e => Countries("exporter", [e.Exporter]).Concat(Countries("destinations", e.Destinations))
                .Concat(Commodities("commodities", e.Commodities))
                .Concat(e.Commodities.Count == 0 ? ["commodities: none given"] : []),
            Tariff t => Countries("importer", [t.Importer]).Concat(Countries("origins", t.Origins))
                .Concat(Commodities("commodities", t.Commodities))
                .Concat(t.Commodities.Count == 0 ? ["commodities: none given"] : []),
            PriceFloor f => Countries("club", f.Club).Concat(Countries("excluded", f.Excluded))
                .Concat(Commodities("floors", f.Floors.Keys))
                .Concat(f.Club.Count == 0 ? ["club: no country pays"] : []),
            Stockpile s => Countries("country", [s.Country]).Concat(Commodities("commodity", [s.Commodity]))
                .Concat(world.Producers.Any(x => x.Id == s.Id) || world.Manufacturers.Any(x => x.Id == s.Id) || countries.Contains(s.Id)
                    ? [$"id: \"{s.Id}\" is already an agent's id"] : []),
            CapacityProject c => (world.Producers.Any(x => x.Id == c.Producer) ? [] : new[] { $"producer: unknown producer \"{c.Producer}\"" })
                .Concat(c.Payer is null ? [] : Countries("payer", [c.Payer])),
            _ => [$"unsupported policy type {p.GetType().Name}"],
        };
        return problems.ToList();
    }

    /// <summary>Applies a validated change in place.</summary>
    public static void Apply(List<PolicySpec> timeline, PolicyChange change, int nextTick)
    {
        if (change.Set is { } p)
        {
            if (p.Start < nextTick) p = p with { Start = nextTick };
            var i = timeline.FindLastIndex(x => x.Id == p.Id);
            if (i < 0) timeline.Add(p);
            else if (timeline[i].Start >= nextTick) timeline[i] = p;                   // not started yet: replaced outright
            else
            {
                // Started: the days it ran stay in the timeline as an earlier version under the same id (ids key state such
                // as stockpile holdings and licence draws), and the new version takes over from the next tick. A replay of
                // the timeline then runs exactly what the live session ran.
                if (timeline[i].End is null || timeline[i].End > nextTick) timeline[i] = timeline[i] with { End = nextTick };
                timeline.Insert(i + 1, p);
            }
            return;
        }
        var j = timeline.FindLastIndex(x => x.Id == change.RemoveId);
        if (j < 0) throw new InvalidOperationException($"No policy \"{change.RemoveId}\" to remove: a change was applied without being validated (a program error).");
        var old = timeline[j];
        if (old.Start >= nextTick) timeline.RemoveAt(j);                                  // never started: forget it
        else if (old.End is null || old.End > nextTick) timeline[j] = old with { End = nextTick }; // ends now, stays as history
    }
}
