using MarketSim.Model.Scenario;

namespace MarketSim.Model.Policies;

[System.Text.Json.Serialization.JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(ExportControl), "export_control")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(Tariff), "tariff")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(PriceFloor), "price_floor")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(Stockpile), "stockpile")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(CapacityProject), "capacity_project")]
/// <summary>A policy in force from Start (inclusive) to End (exclusive; null = to the horizon).</summary>
public abstract record PolicySpec
{
    public required string Id { get; init; }
    public required int Start { get; init; }
    public int? End { get; init; }
    public abstract string Kind { get; }
    public bool InForce(int tick) => tick >= Start && (End is null || tick < End);
    public abstract string Describe();
}

public enum ControlMode { Ban, Quota, License }
public enum EndUseScope { All, Civil, Military }

public sealed record ExportControl : PolicySpec
{
    public override string Kind => "export_control";
    public required string Exporter { get; init; }
    public required IReadOnlyList<string> Commodities { get; init; }
    /// <summary>Destination countries; empty = every country but the exporter.</summary>
    public IReadOnlyList<string> Destinations { get; init; } = [];
    public EndUseScope EndUse { get; init; } = EndUseScope.All;
    public ControlMode Mode { get; init; } = ControlMode.Ban;
    /// <summary>Quota mode: quantity allowed per period, per commodity.</summary>
    public double QuotaQuantity { get; init; }
    public int QuotaPeriodDays { get; init; } = 30;
    /// <summary>License mode: probability an application is approved.</summary>
    public double ApprovalRate { get; init; } = 1;
    public double DelayMinDays { get; init; }
    public double DelayMaxDays { get; init; }
    /// <summary>Also binds third-country sellers of the exporter's origin (re-export clause).</summary>
    public bool ReExport { get; init; }
    /// <summary>License mode: how many applications a buyer's orders under the control run through at once, each drawn on its own,
    /// so the approved share of a buyer's supply follows the approval rate instead of one draw deciding all of it.</summary>
    public int Applications { get; init; } = 10;
    /// <summary>License mode: the share of the days an application was refused (or waited for its first decision) whose
    /// requirement its next approval covers. 1 (the default): the buyer applies again for all it was refused, so a refusal
    /// postpones supply; 0: what a refusal kept out is lost. No source says which (docs/MODEL.md, Parameters): a parameter to
    /// sweep, not a fact.</summary>
    public double RefusedCarryover { get; init; } = 1;
    /// <summary>Who keeps the export rent (destination price − home price on licensed or quota sales): the exporting firms
    /// (false) or the state, as with an export tax (true).</summary>
    public bool RentToState { get; init; }

    /// <summary>Re-export clause by content: binds material whose share of value from the exporter is at least this (0.001 = the
    /// 0.1% rule of October 2025); null = by origin (where the material was first produced).</summary>
    public double? DeMinimis { get; init; }
    /// <summary>The day firms learn of the control (the announcement), on or before <see cref="PolicySpec.Start"/>; null = its
    /// start. From then it is news for precaution (SupplierRisk.UpdatePrecaution), and nothing else: it binds only from its start.</summary>
    public int? Announced { get; init; }
    /// <summary>The first day the control is news: its announcement, or its start.</summary>
    public int NewsFrom => Announced is { } a && a < Start ? a : Start;
    /// <summary>Whether the control is news on tick t: announced (or in force) and not ended.</summary>
    public bool IsNews(int tick) => tick >= NewsFrom && (End is null || tick < End);

    /// <summary>Named end users (an entity list): firm ids, or manufacturer group ids covering their firms. With these or
    /// <see cref="Sectors"/>, the control covers only the buyers it names (within its destinations, if any).</summary>
    public IReadOnlyList<string> EndUsers { get; init; } = [];
    /// <summary>Named end-use sectors (e.g. defence) as destinations.</summary>
    public IReadOnlyList<string> Sectors { get; init; } = [];

    public bool NamesBuyers => EndUsers.Count > 0 || Sectors.Count > 0;

    /// <summary>Whether the control's list of end users names this buyer (always true for a control without a list).</summary>
    public bool Lists(string buyerId, string? sector) =>
        !NamesBuyers
        || EndUsers.Any(e => buyerId == e || (buyerId.Length > e.Length && buyerId[e.Length] == '/' && buyerId.StartsWith(e, StringComparison.Ordinal)))
        || (sector is not null && Sectors.Contains(sector));

    public bool Covers(string commodity, string buyerCountry, EndUse use) =>
        Commodities.Contains(commodity)
        && buyerCountry != Exporter
        && (Destinations.Count == 0 || Destinations.Contains(buyerCountry))
        && (EndUse == EndUseScope.All || (EndUse == EndUseScope.Military) == (use == Scenario.EndUse.Military));

    public bool Covers(string commodity, string buyerCountry, EndUse use, string buyerId, string? sector) =>
        Covers(commodity, buyerCountry, use) && Lists(buyerId, sector);

    /// <summary>
    /// Whether a sale by a seller in sellerCountry of this lot (Agents/Provenance.cs) falls under the control: the exporter's own
    /// sellers always; with the re-export clause also third-country sellers of material of the exporter's origin, or, with a
    /// de-minimis threshold, whose content from the exporter is at least the threshold (and above zero).
    /// </summary>
    /// <remarks>The clause governs transfers into the destination, by origin or by content alike: a seller in the buyer's own
    /// country is not re-exporting (diversion inside it is what end use carried upstream catches). Before Dec 2026 the origin
    /// reading bound every seller but the exporter's, so a clause without a threshold closed the importer's own national
    /// stockpile to its own firms.</remarks>
    public bool BindsSeller(string sellerCountry, string lot, string? buyerCountry = null)
    {
        if (sellerCountry == Exporter) return true;
        if (!ReExport || sellerCountry == buyerCountry) return false;
        return ReachesLot(Exporter, DeMinimis, lot);
    }

    /// <summary>Whether a re-export clause of <paramref name="exporter"/> reaches a lot sold by a third-country seller: by origin
    /// (no threshold), or by content at or above the de-minimis threshold (and above zero). Precaution weighs news by it too.</summary>
    public static bool ReachesLot(string exporter, double? deMinimis, string lot)
    {
        if (deMinimis is not { } t) return Agents.Provenance.Origin(lot) == exporter;
        var share = Agents.Provenance.ContentShare(lot, exporter);
        return share > 0 && share >= t;
    }

    public override string Describe() =>
        $"{Exporter} export {Mode.ToString().ToLowerInvariant()} on {string.Join("+", Commodities)} to " +
        $"{(Destinations.Count == 0 ? "all" : string.Join("+", Destinations))} ({EndUse.ToString().ToLowerInvariant()} use)" +
        (ReExport ? ", re-export included" + (DeMinimis is { } t ? $" above {t:P1} content" : "") : "")
        + (NamesBuyers ? $", named end users {string.Join("+", EndUsers.Concat(Sectors))}" : "");
}

public sealed record Tariff : PolicySpec
{
    public override string Kind => "tariff";
    public required string Importer { get; init; }
    public required IReadOnlyList<string> Commodities { get; init; }
    /// <summary>Origins taxed; empty = all but the importer's own.</summary>
    public IReadOnlyList<string> Origins { get; init; } = [];
    public required double Rate { get; init; }
    /// <summary>Whether the tariff applies to a sale of this lot: an import (the seller in another country than the buyer), taxed
    /// by the lot's customs origin (the country of its last transformation). A sale from a seller in the importer's own country
    /// crosses no border: material of foreign origin held there (a stockpile's, or inside a magnet made there without content
    /// tracking) was taxed when it came in, if at all. Before Dec 2026 such sales paid the tariff, which no state collected.</summary>
    public bool Applies(string commodity, string buyerCountry, string sellerCountry, string lot)
    {
        if (buyerCountry != Importer || sellerCountry == Importer || !Commodities.Contains(commodity)) return false;
        var origin = Agents.Provenance.Customs(lot);
        return origin != Importer && (Origins.Count == 0 || Origins.Contains(origin));
    }
    public override string Describe() => $"{Importer} tariff {Rate:P0} on {string.Join("+", Commodities)}";
}

public sealed record PriceFloor : PolicySpec
{
    public override string Kind => "price_floor";
    /// <summary>Countries that pay the subsidy.</summary>
    public required IReadOnlyList<string> Club { get; init; }
    /// <summary>Producers in these countries are not covered (the controlling country).</summary>
    public required IReadOnlyList<string> Excluded { get; init; }
    /// <summary>Floor price per commodity.</summary>
    public required IReadOnlyDictionary<string, double> Floors { get; init; }
    public bool Covers(string commodity, string sellerCountry) =>
        Floors.ContainsKey(commodity) && !Excluded.Contains(sellerCountry);
    public override string Describe() =>
        $"price floor by {string.Join("+", Club)} on {string.Join("+", Floors.Keys)}";
}

public sealed record Stockpile : PolicySpec
{
    public override string Kind => "stockpile";
    public required string Country { get; init; }
    public required string Commodity { get; init; }
    /// <summary>Capacity of the stockpile (quantity).</summary>
    public required double Size { get; init; }
    /// <summary>Quantity held at the start of the policy.</summary>
    public required double Initial { get; init; }
    /// <summary>Release when the country's unmet share of this commodity (last tick) exceeds this.</summary>
    public double ReleaseShortageShare { get; init; } = 0.01;
    /// <summary>Release when the price (last tick) is at or above this multiple of the reference price (0 = never).</summary>
    public double ReleasePriceFactor { get; init; }
    /// <summary>Most released per tick.</summary>
    public required double MaxReleasePerDay { get; init; }
    /// <summary>Buy to refill while the price is at or below this multiple of the reference price (0 = never).</summary>
    public double RefillPriceFactor { get; init; }
    public double RefillPerDay { get; init; }
    /// <summary>Anticipatory release: also release while an export control in force covers this commodity to this country (not
    /// one on military end use only or with named end users: TickContext.Controllers).</summary>
    public bool ReleaseOnControl { get; init; }
    /// <summary>Cost of holding the stock per year, as a share of its value at the reference price (the state's cost of funds
    /// plus storage and insurance), charged daily to the country's fiscal cost.</summary>
    public double CarryingCost { get; init; } = DefaultCarryingCost;
    /// <summary>ASSUMPTION: 2% a year: about a 10-year government bond yield (Japan's was about 1.5% in 2025) plus about 0.5% for
    /// storage and insurance.</summary>
    public const double DefaultCarryingCost = 0.02;
    public override string Describe() => $"{Country} stockpile of {Commodity}";
}

public sealed record CapacityProject : PolicySpec
{
    public override string Kind => "capacity_project";
    public required string Producer { get; init; }
    public required double AddedCapacity { get; init; }
    public required int LeadTimeDays { get; init; }
    /// <summary>Investment cost, counted as fiscal cost of Payer at Start.</summary>
    public double Cost { get; init; }
    public string? Payer { get; init; }
    public int OnlineTick => Start + LeadTimeDays;
    /// <summary>Whether its capacity ever arrives: a project ended before its online day is cancelled (a live removal sets End),
    /// and what was spent on it is sunk (its cost stays the payer's).</summary>
    public bool Completes => End is null || End > OnlineTick;
    /// <summary>Whether it is being built or has been built on tick t: begun, and not cancelled by then.</summary>
    public bool UnderwayAt(int t) => Start <= t && (Completes || t < End);
    public override string Describe() => $"capacity project +{AddedCapacity} at {Producer} (online after {LeadTimeDays} days)";
}
