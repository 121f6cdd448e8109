using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Bench;

/// <summary>
/// A synthetic world of N manufacturer firms, built in code (no YAML): a three-stage chain ore → oxide → magnet plus a
/// one-stage metal (gallium), a handful of producers sized to meet the firms' demand with a few percent to spare and priced
/// to break even below the reference prices, N firms spread over six countries and four sectors with mixed inventory
/// covers, and China licensing its oxide and magnet exports (60% approval, 28–63 days) plus a military-end-use ban to
/// Japan, so the market draws licences and splits segments every tick. Deterministic: the same N gives the same world.
/// </summary>
public static class SyntheticWorld
{
    static readonly string[] Countries = ["CN", "JP", "US", "DE", "KR", "RW"];
    static readonly (string Sector, double Magnet, double Gallium, double Military)[] Sectors =
    [
        ("automotive", 0.010, 0.0, 0.0),
        ("electronics", 0.020, 0.0004, 0.0),
        ("machinery", 0.015, 0.0, 0.0),
        ("defence", 0.008, 0.0010, 1.0),
    ];
    static readonly double[] Covers = [18, 30, 60, 180];

    public static ScenarioSpec Build(int manufacturers, int days = 365)
    {
        // Firms: deterministic spread of size (0.5–1.5 units/day), country, sector and cover.
        var firms = new List<ManufacturerSpec>(manufacturers);
        double magnetDemand = 0, galliumDemand = 0;
        for (int i = 0; i < manufacturers; i++)
        {
            var country = Countries[i % Countries.Length];
            var (sector, magnet, gallium, military) = Sectors[(i / Countries.Length) % Sectors.Length];
            var size = 0.5 + (Hash(i) % 1000) / 1000.0;
            var inputs = new Dictionary<string, double> { ["magnet"] = magnet };
            if (gallium > 0) inputs["gallium"] = gallium;
            magnetDemand += magnet * size;
            galliumDemand += gallium * size;
            firms.Add(new ManufacturerSpec
            {
                Id = $"{country.ToLowerInvariant()}-{sector}-{i:D6}",
                Country = country,
                Sector = sector,
                OutputUnit = "USD million",
                PlannedOutput = size,
                OutputValue = 1_000_000,
                ValueAdded = 300_000,
                Inputs = inputs,
                CoverDays = Covers[(i / (Countries.Length * Sectors.Length)) % Covers.Length],
                MilitaryShare = military,
            });
        }

        const double spare = 1.05;
        // Producers: capacity = downstream need × spare; unit cost = 90% of (reference price − inputs at reference prices).
        var magnetCap = magnetDemand * spare;
        var oxideCap = magnetCap * 0.3 * spare;         // 0.3 t oxide per t magnet
        var oreCap = oxideCap * 5 * spare;              // 5 t ore per t oxide
        var galliumCap = Math.Max(galliumDemand, 1e-6) * spare;
        var producers = new List<ProducerSpec>
        {
            Producer("cn-mine", "CN", "mining", "ore", oreCap * 0.70, 0.9 * 6000),
            Producer("au-mine", "AU", "mining", "ore", oreCap * 0.15, 0.9 * 6000),
            Producer("us-mine", "US", "mining", "ore", oreCap * 0.15, 0.9 * 6000),
            Producer("cn-sep", "CN", "separation", "oxide", oxideCap * 0.85, 0.9 * (55000 - 5 * 6000), ("ore", 5)),
            Producer("au-sep", "AU", "separation", "oxide", oxideCap * 0.15, 0.9 * (55000 - 5 * 6000), ("ore", 5)),
            Producer("cn-magnet", "CN", "magnets", "magnet", magnetCap * 0.80, 0.9 * (80000 - 0.3 * 55000), ("oxide", 0.3)),
            Producer("jp-magnet", "JP", "magnets", "magnet", magnetCap * 0.12, 0.9 * (80000 - 0.3 * 55000), ("oxide", 0.3)),
            Producer("de-magnet", "DE", "magnets", "magnet", magnetCap * 0.08, 0.9 * (80000 - 0.3 * 55000), ("oxide", 0.3)),
            Producer("cn-gallium", "CN", "refining", "gallium", galliumCap * 0.90, 0.9 * 300000),
            Producer("rw-gallium", "RW", "refining", "gallium", galliumCap * 0.10, 0.9 * 300000),
        };

        return new ScenarioSpec
        {
            Name = $"synthetic-{manufacturers}",
            Description = $"Synthetic benchmark world: {manufacturers} manufacturers, {producers.Count} producers.",
            StartDate = new DateOnly(2026, 1, 1),
            Days = days,
            Currency = "USD",
            Seed = 7,
            Demand = new DemandSettings { Elasticity = 0.15, LagDays = 3650, Floor = 0.5 },
            Transport = new TransportSpec { DomesticDays = 14, InternationalDays = 45 },
            Commodities =
            [
                Commodity("ore", "ore", 6000, ["rare_earths"]),
                Commodity("oxide", "oxide", 55000, ["rare_earths"]),
                Commodity("magnet", "magnet", 80000, ["rare_earths", "magnets"]),
                Commodity("gallium", "metal", 300000, ["dual_use_metals"]),
            ],
            Segments = [new SegmentSpec("china", ["CN"]), new SegmentSpec("world", [])],
            Countries = Countries.Append("AU").Select(c => new CountrySpec { Id = c, Name = c, Gdp = 1e12 }).ToList(),
            Producers = producers,
            Manufacturers = firms,
            Policies =
            [
                // Short reviews (1–3 days): nothing ships under a licence before its first decision (since Dec 2026), so with the
                // 2025 delays (28–63 days) the 6 ticks timed at 100k and the 20 at 10k would see no licensed trade at all while the
                // 60 at 1k would, and the sizes would not be compared on the same work.
                new ExportControl
                {
                    Id = "cn-licensing", Start = 0, Exporter = "CN", Commodities = ["oxide", "magnet"],
                    Mode = ControlMode.License, ApprovalRate = 0.6, DelayMinDays = 1, DelayMaxDays = 3,
                },
                new ExportControl
                {
                    Id = "cn-jp-military", Start = 0, Exporter = "CN", Commodities = ["oxide", "magnet", "gallium"],
                    Destinations = ["JP"], EndUse = EndUseScope.Military, Mode = ControlMode.Ban, ReExport = true,
                },
            ],
        };
    }

    static CommoditySpec Commodity(string id, string stage, double price, string[] groups) => new()
    {
        Id = id, Name = id, Unit = "t", Stage = stage, Groups = groups, ReferencePrice = price, PriceAdjustment = 0.03, InitialOrigin = "CN",
    };

    static ProducerSpec Producer(string id, string country, string sector, string output, double capacity, double unitCost,
        params (string Input, double PerUnit)[] inputs) => new()
    {
        Id = id, Country = country, Sector = sector, Output = output, Capacity = capacity, UnitCost = unitCost,
        Inputs = inputs.ToDictionary(x => x.Input, x => x.PerUnit),
    };

    static uint Hash(int i)
    {
        var x = (uint)i * 2654435761u;
        x ^= x >> 16;
        return x * 2246822519u;
    }
}
