using MarketSim.Model.Policies;
using MarketSim.Model.Simulation;

namespace MarketSim.Classrooms;

/// <summary>
/// Simple, explainable players for empty or abandoned seats (docs/CLASSROOM.md). A bot sees what a student sees (its
/// country's frames and the public log) and decides once per round; its choices depend only on those, so a classroom
/// with bots replays to the same results.
/// </summary>
public static class BotStrategies
{
    public const string Passive = "passive", Retaliatory = "retaliatory", StockpileFirst = "stockpile-first", Diversifier = "diversifier";
    public static readonly IReadOnlyList<string> All = [Passive, Retaliatory, StockpileFirst, Diversifier];

    /// <summary>The tariff a retaliating importer without export levers puts on what is being withheld from it.</summary>
    public const double RetaliatoryTariff = 25;
    /// <summary>Stockpile-first buys this share of the lever's maximum per round while its shortage is below the threshold.</summary>
    public const double StockpileShare = 1.0 / 3, StockpileShortageThreshold = 0.02;
    /// <summary>Diversifier invests this share of a capacity lever's maximum per round in its first rounds.</summary>
    public const double InvestShare = 0.2;
    public const int InvestRounds = 3;

    /// <param name="lastRound">The frames of the round just run (empty before the first).</param>
    public static IReadOnlyList<LeverChoice> Decide(string strategy, string country, Classroom room, IReadOnlyList<Frame> lastRound, int tick)
    {
        var levers = room.Levers.LeversOf(country);
        return strategy switch
        {
            Passive => [],
            Retaliatory => Retaliate(country, room, levers, tick),
            StockpileFirst => Stockpile(country, levers, lastRound),
            Diversifier => Diversify(levers, room.Round),
            _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown bot strategy"),
        };
    }

    /// <summary>
    /// Tit for tat: the lowest approval any other country applies to exports this country needs (scenario controls in force
    /// and classroom decisions alike; a ban is 0%) becomes this country's approval on its own exports; back to open when the
    /// others open. A country with nothing to export puts a tariff on the withheld commodities instead.
    /// </summary>
    static IReadOnlyList<LeverChoice> Retaliate(string country, Classroom room, IReadOnlyList<Lever> levers, int tick)
    {
        var needs = LeverCatalog.DailyUse(room.Scenario, country).Where(u => u.Value > 0).Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        var withheld = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var e in ClassroomRecord.Timeline(room.Scenario, room.Log).Policies.OfType<ExportControl>())
        {
            if (e.Exporter == country || !e.InForce(tick) || (e.Destinations.Count > 0 && !e.Destinations.Contains(country))) continue;
            var approval = e.Mode == ControlMode.Ban ? 0 : e.Mode == ControlMode.License ? e.ApprovalRate * 100 : 50;
            foreach (var c in e.Commodities.Where(needs.Contains))
                withheld[c] = Math.Min(withheld.GetValueOrDefault(c, 100), approval);
        }
        var hostile = withheld.Count == 0 ? 100 : withheld.Values.Min();
        var exports = levers.Where(l => l.Kind == LeverKind.Export).ToList();
        if (exports.Count > 0) return exports.Select(l => new LeverChoice(l.Id, Math.Round(hostile))).ToList();
        return levers.Where(l => l.Kind == LeverKind.Tariff)
            .Select(l => new LeverChoice(l.Id, withheld.GetValueOrDefault(l.Target, 100) < 100 ? RetaliatoryTariff : 0)).ToList();
    }

    /// <summary>Buys a third of each stockpile lever's maximum every round while the country's shortage is small.</summary>
    static IReadOnlyList<LeverChoice> Stockpile(string country, IReadOnlyList<Lever> levers, IReadOnlyList<Frame> lastRound)
    {
        double required = 0, unmet = 0;
        foreach (var f in lastRound)
            foreach (var s in f.Shortages.Where(s => s.Country == country)) { required += s.Required; unmet += s.Unmet; }
        var shortage = required > 0 ? unmet / required : 0;
        if (shortage >= StockpileShortageThreshold) return [];
        return levers.Where(l => l.Kind == LeverKind.Stockpile && l.Max > 0)
            .Select(l => new LeverChoice(l.Id, Math.Round(l.Max * StockpileShare, 3))).ToList();
    }

    /// <summary>Invests in its own producers in the first rounds; without producers, buys a little into stockpiles.</summary>
    static IReadOnlyList<LeverChoice> Diversify(IReadOnlyList<Lever> levers, int round)
    {
        if (round > InvestRounds) return [];
        var capacity = levers.Where(l => l.Kind == LeverKind.Capacity && l.Max > 0).ToList();
        if (capacity.Count > 0) return capacity.Select(l => new LeverChoice(l.Id, Math.Round(l.Max * InvestShare, 3))).ToList();
        return levers.Where(l => l.Kind == LeverKind.Stockpile && l.Max > 0)
            .Select(l => new LeverChoice(l.Id, Math.Round(l.Max * StockpileShare / 2, 3))).ToList();
    }
}
