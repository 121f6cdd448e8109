using MarketSim.Model.Agents;
using MarketSim.Model.Policies;

namespace MarketSim.Model.Scenario;

/// <summary>
/// What a scenario's segments cannot show (docs/MODEL.md, known limitations, "A segment's one price serves its controlling
/// exporter and its free sellers alike"): an export control whose exporter shares its price segment with other countries
/// that make a controlled commodity. The segment has one price, the exporter's home price, and those free sellers sell at it
/// even to the buyers the control cuts off. Not an error: `marketsim validate` prints it as a note.
/// </summary>
public static class SegmentNotes
{
    public static IReadOnlyList<string> For(ScenarioSpec world)
    {
        var notes = new List<string>();
        foreach (var c in world.Policies.OfType<ExportControl>().Where(c => !c.NamesBuyers && c.EndUse != EndUseScope.Military))
        {
            var segment = world.SegmentOf(c.Exporter);
            var free = world.Producers
                .Where(p => p.Country != c.Exporter && world.SegmentOf(p.Country) == segment && ProducerRules.Outputs(p).Any(o => c.Commodities.Contains(o.Commodity)))
                .Select(p => p.Country).Distinct().Order(StringComparer.Ordinal).ToList();
            if (free.Count == 0) continue;
            var note = $"policy '{c.Id}': {c.Exporter} shares the price segment '{segment}' with {string.Join(", ", free)}, which make what it controls "
                + $"and which it does not bind: the segment's one price is {c.Exporter}'s home price, and they sell at it to the buyers it cuts off "
                + $"(docs/MODEL.md, known limitations); give {c.Exporter} a segment of its own (segments) to price it apart";
            if (!notes.Contains(note)) notes.Add(note);
        }
        return notes;
    }
}
