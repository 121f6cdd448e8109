using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Market;

/// <summary>
/// Which price segments form one market for a commodity this tick. An export control in force on the commodity separates
/// its exporter's segment from the segments of its destinations (every other segment when it names none): trade between
/// them is restricted, and each side's price answers to its own supply and demand (the wedge of spatial equilibrium with a
/// trade barrier: Samuelson 1952; Takayama &amp; Judge 1971). Controls on military end use only, or on named buyers, leave
/// civil trade free and separate nothing. Segments that the controls treat alike (separated from the same segments, so
/// not from each other) trade freely and form one market; a segment separated from some but not others stays on its own
/// (the model has no traders to carry material on through it), so the grouping does not depend on the segments' order.
/// </summary>
public static class SegmentPooling
{
    /// <param name="controls">The export controls in force that cover the commodity.</param>
    /// <returns>Groups of segment ids, each in the scenario's segment order, the groups by their first segment.</returns>
    public static List<List<string>> Groups(ScenarioSpec world, IReadOnlyList<ExportControl> controls)
    {
        var ids = world.Segments.Select(s => s.Id).ToList();
        var n = ids.Count;
        var separated = new bool[n, n];
        foreach (var c in controls)
        {
            if (c.EndUse == EndUseScope.Military || c.NamesBuyers) continue;
            var from = ids.IndexOf(world.SegmentOf(c.Exporter));
            if (c.Destinations.Count == 0)
                for (int to = 0; to < n; to++) Separate(from, to);
            else
                foreach (var country in c.Destinations) Separate(from, ids.IndexOf(world.SegmentOf(country)));
        }
        void Separate(int a, int b)
        {
            if (a < 0 || b < 0 || a == b) return;
            separated[a, b] = separated[b, a] = true;
        }

        // Segments with the same row of separations form a group (its members are not separated from each other: a segment
        // is never separated from itself, so equal rows exclude each other); groups in the order of their first segment.
        var groups = new List<List<int>>();
        for (int i = 0; i < n; i++)
        {
            var same = groups.FirstOrDefault(g => Enumerable.Range(0, n).All(j => separated[g[0], j] == separated[i, j]));
            if (same is null) groups.Add([i]);
            else same.Add(i);
        }
        return groups.Select(g => g.Select(m => ids[m]).ToList()).ToList();
    }
}
