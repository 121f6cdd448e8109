using MarketSim.Model.Simulation;

namespace MarketSim.Grains.Serialization;

// Binary forms of a frame (one tick's results) and its rows. Frames are what a session keeps, writes in blocks at every
// checkpoint and hands to its readers (the CLI, the dashboard, a cluster's clients); as JSON, the 30 frames of one
// checkpoint block of the default scenario were 1.8 MB and 130 ms to encode and decode. Each row's fields in the order of
// its record's constructor; tests/Grains.Tests checks that no property is missing.

[GenerateSerializer]
public struct PriceRowSurrogate
{
    [Id(0)] public string Market;
    [Id(1)] public string Commodity;
    [Id(2)] public double Price;
}

[RegisterConverter]
public sealed class PriceRowConverter : IConverter<PriceRow, PriceRowSurrogate>
{
    public PriceRow ConvertFromSurrogate(in PriceRowSurrogate s) => new(s.Market, s.Commodity, s.Price);
    public PriceRowSurrogate ConvertToSurrogate(in PriceRow v) => new() { Market = v.Market, Commodity = v.Commodity, Price = v.Price };
}

[GenerateSerializer]
public struct FlowRowSurrogate
{
    [Id(0)] public string Origin;
    [Id(1)] public string Exporter;
    [Id(2)] public string Destination;
    [Id(3)] public string Commodity;
    [Id(4)] public double Quantity;
    [Id(5)] public double Value;
    [Id(6)] public double Duty;
}

[RegisterConverter]
public sealed class FlowRowConverter : IConverter<FlowRow, FlowRowSurrogate>
{
    public FlowRow ConvertFromSurrogate(in FlowRowSurrogate s) => new(s.Origin, s.Exporter, s.Destination, s.Commodity, s.Quantity, s.Value) { Duty = s.Duty };
    public FlowRowSurrogate ConvertToSurrogate(in FlowRow v) => new() { Origin = v.Origin, Exporter = v.Exporter, Destination = v.Destination, Commodity = v.Commodity, Quantity = v.Quantity, Value = v.Value, Duty = v.Duty };
}

[GenerateSerializer]
public struct ShortageRowSurrogate
{
    [Id(0)] public string Country;
    [Id(1)] public string Sector;
    [Id(2)] public string Commodity;
    [Id(3)] public double Required;
    [Id(4)] public double Unmet;
}

[RegisterConverter]
public sealed class ShortageRowConverter : IConverter<ShortageRow, ShortageRowSurrogate>
{
    public ShortageRow ConvertFromSurrogate(in ShortageRowSurrogate s) => new(s.Country, s.Sector, s.Commodity, s.Required, s.Unmet);
    public ShortageRowSurrogate ConvertToSurrogate(in ShortageRow v) => new() { Country = v.Country, Sector = v.Sector, Commodity = v.Commodity, Required = v.Required, Unmet = v.Unmet };
}

[GenerateSerializer]
public struct LossRowSurrogate
{
    [Id(0)] public string Country;
    [Id(1)] public string Sector;
    [Id(2)] public double Loss;
    [Id(3)] public double Cumulative;
    [Id(4)] public double GdpShare;
}

[RegisterConverter]
public sealed class LossRowConverter : IConverter<LossRow, LossRowSurrogate>
{
    public LossRow ConvertFromSurrogate(in LossRowSurrogate s) => new(s.Country, s.Sector, s.Loss, s.Cumulative, s.GdpShare);
    public LossRowSurrogate ConvertToSurrogate(in LossRow v) => new() { Country = v.Country, Sector = v.Sector, Loss = v.Loss, Cumulative = v.Cumulative, GdpShare = v.GdpShare };
}

[GenerateSerializer]
public struct FiscalRowSurrogate
{
    [Id(0)] public string Country;
    [Id(1)] public double Cost;
    [Id(2)] public double Cumulative;
}

[RegisterConverter]
public sealed class FiscalRowConverter : IConverter<FiscalRow, FiscalRowSurrogate>
{
    public FiscalRow ConvertFromSurrogate(in FiscalRowSurrogate s) => new(s.Country, s.Cost, s.Cumulative);
    public FiscalRowSurrogate ConvertToSurrogate(in FiscalRow v) => new() { Country = v.Country, Cost = v.Cost, Cumulative = v.Cumulative };
}

[GenerateSerializer]
public struct CoverRowSurrogate
{
    [Id(0)] public string Country;
    [Id(1)] public string Sector;
    [Id(2)] public string Commodity;
    [Id(3)] public double Days;
}

[RegisterConverter]
public sealed class CoverRowConverter : IConverter<CoverRow, CoverRowSurrogate>
{
    public CoverRow ConvertFromSurrogate(in CoverRowSurrogate s) => new(s.Country, s.Sector, s.Commodity, s.Days);
    public CoverRowSurrogate ConvertToSurrogate(in CoverRow v) => new() { Country = v.Country, Sector = v.Sector, Commodity = v.Commodity, Days = v.Days };
}

[GenerateSerializer]
public struct LeadTimeRowSurrogate
{
    [Id(0)] public string Destination;
    [Id(1)] public string Commodity;
    [Id(2)] public double Quantity;
    [Id(3)] public double Days;
    [Id(4)] public double Waited;
}

[RegisterConverter]
public sealed class LeadTimeRowConverter : IConverter<LeadTimeRow, LeadTimeRowSurrogate>
{
    public LeadTimeRow ConvertFromSurrogate(in LeadTimeRowSurrogate s) => new(s.Destination, s.Commodity, s.Quantity, s.Days) { Waited = s.Waited };
    public LeadTimeRowSurrogate ConvertToSurrogate(in LeadTimeRow v) => new() { Destination = v.Destination, Commodity = v.Commodity, Quantity = v.Quantity, Days = v.Days, Waited = v.Waited };
}

[GenerateSerializer]
public struct RentRowSurrogate
{
    [Id(0)] public string Exporter;
    [Id(1)] public string Commodity;
    [Id(2)] public string Holder;
    [Id(3)] public double Quantity;
    [Id(4)] public double Rent;
}

[RegisterConverter]
public sealed class RentRowConverter : IConverter<RentRow, RentRowSurrogate>
{
    public RentRow ConvertFromSurrogate(in RentRowSurrogate s) => new(s.Exporter, s.Commodity, s.Holder, s.Quantity, s.Rent);
    public RentRowSurrogate ConvertToSurrogate(in RentRow v) => new() { Exporter = v.Exporter, Commodity = v.Commodity, Holder = v.Holder, Quantity = v.Quantity, Rent = v.Rent };
}

[GenerateSerializer]
public struct ContentRowSurrogate
{
    [Id(0)] public string Destination;
    [Id(1)] public string Commodity;
    [Id(2)] public string Country;
    [Id(3)] public double Quantity;
    [Id(4)] public double Share;
    [Id(5)] public double Reached;
}

[RegisterConverter]
public sealed class ContentRowConverter : IConverter<ContentRow, ContentRowSurrogate>
{
    public ContentRow ConvertFromSurrogate(in ContentRowSurrogate s) => new(s.Destination, s.Commodity, s.Country, s.Quantity, s.Share, s.Reached);
    public ContentRowSurrogate ConvertToSurrogate(in ContentRow v) => new() { Destination = v.Destination, Commodity = v.Commodity, Country = v.Country, Quantity = v.Quantity, Share = v.Share, Reached = v.Reached };
}

[GenerateSerializer]
public struct ValueAddedRowSurrogate
{
    [Id(0)] public string Country;
    [Id(1)] public string Sector;
    [Id(2)] public double Made;
    [Id(3)] public double Cumulative;
}

[RegisterConverter]
public sealed class ValueAddedRowConverter : IConverter<ValueAddedRow, ValueAddedRowSurrogate>
{
    public ValueAddedRow ConvertFromSurrogate(in ValueAddedRowSurrogate s) => new(s.Country, s.Sector, s.Made, s.Cumulative);
    public ValueAddedRowSurrogate ConvertToSurrogate(in ValueAddedRow v) => new() { Country = v.Country, Sector = v.Sector, Made = v.Made, Cumulative = v.Cumulative };
}

[GenerateSerializer]
public struct IndirectLossRowSurrogate
{
    [Id(0)] public string Country;
    [Id(1)] public string Sector;
    [Id(2)] public double Multiplier;
    [Id(3)] public double Loss;
    [Id(4)] public double Cumulative;
    [Id(5)] public double GdpShare;
}

[RegisterConverter]
public sealed class IndirectLossRowConverter : IConverter<IndirectLossRow, IndirectLossRowSurrogate>
{
    public IndirectLossRow ConvertFromSurrogate(in IndirectLossRowSurrogate s) => new(s.Country, s.Sector, s.Multiplier, s.Loss, s.Cumulative, s.GdpShare);
    public IndirectLossRowSurrogate ConvertToSurrogate(in IndirectLossRow v) => new() { Country = v.Country, Sector = v.Sector, Multiplier = v.Multiplier, Loss = v.Loss, Cumulative = v.Cumulative, GdpShare = v.GdpShare };
}

[GenerateSerializer]
public struct AccountRowSurrogate
{
    [Id(0)] public string Country;
    [Id(1)] public double ExportRevenue;
    [Id(2)] public double ExportRent;
    [Id(3)] public double TariffRevenue;
    [Id(4)] public double InputCost;
    [Id(5)] public double ExtraInputCost;
    [Id(6)] public double FloorSubsidy;
}

[RegisterConverter]
public sealed class AccountRowConverter : IConverter<AccountRow, AccountRowSurrogate>
{
    public AccountRow ConvertFromSurrogate(in AccountRowSurrogate s) => new(s.Country, s.ExportRevenue, s.ExportRent, s.TariffRevenue, s.InputCost, s.ExtraInputCost) { FloorSubsidy = s.FloorSubsidy };
    public AccountRowSurrogate ConvertToSurrogate(in AccountRow v) => new() { Country = v.Country, ExportRevenue = v.ExportRevenue, ExportRent = v.ExportRent, TariffRevenue = v.TariffRevenue, InputCost = v.InputCost, ExtraInputCost = v.ExtraInputCost, FloorSubsidy = v.FloorSubsidy };
}

[GenerateSerializer]
public struct FrameSurrogate
{
    [Id(0)] public int Tick;
    [Id(1)] public DateOnly Date;
    [Id(2)] public PriceRow[] Prices;
    [Id(3)] public FlowRow[] Flows;
    [Id(4)] public ShortageRow[] Shortages;
    [Id(5)] public LossRow[] Losses;
    [Id(6)] public FiscalRow[] Fiscal;
    [Id(7)] public CoverRow[] Cover;
    [Id(8)] public LeadTimeRow[] LeadTimes;
    [Id(9)] public string[] Events;
    [Id(10)] public RentRow[] Rents;
    [Id(11)] public ContentRow[] Content;
    [Id(12)] public ValueAddedRow[] ValueAdded;
    [Id(13)] public IndirectLossRow[] Indirect;
    [Id(14)] public AccountRow[] Accounts;
}

[RegisterConverter]
public sealed class FrameConverter : IConverter<Frame, FrameSurrogate>
{
    public Frame ConvertFromSurrogate(in FrameSurrogate s) => new(s.Tick, s.Date, s.Prices, s.Flows, s.Shortages, s.Losses, s.Fiscal, s.Cover, s.LeadTimes, s.Events)
    {
        Rents = s.Rents, Content = s.Content, ValueAdded = s.ValueAdded, Indirect = s.Indirect, Accounts = s.Accounts,
    };

    public FrameSurrogate ConvertToSurrogate(in Frame v) => new()
    {
        Tick = v.Tick, Date = v.Date, Prices = Surrogates.Array(v.Prices), Flows = Surrogates.Array(v.Flows), Shortages = Surrogates.Array(v.Shortages),
        Losses = Surrogates.Array(v.Losses), Fiscal = Surrogates.Array(v.Fiscal), Cover = Surrogates.Array(v.Cover),
        LeadTimes = Surrogates.Array(v.LeadTimes), Events = Surrogates.Array(v.Events), Rents = Surrogates.Array(v.Rents),
        Content = Surrogates.Array(v.Content), ValueAdded = Surrogates.Array(v.ValueAdded), Indirect = Surrogates.Array(v.Indirect),
        Accounts = Surrogates.Array(v.Accounts),
    };
}
