using MarketSim.Model.Market;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Agents;

/// <summary>
/// Mines, separation plants and magnet makers: produce up to capacity while revenue (main output plus co-products, or a
/// floor the producer is covered by) pays unit cost plus inputs, else cut output as (revenue/cost)^ε; sell from stock.
/// </summary>
public static class ProducerRules
{
    static readonly StringComparer Ord = StringComparer.Ordinal;

    public static FirmState Initialise(ScenarioSpec world, ProducerSpec p)
    {
        var s = new FirmState
        {
            Id = p.Id, HomeSegment = world.SegmentOf(p.Country), Capacity = p.Capacity, TargetCapacity = p.Capacity, PlannedRate = p.Capacity,
            ExpectedSales = p.Capacity * world.OpeningUtilisation(p.Output),
        };
        // Inputs in position for what it buys for (its sales, as every day's bid is: InputRate), not for its capacity.
        var rate = SalesBasis(p, s);
        foreach (var (k, a) in p.Inputs)
        {
            var c = world.Commodity(k);
            Procurement.Initialise(s, k, a * rate, p.InputCoverDays, OpeningLots.Supply(world, k, p.Id, p.Country, p.LeadTimeDays), world.FirstTick);
            s.LastPrice[k] = c.ReferencePrice;
            SupplierRisk.InitialiseQualification(world, s, p.Country, k);
            SupplierRisk.InitialiseSuppliers(world, s, p.Country, k);
        }
        // The opening store holds what the producer made from its suppliers' lots (OpeningLots), a lot per origin of its primary input.
        var store = OpeningStore(p, s);
        var made = OpeningLots.Output(world, p);
        foreach (var (k, ratio) in Outputs(p))
            foreach (var l in made) Stock.Add(Stock.For(s.Finished, k), l.Key, ratio * store * l.Share);
        return s;
    }

    /// <summary>
    /// The main output in the finished-goods store on day 0: `initial_inventory_days` of capacity if the scenario gives it, else
    /// the store's target (Room with nothing in it), as every buyer opens at its cover target. Before Dec 2026 producers opened
    /// at 5 days and filled towards 30 through the first months, a one-off stock build upstream in every run, so a policy's
    /// effect depended on its calendar date (a ban on day 60 met ≈170 t more Chinese magnets in store than one on day 0).
    /// </summary>
    static double OpeningStore(ProducerSpec p, FirmState s) =>
        p.InitialInventoryDays is { } days ? days * p.Capacity : StoreTarget(p, s);

    /// <summary>The main output (ratio 1) and the co-products, in a stable order.</summary>
    public static IEnumerable<(string Commodity, double Ratio)> Outputs(ProducerSpec p)
    {
        yield return (p.Output, 1);
        foreach (var k in p.CoProductOrder()) yield return (k, p.CoProducts[k]);
    }

    /// <summary>Value added per unit of main output at reference prices: outputs (with co-products) less inputs used.</summary>
    public static double ReferenceValueAdded(ScenarioSpec world, ProducerSpec p, FirmState s)
    {
        var v = OutputValue(world, p, 1);
        foreach (var k in p.InputOrder())
            v -= p.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1) * world.Commodity(k).ReferencePrice;
        return v;
    }

    /// <summary>Reference value of y units of main output with its co-products.</summary>
    internal static double OutputValue(ScenarioSpec world, ProducerSpec p, double y)
    {
        double v = 0;
        foreach (var (k, ratio) in Outputs(p)) v += y * ratio * world.Commodity(k).ReferencePrice;
        return v;
    }

    /// <summary>The input whose origin the output takes (first input unless OriginFrom says otherwise).</summary>
    public static string? Primary(ProducerSpec p) => p.OriginFrom ?? p.Inputs.Keys.FirstOrDefault();

    /// <summary>Σ aₖθₖ·(last delivered price of k), or at reference prices p̄ₖ when <paramref name="world"/> is given.</summary>
    static double InputCost(ProducerSpec p, FirmState s, ScenarioSpec? world = null) =>
        InputCost(p, s, k => world is null ? s.LastPrice.GetValueOrDefault(k) : world.Commodity(k).ReferencePrice);

    /// <summary>Σ aₖθₖ·price(k).</summary>
    static double InputCost(ProducerSpec p, FirmState s, Func<string, double> price)
    {
        double cost = 0;
        foreach (var k in p.InputOrder())
            cost += p.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1) * price(k);
        return cost;
    }

    /// <summary>Revenue per unit of main output: every output at its price (raised by the premium a tariff wall has been paying
    /// on its sales) or the floor that covers it.</summary>
    static double Revenue(ProducerSpec p, FirmState s, TickContext ctx)
    {
        double r = 0;
        foreach (var (k, ratio) in Outputs(p))
        {
            var price = ctx.Price(k, s.HomeSegment);
            if (s.SalesPremium.TryGetValue(k, out var premium)) price *= 1 + premium;
            r += ratio * Math.Max(price, ctx.Floor(k, p.Country));
        }
        return r;
    }

    /// <summary>
    /// The premium a tariff wall pays on the producer's sales, per unit of the price before it (Fill.Premium), learnt per output
    /// over the market's price window W (`price_window_days`), as the price reads a month of trade: a day's sales move it by
    /// their share of a day's output at capacity, over W. Where untaxed supply about meets the demand inside a wall, imports
    /// cross on some days and not on others, and the premium with them (docs/MODEL.md, known limitations); the maker reads
    /// the month's. A maker selling inside a wall gets that price, and its output and investment answer to it (a tariff's
    /// protection); before Dec 2026 its revenue read the price outside the wall.
    /// </summary>
    static void LearnPremium(ScenarioSpec world, ProducerSpec p, FirmState s, IReadOnlyList<Fill> sold)
    {
        foreach (var (k, ratio) in Outputs(p))
        {
            double q = 0, premium = 0, before = 0;
            foreach (var f in sold)
            {
                if (f.Commodity != k) continue;
                q += f.Quantity;
                premium += f.Quantity * f.Premium;
                before += f.Quantity * (f.Price - f.Premium);
            }
            var had = s.SalesPremium.GetValueOrDefault(k);
            if (q <= 0 || before <= 0 || (premium == 0 && had == 0)) continue;
            var day = s.Capacity * ratio;
            var weight = (day > 0 ? Math.Min(1, q / day) : 1) / Math.Max(1, world.Commodity(k).PriceWindowDays);
            var learnt = had + weight * (premium / before - had);
            if (learnt > 0) s.SalesPremium[k] = learnt;
            else s.SalesPremium.Remove(k);
        }
    }

    /// <summary>
    /// The military share of the producer's purchases: its own `military_share`, or, with end use carried upstream, the military
    /// share of its sales as it has learnt it from its order book, whichever is larger.
    /// </summary>
    public static double MilitaryShare(ScenarioSpec world, ProducerSpec p, FirmState s) =>
        world.Buyers.EndUseUpstream ? Math.Max(p.MilitaryShare, s.MilitarySalesShare) : p.MilitaryShare;

    /// <summary>m ← m + (military sales / sales − m)/lag on days with sales (end use carried upstream).</summary>
    static void LearnEndUse(ScenarioSpec world, FirmState s, IReadOnlyList<Fill> sold)
    {
        if (!world.Buyers.EndUseUpstream || sold.Count == 0) return;
        double all = 0, military = 0;
        foreach (var f in sold)
        {
            all += f.Quantity;
            if (f.EndUse == EndUse.Military) military += f.Quantity;
        }
        if (all <= 0) return;
        s.MilitarySalesShare += (military / all - s.MilitarySalesShare) / Math.Max(1, world.Buyers.EndUseLagDays);
    }

    /// <summary>
    /// Expected margin of new capacity: revenue per unit (floors included) over unit cost plus inputs at today's prices in the
    /// producer's home segment, minus 1. New capacity will buy at the market, not at the price of the last purchase: before
    /// Dec 2026 the last price paid was read, so a magnet maker banned from Dy kept the price of its last purchase (6× the
    /// reference) while Dy stood at 20× and invested into a loss.
    /// </summary>
    public static double Margin(ProducerSpec p, FirmState s, TickContext ctx)
    {
        var cost = p.UnitCost + InputCost(p, s, k => ctx.Price(k, s.HomeSegment));
        return cost > 0 ? Revenue(p, s, ctx) / cost - 1 : 0;
    }

    /// <summary>
    /// y* at the short-run (avoidable) cost per unit: the variable share of the unit cost plus inputs at the last price paid.
    /// A producer keeps running while revenue covers what running costs it; its capital and fixed staff are paid either way.
    /// Before Dec 2026 the whole unit cost counted, and as every producer breaks even at reference prices any dip of price
    /// below reference cut output one for one: a Chinese licence on Dy and magnets that briefly glutted China's home market
    /// sent its heavy-REE mines to zero output for days. (China's Dy price still rises later in that run: docs/MODEL.md,
    /// known limitations, a chain without spare capacity.)
    /// </summary>
    public static double DesiredRate(ProducerSpec p, FirmState s, TickContext ctx) =>
        RateAt(p, s, Revenue(p, s, ctx), VariableCost(p, InputCost(p, s)));

    /// <summary>
    /// The producer's full cost per unit of output now (unit cost, inputs at the intensities it uses and the prices it last
    /// paid) over the same at reference prices and intensities: its long-run supply price relative to the reference, which the
    /// price rule's reversion reads (a processed good's price passes its input costs through in the long run: without it the
    /// reversion pulled a magnet's price back to its reference while Dy stood at 8×, and magnet makers cut output for good).
    /// 0 for a producer of co-products (a joint cost says nothing about each output's price) or with no cost at all. Its shift
    /// from 1 counts in proportion to the share of its capacity it can run (<paramref name="supply"/> over capacity): a maker
    /// idled for want of an input does not set the market's long-run price with the trickle it still makes (a probe found a
    /// Dy separator of 0.002% of world supply, added to a Chinese ban, taking world magnets from 14× to the 40× cap).
    /// </summary>
    public static double CostIndex(ScenarioSpec world, ProducerSpec p, FirmState s, double supply)
    {
        if (p.CoProducts.Count > 0) return 0;
        double reference = p.UnitCost;
        foreach (var k in p.InputOrder()) reference += p.Inputs[k] * world.Commodity(k).ReferencePrice;
        if (reference <= 0) return 0;
        var running = s.Capacity > 0 ? Math.Clamp(supply / s.Capacity, 0, 1) : 0;
        return 1 + ((p.UnitCost + InputCost(p, s)) / reference - 1) * running;
    }

    /// <summary>C_v: the avoidable share of the unit cost plus the inputs' cost per unit of main output.</summary>
    static double VariableCost(ProducerSpec p, double inputCost) => p.VariableCostShare * p.UnitCost + inputCost;

    /// <summary>y* = K·min(1, (R/C)^εₛ) for a revenue and cost per unit of main output.</summary>
    static double RateAt(ProducerSpec p, FirmState s, double revenue, double cost)
    {
        var u = revenue >= cost || cost <= 0 ? 1 : Math.Pow(revenue / cost, p.SupplyElasticity);
        return s.Capacity * u;
    }

    /// <summary>
    /// The rate the loss is measured against: y* with today's revenue but inputs at reference prices. Input prices move it
    /// neither way: a plentiful input getting cheaper does not raise it (before Dec 2026 it did, so more supply of NdPr could
    /// raise a magnet maker's "loss" while its output rose), and a scarce input getting dearer does not lower it (output cut
    /// because an input costs more than the output earns is lost for want of that input, as output cut for its absence is).
    /// </summary>
    static double BenchmarkRate(ScenarioSpec world, ProducerSpec p, FirmState s, TickContext ctx) =>
        RateAt(p, s, Revenue(p, s, ctx), VariableCost(p, InputCost(p, s, world)));

    /// <summary>
    /// The rate the producer can make this tick: its desired rate, limited by each input's stock on hand plus what arrives today
    /// (Leontief). This, not capacity, is the supply the price rule counts: a magnet maker without Dy supplies no magnets.
    /// </summary>
    public static double FeasibleRate(ProducerSpec p, FirmState s, double desired, int tick)
    {
        var y = desired;
        foreach (var k in p.InputOrder())
        {
            var have = s.Pipeline.Quantity(k, tick, start: Stock.Total(s.Inputs.GetValueOrDefault(k)));
            y = Math.Min(y, have / (p.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1)));
        }
        return Math.Max(0, y);
    }

    /// <summary>
    /// What the producer expects to sell of its main output per tick, as its store and its input buying read it: its expected
    /// sales Ŝ, or its capacity when it makes co-products (a separator's NdPr sales say nothing about what buyers want of its
    /// Dy; until sales are learnt per output, a joint producer plans on capacity as before).
    /// </summary>
    static double SalesBasis(ProducerSpec p, FirmState s) => p.CoProducts.Count > 0 ? s.Capacity : s.ExpectedSales;

    /// <summary>
    /// The store's target for the main output: `inventory_cap_days` of expected sales (of capacity when it expects to sell more
    /// than it can make), never less than its floor (`min_inventory_days` of capacity, so a producer whose buyers left still has
    /// something on offer when they come back).
    /// </summary>
    static double StoreTarget(ProducerSpec p, FirmState s) =>
        Math.Max(p.InventoryCapDays * Math.Min(s.Capacity, SalesBasis(p, s)), p.MinInventoryDays * s.Capacity);

    /// <summary>
    /// Room left in the finished-goods store, in units of the main output: its target less its stock. A joint producer's store
    /// holds each output at its ratio to the main one, and it has room while any output does (the one with the least stock for
    /// its ratio): output cannot be split, so it makes what its scarcest co-product's buyers take and holds, or sells for what
    /// it fetches, the excess of the rest (free disposal of joint products). Before Dec 2026 the main output's store alone
    /// set it: with Dy's store full a heavy-REE separator made no Tb however dear Tb was, and under a Chinese Dy ban on every
    /// destination its Tb output fell 18% while the price rule, counting Tb's supply at capacity, lowered Tb's price (a review).
    /// </summary>
    public static double Room(ProducerSpec p, FirmState s)
    {
        var least = double.PositiveInfinity;
        foreach (var (k, ratio) in Outputs(p))
            if (ratio > 0) least = Math.Min(least, Stock.Total(s.Finished.GetValueOrDefault(k)) / ratio);
        return Math.Max(0, StoreTarget(p, s) - (double.IsFinite(least) ? least : 0));
    }

    /// <summary>
    /// The rate of output a producer buys inputs for day by day: what it expects to sell, no more than its desired rate. This is
    /// its normal requirement too (the need shortages.csv reports): licences are for it, an end-use declaration covers its civil
    /// part, and the price rule counts what is left unmet of it. Its store's room is bought on top, once (see Plan), not as a
    /// daily rate: a producer with spare capacity and a full store buys for its sales, not for output nobody ordered.
    /// </summary>
    public static double InputRate(ProducerSpec p, FirmState s, double desired) => Math.Min(desired, SalesBasis(p, s));

    public static AgentPlan Plan(ScenarioSpec world, ProducerSpec p, FirmState s, TickContext ctx)
    {
        var rate = DesiredRate(p, s, ctx);
        var supply = FeasibleRate(p, s, rate, ctx.Tick);
        var asks = new List<Ask>();
        var costIndex = CostIndex(world, p, s, supply);
        foreach (var (k, ratio) in Outputs(p))
        {
            var stock = Stock.For(s.Finished, k);
            var total = Stock.Total(stock);
            var flow = supply * ratio;
            if (total <= 1e-12)
            {
                if (flow > 0) asks.Add(new Ask(p.Id, p.Country, k, p.Country, 0, flow, p.PriorityBuyers, []) { CostIndex = costIndex });
                continue;
            }
            foreach (var o in Stock.Keys(stock))
            {
                double q = stock[o], f = flow * q / total;
                if (p.ReservedShare > 0 && p.ReservedFor.Count > 0)
                {
                    // An offtake contract is a volume per tick (share × sales rate), not a claim on the whole stock.
                    var reserved = Math.Min(q, f * p.ReservedShare);
                    asks.Add(new Ask(p.Id, p.Country, k, o, reserved, f * p.ReservedShare, p.PriorityBuyers, p.ReservedFor) { CostIndex = costIndex });
                    q -= reserved; f *= 1 - p.ReservedShare;
                }
                asks.Add(new Ask(p.Id, p.Country, k, o, q, f, p.PriorityBuyers, []) { CostIndex = costIndex });
            }
        }

        var bids = new List<Bid>();
        var revenue = Revenue(p, s, ctx);
        var daily = InputRate(p, s, rate);
        // The inputs its store's room needs, held once on top of the cover for its sales, never above the position buying for its
        // desired rate would hold: a store emptied by buyers who came to it sends its buying up even on days inputs limit its
        // output and its sales say nothing about what they want. Not part of its normal requirement: under a military end-use ban
        // a refill counted as normal use would let civil declarations buy Dy for the military share's output.
        var refill = Room(p, s);
        var inputs = p.InputOrder();
        // Each input bought for the output the others let it make (material-constrained planning: Procurement.PlanShares).
        Span<double> share = inputs.Length <= 16 ? stackalloc double[inputs.Length] : new double[inputs.Length];
        Procurement.PlanShares(s, inputs, p.Inputs, daily, p.InputCoverDays, share);
        for (int j = 0; j < inputs.Length; j++)
        {
            var k = inputs[j];
            var use = p.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1);
            // The most one unit of input is worth: all the revenue it makes possible.
            var asked = Procurement.BidFor(bids, world, s, p.Id, p.Country, p.Sector, k, use * daily * share[j], p.InputCoverDays, revenue / use,
                MilitaryShare(world, p, s), ctx.Tick, use * refill * share[j], use * rate * share[j]);
            if (inputs.Length > 1) s.AskedFor[k] = Math.Min(asked, use * daily * share[j]);
        }
        return new AgentPlan(p.Id, bids, asks);
    }

    public static AgentReport Settle(ScenarioSpec world, ProducerSpec p, FirmState s, AgentSettlement st, TickContext ctx)
    {
        if (p.Inputs.Count > 1) Procurement.LearnSupply(s, st.Bought, world.Demand.LeadTimeLearning);
        var imports = Procurement.Receive(s, st.Bought, world.Demand.LeadTimeLearning, st.Tick, p.Inputs,
            InputRate(p, s, DesiredRate(p, s, ctx)));
        var premiums = false;
        foreach (var f in st.Sold)
        {
            Stock.Take(Stock.For(s.Finished, f.Commodity), f.Origin, f.Quantity);
            premiums |= f.Premium > 0;
        }
        LearnEndUse(world, s, st.Sold);
        // Outside any tariff wall nothing to learn: no second pass over a large maker's million fills a tick.
        if (premiums || s.SalesPremium.Count > 0) LearnPremium(world, p, s, st.Sold);
        Procurement.Arrive(s, st.Tick);

        s.TargetCapacity += st.CapacityAdded;
        s.Capacity += Math.Min(1, p.RampRate) * (s.TargetCapacity - s.Capacity);
        var decided = s.Expansions.Count;
        var expanded = Investment.Step(world, p, s, st.Tick, Margin(p, s, ctx));
        IReadOnlyList<CapacityDecision> decisions = s.Expansions.Count == decided ? []
            : [.. s.Expansions.Skip(decided).Select(e => new CapacityDecision(p.Id, p.Country, p.Output, e.Added, e.DecidedTick + e.LeadDays))];
        s.Capacity += expanded;
        s.TargetCapacity += expanded;

        var room = Room(p, s);
        var rate = DesiredRate(p, s, ctx);
        var desired = Math.Min(rate, room);
        var inputs = p.InputOrder();
        // What its inputs let it make today: its offers' flow F said as much to buyers when it planned (the same stock and
        // arrivals), and buyers weigh offers by F.
        var byInputs = double.PositiveInfinity;
        foreach (var k in inputs)
            byInputs = Math.Min(byInputs, Stock.Total(s.Inputs.GetValueOrDefault(k)) / (p.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1)));
        var y = Math.Min(desired, byInputs);

        // What it would have made and sold: its desired rate, but no more than its expected sales. Spare capacity (a desired rate
        // above what buyers take, the surplus going to stock) is neither a need for inputs nor output lost when they run short.
        // Sales learnt of the main output say nothing of what a joint producer's co-products' buyers take (it runs for the
        // scarcest of them: Room), so it reads capacity there, as its buying does (SalesBasis).
        var wanted = Math.Min(desired, SalesBasis(p, s));
        // What its inputs let it make of what it would have made and sold (a desired rate above its sales is no shortfall).
        if (inputs.Length > 1) Procurement.LearnMade(s, Math.Min(y, wanted), wanted, world.Demand.LeadTimeLearning);
        var shortages = new List<InputShortage>();
        var cover = new List<KeyValuePair<string, double>>();
        var primary = Primary(p);
        List<KeyValuePair<string, double>>? primaryTaken = null;
        List<(string Key, double Quantity, double Price)>? used = world.ContentOrigin ? new() : null;
        foreach (var k in inputs)
        {
            var use = p.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1);
            var stock = Stock.For(s.Inputs, k);
            var avail = Stock.Total(stock);
            shortages.Add(new InputShortage(k, use * wanted, Math.Max(0, use * wanted - avail)));
            var taken = Stock.TakeProportional(stock, use * y);
            if (k == primary) primaryTaken = taken;
            if (used is not null) foreach (var (lot, q) in taken) used.Add((lot, q, world.Commodity(k).ReferencePrice));
            cover.Add(new(k, s.Capacity > 0 ? Stock.Total(stock) / (use * s.Capacity) : 0));
        }

        // Origin travels with material: output takes the origin mix of the primary input consumed; with content tracking its
        // lots also carry this producer as customs origin and the value mix of everything it used (Agents/Provenance.cs).
        var outputValue = used is null ? 0 : OutputValue(world, p, y);
        // One content key per first origin of the primary input, made once for every output.
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        string KeyOf(string lot) => used is null ? lot
            : keys.TryGetValue(Provenance.Origin(lot), out var k) ? k
            : keys[Provenance.Origin(lot)] = Provenance.Make(Provenance.Origin(lot), p.Country, used, outputValue, world.ContentCountries());
        foreach (var (k, ratio) in Outputs(p))
        {
            var made = y * ratio;
            var stock = Stock.For(s.Finished, k);
            if (primaryTaken is null) Stock.Add(stock, p.Country, made);
            else
            {
                double t = 0;
                foreach (var x in primaryTaken) t += x.Value;
                foreach (var (o, q) in primaryTaken)
                    Stock.Add(stock, KeyOf(o), t > 0 ? made * q / t : 0);
            }
        }

        // Output lost for want of inputs, valued as GDP in volume is: at reference prices. At today's prices a shortage
        // that raised the output's price would count the same lost tonnes as a larger loss (and one that raised input
        // prices as none), so the loss would follow prices instead of production.
        var referenceValueAdded = ReferenceValueAdded(world, p, s);
        var valueAdded = Math.Max(0, referenceValueAdded);
        var unhindered = Math.Min(BenchmarkRate(world, p, s, ctx), room); // what it would make with inputs at hand and at reference prices
        var benchmark = Math.Min(unhindered, SalesBasis(p, s));
        var loss = Math.Max(0, benchmark - y) * valueAdded;
        s.CumulativeLoss += loss;
        s.PlannedRate = desired;
        // Sales say what buyers want of it while inputs do not limit it, neither by their stock nor by their price. On a day its
        // inputs cut its output its sales are capped by what it had: they say buyers wanted at least that much, so expected sales
        // may rise on them but not fall (under a licence that keeps its inputs short, expected sales learnt low before would
        // otherwise stay low for good). Before Dec 2026 a day whose output met a plan already cut by a dear input taught low
        // sales too, so during a Dy ban the benchmark slid down with them and the loss shrank: a ban on Dy and Tb together
        // counted 42% less loss than one on Dy alone (a review's probe on japan-cutoff-3m; `LossBenchmarkTests`).
        double sold = 0;
        foreach (var f in st.Sold) if (f.Commodity == p.Output) sold += f.Quantity;
        // Nor on a day its inputs cut what it offered (F below its rate and expected sales): buyers, weighing offers by F, took
        // less of it for that, and a store full of the little they took made output meet a room cut by it. Before Dec 2026 such
        // days taught low sales: a US separator cut off from foreign ore learnt 9.24 → 8.66 t a day, and its loss was counted
        // 11% low (a review's probe).
        var offerCut = byInputs < (1 - 1e-6) * Math.Min(rate, SalesBasis(p, s));
        if ((y >= unhindered - 1e-9 && !offerCut) || sold > s.ExpectedSales) s.ExpectedSales += p.SalesLearning * (sold - s.ExpectedSales);

        // A producer's recipe is fixed by chemistry (ore per tonne of oxide, NdPr per tonne of magnet) except where the scenario
        // gives an input a thrift entry (Dy and Tb in magnets: grain-boundary diffusion). Before Dec 2026 every input without one
        // took the world's default demand response, so dear ore made oxide with less ore.
        foreach (var k in inputs)
            if (p.Thrift.ContainsKey(k))
                Thrift.Update(s, p.Thrift, world.Demand, k, Procurement.PriceFaced(s, k, ctx), world.Commodity(k).ReferencePrice);
        SupplierRisk.AfterTick(world, s, p.Country, inputs, st, ctx);

        return new AgentReport(p.Id, p.Country, p.Sector, desired * valueAdded, loss, shortages, cover, 0)
        {
            ValueAddedMade = y * referenceValueAdded, // at the intensities the inputs were used at, before thrift moves them
            Made = y,
            Imports = imports,
            Decisions = decisions,
        };
    }
}
