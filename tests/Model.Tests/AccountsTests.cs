using MarketSim.Model.Attribution;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>Who gains and who pays (accounts.csv), the indirect loss (indirect.csv) and the stockpile's carrying cost.</summary>
public class AccountsTests
{
    static CommoditySpec C(string id, double price, string origin) => ValueAddedTests.C(id, price, origin);

    // China makes magnets from its own oxide; Australia makes a few from nothing; a Japanese car maker needs 20 a day.
    static ScenarioSpec World(params PolicySpec[] policies) => TestWorld.Make(
        commodities: [C("oxide", 400, "CN"), C("magnet", 1500, "CN")],
        producers:
        [
            new ProducerSpec { Id = "cn-sep", Country = "CN", Output = "oxide", Capacity = 10.5, UnitCost = 200 },
            new ProducerSpec { Id = "cn-magnet", Country = "CN", Output = "magnet", Capacity = 21, UnitCost = 1300, Inputs = new Dictionary<string, double> { ["oxide"] = 0.5 } },
            new ProducerSpec { Id = "au-magnet", Country = "AU", Output = "magnet", Capacity = 4, UnitCost = 1450 },
        ],
        manufacturers:
        [
            new ManufacturerSpec
            {
                Id = "jp-auto", Country = "JP", Sector = "automotive", PlannedOutput = 100, OutputValue = 10_000, ValueAdded = 3_000,
                Inputs = new Dictionary<string, double> { ["magnet"] = 0.2 }, CoverDays = 20,
            },
        ],
        policies: policies, days: 200);

    static ScenarioSpec WithMultiplier(ScenarioSpec w, double m) => w with
    {
        Countries = w.Countries.Select(c => c.Id == "JP"
            ? c with { IoMultipliers = new Dictionary<string, double> { ["automotive"] = m }, IoSource = "test" } : c).ToList(),
    };

    static readonly ExportControl Ban = new() { Id = "cn-ban", Start = 20, End = 120, Exporter = "CN", Commodities = ["magnet"], Destinations = ["JP"] };

    [Fact]
    public void The_indirect_loss_is_the_multiplier_less_one_times_the_direct_loss_and_leaves_the_direct_loss_alone()
    {
        var plain = new ReferenceRunner(World(Ban), 3).Run(200).ToList();
        var io = new ReferenceRunner(WithMultiplier(World(Ban), 2.5), 3).Run(200).ToList();
        double direct = 0, indirect = 0;
        for (int t = 0; t < 200; t++)
        {
            // The multiplier is an output, not a behaviour: the direct loss is the same to the last bit.
            Assert.Equal(plain[t].Losses, io[t].Losses);
            Assert.Empty(plain[t].Indirect);
            var loss = io[t].Losses.Single(l => l.Country == "JP").Loss;
            var row = Assert.Single(io[t].Indirect);
            Assert.Equal(("JP", "automotive", 2.5), (row.Country, row.Sector, row.Multiplier));
            Assert.Equal(1.5 * loss, row.Loss, 1e-9 * (1 + loss));
            direct += loss;
            indirect += row.Loss;
        }
        Assert.True(direct > 0, "the ban should cost Japan output");
        var summary = OutcomeAccumulator.Compute(WithMultiplier(World(Ban), 2.5), io).Single(o => o.Country == "JP");
        Assert.Equal(indirect, summary.IndirectLoss, 1e-6);
        Assert.Equal(1.5 * direct, summary.IndirectLoss, 1e-6 * direct);
        Assert.Equal(direct, summary.Loss, 1e-6 * direct);
    }

    [Fact]
    public void A_third_country_sells_more_abroad_and_buyers_pay_more_for_their_inputs_under_a_ban()
    {
        var free = OutcomeAccumulator.Simulate(World(), 3, 200).ToDictionary(o => o.Country);
        var banned = OutcomeAccumulator.Simulate(World(Ban), 3, 200).ToDictionary(o => o.Country);
        Assert.True(banned["AU"].ExportRevenue > free["AU"].ExportRevenue * 1.05,
            $"Australia's export revenue {banned["AU"].ExportRevenue} vs {free["AU"].ExportRevenue} without the ban");
        Assert.True(banned["CN"].ExportRevenue < free["CN"].ExportRevenue, "China sells less abroad under its own ban");
        Assert.True(banned["JP"].ExtraInputCost > free["JP"].ExtraInputCost + 1000,
            $"Japan's extra input cost {banned["JP"].ExtraInputCost} vs {free["JP"].ExtraInputCost} without the ban");
    }

    [Fact]
    public void Accounts_add_up_to_the_flows_and_the_reference_values_of_what_was_bought()
    {
        var tariff = new Tariff { Id = "jp-tariff", Start = 0, Importer = "JP", Commodities = ["magnet"], Rate = 0.25 };
        var w = World(Ban, tariff);
        var frames = new ReferenceRunner(w, 3).Run(200).ToList();
        double tariffs = 0, imports = 0;
        foreach (var f in frames)
        {
            var jp = f.Accounts.Single(a => a.Country == "JP");
            tariffs += jp.TariffRevenue;
            imports += f.Flows.Where(x => x.Destination == "JP" && x.Exporter != "JP" && x.Commodity == "magnet").Sum(x => x.Value);
            // Export revenue per country is the value of its sales abroad in flows.csv.
            foreach (var a in f.Accounts)
                Assert.Equal(f.Flows.Where(x => x.Exporter == a.Country && x.Destination != a.Country).Sum(x => x.Value), a.ExportRevenue,
                    1e-9 * (1 + a.ExportRevenue));
            Assert.Equal(w.Countries.Select(c => c.Id).Order(StringComparer.Ordinal), f.Accounts.Select(a => a.Country));
        }
        Assert.True(imports > 0);
        // A 25% tariff on the value of Japan's magnet imports is what Japan's state collects.
        Assert.Equal(0.25 * imports, tariffs, 1e-9 * tariffs);
    }

    [Fact]
    public void Every_sector_has_a_loss_and_a_value_added_row_every_tick_even_one_that_plans_nothing()
    {
        // japan-cutoff-3m's US separation plant has no capacity: it plans no output on any day. Before Dec 2026 it had no row,
        // so a reader could not find its cumulative (0) at a given tick; other sectors dropped out on days they planned nothing.
        var w = ScenarioLoader.LoadOrThrow(Paths.Scenario("japan-cutoff-3m.yaml"));
        var sectors = w.FirmSectors().Select(x => x.Country + "|" + x.Sector).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("US|separation", sectors);
        foreach (var f in new ReferenceRunner(w, w.Seed).Run(5))
        {
            Assert.Equal(sectors, f.Losses.Select(l => l.Country + "|" + l.Sector).Order(StringComparer.Ordinal));
            Assert.Equal(sectors, f.ValueAdded.Select(v => v.Country + "|" + v.Sector).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void A_held_stockpile_costs_its_carrying_cost_every_day()
    {
        var hold = new Stockpile
        {
            Id = "jp-stock", Start = 0, Country = "JP", Commodity = "oxide", Size = 100, Initial = 100, MaxReleasePerDay = 1,
            ReleaseShortageShare = 2, CarryingCost = 0.0365, // never released (a share is never above 2): 1% of its value every 100 days
        };
        var frames = new ReferenceRunner(World(hold), 3).Run(100).ToList();
        var fiscal = frames[^1].Fiscal.Single(x => x.Country == "JP").Cumulative;
        Assert.Equal(100 * 400 * 0.0365 / 365 * 100, fiscal, 1e-9);
        var free = new ReferenceRunner(World(hold with { CarryingCost = 0 }), 3).Run(100).ToList();
        Assert.Equal(0, free[^1].Fiscal.Single(x => x.Country == "JP").Cumulative);
    }
}
