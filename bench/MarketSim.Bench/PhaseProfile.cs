using System.Diagnostics;
using System.Text;
using MarketSim.Model.Agents;
using MarketSim.Model.Market;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Bench;

/// <summary>
/// The reference runner's tick (ReferenceRunner.Step), copied call for call with a stopwatch around each phase, to show
/// where the model's own compute goes (the Orleans tick runs the same rules inside grains, plus messaging).
/// </summary>
public static class PhaseProfile
{
    /// <param name="ticking">Called once the world is set up, just before the first tick (the allocation sampler starts there).</param>
    public static string Run(ScenarioSpec world, ulong seed, int ticks, Action? ticking = null)
    {
        var session = SessionRules.Initialise(world);
        var producers = world.Producers.Select(p => (p, ProducerRules.Initialise(world, p))).ToList();
        var manufacturers = world.Manufacturers.Select(m => (m, ManufacturerRules.Initialise(world, m))).ToList();
        var countries = world.Countries.Select(c => (c, StockpileRules.Initialise(world, c))).ToList();
        var markets = world.Commodities.Select(c => MarketClearing.Initialise(world, c)).ToList();
        ticking?.Invoke();
        var t = new Dictionary<string, double>();
        var bytes = new Dictionary<string, long>();
        var order = new List<string>();
        var sw = new Stopwatch();
        long alloc = 0;
        // Collections and pauses during the ticks: a phase's time includes the pauses its allocations (or earlier ones) set off.
        var gcBefore = (G0: GC.CollectionCount(0), G1: GC.CollectionCount(1), G2: GC.CollectionCount(2), Pause: GC.GetTotalPauseDuration());
        // What ephemeral collections promoted: the runtime reports the last one, so each phase that saw any adds its last
        // (a sample, not every collection; enough to tell whether a collection pays for survivors or for the rest).
        var promoted = new List<(long Bytes, double PauseMs, int Gen)>();
        var seenGc = GC.CollectionCount(0);
        void Lap(string phase)
        {
            if (GC.CollectionCount(0) != seenGc)
            {
                seenGc = GC.CollectionCount(0);
                var info = GC.GetGCMemoryInfo(GCKind.Ephemeral);
                promoted.Add((info.PromotedBytes, info.PauseDurations[0].TotalMilliseconds, info.Generation));
            }
            if (!t.ContainsKey(phase)) { t[phase] = 0; bytes[phase] = 0; order.Add(phase); }
            t[phase] += sw.Elapsed.TotalMilliseconds;
            var now = GC.GetAllocatedBytesForCurrentThread();
            bytes[phase] += now - alloc;
            alloc = now;
            sw.Restart();
        }
        for (int i = 0; i < ticks; i++)
        {
            alloc = GC.GetAllocatedBytesForCurrentThread();
            sw.Restart();
            var plan = SessionRules.Begin(world, session);
            Lap("begin");
            var plans = new List<AgentPlan>();
            foreach (var (c, s) in countries)
                plans.Add(StockpileRules.Plan(world, s, SessionRules.StockpilesOf(plan, c.Id), plan.Context, SessionRules.UnmetShareOf(session, c.Id)));
            foreach (var (p, s) in producers) plans.Add(ProducerRules.Plan(world, p, s, plan.Context));
            Lap("plan: countries+producers");
            foreach (var (m, s) in manufacturers) plans.Add(ManufacturerRules.Plan(world, m, s, plan.Context));
            Lap("plan: manufacturers");
            var orders = SessionRules.Gather(world, plans);
            Lap("gather");
            var results = new List<ClearingResult>();
            foreach (var m in markets)
            {
                results.Add(MarketClearing.Clear(world, m, plan.Tick, orders[m.Commodity].Asks, orders[m.Commodity].Bids, plan.InForce, seed));
                Lap($"clear {m.Commodity} ({orders[m.Commodity].Bids.Count} bids, {orders[m.Commodity].Asks.Count} asks)".Replace(" (0 bids, 0 asks)", ""));
            }
            var routed = SessionRules.Route(results, SessionRules.Owners(session));
            Lap("route");
            var reports = new ReportTotals();
            foreach (var (c, s) in countries) reports.Add(StockpileRules.Settle(s, SessionRules.SettlementFor(plan, routed, c.Id)));
            foreach (var (p, s) in producers) reports.Add(ProducerRules.Settle(world, p, s, SessionRules.SettlementFor(plan, routed, p.Id), plan.Context));
            Lap("settle: countries+producers");
            foreach (var (m, s) in manufacturers) reports.Add(ManufacturerRules.Settle(world, m, s, SessionRules.SettlementFor(plan, routed, m.Id), plan.Context));
            Lap("settle: manufacturers");
            SessionRules.Finish(world, session, plan, results, reports);
            Lap("finish");
        }
        var total = t.Values.Sum();
        var agents = world.Producers.Count + world.Manufacturers.Count;
        var sb = new StringBuilder();
        sb.AppendLine($"Reference tick by phase, {world.Name}, {ticks} ticks, {total / ticks:F2} ms/tick, " +
                      $"{bytes.Values.Sum() / ((double)ticks * agents):N0} B allocated per agent-tick:");
        sb.AppendLine($"  (garbage collection during the ticks: {GC.CollectionCount(0) - gcBefore.G0} gen0, {GC.CollectionCount(1) - gcBefore.G1} gen1, " +
                      $"{GC.CollectionCount(2) - gcBefore.G2} gen2, {(GC.GetTotalPauseDuration() - gcBefore.Pause).TotalMilliseconds / ticks:F2} ms/tick paused)");
        if (promoted.Count > 0)
        {
            var byGen = promoted.GroupBy(x => x.Gen).OrderBy(g => g.Key)
                .Select(g => $"gen{g.Key}: {g.Count()} sampled, median {Stats.Median(g.Select(x => x.Bytes / 1048576.0)):F1} MB promoted, median pause {Stats.Median(g.Select(x => x.PauseMs)):F1} ms");
            sb.AppendLine($"  (ephemeral collections, the last of each phase that had any: {string.Join("; ", byGen)})");
        }
        if (manufacturers.Count > 0)
            sb.AppendLine($"  (after the last tick: {manufacturers.Average(m => m.Item2.Pipeline.Count):F0} shipments in the average manufacturer's pipeline, " +
                          $"{manufacturers.Average(m => m.Item2.Inputs.Sum(i => i.Value.Count)):F1} origin lots in its stock, " +
                          $"{manufacturers.Average(m => m.Item2.Unfilled.Sum(u => u.Value.Count)):F1} open orders (the longest {manufacturers.Max(m => m.Item2.Unfilled.Sum(u => u.Value.Count))}))");
        // Market phases are named with their order counts, which vary per tick: merge them by commodity.
        foreach (var g in order.GroupBy(k => k.Split(" (")[0]))
        {
            var ms = g.Sum(k => t[k]);
            var kb = g.Sum(k => bytes[k]) / 1024.0 / ticks;
            sb.AppendLine($"  {g.Key,-30} {ms / ticks,10:F2} ms/tick {100 * ms / total,5:F1}% {kb,10:N0} KiB/tick   {(g.Count() == 1 && g.Key != g.First() ? g.First()[g.Key.Length..].Trim() : "")}");
        }
        return sb.ToString();
    }
}
