using MarketSim.Model.Agents;
using MarketSim.Model.Market;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains.Serialization;

// Binary forms of the Model messages a tick sends between grains (and so between silos): the shards' plan and report arrays,
// settlements, the tick context, the markets' orders and results. Model stays free of Orleans: each Model record has a
// [GenerateSerializer] surrogate here and a converter; Orleans then picks these codecs before the JSON one (which keeps the
// rest of Model: scenario, state, frames, policies). Doubles are written as their 8 bytes, so they arrive bit for bit.
// Lists become arrays, dictionaries Dictionary: the same element order as the JSON codec gave, which rules rely on no more.

[GenerateSerializer]
public struct TickContextSurrogate
{
    [Id(0)] public int Tick;
    [Id(1)] public Dictionary<string, double> Prices;
    [Id(2)] public Dictionary<string, double> Floors;
    [Id(4)] public string[]? Commissioning;
    [Id(5)] public string[]? Controllers;
    [Id(6)] public string[]? News;
}

[RegisterConverter]
public sealed class TickContextConverter : IConverter<TickContext, TickContextSurrogate>
{
    public TickContext ConvertFromSurrogate(in TickContextSurrogate s) => new(s.Tick, s.Prices, s.Floors) { Commissioning = s.Commissioning ?? [], Controllers = s.Controllers ?? [], News = s.News ?? [] };
    public TickContextSurrogate ConvertToSurrogate(in TickContext v) => new()
    {
        Tick = v.Tick, Prices = Surrogates.Dict(v.Prices), Floors = Surrogates.Dict(v.Floors), Commissioning = Surrogates.Array(v.Commissioning), Controllers = Surrogates.Array(v.Controllers),
        News = Surrogates.Array(v.News),
    };
}

[GenerateSerializer]
public struct BidSurrogate
{
    [Id(0)] public string BuyerId;
    [Id(1)] public string BuyerCountry;
    [Id(2)] public string Commodity;
    [Id(3)] public int EndUse;
    [Id(4)] public double Quantity;
    [Id(5)] public double LimitPrice;
    [Id(6)] public Dictionary<string, double>? Premium;
    [Id(7)] public string[]? Unqualified;
    [Id(8)] public int Application;
    [Id(9)] public string? Sector;
    [Id(10)] public double Normal;
    [Id(11)] public int? WithinDays;
    [Id(12)] public double Horizon;
    [Id(13)] public double Base;
}

[RegisterConverter]
public sealed class BidConverter : IConverter<Bid, BidSurrogate>
{
    public Bid ConvertFromSurrogate(in BidSurrogate s) => new(s.BuyerId, s.BuyerCountry, s.Commodity, (EndUse)s.EndUse, s.Quantity, s.LimitPrice)
    {
        Premium = s.Premium, Unqualified = s.Unqualified, Application = s.Application, Sector = s.Sector, Normal = s.Normal,
        WithinDays = s.WithinDays, Horizon = s.Horizon, Base = s.Base,
    };
    public BidSurrogate ConvertToSurrogate(in Bid v) => new()
    {
        BuyerId = v.BuyerId, BuyerCountry = v.BuyerCountry, Commodity = v.Commodity, EndUse = (int)v.EndUse, Quantity = v.Quantity,
        LimitPrice = v.LimitPrice, Premium = v.Premium is null ? null : Surrogates.Dict(v.Premium),
        Unqualified = v.Unqualified is null ? null : Surrogates.Array(v.Unqualified), Application = v.Application, Sector = v.Sector, Normal = v.Normal,
        WithinDays = v.WithinDays, Horizon = v.Horizon, Base = v.Base,
    };
}

[GenerateSerializer]
public struct AskSurrogate
{
    [Id(0)] public string SellerId;
    [Id(1)] public string SellerCountry;
    [Id(2)] public string Commodity;
    [Id(3)] public string Origin;
    [Id(4)] public double Quantity;
    [Id(5)] public double Flow;
    [Id(6)] public string[] PriorityBuyers;
    [Id(7)] public string[] OnlyFor;
    [Id(8)] public bool UrgentOnly;
    [Id(9)] public double CostIndex;
}

[RegisterConverter]
public sealed class AskConverter : IConverter<Ask, AskSurrogate>
{
    public Ask ConvertFromSurrogate(in AskSurrogate s) =>
        new(s.SellerId, s.SellerCountry, s.Commodity, s.Origin, s.Quantity, s.Flow, s.PriorityBuyers, s.OnlyFor) { UrgentOnly = s.UrgentOnly, CostIndex = s.CostIndex };
    public AskSurrogate ConvertToSurrogate(in Ask v) => new()
    {
        SellerId = v.SellerId, SellerCountry = v.SellerCountry, Commodity = v.Commodity, Origin = v.Origin, Quantity = v.Quantity, Flow = v.Flow,
        PriorityBuyers = Surrogates.Array(v.PriorityBuyers), OnlyFor = Surrogates.Array(v.OnlyFor), UrgentOnly = v.UrgentOnly, CostIndex = v.CostIndex,
    };
}

[GenerateSerializer]
public struct AgentPlanSurrogate
{
    [Id(0)] public string AgentId;
    [Id(1)] public Bid[] Bids;
    [Id(2)] public Ask[] Asks;
}

[RegisterConverter]
public sealed class AgentPlanConverter : IConverter<AgentPlan, AgentPlanSurrogate>
{
    public AgentPlan ConvertFromSurrogate(in AgentPlanSurrogate s) => new(s.AgentId, s.Bids, s.Asks);
    public AgentPlanSurrogate ConvertToSurrogate(in AgentPlan v) => new() { AgentId = v.AgentId, Bids = Surrogates.Array(v.Bids), Asks = Surrogates.Array(v.Asks) };
}

// A fill is its own fields and a reference to its terms, which the market made once per link and its fills share: Orleans writes
// an object once per message and a reference to it after that (SurrogateCodec), so a message's fills on one link carry their terms
// once, and arrive sharing them again. Written whole (six strings and eight numbers each), fills were ≈85% of the bytes a tick
// sent between silos (bench/MarketSim.Bench.Cluster --codec).
[GenerateSerializer]
public struct FillSurrogate
{
    [Id(0)] public FillTerms Terms;
    [Id(1)] public string BuyerId;
    [Id(2)] public double Quantity;
    [Id(3)] public int OrderTick;
    [Id(4)] public bool Urgent;
}

[RegisterConverter]
public sealed class FillConverter : IConverter<Fill, FillSurrogate>
{
    public Fill ConvertFromSurrogate(in FillSurrogate s) => new(s.Terms, s.BuyerId, s.Quantity, s.OrderTick, s.Urgent);
    public FillSurrogate ConvertToSurrogate(in Fill v) =>
        new() { Terms = v.Terms, BuyerId = v.BuyerId, Quantity = v.Quantity, OrderTick = v.OrderTick, Urgent = v.Urgent };
}

[GenerateSerializer]
public struct FillTermsSurrogate
{
    [Id(0)] public string BuyerCountry;
    [Id(1)] public string SellerId;
    [Id(2)] public string SellerCountry;
    [Id(3)] public string Commodity;
    [Id(4)] public string Origin;
    [Id(5)] public int EndUse;
    [Id(6)] public double Price;
    [Id(7)] public double Tariff;
    [Id(8)] public double Subsidy;
    [Id(9)] public string? SubsidyPayer;
    [Id(10)] public int ArrivalTick;
    [Id(11)] public double Rent;
    [Id(12)] public string? RentHolder;
    [Id(13)] public double Premium;
}

[RegisterConverter]
public sealed class FillTermsConverter : IConverter<FillTerms, FillTermsSurrogate>
{
    public FillTerms ConvertFromSurrogate(in FillTermsSurrogate s) => new(s.BuyerCountry, s.SellerId, s.SellerCountry, s.Commodity, s.Origin,
        (EndUse)s.EndUse, s.Price, s.Tariff, s.Subsidy, s.SubsidyPayer, s.ArrivalTick, s.Rent, s.RentHolder, s.Premium);
    public FillTermsSurrogate ConvertToSurrogate(in FillTerms v) => new()
    {
        BuyerCountry = v.BuyerCountry, SellerId = v.SellerId, SellerCountry = v.SellerCountry, Commodity = v.Commodity, Origin = v.Origin,
        EndUse = (int)v.EndUse, Price = v.Price, Tariff = v.Tariff, Subsidy = v.Subsidy, SubsidyPayer = v.SubsidyPayer,
        ArrivalTick = v.ArrivalTick, Rent = v.Rent, RentHolder = v.RentHolder, Premium = v.Premium,
    };
}

[GenerateSerializer]
public struct DisruptionSurrogate
{
    [Id(0)] public string BuyerId;
    [Id(1)] public string Commodity;
    [Id(2)] public string SellerCountry;
    [Id(3)] public double Share;
}

[RegisterConverter]
public sealed class DisruptionConverter : IConverter<Disruption, DisruptionSurrogate>
{
    public Disruption ConvertFromSurrogate(in DisruptionSurrogate s) => new(s.BuyerId, s.Commodity, s.SellerCountry, s.Share);
    public DisruptionSurrogate ConvertToSurrogate(in Disruption v) =>
        new() { BuyerId = v.BuyerId, Commodity = v.Commodity, SellerCountry = v.SellerCountry, Share = v.Share };
}

[GenerateSerializer]
public struct AppliedSurrogate
{
    [Id(0)] public string BuyerId;
    [Id(1)] public string Commodity;
    [Id(2)] public double Quantity;
}

[RegisterConverter]
public sealed class AppliedConverter : IConverter<Applied, AppliedSurrogate>
{
    public Applied ConvertFromSurrogate(in AppliedSurrogate s) => new(s.BuyerId, s.Commodity, s.Quantity);
    public AppliedSurrogate ConvertToSurrogate(in Applied v) => new() { BuyerId = v.BuyerId, Commodity = v.Commodity, Quantity = v.Quantity };
}

[GenerateSerializer]
public struct AgentSettlementSurrogate
{
    [Id(0)] public int Tick;
    [Id(1)] public Fill[] Bought;
    [Id(2)] public Fill[] Sold;
    [Id(3)] public double CapacityAdded;
    [Id(4)] public Disruption[] Disruptions;
    [Id(5)] public Applied[] Applied;
}

[RegisterConverter]
public sealed class AgentSettlementConverter : IConverter<AgentSettlement, AgentSettlementSurrogate>
{
    public AgentSettlement ConvertFromSurrogate(in AgentSettlementSurrogate s) =>
        new(s.Tick, s.Bought, s.Sold, s.CapacityAdded) { Disruptions = s.Disruptions, Applied = s.Applied ?? [] };
    public AgentSettlementSurrogate ConvertToSurrogate(in AgentSettlement v) => new()
    {
        Tick = v.Tick, Bought = Surrogates.Array(v.Bought), Sold = Surrogates.Array(v.Sold), CapacityAdded = v.CapacityAdded,
        Disruptions = Surrogates.Array(v.Disruptions), Applied = Surrogates.Array(v.Applied),
    };
}

[GenerateSerializer]
public struct InputShortageSurrogate
{
    [Id(0)] public string Commodity;
    [Id(1)] public double Required;
    [Id(2)] public double Unmet;
}

[RegisterConverter]
public sealed class InputShortageConverter : IConverter<InputShortage, InputShortageSurrogate>
{
    public InputShortage ConvertFromSurrogate(in InputShortageSurrogate s) => new(s.Commodity, s.Required, s.Unmet);
    public InputShortageSurrogate ConvertToSurrogate(in InputShortage v) => new() { Commodity = v.Commodity, Required = v.Required, Unmet = v.Unmet };
}

[GenerateSerializer]
public struct ImportLeadSurrogate
{
    [Id(0)] public string Commodity;
    [Id(1)] public double Quantity;
    [Id(2)] public double QuantityDays;
    [Id(3)] public double QuantityWaited;
}

[RegisterConverter]
public sealed class ImportLeadConverter : IConverter<ImportLead, ImportLeadSurrogate>
{
    public ImportLead ConvertFromSurrogate(in ImportLeadSurrogate s) => new(s.Commodity, s.Quantity, s.QuantityDays, s.QuantityWaited);
    public ImportLeadSurrogate ConvertToSurrogate(in ImportLead v) =>
        new() { Commodity = v.Commodity, Quantity = v.Quantity, QuantityDays = v.QuantityDays, QuantityWaited = v.QuantityWaited };
}

[GenerateSerializer]
public struct AgentReportSurrogate
{
    [Id(0)] public string AgentId;
    [Id(1)] public string Country;
    [Id(2)] public string Sector;
    [Id(3)] public double PlannedValueAdded;
    [Id(4)] public double Loss;
    [Id(5)] public InputShortage[] Shortages;
    [Id(6)] public string[] CoverKeys;
    [Id(7)] public double[] CoverDays;
    [Id(8)] public double FiscalCost;
    [Id(9)] public double ValueAddedMade;
    [Id(10)] public ImportLead[] Imports;
    [Id(11)] public CapacityDecision[] Decisions;
    [Id(12)] public string[] Events;
    [Id(13)] public double Made;
}

[GenerateSerializer]
public struct CapacityDecisionSurrogate
{
    [Id(0)] public string Producer;
    [Id(1)] public string Country;
    [Id(2)] public string Commodity;
    [Id(3)] public double Added;
    [Id(4)] public int OnlineTick;
}

[RegisterConverter]
public sealed class CapacityDecisionConverter : IConverter<CapacityDecision, CapacityDecisionSurrogate>
{
    public CapacityDecision ConvertFromSurrogate(in CapacityDecisionSurrogate s) => new(s.Producer, s.Country, s.Commodity, s.Added, s.OnlineTick);
    public CapacityDecisionSurrogate ConvertToSurrogate(in CapacityDecision v) =>
        new() { Producer = v.Producer, Country = v.Country, Commodity = v.Commodity, Added = v.Added, OnlineTick = v.OnlineTick };
}

[RegisterConverter]
public sealed class AgentReportConverter : IConverter<AgentReport, AgentReportSurrogate>
{
    public AgentReport ConvertFromSurrogate(in AgentReportSurrogate s)
    {
        var cover = new KeyValuePair<string, double>[s.CoverKeys.Length];
        for (int i = 0; i < cover.Length; i++) cover[i] = KeyValuePair.Create(s.CoverKeys[i], s.CoverDays[i]);
        return new(s.AgentId, s.Country, s.Sector, s.PlannedValueAdded, s.Loss, s.Shortages, cover, s.FiscalCost)
        {
            ValueAddedMade = s.ValueAddedMade, Imports = s.Imports ?? [], Decisions = s.Decisions ?? [], Events = s.Events ?? [], Made = s.Made,
        };
    }

    public AgentReportSurrogate ConvertToSurrogate(in AgentReport v)
    {
        var keys = new string[v.CoverDays.Count];
        var days = new double[v.CoverDays.Count];
        for (int i = 0; i < keys.Length; i++) (keys[i], days[i]) = (v.CoverDays[i].Key, v.CoverDays[i].Value);
        return new()
        {
            AgentId = v.AgentId, Country = v.Country, Sector = v.Sector, PlannedValueAdded = v.PlannedValueAdded, Loss = v.Loss,
            Shortages = Surrogates.Array(v.Shortages), CoverKeys = keys, CoverDays = days, FiscalCost = v.FiscalCost, ValueAddedMade = v.ValueAddedMade,
            Imports = Surrogates.Array(v.Imports), Decisions = Surrogates.Array(v.Decisions), Events = Surrogates.Array(v.Events), Made = v.Made,
        };
    }
}

[GenerateSerializer]
public struct SegmentPriceSurrogate
{
    [Id(0)] public string Commodity;
    [Id(1)] public string Segment;
    [Id(2)] public double Price;
}

[RegisterConverter]
public sealed class SegmentPriceConverter : IConverter<SegmentPrice, SegmentPriceSurrogate>
{
    public SegmentPrice ConvertFromSurrogate(in SegmentPriceSurrogate s) => new(s.Commodity, s.Segment, s.Price);
    public SegmentPriceSurrogate ConvertToSurrogate(in SegmentPrice v) => new() { Commodity = v.Commodity, Segment = v.Segment, Price = v.Price };
}

[GenerateSerializer]
public struct ClearingResultSurrogate
{
    [Id(0)] public string Commodity;
    [Id(1)] public Fill[] Fills;
    [Id(2)] public SegmentPrice[] Prices;
    [Id(3)] public SegmentPrice[] NextPrices;
    [Id(4)] public Disruption[] Disruptions;
    [Id(5)] public Applied[] Applied;
}

[RegisterConverter]
public sealed class ClearingResultConverter : IConverter<ClearingResult, ClearingResultSurrogate>
{
    public ClearingResult ConvertFromSurrogate(in ClearingResultSurrogate s) =>
        new(s.Commodity, s.Fills, s.Prices, s.NextPrices) { Disruptions = s.Disruptions, Applied = s.Applied ?? [] };
    public ClearingResultSurrogate ConvertToSurrogate(in ClearingResult v) => new()
    {
        Commodity = v.Commodity, Fills = Surrogates.Array(v.Fills), Prices = Surrogates.Array(v.Prices), NextPrices = Surrogates.Array(v.NextPrices),
        Disruptions = Surrogates.Array(v.Disruptions), Applied = Surrogates.Array(v.Applied),
    };
}

static class Surrogates
{
    public static T[] Array<T>(IReadOnlyList<T> list) => list as T[] ?? list.ToArray();

    /// <summary>The same entries in the same order (a Dictionary enumerates in insertion order when nothing was removed).</summary>
    public static Dictionary<string, double> Dict(IReadOnlyDictionary<string, double> d) =>
        d as Dictionary<string, double> is { Comparer: var c } plain && ReferenceEquals(c, EqualityComparer<string>.Default) ? plain : new(d);
}
