using System.Text.Json;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Hubs;

/// <summary>
/// Checks a live policy before it reaches the session grain: numbers (NaN, negative, out of range, a floor above the price
/// ceiling) and the horizon here; references to countries and commodities in the grain (PolicyTimeline.Validate), which
/// owns the timeline. Every error names the argument and field, and throws before anything changes.
/// </summary>
public static class PolicyArguments
{
    public static readonly string Kinds = "export_control, tariff, price_floor, stockpile, capacity_project";

    /// <summary>Reads a policy object; "$kind" picks the type.</summary>
    public static PolicySpec Parse(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) throw Error("policy", "must be an object with a \"$kind\"");
        if (!json.TryGetProperty("$kind", out var kind) || kind.ValueKind != JsonValueKind.String)
            throw Error("policy.$kind", $"missing; one of {Kinds}");
        try
        {
            return json.Deserialize<PolicySpec>(HubJson.Options) ?? throw Error("policy", "is null");
        }
        catch (JsonException e) when (e.Message.Contains("discriminator", StringComparison.OrdinalIgnoreCase) || e.Path is "$" or null)
        {
            throw Error("policy.$kind", $"\"{kind.GetString()}\" is not one of {Kinds} ({Short(e)})");
        }
        catch (JsonException e)
        {
            throw Error("policy" + e.Path?.TrimStart('$'), Short(e));
        }
        catch (NotSupportedException e)
        {
            throw Error("policy", e.Message);
        }
    }

    static string Short(JsonException e) => e.Message.Split(" Path:")[0];

    /// <summary>Expands "group:NAME" in commodity lists, as the scenario loader does.</summary>
    public static PolicySpec ExpandGroups(ScenarioSpec world, PolicySpec p)
    {
        IReadOnlyList<string> Expand(IReadOnlyList<string> ids) => ids.SelectMany(id => id.StartsWith("group:", StringComparison.Ordinal)
            ? world.Commodities.Where(c => c.Groups.Contains(id[6..])).Select(c => c.Id).DefaultIfEmpty(id)
            : [id]).Distinct().ToList();
        return p switch
        {
            ExportControl e => e with { Commodities = Expand(e.Commodities) },
            Tariff t => t with { Commodities = Expand(t.Commodities) },
            _ => p,
        };
    }

    public static void Validate(ScenarioSpec world, PolicySpec p)
    {
        if (string.IsNullOrWhiteSpace(p.Id)) throw Error("policy.id", "is empty");
        Tick("start", p.Start, world.Days);
        if (p.End is { } end) Tick("end", end, world.Days);
        switch (p)
        {
            case ExportControl e:
                NotNull("commodities", e.Commodities);
                NotNull("destinations", e.Destinations);
                if (e.Destinations.Contains(e.Exporter)) throw Error("policy.destinations", $"contains the exporter {e.Exporter}");
                NonNegative("quotaQuantity", e.QuotaQuantity);
                if (e.QuotaPeriodDays < 1) throw Error("policy.quotaPeriodDays", $"{e.QuotaPeriodDays} is below 1 day");
                Share("approvalRate", e.ApprovalRate);
                NonNegative("delayMinDays", e.DelayMinDays);
                NonNegative("delayMaxDays", e.DelayMaxDays);
                if (e.DelayMaxDays < e.DelayMinDays) throw Error("policy.delayMaxDays", $"{e.DelayMaxDays} is below delayMinDays {e.DelayMinDays}");
                break;
            case Tariff t:
                NotNull("commodities", t.Commodities);
                NotNull("origins", t.Origins);
                NonNegative("rate", t.Rate);
                if (t.Rate > 100) throw Error("policy.rate", $"{t.Rate} is above 100 (10,000 %)");
                break;
            case PriceFloor f:
                NotNull("club", f.Club);
                NotNull("excluded", f.Excluded);
                if (f.Floors is null || f.Floors.Count == 0) throw Error("policy.floors", "needs at least one commodity: price");
                foreach (var (commodity, floor) in f.Floors)
                {
                    var field = $"floors.{commodity}";
                    NonNegative(field, floor);
                    if (floor == 0) throw Error("policy." + field, "a floor must be above 0");
                    if (world.Commodities.FirstOrDefault(c => c.Id == commodity) is { } c && floor > c.ReferencePrice * c.MaxPriceFactor)
                        throw Error("policy." + field, $"{floor:G6} is above any sane price: the price of {commodity} is capped at " +
                            $"{c.ReferencePrice * c.MaxPriceFactor:G6} ({c.MaxPriceFactor:G3} × its reference price {c.ReferencePrice:G6})");
                }
                break;
            case Stockpile s:
                NonNegative("size", s.Size);
                NonNegative("initial", s.Initial);
                if (s.Initial > s.Size) throw Error("policy.initial", $"{s.Initial} is above the size {s.Size}");
                Share("releaseShortageShare", s.ReleaseShortageShare);
                NonNegative("releasePriceFactor", s.ReleasePriceFactor);
                NonNegative("maxReleasePerDay", s.MaxReleasePerDay);
                NonNegative("refillPriceFactor", s.RefillPriceFactor);
                NonNegative("refillPerDay", s.RefillPerDay);
                break;
            case CapacityProject c:
                NonNegative("addedCapacity", c.AddedCapacity);
                if (c.LeadTimeDays < 0) throw Error("policy.leadTimeDays", $"{c.LeadTimeDays} is negative");
                NonNegative("cost", c.Cost);
                break;
        }
    }

    static void Tick(string field, int tick, int days)
    {
        if (tick < 0) throw Error("policy." + field, $"tick {tick} is negative");
        if (tick > days) throw Error("policy." + field, $"tick {tick} is beyond the horizon of {days} days");
    }

    static void NotNull<T>(string field, IReadOnlyList<T>? list)
    {
        if (list is null) throw Error("policy." + field, "is null; use [] for none");
    }

    static void NonNegative(string field, double v)
    {
        if (!double.IsFinite(v)) throw Error("policy." + field, $"{v} is not a finite number");
        if (v < 0) throw Error("policy." + field, $"{v} is negative");
    }

    static void Share(string field, double v)
    {
        NonNegative(field, v);
        if (v > 1) throw Error("policy." + field, $"{v} is above 1 (a share)");
    }

    public static HubException Error(string argument, string message) => new($"{argument}: {message}");
}
