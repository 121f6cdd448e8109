using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Market;

/// <summary>
/// Which price segments form one market for a commodity this tick. An export control in force on the commodity separates
/// its exporter's segment from the segments of its destinations (every other segment when it names none): trade between
/// them is restricted, and each side's price answers to its own supply and demand (the wedge, Samuelson 1952's spatial
/// equilibrium with a trade barrier). Segments no control separates share one price: with free trade, buyers on the dear
/// side buy on the cheap side until the prices meet (the law of one price; Samuelson 1952, Takayama &amp; Judge 1971).
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

        // Greedily, in segment order: a segment joins the first group none of whose members a control separates it from.
        // Not through a third segment: the model has no traders to carry material on from one segment to another.
        var groups = new List<List<int>>();
        for (int i = 0; i < n; i++)
        {
            var joined = groups.FirstOrDefault(g => g.All(m => !separated[m, i]));
            if (joined is null) groups.Add([i]);
            else joined.Add(i);
        }
        return groups.Select(g => g.Select(m => ids[m]).ToList()).ToList();
    }
}
