using Xunit.Abstractions;

namespace MarketSim.Model.Tests;

/// <summary>
/// The material balance: no tonne of anything is made or lost by bookkeeping. Per commodity and tick, what every agent holds
/// (producers' input and finished stocks, manufacturers' input stocks, stockpiles' holdings, and every firm's and stockpile's
/// shipments in transit) moves from the end of one tick to the end of the next by exactly
///     made (producers: main output y and co-products y·ratio) − used (producers and manufacturers: y·aₖθₖ, θ before the tick's
///     thrift update) + a stockpile's opening stock (`initial`, created when its policy first plans).
/// Final consumption is a manufacturer's input use; there is no other sink (thrift lowers θ, so future use, and moves no stock;
/// a stockpile's carrying cost is money, not material). Every fill enters the buyer's books as it leaves the seller's: per
/// commodity and tick, what buyers were settled as buying equals what sellers were settled as selling equals the market's
/// fills (flows.csv), no seller sells more of a lot than it held, and no stock or shipment is negative.
/// </summary>
public class ConservationTests(ITestOutputHelper output)
{
    /// <summary>Imbalance allowed, relative to the day's throughput of the commodity (made + used + traded + created).</summary>
    const double Tolerance = 1e-9;

    /// <summary>Each shipped scenario over its year (≈1-3 s each); the five-year backcast over its first two years.</summary>
    public static TheoryData<string, int> Scenarios => new()
    {
        { "baseline.yaml", 365 },
        { "china-japan-2026.yaml", 365 },          // the military ban (day 5), the tight licence (day 19), Japan's stockpiles released
        { "japan-cutoff-3m.yaml", 365 },           // the cut-off and its end (day 90), Japan's stockpiles released
        { "china-extraterritorial.yaml", 365 },
        { "japan-2010.yaml", 760 },                // the H2-2010 quota (day 181), the halt (days 263-323), the 2011 and 2012 quotas
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_tonne_is_accounted_for(string scenario, int ticks)
    {
        var world = ScenarioLoader.LoadOrThrow(Paths.Scenario(scenario));
        var runner = new ReferenceRunner(world, world.Seed) { Audit = new() };
        var r = Audit(world, runner, ticks);
        output.WriteLine($"{scenario}: {ticks} ticks, largest imbalance {r.Worst:E3} of the day's throughput ({r.Where}), {r.WorstAbsolute:E3} absolute; " +
            $"Dy made (largest imbalance {r.WorstOf.GetValueOrDefault("dy_oxide"):E3}) {r.Made.GetValueOrDefault("dy_oxide"):G6}, used {r.Used.GetValueOrDefault("dy_oxide"):G6}; stockpiles sold {r.StockpileSales:G6}");
        // Not a balance of nothing: Dy is made and used.
        Assert.True(r.Made.GetValueOrDefault("dy_oxide") > 0 && r.Used.GetValueOrDefault("dy_oxide") > 0);
    }

    /// <summary>The largest imbalance relative to the day's throughput, where it was, the largest absolute one; what was made
    /// and used of each commodity over the run; what stockpiles sold.</summary>
    internal sealed record Result(double Worst, string Where, double WorstAbsolute, Dictionary<string, double> Made, Dictionary<string, double> Used,
        double StockpileSales, Dictionary<string, double> WorstOf);

    /// <summary>Steps <paramref name="runner"/> <paramref name="ticks"/> times, checking the balance of every tick.</summary>
    internal static Result Audit(ScenarioSpec world, ReferenceRunner runner, int ticks)
    {
        var producers = world.Producers;
        var manufacturers = world.Manufacturers;
        // Stockpile id → (commodity, opening stock): versions of a stockpile share its id, commodity and holdings.
        var stockpiles = new Dictionary<string, Stockpile>(StringComparer.Ordinal);
        foreach (var sp in world.Policies.OfType<Stockpile>()) stockpiles.TryAdd(sp.Id, sp);
        string CommodityOf(string stockpileId) =>
            stockpiles.TryGetValue(stockpileId, out var sp) ? sp.Commodity : throw new Xunit.Sdk.XunitException($"unknown stockpile {stockpileId}");

        double worst = 0;
        double worstAbs = 0, stockpileSales = 0;
        var where = "none";
        var made = new Dictionary<string, double>(StringComparer.Ordinal);
        var used = new Dictionary<string, double>(StringComparer.Ordinal);
        var worstOf = new Dictionary<string, double>(StringComparer.Ordinal);
        var before = Holdings(world, runner, CommodityOf, out _);
        for (int t = 0; t < ticks; t++)
        {
            var (firms, countries, _) = runner.States;
            // What each firm's recipe uses per unit made this tick: θ as it stands before the tick (only thrift moves it, after use).
            var intensity = firms.Select(f => new Dictionary<string, double>(f.Intensity)).ToList();
            // The lots sellers hold as they offer them (sales are taken before anything made or arrived is added).
            var finished = firms.Take(producers.Count).Select(f => Copy(f.Finished)).ToList();
            var held = countries.Select(c => Copy(c.Holdings)).ToList();

            var frame = runner.Step();
            var audit = runner.Audit!;
            Assert.Equal(countries.Count + firms.Count, audit.Count);

            var flows = new Dictionary<string, Flow>(StringComparer.Ordinal);
            Flow F(string k) => flows.TryGetValue(k, out var f) ? f : flows[k] = new Flow();
            foreach (var c in world.Commodities) F(c.Id);

            // Fills: bought as sold as cleared, and no lot sold beyond what its seller held.
            foreach (var r in frame.Flows) F(r.Commodity).Cleared += r.Quantity;
            var sold = new Dictionary<(string Seller, string Commodity, string Origin), double>();
            foreach (var (id, st, _) in audit)
            {
                foreach (var f in st.Bought)
                {
                    Assert.True(f.Quantity > 0, $"tick {t}: {id} bought {f.Quantity} of {f.Commodity}");
                    F(f.Commodity).Bought += f.Quantity;
                }
                foreach (var f in st.Sold)
                {
                    Assert.True(f.Quantity > 0, $"tick {t}: {id} sold {f.Quantity} of {f.Commodity}");
                    F(f.Commodity).Sold += f.Quantity;
                    var key = (f.SellerId, f.Commodity, f.Origin);
                    sold[key] = sold.GetValueOrDefault(key) + f.Quantity;
                    if (stockpiles.ContainsKey(f.SellerId)) stockpileSales += f.Quantity;
                }
            }
            foreach (var ((seller, k, origin), q) in sold)
            {
                var p = IndexOf(producers, x => x.Id == seller);
                var had = p >= 0 ? finished[p].GetValueOrDefault(k)?.GetValueOrDefault(origin) ?? 0
                    : held.Select(h => h.GetValueOrDefault(seller)?.GetValueOrDefault(origin) ?? 0).Sum();
                Assert.True(q <= had * (1 + 1e-12) + 1e-12, $"tick {t}: {seller} sold {q} of {k} lot {origin} holding {had}");
            }

            // Made and used, from the reports' output and the recipes.
            for (int i = 0; i < producers.Count; i++)
            {
                var (p, report) = (producers[i], audit[countries.Count + i].Report);
                Assert.Equal(p.Id, audit[countries.Count + i].AgentId);
                Assert.True(report.Made >= 0, $"tick {t}: {p.Id} made {report.Made}");
                foreach (var (k, ratio) in ProducerRules.Outputs(p)) F(k).Made += report.Made * ratio;
                foreach (var (k, a) in p.Inputs) F(k).Used += report.Made * a * intensity[i].GetValueOrDefault(k, 1);
            }
            for (int j = 0; j < manufacturers.Count; j++)
            {
                var i = producers.Count + j;
                var (m, report) = (manufacturers[j], audit[countries.Count + i].Report);
                Assert.Equal(m.Id, audit[countries.Count + i].AgentId);
                Assert.True(report.Made >= 0, $"tick {t}: {m.Id} made {report.Made}");
                foreach (var (k, a) in m.Inputs) F(k).Used += report.Made * a * intensity[i].GetValueOrDefault(k, 1);
            }

            var after = Holdings(world, runner, CommodityOf, out var negative);
            // A stockpile's opening stock appears when its policy first plans: the one source outside production.
            for (int c = 0; c < countries.Count; c++)
                foreach (var id in runner.States.Countries[c].Holdings.Keys)
                    if (!held[c].ContainsKey(id)) F(CommodityOf(id)).Created += Math.Max(0, stockpiles[id].Initial);
            Assert.True(negative.Count == 0, $"tick {t}: negative stock: {string.Join("; ", negative.Take(5))}");

            foreach (var (k, f) in flows)
            {
                var throughput = f.Made + f.Used + f.Bought + f.Created;
                var scale = Math.Max(throughput, 1e-6);
                Assert.True(Math.Abs(f.Bought - f.Sold) <= Tolerance * scale, $"tick {t}, {k}: bought {f.Bought:R}, sold {f.Sold:R}");
                Assert.True(Math.Abs(f.Bought - f.Cleared) <= Tolerance * scale, $"tick {t}, {k}: bought {f.Bought:R}, cleared {f.Cleared:R}");
                var change = after.GetValueOrDefault(k) - before.GetValueOrDefault(k);
                var expected = f.Made - f.Used + f.Created;
                var imbalance = change - expected;
                Assert.True(Math.Abs(imbalance) <= Tolerance * scale,
                    $"tick {t}, {k}: holdings {before.GetValueOrDefault(k):R} -> {after.GetValueOrDefault(k):R} (change {change:R}), " +
                    $"made {f.Made:R} - used {f.Used:R} + created {f.Created:R} = {expected:R}; imbalance {imbalance:R} " +
                    $"({imbalance / scale:E2} of the day's throughput {throughput:R}; traded {f.Bought:R})");
                if (Math.Abs(imbalance) / scale > worst) { worst = Math.Abs(imbalance) / scale; where = $"tick {t}, {k}"; }
                worstAbs = Math.Max(worstAbs, Math.Abs(imbalance));
                worstOf[k] = Math.Max(worstOf.GetValueOrDefault(k), Math.Abs(imbalance) / scale);
                made[k] = made.GetValueOrDefault(k) + f.Made;
                used[k] = used.GetValueOrDefault(k) + f.Used;
            }
            before = after;
        }
        return new Result(worst, where, worstAbs, made, used, stockpileSales, worstOf);
    }

    sealed class Flow
    {
        public double Made, Used, Created, Bought, Sold, Cleared;
    }

    static int IndexOf<T>(IReadOnlyList<T> list, Func<T, bool> match)
    {
        for (int i = 0; i < list.Count; i++) if (match(list[i])) return i;
        return -1;
    }

    static Dictionary<string, Dictionary<string, double>> Copy(Dictionary<string, Dictionary<string, double>> d) =>
        d.ToDictionary(x => x.Key, x => new Dictionary<string, double>(x.Value), StringComparer.Ordinal);

    /// <summary>Everything held of each commodity, anywhere; <paramref name="negative"/> lists any lot or shipment below 0.</summary>
    static Dictionary<string, double> Holdings(ScenarioSpec world, ReferenceRunner runner, Func<string, string> commodityOf, out List<string> negative)
    {
        var (firms, countries, _) = runner.States;
        var total = new Dictionary<string, double>(StringComparer.Ordinal);
        var bad = new List<string>();
        void Add(string where, string k, double q)
        {
            if (!(q >= 0)) bad.Add($"{where}: {k} {q}");
            total[k] = total.GetValueOrDefault(k) + q;
        }
        foreach (var f in firms)
        {
            foreach (var (k, lots) in f.Inputs) foreach (var (o, q) in lots) Add($"{f.Id} input lot {o}", k, q);
            foreach (var (k, lots) in f.Finished) foreach (var (o, q) in lots) Add($"{f.Id} finished lot {o}", k, q);
            foreach (var sh in f.Pipeline) Add($"{f.Id} shipment due {sh.ArrivalTick}", sh.Commodity, sh.Quantity);
        }
        foreach (var c in countries)
        {
            foreach (var (id, lots) in c.Holdings) foreach (var (o, q) in lots) Add($"{c.Id} stockpile {id} lot {o}", commodityOf(id), q);
            foreach (var sh in c.Pipeline) Add($"{c.Id} stockpile {sh.Commodity} shipment due {sh.ArrivalTick}", commodityOf(sh.Commodity), sh.Quantity);
        }
        negative = bad;
        return total;
    }
}
