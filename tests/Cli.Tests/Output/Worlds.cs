using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Cli.Tests.Output;

/// <summary>Hand-made scenarios and frames, so the output code is tested without running a simulation.</summary>
static class Worlds
{
    public static ScenarioSpec TwoCountries(double gdpJp = 1000, double gdpCn = 5000) => new()
    {
        Name = "t", StartDate = new DateOnly(2026, 1, 1), Days = 10, Currency = "JPY",
        Demand = new DemandSettings(), Transport = new TransportSpec(),
        Commodities = [], Segments = [new SegmentSpec("world", [])],
        // Deliberately out of order: output is sorted by id.
        Countries = [new CountrySpec { Id = "JP", Gdp = gdpJp }, new CountrySpec { Id = "CN", Gdp = gdpCn }],
        Producers = [], Manufacturers = [], Policies = [],
    };

    public static Frame Frame(int tick,
        ShortageRow[]? shortages = null, LossRow[]? losses = null, FiscalRow[]? fiscal = null,
        PriceRow[]? prices = null, FlowRow[]? flows = null, string[]? events = null) =>
        new(tick, new DateOnly(2026, 1, 1).AddDays(tick), prices ?? [], flows ?? [], shortages ?? [], losses ?? [], fiscal ?? [], [], [], events ?? []);
}
