using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Live;
using MarketSim.Grains;
using MarketSim.Grains.Interfaces;
using MarketSim.Model.Scenario;

namespace MarketSim.Dashboard.Sessions;

/// <summary>A session this web host created: the scenario it started from (its YAML for export) and the runner that drives it.</summary>
public sealed class SessionEntry
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>The scenario as created; reset returns to it (live changes are dropped).</summary>
    public required ScenarioSpec Scenario { get; init; }
    /// <summary>The YAML it was loaded from: the timeline export keeps its comments and replaces only seed and policies.</summary>
    public required string Yaml { get; init; }
    public required ulong Seed { get; init; }
    public string? ForkedFrom { get; init; }
    public int? ForkTick { get; init; }
    public required ISessionGrain Grain { get; init; }
    public required SessionRunner Runner { get; init; }
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;
    /// <summary>The join code of the classroom whose world this is: only the classroom moves it (not /hubs/simulation).</summary>
    public string? Classroom { get; init; }

    public SessionInfo Describe() => new(Id, Title, Scenario.Name, Scenario.StartDate, Scenario.Days, Scenario.Currency, Seed,
        Scenario.Countries.Select(c => new CountryInfo(c.Id, string.IsNullOrEmpty(c.Name) ? c.Id : c.Name, c.Gdp)).ToList(),
        Scenario.Commodities.Select(c => new CommodityInfo(c.Id, string.IsNullOrEmpty(c.Name) ? c.Id : c.Name, c.Unit, c.ReferencePrice,
            c.ReferencePrice * c.MaxPriceFactor)).ToList(),
        DisplayNames.Markets(Scenario), ForkedFrom, ForkTick);
}
