using MarketSim.Model.Attribution;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>Value added by stage at reference prices: it adds up along a chain, and a blocked export shows as the exporter's loss.</summary>
public class ValueAddedTests
{
    internal static CommoditySpec C(string id, double price, string origin) =>
        new() { Id = id, ReferencePrice = price, InitialOrigin = origin, PriceAdjustment = 0.03, PriceReversion = 0.01 };

    // Ore (100) → oxide (400, 2 ore per oxide) → magnet (1,500, 0.5 oxide per magnet) → a car maker (output 10,000 a unit,
    // 0.2 magnet a unit, value added 9,700).
    internal static ScenarioSpec Chain(params PolicySpec[] policies) => TestWorld.Make(
        commodities: [C("ore", 100, "CN"), C("oxide", 400, "CN"), C("magnet", 1500, "CN")],
        producers:
        [
            new ProducerSpec { Id = "cn-mine", Country = "CN", Output = "ore", Capacity = 21, UnitCost = 100 },
            new ProducerSpec { Id = "cn-sep", Country = "CN", Output = "oxide", Capacity = 10.5, UnitCost = 200, Inputs = new Dictionary<string, double> { ["ore"] = 2 } },
            new ProducerSpec { Id = "cn-magnet", Country = "CN", Output = "magnet", Capacity = 21, UnitCost = 1300, Inputs = new Dictionary<string, double> { ["oxide"] = 0.5 } },
        ],
        manufacturers:
        [
            new ManufacturerSpec
            {
                Id = "jp-auto", Country = "JP", Sector = "automotive", PlannedOutput = 100, OutputValue = 10_000, ValueAdded = 9_700,
                Inputs = new Dictionary<string, double> { ["magnet"] = 0.2 }, CoverDays = 20,
            },
        ],
        policies: policies, days: 200);

    [Fact]
    public void Value_added_per_stage_adds_up_to_the_final_products_value()
    {
        var w = Chain();
        var per = (string id) => ProducerRules.ReferenceValueAdded(w, w.Producers.Single(p => p.Id == id), new FirmState());
        // Per car: 0.2 magnet, 0.1 oxide, 0.2 ore.
        var stages = 0.2 * per("cn-mine") + 0.1 * per("cn-sep") + 0.2 * per("cn-magnet") + w.Manufacturers[0].ValueAdded;
        Assert.Equal(10_000, stages, 9);

        // And in a run at steady state the stages' value added made in a tick is what the final output is worth.
        var frames = new ReferenceRunner(w, 1).Run(60).ToList();
        var made = frames[50].ValueAdded.Sum(v => v.Made);
        Assert.Equal(100 * 10_000, made, 100 * 10_000 * 0.01);
    }

    [Fact]
    public void A_blocked_export_shows_as_the_exporters_loss_against_the_baseline()
    {
        var ban = new ExportControl { Id = "cn-ban", Start = 0, Exporter = "CN", Commodities = ["magnet"], Destinations = ["JP"] };
        var free = OutcomeAccumulator.Simulate(Chain(), 1, 200).ToDictionary(o => o.Country);
        var banned = OutcomeAccumulator.Simulate(Chain(ban), 1, 200).ToDictionary(o => o.Country);
        // China's magnet maker can sell nothing abroad, fills its stock room and stops: its value added, and its suppliers', falls.
        Assert.True(banned["CN"].ValueAdded < 0.5 * free["CN"].ValueAdded, $"CN value added {banned["CN"].ValueAdded} vs {free["CN"].ValueAdded}");
        // Japan loses too, and the loss it reports (value added not produced) is its value added's fall.
        Assert.Equal(free["JP"].ValueAdded - banned["JP"].ValueAdded, banned["JP"].Loss - free["JP"].Loss, free["JP"].ValueAdded * 1e-9);
    }
}
