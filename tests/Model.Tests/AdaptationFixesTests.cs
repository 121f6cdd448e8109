using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>Buyers' risk, producers' recipes and new suppliers: rules an economics review found wrong (Dec 2026), each pinned.</summary>
public class AdaptationFixesTests
{
    [Fact]
    public void A_banned_military_share_of_one_percent_is_one_percent_of_the_disruption_met()
    {
        // Before, the civil part nothing bound noted nothing at China, so the banned 1% alone set the buyer's disruption to 1.
        var world = Make(internationalDays: 10);
        var ban = new ExportControl { Id = "cn-mil", Start = 0, Exporter = "CN", Commodities = ["oxide"], Destinations = ["JP"], EndUse = EndUseScope.Military };
        var r = Clear(world, [Ask("cn-sep", "CN", 1000)], [Bid("jp-buyer", "JP", 99), Bid("jp-buyer", "JP", 1, use: EndUse.Military)], ban);
        var met = Assert.Single(r.Disruptions, d => d.BuyerId == "jp-buyer" && d.SellerCountry == "CN");
        Assert.Equal(0.01, met.Share, 9);
        // A buyer nothing bound anywhere meets nothing: no entry at all.
        var free = Clear(world, [Ask("cn-sep", "CN", 1000)], [Bid("us-buyer", "US", 99)], ban);
        Assert.Empty(free.Disruptions);
    }

    [Fact]
    public void A_quota_that_runs_out_after_a_sliver_stops_the_rest_of_the_order()
    {
        // 15 t a 30-day period accrues 0.5 t on day 0: a buyer asking 10 t gets 0.5 and the quota stops the other 9.5. Before,
        // any fill counted as nothing stopped (0), while no fill at all counted 1: in japan-2010 Germany's magnet maker learnt
        // no risk of China from slivers of its NdPr orders, and Japan's 2011 import share swung 5 points on them.
        var world = Make(internationalDays: 10);
        ExportControl Quota(double q) => new()
        {
            Id = "cn-quota", Start = 0, Exporter = "CN", Commodities = ["oxide"], Mode = ControlMode.Quota, QuotaQuantity = q, QuotaPeriodDays = 30,
        };
        double Met(double quota)
        {
            var r = Clear(world, [Ask("cn-sep", "CN", 100)], [Bid("jp-buyer", "JP", 10) with { Base = 10 }], Quota(quota)); // all of it base
            return Assert.Single(r.Disruptions, d => d.BuyerId == "jp-buyer" && d.SellerCountry == "CN").Share;
        }
        Assert.Equal(0.95, Met(15), 9);
        Assert.Equal(1, Met(0), 9);      // nothing let through: all of it stopped, as before
        Assert.Equal(0, Met(1e6), 9);    // room for all of it: nothing stopped
        Assert.True(Met(29.4) < Met(15)); // more let through, less stopped (0.98 t of 10: 0.902)
    }

    [Fact]
    public void Dear_ore_changes_no_separators_recipe_and_no_magnet_makers_NdPr()
    {
        // The baseline without the US and rest-of-world mines: concentrate runs dear for a year. Before, separators took the
        // default demand response on ore and made oxide with less of it.
        var b = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var spec = b with
        {
            Days = 365,
            Producers = b.Producers.Select(p => p.Output == "lree_concentrate" && p.Country != "CN" ? p with { Capacity = 0 } : p).ToList(),
        };
        var runner = new ReferenceRunner(spec, spec.Seed);
        var frames = runner.Run(spec.Days).ToList();
        Assert.True(frames[^1].Prices.Where(x => x.Commodity == "lree_concentrate").Max(x => x.Price)
            > 1.5 * spec.Commodity("lree_concentrate").ReferencePrice, "the test needs dear ore");
        var firms = runner.States.Firms.ToDictionary(f => f.Id);
        foreach (var p in spec.Producers.Where(p => p.Inputs.ContainsKey("lree_concentrate")))
            Assert.Equal(1, firms[p.Id].Intensity.GetValueOrDefault("lree_concentrate", 1));
        foreach (var p in spec.Producers.Where(p => p.Output == "magnet_ht"))
            Assert.Equal(1, firms[p.Id].Intensity.GetValueOrDefault("ndpr_oxide", 1)); // no thrift entry: a fixed recipe
    }

    [Fact]
    public void A_plant_built_in_calm_markets_is_qualified_during_commissioning_and_sells()
    {
        // A US separator with no capacity at the start gets 10 t a day on day 60. Before, buyers qualified it only once risk
        // elsewhere set qualifying off, so in calm markets it sold nothing and its NdPr piled up.
        var b = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var project = new CapacityProject { Id = "us-project", Start = 0, Producer = "us-sep-lree", AddedCapacity = 10, LeadTimeDays = 60 };
        var spec = b with { Days = 365, Policies = [.. b.Policies, project] };
        Assert.True(spec.Buyers.QualificationDays is > 60 and < 300, "the test needs a lag longer than the build and shorter than the run");
        var frames = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
        double SoldBy(int from, int to) => frames.Where(f => f.Tick >= from && f.Tick < to).SelectMany(f => f.Flows)
            .Where(f => f.Exporter == "US" && f.Commodity == "ndpr_oxide").Sum(f => f.Quantity);
        var lag = (int)Math.Ceiling(spec.Buyers.QualificationDays);
        var abroad = frames.Where(f => f.Tick < lag).SelectMany(f => f.Flows)
            .Where(f => f.Exporter == "US" && f.Destination != "US" && f.Commodity == "ndpr_oxide").Sum(f => f.Quantity);
        Assert.Equal(0, abroad, 9); // not before the qualification lag
        Assert.True(SoldBy(lag, 365) > 100, $"US NdPr sold after qualification: {SoldBy(lag, 365):F1} t");
    }
}
