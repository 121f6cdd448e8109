using MarketSim.Model.Policies;

namespace MarketSim.Dashboard.Components.Panels;

/// <summary>
/// The policy panel's fields, for every kind at once (only the kind's fields are shown). Lists are typed comma-separated.
/// Turning it into a <see cref="PolicySpec"/> does no validation: the hub validates, so the form and outside clients get
/// the same checks and messages.
/// </summary>
public sealed class PolicyForm
{
    public string Kind { get; set; } = "export_control";
    public string Id { get; set; } = "";
    /// <summary>Null: from the next tick.</summary>
    public int? Start { get; set; }
    public int? End { get; set; }

    public string Exporter { get; set; } = "CN";
    public string Importer { get; set; } = "";
    public string Country { get; set; } = "";
    public string Commodities { get; set; } = "";
    public string Destinations { get; set; } = "";
    public string Origins { get; set; } = "";
    public ControlMode Mode { get; set; } = ControlMode.Ban;
    public EndUseScope EndUse { get; set; } = EndUseScope.All;
    public bool ReExport { get; set; }
    /// <summary>Kept from the policy being edited (the form has no field for them).</summary>
    public int Applications { get; set; } = 10;
    public bool RentToState { get; set; }
    public double? DeMinimis { get; set; }
    public IReadOnlyList<string> EndUsers { get; set; } = [];
    public IReadOnlyList<string> Sectors { get; set; } = [];
    public double Quota { get; set; }
    public int QuotaPeriodDays { get; set; } = 30;
    public double ApprovalRate { get; set; } = 0.5;
    public double DelayMinDays { get; set; } = 28;
    public double DelayMaxDays { get; set; } = 63;
    public double Rate { get; set; } = 0.25;
    public double Floor { get; set; }
    public string Club { get; set; } = "";
    public string Excluded { get; set; } = "";
    public double Size { get; set; }
    public double MaxReleasePerDay { get; set; }
    public string Producer { get; set; } = "";
    public double AddedCapacity { get; set; }
    public int LeadTimeDays { get; set; } = 180;
    public double Cost { get; set; }

    public static readonly IReadOnlyList<string> Kinds = ["export_control", "tariff", "price_floor", "stockpile", "capacity_project"];

    static List<string> Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    public PolicySpec ToSpec(int nextTick)
    {
        var id = string.IsNullOrWhiteSpace(Id) ? $"live-{Kind}-{nextTick}" : Id.Trim();
        var start = Start ?? nextTick;
        return Kind switch
        {
            "tariff" => new Tariff { Id = id, Start = start, End = End, Importer = Importer.Trim(), Commodities = Split(Commodities), Origins = Split(Origins), Rate = Rate },
            "price_floor" => new PriceFloor
            {
                Id = id, Start = start, End = End, Club = Split(Club), Excluded = Split(Excluded),
                // One floor for every commodity named: a commodity named twice is one floor (a dictionary of duplicates threw,
                // and the exception ended the user's page).
                Floors = Split(Commodities).Distinct(StringComparer.Ordinal).ToDictionary(c => c, _ => Floor),
            },
            "stockpile" => new Stockpile
            {
                Id = id, Start = start, End = End, Country = Country.Trim(), Commodity = Commodities.Trim(), Size = Size, Initial = Size,
                MaxReleasePerDay = MaxReleasePerDay,
            },
            "capacity_project" => new CapacityProject
            {
                Id = id, Start = start, End = End, Producer = Producer.Trim(), AddedCapacity = AddedCapacity, LeadTimeDays = LeadTimeDays, Cost = Cost,
            },
            _ => new ExportControl
            {
                Id = id, Start = start, End = End, Exporter = Exporter.Trim(), Commodities = Split(Commodities), Destinations = Split(Destinations),
                Mode = Mode, EndUse = EndUse, ReExport = ReExport, QuotaQuantity = Quota, QuotaPeriodDays = QuotaPeriodDays,
                Applications = Applications, RentToState = RentToState, DeMinimis = DeMinimis, EndUsers = EndUsers, Sectors = Sectors,
                ApprovalRate = Mode == ControlMode.License ? ApprovalRate : 1,
                DelayMinDays = Mode == ControlMode.License ? DelayMinDays : 0, DelayMaxDays = Mode == ControlMode.License ? DelayMaxDays : 0,
            },
        };
    }

    /// <summary>A form filled from an existing policy, to edit it (same id: the hub replaces it from the next tick).</summary>
    public static PolicyForm From(PolicySpec p)
    {
        var f = new PolicyForm { Kind = p.Kind, Id = p.Id, End = p.End };
        switch (p)
        {
            case ExportControl e:
                f.Exporter = e.Exporter; f.Commodities = string.Join(", ", e.Commodities); f.Destinations = string.Join(", ", e.Destinations);
                f.Mode = e.Mode; f.EndUse = e.EndUse; f.ReExport = e.ReExport; f.Quota = e.QuotaQuantity; f.QuotaPeriodDays = e.QuotaPeriodDays;
                f.ApprovalRate = e.ApprovalRate; f.DelayMinDays = e.DelayMinDays; f.DelayMaxDays = e.DelayMaxDays;
                f.Applications = e.Applications; f.RentToState = e.RentToState; f.DeMinimis = e.DeMinimis; f.EndUsers = e.EndUsers; f.Sectors = e.Sectors;
                break;
            case Tariff t:
                f.Importer = t.Importer; f.Commodities = string.Join(", ", t.Commodities); f.Origins = string.Join(", ", t.Origins); f.Rate = t.Rate;
                break;
            case PriceFloor pf:
                f.Club = string.Join(", ", pf.Club); f.Excluded = string.Join(", ", pf.Excluded);
                f.Commodities = string.Join(", ", pf.Floors.Keys); f.Floor = pf.Floors.Values.FirstOrDefault();
                break;
            case Stockpile s:
                f.Country = s.Country; f.Commodities = s.Commodity; f.Size = s.Size; f.MaxReleasePerDay = s.MaxReleasePerDay;
                break;
            case CapacityProject c:
                f.Producer = c.Producer; f.AddedCapacity = c.AddedCapacity; f.LeadTimeDays = c.LeadTimeDays; f.Cost = c.Cost;
                break;
        }
        return f;
    }
}
