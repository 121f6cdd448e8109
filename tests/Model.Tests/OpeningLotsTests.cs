namespace MarketSim.Model.Tests;

/// <summary>The opening stock and pipeline carry the lots their suppliers sold (Agents/OpeningLots.cs), not one origin.</summary>
public class OpeningLotsTests
{
    static readonly CommoditySpec Ore = new() { Id = "ore", ReferencePrice = 100, InitialOrigin = "CN" };

    static ProducerSpec P(string id, string country, string output, double capacity, Dictionary<string, double>? inputs = null) => new()
    {
        Id = id, Country = country, Sector = "s", Output = output, Capacity = capacity, UnitCost = 1, Inputs = inputs ?? [],
    };

    // Ore from an Australian mine (30) and a Chinese one (90); Japan separates it into oxide (1 ore per oxide) and sells it to a
    // Korean maker. Transport 10 days abroad, 2 at home.
    static ScenarioSpec World(bool content = false) => TestWorld.Make(
        commodities: [Ore, TestWorld.Oxide],
        producers: [P("au-mine", "AU", "ore", 30), P("cn-mine", "CN", "ore", 90), P("jp-sep", "JP", "oxide", 100, new() { ["ore"] = 1 })],
        manufacturers: [new ManufacturerSpec
        {
            Id = "kr-maker", Country = "KR", Sector = "cars", PlannedOutput = 50, OutputValue = 1, ValueAdded = 1, CoverDays = 20,
            Inputs = new Dictionary<string, double> { ["oxide"] = 1 },
        }]) with { ContentOrigin = content };

    [Fact]
    public void A_buyers_opening_stock_and_pipeline_hold_each_suppliers_origin_in_its_share()
    {
        var world = World();
        var sep = ProducerRules.Initialise(world, world.Producers.Single(p => p.Id == "jp-sep"));
        var ore = sep.Inputs["ore"];
        // A quarter from Australia, three quarters from China, by capacity; before Dec 2026 all of it was CN (initial_origin).
        Assert.Equal(0.25, ore["AU"] / Stock.Total(ore), 12);
        Assert.Equal(0.75, ore["CN"] / Stock.Total(ore), 12);
        double InTransit(string origin) => sep.Pipeline.Where(x => x.Origin == origin).Sum(x => x.Quantity);
        Assert.Equal(1.0 / 3, InTransit("AU") / InTransit("CN"), 12);
        // The separator's oxide takes its ore's origins, in the same shares, and so does its Korean buyer's opening oxide.
        var store = sep.Finished["oxide"];
        Assert.Equal(0.25, store["AU"] / Stock.Total(store), 12);
        var kr = ManufacturerRules.Initialise(world, world.Manufacturers.Single());
        Assert.Equal(0.25, kr.Inputs["oxide"]["AU"] / Stock.Total(kr.Inputs["oxide"]), 12);
        Assert.Equal(1.0 / 3, kr.Pipeline.Where(x => x.Origin == "AU").Sum(x => x.Quantity) / kr.Pipeline.Where(x => x.Origin == "CN").Sum(x => x.Quantity), 12);
        // The totals are what one origin held before: the steady state does not depend on the lots.
        Assert.Equal(50 * 20, Stock.Total(kr.Inputs["oxide"]), 9);
    }

    [Fact]
    public void With_content_tracking_an_opening_lot_carries_the_value_mix_of_its_makers_inputs()
    {
        // Content is kept for the exporters of export controls: China here.
        var world = World(content: true) with
        {
            Policies = [new ExportControl { Id = "cn", Exporter = "CN", Commodities = ["oxide"], Mode = ControlMode.Ban, Start = 999 }],
        };
        var lots = OpeningLots.Output(world, world.Producers.Single(p => p.Id == "jp-sep"));
        // One lot per origin of the ore, each with China's content: ore worth 100 of the oxide's 1000, three quarters of it Chinese.
        Assert.Equal(["AU", "CN"], lots.Select(l => Provenance.Origin(l.Key)));
        Assert.Equal([0.25, 0.75], lots.Select(l => l.Share));
        foreach (var l in lots)
        {
            Assert.Equal("JP", Provenance.Customs(l.Key));
            Assert.InRange(Provenance.ContentShare(l.Key, "CN"), 0.07, 0.075); // shares are rounded down to 1%
        }
        // A mine's output is of its own country.
        Assert.Equal([new OpeningLots.Lot("AU", 1)], OpeningLots.Output(world, world.Producers.Single(p => p.Id == "au-mine")));
    }

    [Fact]
    public void Lynas_opens_with_Australian_NdPr_and_a_Japanese_magnet_maker_with_part_of_it()
    {
        var world = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var lynas = ProducerRules.Initialise(world, world.Producers.Single(p => p.Id == "au-sep-lree"));
        Assert.Equal(["AU"], lynas.Finished["ndpr_oxide"].Keys.Select(Provenance.Origin).Distinct());
        Assert.All(lynas.Finished["ndpr_oxide"].Keys, k => Assert.Equal(0, Provenance.ContentShare(k, "CN")));
        // Japan's standard-magnet maker buys Lynas's NdPr reserved for Japan first: 30.3% of its opening NdPr is Australian, near
        // the 31.0% Japan buys from Lynas over the baseline's year (9.1%, Lynas's share of capacity, before Dec 2026).
        var jp = ProducerRules.Initialise(world, world.Producers.Single(p => p.Id == "jp-magnet-std"));
        var ndpr = jp.Inputs["ndpr_oxide"];
        var au = ndpr.Where(x => Provenance.Origin(x.Key) == "AU").Sum(x => x.Value) / Stock.Total(ndpr);
        Assert.InRange(au, 0.29, 0.32);
    }
}
