using MarketSim.Model.Simulation;
using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>
/// Controls that follow material through the chain: content origin by value with a de-minimis threshold, customs origin for
/// tariffs, end use carried upstream from a manufacturer's military share to its magnet maker's purchases, and named end users.
/// </summary>
public class ControlsThroughChainTests
{
    // A magnet made in Japan: 95% of its value Australian NdPr, 5% Chinese Dy, no value added of its own.
    static readonly string Magnet = Provenance.Make("AU", "JP", [("AU", 1, 95), ("CN", 1, 5)], outputValue: 100);

    static ExportControl ReExportBan(double? deMinimis) => new()
    {
        Id = "cn-reexport", Start = 0, Exporter = "CN", Commodities = ["oxide"], Destinations = ["KR"], ReExport = true, DeMinimis = deMinimis,
    };

    static readonly ScenarioSpec World = Make();

    [Fact]
    public void Content_is_the_value_mix_of_the_inputs_plus_the_makers_value_added()
    {
        Assert.Equal(0.95, Provenance.ContentShare(Magnet, "AU"), 9);
        Assert.Equal(0.05, Provenance.ContentShare(Magnet, "CN"), 9);
        Assert.Equal("JP", Provenance.Customs(Magnet));
        Assert.Equal("AU", Provenance.Origin(Magnet));
        // With value added: 60 of inputs (half AU, half CN) in a product worth 100 → 30% AU, 30% CN, 40% the maker's country.
        var withValueAdded = Provenance.Make("AU", "JP", [("AU", 1, 30), ("CN", 1, 30)], outputValue: 100);
        Assert.Equal(0.4, Provenance.ContentShare(withValueAdded, "JP"), 9);
        Assert.Equal(0.3, Provenance.ContentShare(withValueAdded, "CN"), 9);
        // Content carries on through the next stage, weighted by value.
        var car = Provenance.Make("AU", "KR", [(Magnet, 1, 100)], outputValue: 1000);
        Assert.Equal(0.005, Provenance.ContentShare(car, "CN"), 9);
        // A key is spelt the same whatever made it, and is one string: made again, or mixed from two lots of it, the same
        // instance (stocks and pipelines compare keys by reference first).
        Assert.Equal("AU|JP|AU=0.3,CN=0.3,JP=0.4", withValueAdded);
        Assert.Same(withValueAdded, Provenance.Make("AU", "JP", [("AU", 2, 30), ("CN", 2, 30)], outputValue: 200));
        Assert.Same(withValueAdded, Provenance.Mix(withValueAdded, 1, withValueAdded, 3));
    }

    [Fact]
    public void A_magnet_with_5_percent_Chinese_content_is_caught_by_a_0_1_percent_rule_and_not_by_a_50_percent_one()
    {
        var ask = Ask("jp-magnet", "JP", 10, origin: Magnet);
        var bid = Bid("kr-buyer", "KR", 5);
        Assert.Empty(Clear(World, [ask], [bid], ReExportBan(0.001)).Fills);
        Assert.Equal(5, Clear(World, [ask], [bid], ReExportBan(0.5)).Fills.Sum(), 9);
        // Without a threshold the clause reads the origin (where the material was first produced): Australian, so not caught.
        Assert.Equal(5, Clear(World, [ask], [bid], ReExportBan(null)).Fills.Sum(), 9);
    }

    [Fact]
    public void A_re_export_clause_never_binds_a_seller_in_the_buyers_own_country()
    {
        // Japan's state selling its own (Chinese-origin) reserve to Japanese firms is not a re-export into Japan, with a
        // threshold or without one (before Dec 2026 the origin reading closed a country's stockpile to its own firms).
        foreach (var threshold in new double?[] { null, 0.001 })
        {
            var clause = ReExportBan(threshold) with { Destinations = ["JP"] };
            Assert.False(clause.BindsSeller("JP", "CN", "JP"));
            Assert.True(clause.BindsSeller("KR", "CN", "JP"));
            Assert.True(clause.BindsSeller("CN", "CN", "JP"));
        }
    }

    [Fact]
    public void A_tariff_by_origin_reads_customs_origin()
    {
        // Chinese-origin oxide turned into a magnet in Japan is Japanese for customs.
        var lot = Provenance.Make("CN", "JP", [("CN", 1, 30)], outputValue: 100);
        Tariff On(string origin) => new() { Id = "kr-tariff", Start = 0, Importer = "KR", Commodities = ["oxide"], Origins = [origin], Rate = 0.5 };
        Assert.False(On("CN").Applies("oxide", "KR", "JP", lot));
        Assert.True(On("JP").Applies("oxide", "KR", "JP", lot));
        var fill = Assert.Single(Clear(World, [Ask("jp-magnet", "JP", 10, origin: lot)], [Bid("kr-buyer", "KR", 1)], On("JP")).Fills);
        Assert.Equal(0.5 * fill.Price, fill.Tariff, 9);
        // A plain lot (no content tracking) is its own customs origin.
        Assert.True(On("CN").Applies("oxide", "KR", "CN", "CN"));
    }

    [Fact]
    public void A_named_end_user_is_refused_while_its_neighbour_in_the_same_country_and_sector_is_served()
    {
        var entityList = new ExportControl
        {
            Id = "cn-entity-list", Start = 0, Exporter = "CN", Commodities = ["oxide"], EndUsers = ["jp-defence/a"],
        };
        var bids = new[] { Bid("jp-defence/a", "JP", 5) with { Sector = "defence" }, Bid("jp-defence/b", "JP", 5) with { Sector = "defence" } };
        var fills = Clear(World, [Ask("cn-sep", "CN", 100)], bids, entityList).Fills;
        Assert.DoesNotContain(fills, f => f.BuyerId == "jp-defence/a");
        Assert.Equal(5, fills.Where(f => f.BuyerId == "jp-defence/b").Sum(), 9);

        // Naming the sector covers both; a firm of another sector is still served. Naming the group covers its firms.
        var sector = entityList with { EndUsers = [], Sectors = ["defence"] };
        var withAuto = bids.Append(Bid("jp-auto/a", "JP", 5) with { Sector = "automotive" }).ToArray();
        var bySector = Clear(World, [Ask("cn-sep", "CN", 100)], withAuto, sector).Fills;
        Assert.Equal(["jp-auto/a"], bySector.Select(f => f.BuyerId).Distinct());
        var byGroup = Clear(World, [Ask("cn-sep", "CN", 100)], bids, entityList with { EndUsers = ["jp-defence"] }).Fills;
        Assert.Empty(byGroup);
    }

    // China makes Dy; a Japanese magnet maker turns it into magnets for Japan's car makers (80%) and its defence sector (20%, all
    // military end use). China bans Dy for Japanese military end use from day 0.
    static ScenarioSpec MilitaryWorld(bool upstream, bool ban, ExportControl? licence = null)
    {
        var dy = new CommoditySpec { Id = "dy", ReferencePrice = 1000, InitialOrigin = "CN", PriceAdjustment = 0.03, PriceReversion = 0.01 };
        var magnet = new CommoditySpec { Id = "magnet", ReferencePrice = 500, InitialOrigin = "JP", PriceAdjustment = 0.03, PriceReversion = 0.01 };
        ManufacturerSpec User(string id, string sector, double planned, double military) => new()
        {
            Id = id, Country = "JP", Sector = sector, PlannedOutput = planned, OutputValue = 100, ValueAdded = 30, CoverDays = 20,
            Inputs = new Dictionary<string, double> { ["magnet"] = 0.01 }, MilitaryShare = military,
        };
        return Make(
            commodities: [dy, magnet],
            producers:
            [
                // The whole unit cost avoidable (the supply rule before Dec 2026): these tests measure end-use declarations, and the
                // figures in their comments were measured so. With the default half, the licence-and-ban run's cut is 0.676 of
                // the licence's against the ban's 0.767 of free trade (9 points apart; measured Dec 2026).
                new ProducerSpec { Id = "cn-dy", Country = "CN", Output = "dy", Capacity = 10, UnitCost = 1000, VariableCostShare = 1 },
                new ProducerSpec
                {
                    Id = "jp-magnet", Country = "JP", Output = "magnet", Capacity = 12, UnitCost = 400, InputCoverDays = 20, VariableCostShare = 1,
                    Inputs = new Dictionary<string, double> { ["dy"] = 0.2 },
                },
            ],
            manufacturers: [User("jp-auto", "automotive", 800, 0), User("jp-defence", "defence", 200, 1)],
            policies: (ban
                ? [new ExportControl { Id = "cn-military", Start = 0, Exporter = "CN", Commodities = ["dy"], Destinations = ["JP"], EndUse = EndUseScope.Military }]
                : Array.Empty<PolicySpec>()).Concat(licence is null ? [] : [licence]).ToList(),
            days: 300) with
        {
            Buyers = new BuyerSettings { EndUseUpstream = upstream, EndUseLagDays = 10 },
        };
    }

    static double MakerDyBought(ScenarioSpec world, int from, int to) =>
        new ReferenceRunner(world, 1).Run(world.Days).Where(f => f.Tick >= from && f.Tick < to)
            .SelectMany(f => f.Flows).Where(f => f.Commodity == "dy" && f.Destination == "JP").Sum(f => f.Quantity);

    [Fact]
    public void A_military_ban_cuts_the_magnet_makers_Dy_in_proportion_to_its_sales_to_defence()
    {
        var free = MakerDyBought(MilitaryWorld(upstream: true, ban: false), 100, 300);
        var banned = MakerDyBought(MilitaryWorld(upstream: true, ban: true), 100, 300);
        Assert.InRange(banned / free, 0.8 - 0.06, 0.8 + 0.06); // 20% of its sales go to defence

        // Without end use carried upstream the magnet maker buys as a civil buyer and the ban never reaches its Dy.
        var blind = MakerDyBought(MilitaryWorld(upstream: false, ban: true), 100, 300);
        Assert.InRange(blind / free, 0.97, 1.03);
    }

    [Fact]
    public void Under_a_licence_a_military_ban_still_takes_only_the_military_share()
    {
        // China also licenses Dy to Japan (half refused, 10–30 days). A refusal postpones the magnet maker's civil needs; its
        // end-use declaration must let it buy them back when approved, else the ban on its 20% military use would cut far more.
        var licence = new ExportControl
        {
            Id = "cn-licence", Start = 0, Exporter = "CN", Commodities = ["dy"], Destinations = ["JP"], Mode = ControlMode.License,
            ApprovalRate = 0.5, DelayMinDays = 10, DelayMaxDays = 30,
        };
        // Over the whole run (within a window, refusals before it are made up inside it), the ban cuts the licensed purchases by
        // about what it cuts free ones: within 12 points. (Measured Dec 2026: 0.707 under the licence, 0.745 without: the licence
        // costs a little more under the ban. Since the price rule reverts to the sellers' cost (Dec 2026) 0.665 against 0.781:
        // under the licence and the ban this world's magnet price climbs to 2.7× as the maker's output stalls, which moves its
        // purchases; with reversion to the reference the same code gives a gap within 8 points. The cut is still far from what
        // a ban that took civil needs as well would give: the second assertion.)
        var free = MakerDyBought(MilitaryWorld(upstream: true, ban: false), 0, 300);
        var licensed = MakerDyBought(MilitaryWorld(upstream: true, ban: false, licence), 0, 300);
        var bothRun = MakerDyBought(MilitaryWorld(upstream: true, ban: true, licence), 0, 300);
        var bannedRun = MakerDyBought(MilitaryWorld(upstream: true, ban: true), 0, 300);
        Assert.True(bothRun / licensed >= bannedRun / free - 0.12,
            $"ban and licence {bothRun:F1} t, licence alone {licensed:F1} t; ban alone {bannedRun:F1} t, neither {free:F1} t");
        // And no more than under the ban alone, which buys the civil share: declarations carrying what refusals postponed do not
        // buy Dy for defence output.
        Assert.True(bothRun <= bannedRun * 1.02, $"ban and licence {bothRun:F1} t, ban alone {bannedRun:F1} t (days 0–300)");
    }

    [Fact]
    public void Tracking_content_changes_nothing_where_no_control_reads_it()
    {
        // Lots split by content, so sums run in another order, and a producer's offtake share is set aside lot by lot: a licence
        // volume used up a tick earlier or later can shift a path: run-average prices and trade between each pair of countries
        // agree within 1% (a marginal flow within 0.5% of its market), not byte for byte. A scenario without content_origin runs
        // exactly as before.
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        // Its controls with the re-export clause read by origin again, so no control reads content.
        var spec = shipped with
        {
            Days = 120, ContentOrigin = false,
            Policies = shipped.Policies.Select(p => p is ExportControl c ? c with { DeMinimis = null } : p).ToList(),
        };
        var plain = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
        var tracked = new ReferenceRunner(spec with { ContentOrigin = true }, spec.Seed).Run(spec.Days).ToList();
        double Mean(IReadOnlyList<Frame> run, PriceRow p) =>
            run.Average(f => f.Prices.Single(x => x.Market == p.Market && x.Commodity == p.Commodity).Price);
        foreach (var p in plain[0].Prices)
            Assert.Equal(Mean(plain, p), Mean(tracked, p), Mean(plain, p) * 0.01);
        var flowsPlain = plain.SelectMany(f => f.Flows).GroupBy(f => (f.Exporter, f.Destination, f.Commodity)).ToDictionary(g => g.Key, g => g.Sum(f => f.Quantity));
        var flowsTracked = tracked.SelectMany(f => f.Flows).GroupBy(f => (f.Exporter, f.Destination, f.Commodity)).ToDictionary(g => g.Key, g => g.Sum(f => f.Quantity));
        var market = flowsPlain.GroupBy(x => x.Key.Commodity).ToDictionary(g => g.Key, g => g.Sum(x => x.Value));
        foreach (var k in flowsPlain.Keys.Union(flowsTracked.Keys))
        {
            double a = flowsPlain.GetValueOrDefault(k), b = flowsTracked.GetValueOrDefault(k);
            // A marginal flow at the edge of a buyer's price band may move, but by no more than 0.5% of its market (seen: 0.2%).
            Assert.True(Math.Abs(a - b) <= Math.Max(Math.Max(0.5, 0.01 * Math.Max(a, b)), 0.005 * market.GetValueOrDefault(k.Commodity)),
                $"{k}: {a} vs {b} t over the run");
        }
        Assert.Contains(tracked.SelectMany(f => f.Content), c => c.Country == "CN" && c.Share > 0);
    }
}
