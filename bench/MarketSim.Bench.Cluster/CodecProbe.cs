using System.Diagnostics;
using System.Text.Json;
using MarketSim.Grains.Serialization;
using MarketSim.Model.Agents;
using MarketSim.Model.Market;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MarketSim.Bench.Cluster;

/// <summary>
/// `--codec N`: the messages of one tick of the synthetic world (after a few ticks, so stocks and fills are under way) encoded
/// as a cross-silo call encodes them: Orleans' serializer with the MarketSim registrations (binary surrogates for a tick's
/// messages), against System.Text.Json with the options of the JSON codec they replaced (its payload, without Orleans' few
/// header bytes). Bytes per firm-tick and µs to encode + decode, in this process (no network).
/// </summary>
static class CodecProbe
{
    public static void Run(int size, int warmTicks = 4)
    {
        var world = MarketSim.Bench.SyntheticWorld.Build(size);
        var session = SessionRules.Initialise(world);
        var firms = world.Manufacturers.Select(m => (m, ManufacturerRules.Initialise(world, m))).ToList();
        var producers = world.Producers.Select(p => (p, ProducerRules.Initialise(world, p))).ToList();
        var countries = world.Countries.Select(c => (c, StockpileRules.Initialise(world, c))).ToList();
        var markets = world.Commodities.Select(c => MarketClearing.Initialise(world, c)).ToList();
        (TickContext Context, AgentPlan[] Plans, List<(List<Ask> Asks, List<Bid> Bids)> Orders, List<ClearingResult> Results, AgentSettlement[] Settlements, AgentReport[] Reports) last = default;
        for (int t = 0; t <= warmTicks; t++)
        {
            // ReferenceRunner.Step, call for call, keeping the messages.
            var plan = SessionRules.Begin(world, session);
            var plans = new List<AgentPlan>();
            foreach (var (c, s) in countries)
                plans.Add(StockpileRules.Plan(world, s, SessionRules.StockpilesOf(plan, c.Id), plan.Context, SessionRules.UnmetShareOf(session, c.Id)));
            foreach (var (p, s) in producers) plans.Add(ProducerRules.Plan(world, p, s, plan.Context));
            foreach (var (m, s) in firms) plans.Add(ManufacturerRules.Plan(world, m, s, plan.Context));
            var orders = SessionRules.Gather(world, plans);
            var results = markets.Select(m => MarketClearing.Clear(world, m, plan.Tick, orders[m.Commodity].Asks, orders[m.Commodity].Bids, plan.InForce, 7)).ToList();
            var routed = SessionRules.Route(results, SessionRules.Owners(session));
            var reports = new List<AgentReport>();
            var settlements = new List<AgentSettlement>();
            foreach (var (c, s) in countries) reports.Add(StockpileRules.Settle(s, SessionRules.SettlementFor(plan, routed, c.Id)));
            foreach (var (p, s) in producers) reports.Add(ProducerRules.Settle(world, p, s, SessionRules.SettlementFor(plan, routed, p.Id), plan.Context));
            foreach (var (m, s) in firms)
            {
                var settlement = SessionRules.SettlementFor(plan, routed, m.Id);
                settlements.Add(settlement);
                reports.Add(ManufacturerRules.Settle(world, m, s, settlement, plan.Context));
            }
            SessionRules.Finish(world, session, plan, results, ReportTotals.Of(reports));
            last = (plan.Context, plans.Skip(countries.Count + producers.Count).ToArray(),
                world.Commodities.Select(c => (orders[c.Id].Asks, orders[c.Id].Bids)).ToList(), results, settlements.ToArray(),
                reports.Skip(countries.Count + producers.Count).ToArray());
        }

        var serializer = new ServiceCollection().AddMarketSimSerialization().BuildServiceProvider().GetRequiredService<Serializer>();
        var json = new JsonSerializerOptions();
        MarketSimSerialization.Configure(json);
        const int shard = 256;
        Console.WriteLine($"# Codec probe: one tick's messages of the {size:N0}-firm synthetic world (tick {warmTicks}), per firm\n");
        Console.WriteLine("| message (per call) | calls per tick | JSON bytes/firm | binary bytes/firm | JSON µs/firm | binary µs/firm |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|");
        double tj = 0, tb = 0;
        void Row<T>(string name, int calls, IEnumerable<T> messages) where T : notnull
        {
            var list = messages.ToList();
            var (jb, jt) = Measure(list, m => JsonSerializer.SerializeToUtf8Bytes(m, typeof(T), json), b => JsonSerializer.Deserialize(b, typeof(T), json)!);
            var (bb, bt) = Measure(list, m => serializer.SerializeToArray(m), b => serializer.Deserialize<T>(b));
            tj += jb; tb += bb;
            Console.WriteLine($"| {name} | {calls:N0} | {jb / size:0} | {bb / size:0} | {jt * 1e6 / size:0.0} | {bt * 1e6 / size:0.0} |");
        }
        var shards = (size + shard - 1) / shard;
        Row("shard → session: plans (AgentPlan[256])", shards, last.Plans.Chunk(shard));
        Row("session → shard: settlements (AgentSettlement[256])", shards, last.Settlements.Chunk(shard));
        Row("shard → session: reports folded (ReportTotals of 256)", shards, last.Reports.Chunk(shard).Select(ReportTotals.Of));
        Row("session → shard: tick context (×2)", 2 * shards, Enumerable.Repeat(last.Context, 2 * shards));
        Row("session → market: asks", world.Commodities.Count, last.Orders.Select(o => o.Asks));
        Row("session → market: bids", world.Commodities.Count, last.Orders.Select(o => o.Bids));
        Row("market → session: clearing result", world.Commodities.Count, last.Results);
        Console.WriteLine($"| **a tick** | | **{tj / size:0}** | **{tb / size:0}** | | |");
        CheckpointRows(serializer, json);
    }

    /// <summary>
    /// What one checkpoint of the default scenario writes at tick 180 (the firms', countries' and markets' state; 12 checkpoints a
    /// year at the default CheckpointEvery of 30): all members' state, JSON against the binary surrogates. The firms' states
    /// are measured one by one; a shard writes its firms' states in one record (the default scenario's one shard: all 61).
    /// </summary>
    static void CheckpointRows(Serializer serializer, JsonSerializerOptions json)
    {
        var world = ScenarioLoader.LoadOrThrow(Path.Combine(MarketSim.Bench.Shared.BenchHelpers.RepoRoot(), "scenarios", "china-japan-2026.yaml"));
        var runner = new ReferenceRunner(world, world.Seed);
        runner.Run(180).ToList();
        var (firms, countries, markets) = runner.States;
        Console.WriteLine($"\n# Codec probe: one checkpoint of {world.Name} at tick 180, all members' state\n");
        Console.WriteLine("| state | records | JSON KiB | binary KiB | JSON ms (encode + decode) | binary ms |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|");
        void Row<T>(string name, IReadOnlyList<T> states) where T : notnull
        {
            var list = states.ToList();
            var (jb, jt) = Measure(list, m => JsonSerializer.SerializeToUtf8Bytes(m, typeof(T), json), b => JsonSerializer.Deserialize(b, typeof(T), json)!);
            var (bb, bt) = Measure(list, m => serializer.SerializeToArray(m), b => serializer.Deserialize<T>(b));
            Console.WriteLine($"| {name} | {list.Count} | {jb / 1024:N0} | {bb / 1024:N0} | {jt * 1e3:0.0} | {bt * 1e3:0.0} |");
        }
        Row("firms (FirmState)", firms);
        Row("countries (CountryState)", countries);
        Row("markets (MarketState)", markets);
    }

    /// <summary>Total bytes, and seconds to encode and decode them all (best of 3 rounds, after a warm-up).</summary>
    static (double Bytes, double Seconds) Measure<T>(List<T> messages, Func<T, byte[]> encode, Func<byte[], object> decode)
    {
        double bytes = 0, best = double.MaxValue;
        for (int round = 0; round < 4; round++)
        {
            bytes = 0;
            var sw = Stopwatch.StartNew();
            foreach (var m in messages)
            {
                var b = encode(m);
                bytes += b.Length;
                decode(b);
            }
            if (round > 0) best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return (bytes, best);
    }
}
