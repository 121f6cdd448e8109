namespace MarketSim.Model.Tests;

/// <summary>Tiny worlds built in code for the rule tests: a few countries, one price segment, short transport times.</summary>
public static class TestWorld
{
    public static ScenarioSpec Make(
        IReadOnlyList<CommoditySpec>? commodities = null,
        IReadOnlyList<ProducerSpec>? producers = null,
        IReadOnlyList<ManufacturerSpec>? manufacturers = null,
        IReadOnlyList<PolicySpec>? policies = null,
        double internationalDays = 10, double domesticDays = 2, int days = 365) => new()
    {
        Name = "tiny",
        StartDate = new DateOnly(2025, 1, 1),
        Days = days,
        Currency = "USD",
        Seed = 1,
        Demand = new DemandSettings(),
        Transport = new TransportSpec { DomesticDays = domesticDays, InternationalDays = internationalDays },
        Segments = [new SegmentSpec("world", [])],
        Countries = new[] { "CN", "JP", "US", "KR", "AU" }.Select(c => new CountrySpec { Id = c, Gdp = 1e12 }).ToList(),
        Commodities = commodities ?? [Oxide],
        Producers = producers ?? [],
        Manufacturers = manufacturers ?? [],
        Policies = policies ?? [],
    };

    public static readonly CommoditySpec Oxide = new() { Id = "oxide", ReferencePrice = 1000, InitialOrigin = "CN" };

    public static TickContext Context(ScenarioSpec world, int tick = 0, double priceFactor = 1) =>
        new(tick, world.Commodities.ToDictionary(c => TickContext.Key(c.Id, "world"), c => c.ReferencePrice * priceFactor),
            new Dictionary<string, double>());

    public static Ask Ask(string seller, string country, double quantity, string? origin = null, string commodity = "oxide",
        IReadOnlyList<string>? onlyFor = null) =>
        new(seller, country, commodity, origin ?? country, quantity, quantity, [], onlyFor ?? []);

    public static Bid Bid(string buyer, string country, double quantity, double limit = 1e9, string commodity = "oxide",
        EndUse use = EndUse.Civil) =>
        new(buyer, country, commodity, use, quantity, limit);

    /// <summary>Clears the oxide market once on a fresh market state.</summary>
    public static ClearingResult Clear(ScenarioSpec world, IEnumerable<Ask> asks, IEnumerable<Bid> bids, params PolicySpec[] policies) =>
        MarketClearing.Clear(world, MarketClearing.Initialise(world, world.Commodity("oxide")), 0, asks, bids, policies, 1);

    public static double Sum(this IEnumerable<Fill> fills) => fills.Sum(f => f.Quantity);
}
