using MarketSim.Grains.Serialization;
using MarketSim.Model.Agents;
using MarketSim.Model.Market;
using MarketSim.Model.Policies;
using MarketSim.Model.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MarketSim.Grains.Tests;

/// <summary>
/// Model types cross silos inside Orleans messages: a tick's messages through generated surrogates (binary), the rest as JSON.
/// Every double must come back bit for bit.
/// </summary>
public sealed class SerializationTests
{
    static readonly Serializer Serializer = new ServiceCollection().AddMarketSimSerialization().BuildServiceProvider().GetRequiredService<Serializer>();

    static T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;

    [Fact]
    public void Doubles_round_trip_bit_for_bit()
    {
        double[] values = [0.1 + 0.2, 1.0 / 3, Math.PI * 1e-300, double.Epsilon, double.MaxValue, -0.0, 123456789.123456789, 1e-12, double.NaN, double.PositiveInfinity];
        var ctx = new TickContext(3, values.Select((v, i) => KeyValuePair.Create("k" + i, v)).ToDictionary(), new Dictionary<string, double>());
        var back = RoundTrip(ctx);
        foreach (var (k, v) in ctx.Prices)
            Assert.Equal(BitConverter.DoubleToInt64Bits(v), BitConverter.DoubleToInt64Bits(back.Prices[k]));
    }

    [Fact]
    public void A_ticks_messages_travel_binary_and_come_back_the_same()
    {
        // The first tick's context and plans, as the shards send them; then a settlement, a report and a market's result.
        var world = TestScenarios.Small();
        var clock = SessionRules.Initialise(world);
        var plan = SessionRules.Begin(world, clock);
        var plans = world.Manufacturers.Select(m => ManufacturerRules.Plan(world, m, ManufacturerRules.Initialise(world, m), plan.Context)).ToArray();
        var bids = plans.SelectMany(p => p.Bids).ToList();
        Assert.NotEmpty(bids);
        foreach (object value in new object[] { plan.Context, plans, bids })
        {
            var bytes = Serializer.SerializeToArray(value);
            Assert.DoesNotContain("\"BuyerId\"", System.Text.Encoding.UTF8.GetString(bytes)); // no JSON inside
            var back = Serializer.Deserialize<object>(bytes);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(value, Exact), System.Text.Json.JsonSerializer.Serialize(back, Exact));
        }
        var fills = new[] { new Fill("b", "JP", "s", "CN", "oxide", "CN", MarketSim.Model.Scenario.EndUse.Military, 1.0 / 3, 0.1 + 0.2, 7, 0, null, 3, 23) { Rent = 1e-300, RentHolder = "state" } };
        var settlement = new AgentSettlement(3, fills, [], 0.5) { Disruptions = [new Disruption("b", "oxide", "CN", 0.25)], Applied = [new Applied("b", "oxide", 1.0 / 3)] };
        var report = new AgentReport("b", "JP", "automotive", 1.5, 0.25, [new InputShortage("oxide", 2, 1.0 / 7)], [KeyValuePair.Create("oxide", 12.5)], 0) { ValueAddedMade = Math.PI, Made = 2.5 };
        var result = new ClearingResult("oxide", fills, [new SegmentPrice("oxide", "world", 5e4)], []) { Disruptions = settlement.Disruptions, Applied = settlement.Applied };
        foreach (object value in new object[] { settlement, report, result })
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(value, Exact), System.Text.Json.JsonSerializer.Serialize(RoundTrip(value), Exact));
    }

    [Fact]
    public void Fills_on_one_link_carry_their_terms_once_and_arrive_sharing_them()
    {
        // A market's fills share one FillTerms per link; a message writes each terms object once and refers to it after that.
        var toJapan = new FillTerms("JP", "cn-sep", "CN", "oxide", "CN", MarketSim.Model.Scenario.EndUse.Civil, 0.1 + 0.2, 0, 0, null, 23, 1e-300, "state", 0);
        var toKorea = toJapan with { BuyerCountry = "KR", ArrivalTick = 25 };
        var fills = Enumerable.Range(0, 200).Select(i => new Fill(i % 2 == 0 ? toJapan : toKorea, $"buyer-{i / 10}", 1.0 / (i + 3), 3 - i % 5, i % 7 == 0)).ToArray();
        var result = new ClearingResult("oxide", fills, [], []);
        var bytes = Serializer.SerializeToArray(result);
        var back = Serializer.Deserialize<ClearingResult>(bytes);
        Assert.Equal(fills, back.Fills); // by value, terms included, doubles exact
        Assert.Equal(2, back.Fills.Select(f => f.Terms).Distinct(ReferenceEqualityComparer.Instance).Count());
        // Terms written with every fill would be five strings and six numbers each (over 80 bytes a fill); by reference a fill is its
        // buyer, quantity, order tick and urgency (27 bytes here).
        Assert.True(bytes.Length < 40 * fills.Length, $"{bytes.Length} bytes for {fills.Length} fills");
    }

    static readonly System.Text.Json.JsonSerializerOptions Exact = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public void Policies_keep_their_concrete_type_in_a_list_and_alone()
    {
        var world = TestScenarios.Small();
        var back = RoundTrip(world.Policies.ToList());
        Assert.Equal(world.Policies.Select(p => p.GetType()), back.Select(p => p.GetType()));
        Assert.Equal(0.6, ((ExportControl)back[0]).ApprovalRate);
        Assert.Equal(60000, ((PriceFloor)back.Single(p => p is PriceFloor)).Floors["oxide"]);

        PolicySpec alone = world.Policies.OfType<Stockpile>().Single();
        Assert.IsType<Stockpile>(RoundTrip(alone));
    }

    [Fact]
    public void Firm_state_and_scenario_round_trip()
    {
        var world = TestScenarios.Small();
        var state = ProducerRules.Initialise(world, world.Producers[2]);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(state), System.Text.Json.JsonSerializer.Serialize(RoundTrip(state)));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(world), System.Text.Json.JsonSerializer.Serialize(RoundTrip(world)));
    }

    [Fact]
    public void State_written_at_checkpoints_travels_binary_and_comes_back_the_same()
    {
        // The default scenario half-way through its year: pipelines of hundreds of shipments, open orders, licences in force.
        var world = MarketSim.Model.Scenario.ScenarioLoader.LoadOrThrow(Path.Combine(TestScenarios.RepoRoot(), "scenarios", "china-japan-2026.yaml"));
        var runner = new ReferenceRunner(world, world.Seed);
        var frames = runner.Run(180).ToList();
        var (firms, countries, markets) = runner.States;
        Assert.Contains(firms, f => f.Pipeline.Count > 100 && f.Unfilled.Count > 0);
        Assert.Contains(markets, m => m.LicenceValidUntil.Count > 0 && m.LicenceDelay.Count > 0 && m.LicenceInFlight.Count > 0);
        Assert.Contains(firms, f => f.Applied.Count > 0);
        Assert.All(markets, m => Assert.True(m.PriceWindow.Count > 0 && m.PriceWindowTick == 179)); // 30-day price windows
        var copier = new ServiceCollection().AddMarketSimSerialization().BuildServiceProvider().GetRequiredService<DeepCopier>();
        // The window's arrays are written in place each tick, so a copy (a checkpoint held in memory) must not share them.
        var market = markets[0];
        var copied = copier.Copy(market);
        Assert.All(market.PriceWindow, kv =>
        {
            Assert.NotSame(kv.Value, copied.PriceWindow[kv.Key]);
            Assert.Equal(kv.Value, copied.PriceWindow[kv.Key]);
        });
        // So are its sellers' windows.
        Assert.All(markets, m => Assert.NotEmpty(m.SellerWindow));
        Assert.All(market.SellerWindow, kv =>
        {
            Assert.NotSame(kv.Value, copied.SellerWindow[kv.Key]);
            Assert.Equal(kv.Value, copied.SellerWindow[kv.Key]);
        });
        // And its demand by reservation price (the window counts only bids whose reservation reaches today's price).
        Assert.NotEmpty(market.DemandWindow);
        var back = RoundTrip(market);
        Assert.All(market.DemandWindow, kv =>
        {
            Assert.Equal(kv.Value, copied.DemandWindow[kv.Key]);
            Assert.Equal(kv.Value, back.DemandWindow[kv.Key]);
        });
        // And a checkpoint's block of frames, with flows, leads, rents and accounts in every one.
        Assert.All(frames.Skip(150), f => Assert.True(f.Flows.Count > 0 && f.LeadTimes.Count > 0 && f.Rents.Count > 0 && f.Accounts.Count > 0));
        foreach (object value in firms.Cast<object>().Concat(countries).Concat(markets).Append(frames.Skip(150).ToList()))
        {
            var bytes = Serializer.SerializeToArray(value);
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            Assert.False(text.Contains("\"Id\":") || text.Contains("\"Commodity\":"), "JSON inside: " + value.GetType().Name); // each type's JSON has one of these
            Assert.False(text.Contains("\"Tick\":"), "JSON inside: " + value.GetType().Name); // a frame's has this
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(value, Exact), System.Text.Json.JsonSerializer.Serialize(Serializer.Deserialize<object>(bytes), Exact));
            var copy = copier.Copy(value);
            Assert.NotSame(value, copy);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(value, Exact), System.Text.Json.JsonSerializer.Serialize(copy, Exact));
        }
    }

    [Theory]
    [InlineData(typeof(FirmState), typeof(FirmStateSurrogate))]
    [InlineData(typeof(CountryState), typeof(CountryStateSurrogate))]
    [InlineData(typeof(MarketState), typeof(MarketStateSurrogate))]
    [InlineData(typeof(Shipment), typeof(ShipmentSurrogate))]
    [InlineData(typeof(OpenOrder), typeof(OpenOrderSurrogate))]
    [InlineData(typeof(Expansion), typeof(ExpansionSurrogate))]
    [InlineData(typeof(Frame), typeof(FrameSurrogate))]
    [InlineData(typeof(PriceRow), typeof(PriceRowSurrogate))]
    [InlineData(typeof(FlowRow), typeof(FlowRowSurrogate))]
    [InlineData(typeof(ShortageRow), typeof(ShortageRowSurrogate))]
    [InlineData(typeof(LossRow), typeof(LossRowSurrogate))]
    [InlineData(typeof(FiscalRow), typeof(FiscalRowSurrogate))]
    [InlineData(typeof(CoverRow), typeof(CoverRowSurrogate))]
    [InlineData(typeof(LeadTimeRow), typeof(LeadTimeRowSurrogate))]
    [InlineData(typeof(RentRow), typeof(RentRowSurrogate))]
    [InlineData(typeof(ContentRow), typeof(ContentRowSurrogate))]
    [InlineData(typeof(ValueAddedRow), typeof(ValueAddedRowSurrogate))]
    [InlineData(typeof(IndirectLossRow), typeof(IndirectLossRowSurrogate))]
    [InlineData(typeof(AccountRow), typeof(AccountRowSurrogate))]
    public void A_surrogate_has_a_field_for_every_persisted_property(Type model, Type surrogate)
    {
        // A property added to the Model type without its field here would be lost at every checkpoint, silently.
        var persisted = model.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true).Length == 0)
            .Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var fields = surrogate.GetFields().Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(persisted, fields);
    }

    [Fact]
    public void Immutable_wrappers_are_not_copied_and_plain_model_values_are()
    {
        var copier = new ServiceCollection().AddMarketSimSerialization().BuildServiceProvider().GetRequiredService<DeepCopier>();
        var ctx = new TickContext(1, new Dictionary<string, double> { ["a"] = 1 }, new Dictionary<string, double>());
        Assert.Same(ctx, copier.Copy(ctx.AsImmutable()).Value);
        Assert.NotSame(ctx, copier.Copy(ctx));
    }
}
