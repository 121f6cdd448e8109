using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>
/// Firms that learn: supply counted only where it can be made; buyers that learn supplier risk and move after qualifying a
/// new supplier; precautionary cover on a controlled input only; thrift that partly persists; capacity that answers margins.
/// </summary>
public class FirmLearningTests
{
    static readonly CommoditySpec Oxide = new()
    {
        Id = "oxide", ReferencePrice = 1000, InitialOrigin = "CN", PriceAdjustment = 0.03, PriceReversion = 0.01,
    };
    static readonly CommoditySpec Magnet = new() { Id = "magnet", ReferencePrice = 5000, InitialOrigin = "CN" };

    static ManufacturerSpec Maker(string id, string country, double planned) => new()
    {
        Id = id, Country = country, Sector = "autos", PlannedOutput = planned, OutputValue = 3000, ValueAdded = 1000,
        Inputs = new Dictionary<string, double> { ["oxide"] = 1 }, CoverDays = 30,
    };

    [Fact]
    public void A_producer_without_inputs_contributes_no_supply_to_the_price()
    {
        var world = TestWorld.Make(commodities: [Oxide, Magnet]);
        var p = new ProducerSpec
        {
            Id = "jp-magnet", Country = "JP", Output = "magnet", Capacity = 10, UnitCost = 100, InitialInventoryDays = 3, MinInventoryDays = 3,
            Inputs = new Dictionary<string, double> { ["oxide"] = 0.5 },
        };
        var s = ProducerRules.Initialise(world, p);
        var ctx = TestWorld.Context(world);
        Assert.Equal(10, ProducerRules.Plan(world, p, s, ctx).Asks.Sum(a => a.Flow), 9); // stocked: it can run at capacity

        s.Inputs.Clear();
        s.Pipeline.Clear();
        var starved = ProducerRules.Plan(world, p, s, ctx);
        // It still offers its finished magnets, but it can make none: the price rule counts no supply from it.
        Assert.True(starved.Asks.Sum(a => a.Quantity) > 0);
        Assert.Equal(0, starved.Asks.Sum(a => a.Flow));

        // Half the oxide a day's run needs arriving today: half the capacity counts.
        s.Pipeline.Add(new Shipment("oxide", "CN", 2.5, 0));
        Assert.Equal(5, ProducerRules.Plan(world, p, s, ctx).Asks.Sum(a => a.Flow), 9);
    }

    // CN sells oxide cheaply at capacity 100; AU's plant comes online at day 5 (so no buyer is qualified with it at the start).
    // Japan's maker meets a Chinese licence with 30% approval from day 0 to day 200.
    static ScenarioSpec LearningWorld(double premium, double qualificationDays) => TestWorld.Make(
        commodities: [Oxide],
        producers:
        [
            new ProducerSpec { Id = "cn-sep", Country = "CN", Output = "oxide", Capacity = 100, UnitCost = 1000 },
            new ProducerSpec { Id = "au-sep", Country = "AU", Output = "oxide", Capacity = 0, UnitCost = 1000, RampRate = 1 },
        ],
        manufacturers: [Maker("jp-maker", "JP", 20), Maker("us-maker", "US", 40)],
        policies:
        [
            new CapacityProject { Id = "au-plant", Start = 0, Producer = "au-sep", AddedCapacity = 40, LeadTimeDays = 5 },
            new ExportControl
            {
                Id = "cn-licence", Start = 0, End = 200, Exporter = "CN", Commodities = ["oxide"], Destinations = ["JP"],
                Mode = ControlMode.License, ApprovalRate = 0.3, DelayMinDays = 20, DelayMaxDays = 40,
            },
        ],
        days: 500) with
    {
        Buyers = new BuyerSettings
        {
            SecurityPremium = premium, QualificationDays = qualificationDays, QualifyAtRisk = 0.1, RiskLearningDays = 30, RiskMemoryDays = 365,
        },
    };

    /// <summary>Japan's share of oxide bought from Australia, per window of days.</summary>
    static Func<int, int, double> AustralianShare(ScenarioSpec world)
    {
        var frames = new ReferenceRunner(world, 3).Run(world.Days).ToList();
        return (from, to) =>
        {
            var jp = frames.Where(f => f.Tick >= from && f.Tick < to).SelectMany(f => f.Flows).Where(f => f.Destination == "JP").ToList();
            var all = jp.Sum(f => f.Quantity);
            return all > 0 ? jp.Where(f => f.Exporter == "AU").Sum(f => f.Quantity) / all : 0;
        };
    }

    [Fact]
    public void A_buyer_refused_by_one_country_moves_to_another_after_qualifying_it_and_comes_back_only_slowly()
    {
        var learning = AustralianShare(LearningWorld(premium: 0.5, qualificationDays: 60));
        // Not qualified with Australia at the start: nothing from there before the qualification lag has run.
        Assert.Equal(0, learning(0, 60));
        // Once qualified, a measurable share of Japan's oxide comes from Australia while the licence bites.
        Assert.True(learning(100, 200) > 0.3, $"share from AU, days 100–200: {learning(100, 200):P1}");

        // After the licence ends, the learnt risk of China fades over months: Japan stays with Australia longer than a buyer
        // with no security premium does.
        var forgetful = AustralianShare(LearningWorld(premium: 0, qualificationDays: 60));
        Assert.True(learning(250, 350) > forgetful(250, 350) + 0.1,
            $"days 250–350: with premium {learning(250, 350):P1}, without {forgetful(250, 350):P1}");
        Assert.True(learning(250, 350) > 0.5 * learning(100, 200), "the move back must be slow");
    }

    [Fact]
    public void A_plant_begun_later_is_qualified_from_the_day_it_begins_not_from_the_run_s_start()
    {
        // The baseline with a US separator built from day 400 (online day 430) and buyers' 180-day qualification: nothing from it
        // before day 580. Before Dec 2026 every country with a plant to be built was open from day 180, so this one sold from
        // day 446, as if qualified before it was begun (a review's probe); one begun on day 0 still sells from day 180.
        static int FirstUsSale(int start)
        {
            var b = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
            var project = new CapacityProject { Id = "us-plant", Start = start, Producer = "us-sep-lree", AddedCapacity = 5, LeadTimeDays = 30 };
            var spec = b with { Days = start + 300, Policies = [.. b.Policies, project] };
            return new ReferenceRunner(spec, spec.Seed).Run(spec.Days)
                .First(f => f.Flows.Any(x => x.Exporter == "US" && x.Commodity == "ndpr_oxide" && x.Quantity > 0)).Tick;
        }
        Assert.InRange(FirstUsSale(400), 580, 700);
        Assert.InRange(FirstUsSale(0), 180, 250);
    }

    [Fact]
    public void Risk_sets_qualifying_off_before_a_plant_is_begun()
    {
        // In the learning world, Australia's plant begun on day 150 is open to Japan's buyer from day 150 + 60 at the latest;
        // refused by China from day 0, the buyer starts qualifying Australia on its risk, and buys from it as soon as it runs.
        var world = LearningWorld(premium: 0.5, qualificationDays: 60);
        world = world with { Policies = [.. world.Policies.Select(p => p is CapacityProject c ? c with { Start = 150 } : p)] };
        var share = AustralianShare(world);
        Assert.True(share(160, 200) > 0, $"share from AU, days 160–200: {share(160, 200):P1}");
        var calm = world with { Buyers = world.Buyers with { QualifyAtRisk = 1.01 } }; // risk never sets it off
        Assert.Equal(0, AustralianShare(calm)(160, 200));
    }

    [Fact]
    public void Without_a_qualification_lag_the_new_supplier_is_open_at_once()
    {
        var open = AustralianShare(LearningWorld(premium: 0.5, qualificationDays: 0));
        Assert.True(open(5, 60) > 0, "with qualification off, Australia sells to Japan as soon as it produces");
    }

    [Fact]
    public void Precautionary_cover_rises_on_a_controlled_input_and_not_on_another()
    {
        var world = TestWorld.Make(commodities: [Oxide, Magnet]) with { Buyers = new BuyerSettings { PrecautionMaxCoverDays = 180, PrecautionBuildDays = 30 } };
        var m = Maker("jp-maker", "JP", 10) with { Inputs = new Dictionary<string, double> { ["oxide"] = 1, ["magnet"] = 0.1 } };
        var s = ManufacturerRules.Initialise(world, m);
        // China controls oxide to Japan; the firm's opening oxide is Chinese (the commodity's initial origin).
        var controlled = TestWorld.Context(world) with { News = ["oxide|JP|CN"] };
        for (int t = 0; t < 60; t++) SupplierRisk.AfterTick(world, s, "JP", m.InputOrder(), new AgentSettlement(t, [], [], 0), controlled);

        Assert.True(SupplierRisk.CoverDays(s, world.Buyers, "oxide", m.CoverDays) > 100, "a control on oxide raises its cover target");
        Assert.Equal(m.CoverDays, SupplierRisk.CoverDays(s, world.Buyers, "magnet", m.CoverDays));
        // And the bids follow: the firm orders oxide to build stock, and magnets as usual.
        var bids = ManufacturerRules.Plan(world, m, s, controlled).Bids;
        Assert.True(bids.Where(b => b.Commodity == "oxide").Sum(b => b.Quantity) > 10 * 30);
        Assert.Equal(10 * 0.1, bids.Where(b => b.Commodity == "magnet").Sum(b => b.Quantity), 9); // one day's use, as in a steady state

        // A control on another country's imports does not touch this firm.
        var s2 = ManufacturerRules.Initialise(world, m);
        var elsewhere = TestWorld.Context(world) with { News = ["oxide|US|CN"] };
        for (int t = 0; t < 60; t++) SupplierRisk.AfterTick(world, s2, "JP", m.InputOrder(), new AgentSettlement(t, [], [], 0), elsewhere);
        Assert.Equal(m.CoverDays, SupplierRisk.CoverDays(s2, world.Buyers, "oxide", m.CoverDays));

        // A control by a country the firm holds no oxide from moves its cover by nothing: its exposure to Australia is 0.
        var s3 = ManufacturerRules.Initialise(world, m);
        s3.SupplierShares["oxide|CN"] = 1; // it buys its oxide in China (this test world has no producer to say so)
        var small = TestWorld.Context(world) with { News = ["oxide|JP|AU"] };
        for (int t = 0; t < 60; t++) SupplierRisk.AfterTick(world, s3, "JP", m.InputOrder(), new AgentSettlement(t, [], [], 0), small);
        Assert.Equal(m.CoverDays, SupplierRisk.CoverDays(s3, world.Buyers, "oxide", m.CoverDays));
    }

    [Fact]
    public void A_firms_exposure_is_to_the_country_that_sells_to_it_not_where_the_ore_was_mined()
    {
        // Japan's high-temperature magnet maker buys its Dy from China's separator, which separates Myanmar ore as well as
        // Chinese: China's controls bind the seller, so its exposure to China is all of its Dy (a first version of the rule
        // read the lots' origin and gave 39%).
        var world = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var maker = world.Producers.Single(p => p.Country == "JP" && p.Output == "magnet_ht");
        var s = ProducerRules.Initialise(world, maker);
        Assert.Equal(1.0, s.SupplierShares["dy_oxide|CN"], 9);
        Assert.DoesNotContain("dy_oxide|MM", s.SupplierShares.Keys);
        // In 2026 Lynas separates Dy too, most of it reserved for Japan: a share of the maker's supply is Australian.
        var later = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        var s2026 = ProducerRules.Initialise(later, later.Producers.Single(p => p.Country == "JP" && p.Output == "magnet_ht"));
        Assert.Equal(["dy_oxide|AU", "dy_oxide|CN"], s2026.SupplierShares.Keys.Where(k => k.StartsWith("dy_oxide|")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Risk_rises_fast_with_refusals_and_decays_slowly()
    {
        var b = new BuyerSettings { RiskLearningDays = 10, RiskMemoryDays = 200 };
        var s = new FirmState();
        for (int t = 0; t < 30; t++) SupplierRisk.Learn(s, b, [new Disruption("x", "oxide", "CN", 1)]);
        var high = s.Risk["oxide|CN"];
        Assert.True(high > 0.9);
        for (int t = 0; t < 30; t++) SupplierRisk.Learn(s, b, []);
        Assert.InRange(s.Risk["oxide|CN"], 0.8 * high, high); // 30 days of calm take off less than a fifth
    }

    [Fact]
    public void Part_of_the_thrift_stays_when_the_price_falls_back()
    {
        var none = new DemandSettings { Elasticity = 0.5, LagDays = 10, Floor = 0.5 };
        var half = none with { Persistence = 0.5 };
        var specs = new Dictionary<string, ThriftSpec>();
        var a = new FirmState(); var b = new FirmState();
        for (int t = 0; t < 200; t++) { Thrift.Update(a, specs, none, "oxide", 4000, 1000); Thrift.Update(b, specs, half, "oxide", 4000, 1000); }
        var low = b.Intensity["oxide"];
        Assert.True(low < 0.6);
        for (int t = 0; t < 400; t++) { Thrift.Update(a, specs, none, "oxide", 1000, 1000); Thrift.Update(b, specs, half, "oxide", 1000, 1000); }
        Assert.True(a.Intensity["oxide"] > 0.99, "without persistence the redesign is undone");
        Assert.Equal(1 - 0.5 * (1 - low), b.Intensity["oxide"], 3);
    }

    [Fact]
    public void A_sustained_margin_adds_capacity_after_the_lead_time_along_an_S_curve()
    {
        var world = TestWorld.Make(commodities: [Oxide]) with
        {
            Investment = new InvestmentSettings { Step = 0.5, MarginThreshold = 0.25, SustainDays = 30, LeadDays = 100, RampDays = 50 },
        };
        var p = new ProducerSpec { Id = "au-sep", Country = "AU", Output = "oxide", Capacity = 10, UnitCost = 1000 };
        var s = ProducerRules.Initialise(world, p);
        var cap = new List<double>();
        var reported = new List<(int Tick, CapacityDecision Decision)>();
        for (int t = 0; t < 250; t++)
        {
            // The price stands 50% above cost throughout, and buyers take all it can make.
            var report = ProducerRules.Settle(world, p, s, new AgentSettlement(t, [], [SoldAll(s, t)], 0), TestWorld.Context(world, t, priceFactor: 1.5));
            reported.AddRange(report.Decisions.Select(d => (t, d)));
            cap.Add(s.Capacity);
        }
        Assert.Single(s.Expansions.Take(1));
        var decided = s.Expansions[0].DecidedTick;
        // The decision is reported on its tick, with what it adds and when it starts producing (the tick's events show it).
        var (tick, decision) = reported[0];
        Assert.Equal(decided, tick);
        Assert.Equal(new CapacityDecision("au-sep", "AU", "oxide", 5, decided + 100), decision);
        Assert.Equal(s.Expansions.Count, reported.Count);
        Assert.InRange(decided, 29, 31);
        Assert.Equal(10, cap[decided + 99], 9);                    // nothing before the lead time has run
        Assert.Equal(15, cap[decided + 100 + 50], 6);              // all of it after the ramp
        var first = cap[decided + 110] - cap[decided + 100];       // S-shaped: slow start, fast middle
        var middle = cap[decided + 130] - cap[decided + 120];
        Assert.True(middle > 2 * first, $"ramp: first 10 days +{first}, middle 10 days +{middle}");

        // At the reference price (zero margin) nobody invests.
        var idle = ProducerRules.Initialise(world, p);
        for (int t = 0; t < 250; t++) ProducerRules.Settle(world, p, idle, new AgentSettlement(t, [], [SoldAll(idle, t)], 0), TestWorld.Context(world, t));
        Assert.Empty(idle.Expansions);

        // Nor does a producer whose buyers stopped buying, however high the price: no demand presses on its capacity (before
        // Dec 2026 it expanded on the margin alone).
        var unsold = ProducerRules.Initialise(world, p);
        for (int t = 0; t < 250; t++)
            ProducerRules.Settle(world, p, unsold, new AgentSettlement(t, [], [], 0), TestWorld.Context(world, t, priceFactor: 1.5));
        Assert.Empty(unsold.Expansions);

        static Fill SoldAll(FirmState s, int t) =>
            new("buyer", "JP", "au-sep", "AU", "oxide", "AU", EndUse.Civil, s.Capacity, 1500, 0, 0, null, t, t + 10);
    }
}
