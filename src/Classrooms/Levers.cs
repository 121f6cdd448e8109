using System.Globalization;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Classrooms;

public enum LeverKind { Export, Tariff, Stockpile, Capacity }

/// <summary>
/// A policy lever a country holds in a classroom. <see cref="Persistent"/> levers keep their value until changed (export
/// licensing, tariffs); the others are one-off actions of a round (buy into a stockpile, invest in capacity).
/// </summary>
public sealed record Lever(string Id, string Country, LeverKind Kind, string Target, string Label, string Unit,
    double Min, double Max, double Default)
{
    public bool Persistent => Kind is LeverKind.Export or LeverKind.Tariff;
    /// <summary>What the lever acts on, in words (a commodity's name; for capacity, the output and stage), for a form that
    /// shows the kind as a heading; <see cref="Label"/> says it all on its own.</summary>
    public string Subject { get; init; } = "";
}

/// <summary>
/// Which levers each country holds, derived from the scenario (nothing rare-earth specific), and how a decision becomes
/// policy changes. Limits and the constants below are ASSUMPTIONs for play, documented in docs/CLASSROOM.md.
/// </summary>
public static class LeverCatalog
{
    /// <summary>Licence processing delay of a classroom export licence: 28–63 days (20–45 working days).</summary>
    public const double LicenceDelayMinDays = 28, LicenceDelayMaxDays = 63;
    /// <summary>A stockpile purchase may buy up to this many days of the country's use per round.</summary>
    public const double StockpileMaxDaysOfUse = 30;
    /// <summary>A capacity investment comes online after this many days and costs this many days of output at unit cost.</summary>
    public const int CapacityLeadTimeDays = 180;
    public const double CapacityCostDaysOfOutput = 365;

    static readonly StringComparer Ord = StringComparer.Ordinal;

    /// <summary>Every policy a lever makes has an id starting with this; injected events may not use it.</summary>
    public const string PolicyPrefix = "class-";

    /// <summary>The levers of <paramref name="country"/>, in a stable order (kind, then target).</summary>
    public static IReadOnlyList<Lever> For(ScenarioSpec world, string country)
    {
        var levers = new List<Lever>();
        foreach (var c in world.Producers.Where(p => p.Country == country).SelectMany(p => p.CoProducts.Keys.Prepend(p.Output)).Distinct().Order(Ord))
            levers.Add(new Lever($"export:{c}", country, LeverKind.Export, c, $"Export licences for {Name(world, c)}: approval", "%", 0, 100, 100) { Subject = Name(world, c) });
        var use = DailyUse(world, country);
        foreach (var (c, _) in use.Where(u => u.Value > 0).OrderBy(u => u.Key, Ord))
            levers.Add(new Lever($"tariff:{c}", country, LeverKind.Tariff, c, $"Import tariff on {Name(world, c)}", "%", 0, 100, 0) { Subject = Name(world, c) });
        foreach (var (c, daily) in use.Where(u => u.Value > 0).OrderBy(u => u.Key, Ord))
            levers.Add(new Lever($"stockpile:{c}", country, LeverKind.Stockpile, c, $"Buy {Name(world, c)} into the national stockpile",
                world.Commodity(c).Unit, 0, Round(daily * StockpileMaxDaysOfUse), 0) { Subject = Name(world, c) });
        foreach (var p in world.Producers.Where(p => p.Country == country).OrderBy(p => p.Id, Ord))
        {
            var basis = p.Capacity > 0 ? p.Capacity : 0.1 * world.Producers.Where(x => x.Output == p.Output).Sum(x => x.Capacity);
            if (basis <= 0) continue;
            // Named by what it makes and its stage ("Dysprosium oxide (separation)"), not by the producer's id; the id only
            // when two producers of the country share both.
            var subject = $"{Name(world, p.Output)} ({p.Sector})";
            if (world.Producers.Count(x => x.Country == country && x.Output == p.Output && x.Sector == p.Sector) > 1) subject += $" · {p.Id}";
            levers.Add(new Lever($"capacity:{p.Id}", country, LeverKind.Capacity, p.Id, $"Invest in more {subject}",
                world.Commodity(p.Output).Unit + "/day", 0, Round(0.5 * basis), 0) { Subject = subject });
        }
        return levers;
    }

    /// <summary>Countries that hold at least one lever: the playable ones unless the classroom says otherwise.</summary>
    public static IReadOnlyList<string> Countries(ScenarioSpec world) =>
        world.Countries.Select(c => c.Id).Where(c => For(world, c).Count > 0).ToList();

    /// <summary>What the country's producers and manufacturers use per day at capacity and planned output.</summary>
    public static SortedDictionary<string, double> DailyUse(ScenarioSpec world, string country)
    {
        var use = new SortedDictionary<string, double>(Ord);
        foreach (var p in world.Producers.Where(p => p.Country == country))
            foreach (var (c, q) in p.Inputs) use[c] = use.GetValueOrDefault(c) + p.Capacity * q;
        foreach (var m in world.Manufacturers.Where(m => m.Country == country))
            foreach (var (c, q) in m.Inputs) use[c] = use.GetValueOrDefault(c) + m.PlannedOutput * q;
        return use;
    }

    static string Name(ScenarioSpec world, string commodity) =>
        world.Commodity(commodity) is { Name: { Length: > 0 } n } ? n : commodity;

    static double Round(double x) => x >= 10 ? Math.Round(x) : Math.Round(x, 3);

    /// <summary>
    /// The policy changes a decision makes, effective from <paramref name="tick"/>. A persistent lever ends its previous
    /// classroom policy and starts a new one with a new id (never a replacement, so the timeline keeps the past exactly as it
    /// ran and a replay reproduces it); a one-off action adds a policy of its own. <paramref name="version"/> numbers the
    /// decisions on this lever (1, 2, ...), so ids are unique and the same in a replay.
    /// </summary>
    public static IReadOnlyList<PolicyChange> Changes(ScenarioSpec world, Lever lever, double value, double? previous, int version, int tick)
    {
        var changes = new List<PolicyChange>();
        var id = $"{PolicyPrefix}{lever.Country}-{lever.Kind.ToString().ToLowerInvariant()}-{lever.Target}-{version}";
        if (lever.Persistent && previous is { } prev && prev != lever.Default)
            changes.Add(new PolicyChange(null, $"{PolicyPrefix}{lever.Country}-{lever.Kind.ToString().ToLowerInvariant()}-{lever.Target}-{version - 1}"));
        if (value == lever.Default) return changes;
        PolicySpec policy = lever.Kind switch
        {
            LeverKind.Export => new ExportControl
            {
                Id = id, Start = tick, Exporter = lever.Country, Commodities = [lever.Target],
                Mode = value <= 0 ? ControlMode.Ban : ControlMode.License, ApprovalRate = value / 100,
                DelayMinDays = value <= 0 ? 0 : LicenceDelayMinDays, DelayMaxDays = value <= 0 ? 0 : LicenceDelayMaxDays,
            },
            LeverKind.Tariff => new Tariff { Id = id, Start = tick, Importer = lever.Country, Commodities = [lever.Target], Rate = value / 100 },
            LeverKind.Stockpile => new Stockpile
            {
                // Buys the amount over the round at any price below 100× reference, releases it when the country runs short.
                Id = id, Start = tick, Country = lever.Country, Commodity = lever.Target, Size = value, Initial = 0,
                RefillPriceFactor = 100, RefillPerDay = value / 30, MaxReleasePerDay = value / 30,
            },
            LeverKind.Capacity => CapacityProject(world, lever, value, id, tick),
            _ => throw new ArgumentOutOfRangeException(nameof(lever)),
        };
        changes.Add(new PolicyChange(policy, null));
        return changes;
    }

    static CapacityProject CapacityProject(ScenarioSpec world, Lever lever, double value, string id, int tick)
    {
        var p = world.Producers.First(x => x.Id == lever.Target);
        return new CapacityProject
        {
            Id = id, Start = tick, Producer = p.Id, AddedCapacity = value, LeadTimeDays = CapacityLeadTimeDays,
            Cost = value * p.UnitCost * CapacityCostDaysOfOutput, Payer = lever.Country,
        };
    }

    /// <summary>Decimals a lever's value keeps: 0.1 of a percentage point (export approval, tariffs), 0.001 of a unit
    /// (stockpile purchases, capacity): as <see cref="Describe"/> writes them.</summary>
    public static int Decimals(Lever lever) => lever.Kind is LeverKind.Export or LeverKind.Tariff ? 1 : 3;

    /// <summary>A submitted value rounded to its lever's step, so what the log describes is what is done: before Dec 2026
    /// 99.9999999 read "100% approval" but set up licensing (an exact 100 lifts it), and 1e-320 read "0%" but was a licence,
    /// not a ban. The limits are on the step, so a value within them stays within them.</summary>
    public static double Snap(Lever lever, double value) => Math.Round(value, Decimals(lever), MidpointRounding.AwayFromZero);

    public static string Describe(Lever lever, double value) => lever.Kind switch
    {
        LeverKind.Export => value >= 100 ? $"{lever.Country} lifts its export licensing of {lever.Target}"
            : value <= 0 ? $"{lever.Country} bans exports of {lever.Target}"
            : $"{lever.Country} licenses exports of {lever.Target} at {value.ToString("0.#", CultureInfo.InvariantCulture)}% approval",
        LeverKind.Tariff => $"{lever.Country} sets a {value.ToString("0.#", CultureInfo.InvariantCulture)}% tariff on {lever.Target}",
        LeverKind.Stockpile => $"{lever.Country} buys {value.ToString("0.###", CultureInfo.InvariantCulture)} {lever.Unit} of {lever.Target} into its stockpile",
        LeverKind.Capacity => $"{lever.Country} invests in {value.ToString("0.###", CultureInfo.InvariantCulture)} {lever.Unit} more at {lever.Target}",
        _ => lever.Id,
    };
}
