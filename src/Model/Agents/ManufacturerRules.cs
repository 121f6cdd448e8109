using MarketSim.Model.Market;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Agents;

/// <summary>
/// Makers of end products. Output q = min(q*, minₖ Iₖ/(aₖθₖ)) (Leontief); the loss is (q* − q)·value added per unit. An input
/// needed by only a share σₖ of output (`dependent_share`) bounds output at (1 − σₖ)·q* + σₖ·Iₖ/(aₖθₖ): the rest is made
/// without it (docs/MODEL.md, Manufacturers).
/// </summary>
public static class ManufacturerRules
{
    public static FirmState Initialise(ScenarioSpec world, ManufacturerSpec m)
    {
        var s = new FirmState { Id = m.Id, HomeSegment = world.SegmentOf(m.Country) };
        foreach (var (k, a) in m.Inputs)
        {
            var c = world.Commodity(k);
            Procurement.Initialise(s, k, a * m.PlannedOutput, m.CoverDays, OpeningLots.Supply(world, k, m.Id, m.Country, m.LeadTimeDays), world.FirstTick);
            s.LastPrice[k] = c.ReferencePrice;
            SupplierRisk.InitialiseQualification(world, s, m.Country, k);
            SupplierRisk.InitialiseSuppliers(world, s, m.Country, k);
        }
        return s;
    }

    public static AgentPlan Plan(ScenarioSpec world, ManufacturerSpec m, FirmState s, TickContext ctx)
    {
        // Bids gather in a list reused per thread and leave as an array of their number: the plan is a message, the list is not.
        var bids = _bids ??= new List<Bid>(8);
        bids.Clear();
        var inputs = m.InputOrder();
        // Each input bought for the output the others let it make (material-constrained planning: Procurement.PlanShares).
        Span<double> share = inputs.Length <= 16 ? stackalloc double[inputs.Length] : new double[inputs.Length];
        Procurement.PlanShares(s, inputs, m.Inputs, m.PlannedOutput, m.CoverDays, share, m.DependentShare);
        for (int j = 0; j < inputs.Length; j++)
        {
            var k = inputs[j];
            var use = m.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1);
            // The most an input is worth: what it costs now plus the value added it unlocks, that of the output that needs it
            // (a unit of k makes σ/(aθ) units of it).
            var limit = s.LastPrice.GetValueOrDefault(k) + m.ValueAdded * m.DependentShareOf(k) / use;
            var daily = use * m.PlannedOutput * share[j];
            var asked = Procurement.BidFor(bids, world, s, m.Id, m.Country, m.Sector, k, daily, m.CoverDays, limit, m.MilitaryShare, ctx.Tick);
            if (inputs.Length > 1) s.AskedFor[k] = Math.Min(asked, daily);
        }
        var plan = new AgentPlan(m.Id, bids.Count == 0 ? [] : bids.ToArray(), []);
        bids.Clear();
        return plan;
    }
    [ThreadStatic] static List<Bid>? _bids;

    public static AgentReport Settle(ScenarioSpec world, ManufacturerSpec m, FirmState s, AgentSettlement st, TickContext ctx)
    {
        if (m.Inputs.Count > 1) Procurement.LearnSupply(s, st.Bought, world.Demand.LeadTimeLearning);
        var imports = Procurement.Receive(s, st.Bought, world.Demand.LeadTimeLearning, st.Tick, m.Inputs, m.PlannedOutput);
        Procurement.Arrive(s, st.Tick);

        var inputs = m.InputOrder();
        var q = m.PlannedOutput;
        // Each input's stock before production, summed once (a sort of its origin lots) and read for output, shortage and the take.
        Span<double> held = inputs.Length <= 16 ? stackalloc double[inputs.Length] : new double[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            held[i] = Stock.Total(s.Inputs.GetValueOrDefault(inputs[i]));
            q = Math.Min(q, MostMade(m, inputs[i], held[i], s.Intensity.GetValueOrDefault(inputs[i], 1)));
        }

        // The report's lists as arrays of their exact length (one entry per input).
        var shortages = new InputShortage[inputs.Length];
        var cover = new KeyValuePair<string, double>[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var k = inputs[i];
            var use = m.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1);
            var stock = Stock.For(s.Inputs, k);
            var need = use * m.PlannedOutput;
            shortages[i] = new InputShortage(k, need, Math.Max(0, need - held[i]));
            // An input needed by part of output is used in proportion to output while it lasts; once it binds the output that
            // needs it is what its stock makes, and the stock is used up (σ·q·aθ/σ = aθq, capped at the stock).
            var take = m.DependentShareOf(k) >= 1 ? use * q : Math.Min(use * q, held[i]);
            var left = Stock.TakeProportional(stock, take, held[i]);
            cover[i] = new(k, need > 0 ? left / need : 0);
        }

        if (inputs.Length > 1) Procurement.LearnMade(s, q, m.PlannedOutput, world.Demand.LeadTimeLearning);
        var loss = (m.PlannedOutput - q) * m.ValueAdded;
        s.CumulativeLoss += loss;
        foreach (var k in inputs)
            Thrift.Update(s, m.Thrift, world.Demand, k, Procurement.PriceFaced(s, k, ctx), world.Commodity(k).ReferencePrice);
        SupplierRisk.AfterTick(world, s, m.Country, inputs, st, ctx);

        return new AgentReport(m.Id, m.Country, m.Sector, m.PlannedOutput * m.ValueAdded, loss, shortages, cover, 0)
        {
            ValueAddedMade = q * m.ValueAdded,
            Made = q,
            Imports = imports,
        };
    }

    /// <summary>
    /// The most output a stock I of input k allows: I/(aθ) where all output needs k (the fixed recipe), and where only a share σ
    /// does, (1 − σ)·q* + σ·I/(aθ): the output made without k, plus what I makes of the output that needs it, whose use per
    /// unit is aθ/σ, so that the sector's use at its plan stays aθ·q*.
    /// </summary>
    public static double MostMade(ManufacturerSpec m, string k, double held, double intensity)
    {
        var sigma = m.DependentShareOf(k);
        if (sigma >= 1) return held / (m.Inputs[k] * intensity);
        return (1 - sigma) * m.PlannedOutput + sigma * held / (m.Inputs[k] * intensity);
    }
}
