namespace MarketSim.Model.Tests;

/// <summary>End to end on a tiny world: stocks carry firms through a cut-off in proportion to their days of cover.</summary>
public class CoverThroughCutoffTests
{
    static ManufacturerSpec Firm(string sector, double coverDays) => new()
    {
        Id = "jp-" + sector, Country = "JP", Sector = sector, PlannedOutput = 10, OutputValue = 1000, ValueAdded = 300,
        Inputs = new Dictionary<string, double> { ["oxide"] = 1 }, CoverDays = coverDays,
    };

    static readonly ScenarioSpec World = TestWorld.Make(
        producers: [new ProducerSpec { Id = "cn-mine", Country = "CN", Output = "oxide", Capacity = 40, UnitCost = 500 }],
        manufacturers: [Firm("long-cover", 60), Firm("short-cover", 10)],
        policies: [new ExportControl { Id = "cn-cutoff", Start = 0, End = 30, Exporter = "CN", Commodities = ["oxide"] }],
        internationalDays: 5, days: 45);

    static readonly IReadOnlyList<Frame> Frames = new ReferenceRunner(World, World.Seed).Run(45).ToList();

    static double CumulativeLoss(string sector) => Frames[^1].Losses.Single(l => l.Sector == sector).Cumulative;

    [Fact]
    public void A_firm_with_60_days_of_cover_produces_fully_through_a_30_day_cut_off() =>
        Assert.Equal(0, CumulativeLoss("long-cover"));

    [Fact]
    public void A_firm_with_10_days_of_cover_loses_output_in_the_same_cut_off()
    {
        Assert.True(CumulativeLoss("short-cover") > 0);
        // 10 days of stock and 5 in transit: it runs dry in the third week, not before.
        Assert.All(Frames.Take(14), f => Assert.Equal(0, f.Losses.Single(l => l.Sector == "short-cover").Loss));
    }

    [Fact]
    public void Nothing_crosses_the_border_during_the_cut_off_and_trade_resumes_after_it()
    {
        Assert.All(Frames.Take(30), f => Assert.DoesNotContain(f.Flows, x => x.Exporter == "CN" && x.Destination == "JP" && x.Quantity > 0));
        Assert.Contains(Frames.Skip(30), f => f.Flows.Any(x => x.Exporter == "CN" && x.Destination == "JP" && x.Quantity > 0));
    }

    [Fact]
    public void The_cut_off_is_announced_and_lifted_in_the_events()
    {
        Assert.Contains(Frames[0].Events, e => e.StartsWith("start cn-cutoff"));
        Assert.Contains(Frames[30].Events, e => e.StartsWith("end cn-cutoff"));
    }
}
