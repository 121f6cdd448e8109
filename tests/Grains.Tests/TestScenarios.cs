using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Grains.Tests;

/// <summary>
/// Worlds built in code, small enough to read: three countries, a three-stage chain (ore → oxide → magnet), and every kind of
/// policy, including a licence with approval below 1 so that random draws decide trades.
/// </summary>
public static class TestScenarios
{
    public static ScenarioSpec Small(int manufacturers = 12, int days = 70) => new()
    {
        Name = "small-chain",
        StartDate = new DateOnly(2025, 1, 1),
        Days = days,
        Currency = "USD",
        Seed = 11,
        Demand = new DemandSettings { Elasticity = 0.2, LagDays = 60, Floor = 0.6 },
        Transport = new TransportSpec { DomesticDays = 5, InternationalDays = 20, Routes = [new RouteSpec("JP", "US", 15)] },
        Segments = [new SegmentSpec("china", ["CN"]), new SegmentSpec("world", [])],
        Countries =
        [
            new CountrySpec { Id = "CN", Gdp = 18e12 },
            new CountrySpec { Id = "JP", Gdp = 4e12 },
            new CountrySpec { Id = "US", Gdp = 29e12 },
        ],
        Commodities =
        [
            new CommoditySpec { Id = "ore", ReferencePrice = 5000, InitialOrigin = "CN" },
            new CommoditySpec { Id = "oxide", ReferencePrice = 50000, PriceAdjustment = 0.03, PriceWindowDays = 7, InitialOrigin = "CN" },
            new CommoditySpec { Id = "magnet", ReferencePrice = 80000, PriceAdjustment = 0.03, PriceWindowDays = 7, InitialOrigin = "CN" },
        ],
        Producers =
        [
            new ProducerSpec { Id = "cn-mine", Country = "CN", Output = "ore", Capacity = 100, UnitCost = 2000 },
            new ProducerSpec { Id = "us-mine", Country = "US", Output = "ore", Capacity = 30, UnitCost = 3000 },
            new ProducerSpec { Id = "cn-sep", Country = "CN", Output = "oxide", Capacity = 18, UnitCost = 15000, Inputs = new Dictionary<string, double> { ["ore"] = 5 } },
            new ProducerSpec { Id = "us-sep", Country = "US", Output = "oxide", Capacity = 3, UnitCost = 22000, Inputs = new Dictionary<string, double> { ["ore"] = 5 }, RampRate = 0.05 },
            new ProducerSpec { Id = "cn-magnet", Country = "CN", Output = "magnet", Capacity = 40, UnitCost = 20000, Inputs = new Dictionary<string, double> { ["oxide"] = 0.3 } },
            new ProducerSpec
            {
                Id = "jp-magnet", Country = "JP", Output = "magnet", Capacity = 15, UnitCost = 25000, Inputs = new Dictionary<string, double> { ["oxide"] = 0.3 },
                PriorityBuyers = ["JP"], Thrift = new Dictionary<string, ThriftSpec> { ["oxide"] = new ThriftSpec(0.5, null, 30) },
            },
        ],
        Manufacturers = Enumerable.Range(0, manufacturers).Select(Manufacturer).ToList(),
        Policies =
        [
            new ExportControl
            {
                Id = "cn-licence", Start = 5, Exporter = "CN", Commodities = ["oxide", "magnet"], Mode = ControlMode.License,
                ApprovalRate = 0.6, DelayMinDays = 10, DelayMaxDays = 30,
            },
            new ExportControl
            {
                Id = "cn-military-ban", Start = 30, Exporter = "CN", Commodities = ["magnet"], Destinations = ["JP"],
                EndUse = EndUseScope.Military, Mode = ControlMode.Ban, ReExport = true,
            },
            new Tariff { Id = "us-tariff", Start = 0, Importer = "US", Commodities = ["magnet"], Origins = ["CN"], Rate = 0.25 },
            new Stockpile
            {
                Id = "jp-stockpile", Start = 0, Country = "JP", Commodity = "oxide", Size = 50, Initial = 30, MaxReleasePerDay = 2,
                RefillPriceFactor = 0.9, RefillPerDay = 0.5,
            },
            new PriceFloor { Id = "club-floor", Start = 20, Club = ["JP", "US"], Excluded = ["CN"], Floors = new Dictionary<string, double> { ["oxide"] = 60000 } },
            new CapacityProject { Id = "us-sep-expansion", Start = 10, Producer = "us-sep", AddedCapacity = 6, LeadTimeDays = 20, Cost = 1e8, Payer = "US" },
        ],
    };

    static readonly string[] Countries = ["JP", "US", "CN"];
    static readonly string[] Sectors = ["automotive", "electronics"];

    static ManufacturerSpec Manufacturer(int i) => new()
    {
        Id = $"{Countries[i % 3].ToLowerInvariant()}-{Sectors[i / 3 % 2]}-{i:D4}",
        Country = Countries[i % 3],
        Sector = i % 7 == 6 ? "defence" : Sectors[i / 3 % 2],
        PlannedOutput = 300 + 40 * (i % 5),
        OutputValue = 1e6,
        ValueAdded = 3e5,
        Inputs = i % 4 == 3
            ? new Dictionary<string, double> { ["magnet"] = 0.008, ["oxide"] = 0.001 }
            : new Dictionary<string, double> { ["magnet"] = 0.01 },
        CoverDays = new[] { 10, 20, 30, 60 }[i % 4],
        MilitaryShare = i % 7 == 6 ? 1 : 0,
    };

    /// <summary>The small world scaled to many manufacturers, each with a proportionally smaller output.</summary>
    public static ScenarioSpec Large(int manufacturers)
    {
        var small = Small(manufacturers);
        var scale = 12.0 / manufacturers;
        return small with
        {
            Name = "large-chain",
            Manufacturers = small.Manufacturers.Select(m => m with { PlannedOutput = m.PlannedOutput * scale }).ToList(),
        };
    }

    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "MarketSim.sln"))) return d.FullName;
        throw new InvalidOperationException("MarketSim.sln not found above " + AppContext.BaseDirectory);
    }

    public static IEnumerable<string> ShippedScenarioFiles() =>
        Directory.GetFiles(Path.Combine(RepoRoot(), "scenarios"), "*.yaml").Order(StringComparer.Ordinal);
}
