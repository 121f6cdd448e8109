using MarketSim.Model.Agents;
using MarketSim.Model.Market;

namespace MarketSim.Grains.Serialization;

// Binary forms of the Model state that grains write at every checkpoint (and when they deactivate): a firm's, a country's
// and a market's. As JSON, a manufacturer's pipeline was most of a checkpoint's bytes and time (52 manufacturers of the
// default scenario at tick 180: 5.3 MB, 52 ms to encode on an idle core). Each field of the Model class has its field here;
// tests/Grains.Tests checks that none is missing. Collections keep their entries in the same order.

[GenerateSerializer]
public struct ShipmentSurrogate
{
    [Id(0)] public string Commodity;
    [Id(1)] public string Origin;
    [Id(2)] public double Quantity;
    // Id(3) was the order tick (dropped in Dec 2026: nothing read it after booking); not to be reused, or a new field would
    // read old checkpoints' order ticks.
    [Id(4)] public int ArrivalTick;
}

[RegisterConverter]
public sealed class ShipmentConverter : IConverter<Shipment, ShipmentSurrogate>
{
    public Shipment ConvertFromSurrogate(in ShipmentSurrogate s) => new(s.Commodity, s.Origin, s.Quantity, s.ArrivalTick);
    public ShipmentSurrogate ConvertToSurrogate(in Shipment v) => new()
    {
        Commodity = v.Commodity, Origin = v.Origin, Quantity = v.Quantity, ArrivalTick = v.ArrivalTick,
    };
}

[GenerateSerializer]
public struct OpenOrderSurrogate
{
    [Id(0)] public int Tick;
    [Id(1)] public double Quantity;
}

[RegisterConverter]
public sealed class OpenOrderConverter : IConverter<OpenOrder, OpenOrderSurrogate>
{
    public OpenOrder ConvertFromSurrogate(in OpenOrderSurrogate s) => new(s.Tick, s.Quantity);
    public OpenOrderSurrogate ConvertToSurrogate(in OpenOrder v) => new() { Tick = v.Tick, Quantity = v.Quantity };
}

[GenerateSerializer]
public struct ExpansionSurrogate
{
    [Id(0)] public int DecidedTick;
    [Id(1)] public double Added;
    [Id(2)] public int LeadDays;
}

[RegisterConverter]
public sealed class ExpansionConverter : IConverter<Expansion, ExpansionSurrogate>
{
    public Expansion ConvertFromSurrogate(in ExpansionSurrogate s) => new(s.DecidedTick, s.Added, s.LeadDays);
    public ExpansionSurrogate ConvertToSurrogate(in Expansion v) => new() { DecidedTick = v.DecidedTick, Added = v.Added, LeadDays = v.LeadDays };
}

[GenerateSerializer]
public struct FirmStateSurrogate
{
    [Id(0)] public string Id;
    [Id(1)] public string HomeSegment;
    [Id(2)] public Dictionary<string, Dictionary<string, double>> Inputs;
    [Id(3)] public List<Shipment> Pipeline;
    [Id(4)] public Dictionary<string, double> ExpectedLeadTime;
    [Id(5)] public Dictionary<string, List<OpenOrder>> Unfilled;
    [Id(6)] public Dictionary<string, double> Intensity;
    [Id(7)] public Dictionary<string, double> LastPrice;
    [Id(8)] public Dictionary<string, Dictionary<string, double>> Finished;
    [Id(9)] public double Capacity;
    [Id(10)] public double TargetCapacity;
    [Id(11)] public double PlannedRate;
    [Id(12)] public double ExpectedSales;
    [Id(13)] public double CumulativeLoss;
    [Id(14)] public Dictionary<string, double> Risk;
    [Id(15)] public Dictionary<string, int> QualifiedFrom;
    [Id(16)] public Dictionary<string, double> Precaution;
    [Id(17)] public Dictionary<string, int> ControlledSince;
    [Id(18)] public Dictionary<string, double> IntensityLow;
    [Id(19)] public double MilitarySalesShare;
    [Id(20)] public int MarginDays;
    [Id(21)] public List<Expansion> Expansions;
    [Id(22)] public Dictionary<string, double> TariffRate;
    [Id(23)] public Dictionary<string, double> Applied;
    [Id(24)] public Dictionary<string, double> ExpectedWait;
    [Id(25)] public Dictionary<string, double> SalesPremium;
    [Id(26)] public Dictionary<string, double>? Supplied;
    [Id(27)] public Dictionary<string, double>? AskedFor;
    [Id(28)] public double? MadeShare;
    [Id(29)] public Dictionary<string, double>? SupplierShares;
    [Id(30)] public Dictionary<string, Dictionary<string, double>>? SupplierLots;
}

[RegisterConverter]
public sealed class FirmStateConverter : IConverter<FirmState, FirmStateSurrogate>
{
    public FirmState ConvertFromSurrogate(in FirmStateSurrogate s) => new()
    {
        Id = s.Id, HomeSegment = s.HomeSegment, Inputs = s.Inputs, Pipeline = s.Pipeline is null ? new() : new(s.Pipeline), ExpectedLeadTime = s.ExpectedLeadTime,
        Unfilled = s.Unfilled, Intensity = s.Intensity, LastPrice = s.LastPrice, Finished = s.Finished, Capacity = s.Capacity,
        TargetCapacity = s.TargetCapacity, PlannedRate = s.PlannedRate, ExpectedSales = s.ExpectedSales, CumulativeLoss = s.CumulativeLoss,
        Risk = s.Risk, QualifiedFrom = s.QualifiedFrom, Precaution = s.Precaution, ControlledSince = s.ControlledSince,
        IntensityLow = s.IntensityLow, MilitarySalesShare = s.MilitarySalesShare, MarginDays = s.MarginDays, Expansions = s.Expansions,
        TariffRate = s.TariffRate ?? new(), Applied = s.Applied ?? new(), ExpectedWait = s.ExpectedWait ?? new(),
        SalesPremium = s.SalesPremium ?? new(), Supplied = s.Supplied ?? new(), AskedFor = s.AskedFor ?? new(),
        MadeShare = s.MadeShare ?? 1, // a checkpoint from before the field: a firm that made its whole plan
        SupplierShares = s.SupplierShares ?? new(), SupplierLots = s.SupplierLots ?? new(),
    };

    public FirmStateSurrogate ConvertToSurrogate(in FirmState v) => new()
    {
        Id = v.Id, HomeSegment = v.HomeSegment, Inputs = v.Inputs, Pipeline = [.. v.Pipeline], ExpectedLeadTime = v.ExpectedLeadTime,
        Unfilled = v.Unfilled, Intensity = v.Intensity, LastPrice = v.LastPrice, Finished = v.Finished, Capacity = v.Capacity,
        TargetCapacity = v.TargetCapacity, PlannedRate = v.PlannedRate, ExpectedSales = v.ExpectedSales, CumulativeLoss = v.CumulativeLoss,
        Risk = v.Risk, QualifiedFrom = v.QualifiedFrom, Precaution = v.Precaution, ControlledSince = v.ControlledSince,
        IntensityLow = v.IntensityLow, MilitarySalesShare = v.MilitarySalesShare, MarginDays = v.MarginDays, Expansions = v.Expansions,
        TariffRate = v.TariffRate, Applied = v.Applied, ExpectedWait = v.ExpectedWait, SalesPremium = v.SalesPremium,
        Supplied = v.Supplied, AskedFor = v.AskedFor, MadeShare = v.MadeShare, SupplierShares = v.SupplierShares,
        SupplierLots = v.SupplierLots,
    };
}

[GenerateSerializer]
public struct CountryStateSurrogate
{
    [Id(0)] public string Id;
    [Id(1)] public string HomeSegment;
    [Id(2)] public Dictionary<string, Dictionary<string, double>> Holdings;
    [Id(3)] public List<Shipment> Pipeline;
    [Id(4)] public double CarryingCostToday;
    [Id(5)] public Dictionary<string, string>? Modes;
    [Id(6)] public List<string>? EventsToday;
}

[RegisterConverter]
public sealed class CountryStateConverter : IConverter<CountryState, CountryStateSurrogate>
{
    public CountryState ConvertFromSurrogate(in CountryStateSurrogate s) => new()
    {
        Id = s.Id, HomeSegment = s.HomeSegment, Holdings = s.Holdings, Pipeline = s.Pipeline, CarryingCostToday = s.CarryingCostToday,
        Modes = s.Modes ?? new(), EventsToday = s.EventsToday ?? new(),
    };

    public CountryStateSurrogate ConvertToSurrogate(in CountryState v) => new()
    {
        Id = v.Id, HomeSegment = v.HomeSegment, Holdings = v.Holdings, Pipeline = v.Pipeline, CarryingCostToday = v.CarryingCostToday,
        Modes = v.Modes, EventsToday = v.EventsToday,
    };
}

/// <summary>The persisted maps only: the licence table by integer ids is rebuilt from them on first use.</summary>
[GenerateSerializer]
public struct MarketStateSurrogate
{
    [Id(0)] public string Commodity;
    [Id(1)] public Dictionary<string, double> Prices;
    [Id(2)] public Dictionary<string, int> LicenceBlockedUntil;
    [Id(3)] public Dictionary<string, int> LicenceValidUntil;
    [Id(4)] public Dictionary<string, int> LicenceDelay;
    [Id(5)] public Dictionary<string, double> LicenceLeft;
    [Id(6)] public Dictionary<string, int> LicenceRefusedDays;
    [Id(7)] public Dictionary<string, double> DeclaredBacklog;
    [Id(8)] public Dictionary<string, double> QuotaUsed;
    [Id(9)] public Dictionary<string, double[]> PriceWindow;
    [Id(10)] public int PriceWindowTick;
    [Id(11)] public Dictionary<string, double[]> SellerWindow;
    [Id(12)] public Dictionary<string, double> LicenceInFlight;
    [Id(13)] public Dictionary<string, double[]> DemandWindow;
    [Id(14)] public Dictionary<string, double> LicenceStocked;
}

[RegisterConverter]
public sealed class MarketStateConverter : IConverter<MarketState, MarketStateSurrogate>
{
    public MarketState ConvertFromSurrogate(in MarketStateSurrogate s) => new()
    {
        Commodity = s.Commodity, Prices = s.Prices, LicenceBlockedUntil = s.LicenceBlockedUntil, LicenceValidUntil = s.LicenceValidUntil,
        LicenceDelay = s.LicenceDelay, LicenceLeft = s.LicenceLeft, LicenceRefusedDays = s.LicenceRefusedDays, LicenceInFlight = s.LicenceInFlight, LicenceStocked = s.LicenceStocked,
        DeclaredBacklog = s.DeclaredBacklog, QuotaUsed = s.QuotaUsed, PriceWindow = s.PriceWindow, PriceWindowTick = s.PriceWindowTick,
        SellerWindow = s.SellerWindow, DemandWindow = s.DemandWindow,
    };

    public MarketStateSurrogate ConvertToSurrogate(in MarketState v) => new()
    {
        Commodity = v.Commodity, Prices = v.Prices, LicenceBlockedUntil = v.LicenceBlockedUntil, LicenceValidUntil = v.LicenceValidUntil,
        LicenceDelay = v.LicenceDelay, LicenceLeft = v.LicenceLeft, LicenceRefusedDays = v.LicenceRefusedDays, LicenceInFlight = v.LicenceInFlight, LicenceStocked = v.LicenceStocked,
        DeclaredBacklog = v.DeclaredBacklog, QuotaUsed = v.QuotaUsed, PriceWindow = v.PriceWindow, PriceWindowTick = v.PriceWindowTick,
        SellerWindow = v.SellerWindow, DemandWindow = v.DemandWindow,
    };
}
