using System.Globalization;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Policies;

/// <summary>One thing wrong with a policy: the field in the hubs' camelCase (<c>floors.dy_oxide</c>), the same field as a
/// scenario file spells it (<c>floors</c>), and what is wrong, in the user's words.</summary>
public sealed record PolicyProblem(string Field, string FileField, string Message);

/// <summary>
/// What <see cref="PolicyRules.Check"/> may compare a policy with. Sets left null are not checked (the scenario loader
/// checks references and the shared id space itself, located in the file; the hubs pass the world).
/// </summary>
public sealed record PolicyContext
{
    /// <summary>The horizon: start and end ticks must lie in FirstTick..Days.</summary>
    public required int Days { get; init; }
    /// <summary>The earliest tick a start or end may take: 0 for a live change (it cannot reach the past); a scenario file's
    /// policies may start before the start date, up to <see cref="Scenario.QuantityLimits.MaxSpinUpDays"/> (the spin-up).</summary>
    public int FirstTick { get; init; }
    public IReadOnlySet<string>? Countries { get; init; }
    /// <summary>Commodity id → highest price the market can reach (reference price × max price factor).</summary>
    public IReadOnlyDictionary<string, double>? PriceCaps { get; init; }
    public IReadOnlySet<string>? Producers { get; init; }
    /// <summary>What an export control's end_users may name (<see cref="EndUserIds"/>).</summary>
    public IReadOnlySet<string>? EndUsers { get; init; }
    /// <summary>Ids a policy may not take (countries, producers, manufacturer groups and firms) → what holds each.</summary>
    public IReadOnlyDictionary<string, string>? TakenIds { get; init; }
    /// <summary>Commodity group → its commodities, for expanding "group:NAME" (<see cref="CommodityGroups"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Groups { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// The buyers an export control's end_users may name: producer ids, manufacturer firm ids (group/firm) and their group
    /// ids. One rule for scenario files and hub calls.
    /// </summary>
    public static HashSet<string> EndUserIds(IEnumerable<string> producerIds, IEnumerable<string> manufacturerIds)
    {
        var ids = new HashSet<string>(producerIds, StringComparer.Ordinal);
        foreach (var id in manufacturerIds)
        {
            ids.Add(id);
            if (id.IndexOf('/') is var slash and > 0) ids.Add(id[..slash]);
        }
        return ids;
    }

    /// <summary>Everything a live policy is checked against in this world.</summary>
    public static PolicyContext For(ScenarioSpec world)
    {
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in world.Countries) taken.TryAdd(c.Id, "a country");
        foreach (var p in world.Producers) taken.TryAdd(p.Id, "a producer");
        foreach (var m in world.Manufacturers)
        {
            taken.TryAdd(m.Id, "a manufacturer firm");
            if (m.Id.IndexOf('/') is var slash and > 0) taken.TryAdd(m.Id[..slash], "a manufacturer group");
        }
        return new PolicyContext
        {
            Days = world.Days,
            // FirstTick 0: a live change cannot start before day 0, even in a world with a spin-up (a file's policies may:
            // the loader's context reaches back to the spin-up's bound).
            Countries = world.Countries.Select(c => c.Id).ToHashSet(StringComparer.Ordinal),
            PriceCaps = world.Commodities.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First().ReferencePrice * g.First().MaxPriceFactor, StringComparer.Ordinal),
            Producers = world.Producers.Select(p => p.Id).ToHashSet(StringComparer.Ordinal),
            EndUsers = EndUserIds(world.Producers.Select(p => p.Id), world.Manufacturers.Select(m => m.Id)),
            TakenIds = taken,
            Groups = CommodityGroups.Of(world.Commodities),
        };
    }
}

/// <summary>
/// The one set of rules every policy is held to, wherever it comes from: a scenario file (the loader applies them after
/// its own field checks) or a hub call (SetPolicy, a classroom's Inject). Ids as <see cref="IdRules"/> says and not an
/// agent's or a country's id; ticks inside the horizon, the end after the start; every quantity finite, not negative and
/// at most <see cref="QuantityLimits.MaxQuantity"/> (days at most <see cref="QuantityLimits.MaxDays"/>), shares in 0..1,
/// tariff rates at most 100, price floors above 0 and below the commodity's price cap; references to known countries,
/// commodities and producers. Pure: nothing is changed, the problems are returned in field order.
/// </summary>
public static class PolicyRules
{
    /// <summary>A tariff rate above this (10,000 %) is refused.</summary>
    public const double MaxTariffRate = 100;
    /// <summary>Licence applications a buyer's orders run through at once.</summary>
    public const int MaxApplications = 1000;

    public static IReadOnlyList<PolicyProblem> Check(PolicySpec p, PolicyContext context)
    {
        var problems = new List<PolicyProblem>();
        void Add(string field, string message) => problems.Add(new PolicyProblem(field, FileField(field), message));

        // Id
        if (string.IsNullOrWhiteSpace(p.Id)) Add("id", "is empty");
        else if (IdRules.Problem(p.Id) is { } idProblem) Add("id", idProblem);
        else if (context.TakenIds?.TryGetValue(p.Id, out var holder) == true)
            Add("id", $"\"{ErrorLimits.Short(p.Id)}\" is already the id of {holder}; countries, producers, manufacturers and policies share one set of ids");

        // Ticks
        Tick("start", p.Start);
        if (p.End is { } end)
        {
            Tick("end", end);
            if (end <= p.Start) Add("end", $"tick {end} is not after the start, tick {p.Start}");
        }

        switch (p)
        {
            case ExportControl e:
                // The announcement: news from then, in force only from the start (docs/SCENARIOS.md, `announced`).
                if (e.Announced is { } announced)
                {
                    Tick("announced", announced);
                    if (announced > p.Start)
                        Add("announced", $"tick {announced} is after the start, tick {p.Start}: a control is announced on or before the day it comes into force");
                }
                if (NotNull("commodities", e.Commodities)) Commodities("commodities", e.Commodities);
                if (NotNull("destinations", e.Destinations))
                {
                    Countries("destinations", e.Destinations);
                    if (e.Destinations.Contains(e.Exporter)) Add("destinations", $"contains the exporter {ErrorLimits.Short(e.Exporter)}");
                }
                Countries("exporter", [e.Exporter]);
                Quantity("quotaQuantity", e.QuotaQuantity);
                if (e.QuotaPeriodDays < 1) Add("quotaPeriodDays", $"{e.QuotaPeriodDays} is below 1 day");
                else if (e.QuotaPeriodDays > QuantityLimits.MaxDays) Add("quotaPeriodDays", $"{e.QuotaPeriodDays} is above {QuantityLimits.MaxDays} days");
                Share("approvalRate", e.ApprovalRate);
                Days("delayMinDays", e.DelayMinDays);
                Days("delayMaxDays", e.DelayMaxDays);
                if (e.DelayMaxDays < e.DelayMinDays) Add("delayMaxDays", $"{F(e.DelayMaxDays)} is below delayMinDays {F(e.DelayMinDays)}");
                if (e.Applications is < 1 or > MaxApplications) Add("applications", $"{e.Applications} is outside 1–{MaxApplications}");
                Share("refusedCarryover", e.RefusedCarryover); // as the files: a share (a live NaN or 1e300 would void the licence's volume)
                // As the files: a share of value, and only with the re-export clause it qualifies.
                if (e.DeMinimis is { } deMinimis)
                {
                    Share("deMinimis", deMinimis);
                    if (!e.ReExport) Add("deMinimis", "applies to the re-export clause: set reExport: true too");
                }
                if (NotNull("endUsers", e.EndUsers) && context.EndUsers is { } buyers)
                    foreach (var id in e.EndUsers)
                        if (id is null || !buyers.Contains(id)) { Add("endUsers", UnknownEndUser(id ?? "")); break; }
                // Sectors are free text (as a file's sector fields): no line breaks, a bounded length.
                if (NotNull("sectors", e.Sectors))
                    foreach (var sector in e.Sectors)
                        if (sector is null) { Add("sectors", "contains null; give sector names"); break; }
                        else if (TextRules.Problem(sector) is { } problem) { Add("sectors", problem); break; }
                break;
            case Tariff t:
                if (NotNull("commodities", t.Commodities)) Commodities("commodities", t.Commodities);
                if (NotNull("origins", t.Origins)) Countries("origins", t.Origins);
                Countries("importer", [t.Importer]);
                if (NonNegative("rate", t.Rate) && t.Rate > MaxTariffRate) Add("rate", $"{F(t.Rate)} is above {MaxTariffRate} (10,000 %)");
                break;
            case PriceFloor f:
                if (NotNull("club", f.Club)) Countries("club", f.Club);
                if (NotNull("excluded", f.Excluded)) Countries("excluded", f.Excluded);
                if (f.Floors is null || f.Floors.Count == 0) { Add("floors", "needs at least one commodity: price"); break; }
                foreach (var (commodity, floor) in f.Floors)
                {
                    var field = $"floors.{ErrorLimits.Short(commodity)}";
                    if (context.PriceCaps is { } caps && !caps.ContainsKey(commodity)) { Add(field, $"unknown commodity \"{ErrorLimits.Short(commodity)}\""); continue; }
                    if (!NonNegative(field, floor)) continue;
                    if (floor == 0) Add(field, "a floor must be above 0");
                    else if (context.PriceCaps?.TryGetValue(commodity, out var cap) == true && floor > cap)
                        Add(field, $"{floor.ToString("G6", CultureInfo.InvariantCulture)} is above any sane price: the price of {ErrorLimits.Short(commodity)} is capped at {cap.ToString("G6", CultureInfo.InvariantCulture)}");
                    else Quantity(field, floor);
                }
                break;
            case Stockpile s:
                Countries("country", [s.Country]);
                Commodities("commodity", [s.Commodity]);
                Quantity("size", s.Size);
                if (Quantity("initial", s.Initial) && s.Initial > s.Size) Add("initial", $"{F(s.Initial)} is above the size {F(s.Size)}");
                Share("releaseShortageShare", s.ReleaseShortageShare);
                Quantity("releasePriceFactor", s.ReleasePriceFactor);
                Quantity("maxReleasePerDay", s.MaxReleasePerDay);
                Quantity("refillPriceFactor", s.RefillPriceFactor);
                Quantity("refillPerDay", s.RefillPerDay);
                Share("carryingCost", s.CarryingCost);
                break;
            case CapacityProject c:
                if (context.Producers is { } producers && !producers.Contains(c.Producer ?? ""))
                    Add("producer", $"unknown producer \"{ErrorLimits.Short(c.Producer ?? "")}\"");
                Quantity("addedCapacity", c.AddedCapacity);
                if (c.LeadTimeDays < 0) Add("leadTimeDays", $"{c.LeadTimeDays} is negative");
                else if (c.LeadTimeDays > QuantityLimits.MaxDays) Add("leadTimeDays", $"{c.LeadTimeDays} is above {QuantityLimits.MaxDays} days");
                Quantity("cost", c.Cost);
                if (c.Payer is not null) Countries("payer", [c.Payer]);
                break;
        }
        return problems;

        void Tick(string field, int tick)
        {
            if (tick < context.FirstTick) Add(field, context.FirstTick == 0 ? $"tick {tick} is negative" : $"tick {tick} is before tick {context.FirstTick}");
            else if (tick > context.Days) Add(field, $"tick {tick} is beyond the horizon of {context.Days} days");
        }

        bool NotNull<T>(string field, IReadOnlyList<T>? list)
        {
            if (list is not null) return true;
            Add(field, "is null; use [] for none");
            return false;
        }

        bool NonNegative(string field, double v)
        {
            if (!double.IsFinite(v)) { Add(field, $"{F(v)} is not a finite number"); return false; }
            if (v < 0) { Add(field, $"{F(v)} is negative"); return false; }
            return true;
        }

        bool Quantity(string field, double v)
        {
            if (!NonNegative(field, v)) return false;
            if (v > QuantityLimits.MaxQuantity) { Add(field, $"{F(v)} is above {F(QuantityLimits.MaxQuantity)}, the largest quantity"); return false; }
            return true;
        }

        void Days(string field, double v)
        {
            if (NonNegative(field, v) && v > QuantityLimits.MaxDays) Add(field, $"{F(v)} is above {QuantityLimits.MaxDays} days");
        }

        void Share(string field, double v)
        {
            if (NonNegative(field, v) && v > 1) Add(field, $"{F(v)} is above 1 (a share)");
        }

        void Countries(string field, IEnumerable<string?> ids)
        {
            if (context.Countries is not { } known) return;
            foreach (var id in ids)
                if (id is null || !known.Contains(id)) { Add(field, $"unknown country \"{ErrorLimits.Short(id ?? "")}\""); return; }
        }

        void Commodities(string field, IEnumerable<string?> ids)
        {
            if (context.PriceCaps is not { } known) return;
            foreach (var id in ids)
                if (id is null || !known.ContainsKey(id)) { Add(field, $"unknown commodity \"{ErrorLimits.Short(id ?? "")}\""); return; }
        }
    }

    static string F(double v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The one message for an end user that is not a buyer of the world, from a file or a hub.</summary>
    public static string UnknownEndUser(string id) =>
        $"unknown end user '{ErrorLimits.Short(id)}' (a producer id, a manufacturer group id or a firm id such as group/firm)";

    /// <summary>The field as a scenario file names it: <c>approvalRate</c> → <c>approval_rate</c>, <c>floors.x</c> → <c>floors</c>.</summary>
    public static string FileField(string field)
    {
        var head = field.Split('.')[0];
        return head switch
        {
            "quotaQuantity" => "quota",
            "releaseShortageShare" => "release_unmet_share",
            _ => string.Concat(head.Select(ch => char.IsUpper(ch) ? "_" + char.ToLowerInvariant(ch) : ch.ToString())),
        };
    }
}
