using MarketSim.Model.Market;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Agents;

/// <summary>
/// Makers of end products. Output q = min(q*, minₖ Iₖ/(aₖθₖ)) (Leontief); the loss is (q* − q)·value added per unit.
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
        var bids = new List<Bid>();
        var inputs = m.InputOrder();
        // Each input bought for the output the others let it make (material-constrained planning: Procurement.PlanShares).
        Span<double> share = inputs.Length <= 16 ? stackalloc double[inputs.Length] : new double[inputs.Length];
        Procurement.PlanShares(s, inputs, m.Inputs, m.PlannedOutput, m.CoverDays, share);
        for (int j = 0; j < inputs.Length; j++)
        {
            var k = inputs[j];
            var use = m.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1);
            // The most an input is worth: what it costs now plus the value added it unlocks.
            var limit = s.LastPrice.GetValueOrDefault(k) + m.ValueAdded / use;
            var daily = use * m.PlannedOutput * share[j];
            var asked = Procurement.BidFor(bids, world, s, m.Id, m.Country, m.Sector, k, daily, m.CoverDays, limit, m.MilitaryShare, ctx.Tick);
            if (inputs.Length > 1) s.AskedFor[k] = Math.Min(asked, daily);
        }
        return new AgentPlan(m.Id, bids, []);
    }

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
            q = Math.Min(q, held[i] / (m.Inputs[inputs[i]] * s.Intensity.GetValueOrDefault(inputs[i], 1)));
        }

        var shortages = new List<InputShortage>();
        var cover = new List<KeyValuePair<string, double>>();
        for (int i = 0; i < inputs.Length; i++)
        {
            var k = inputs[i];
            var use = m.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1);
            var stock = Stock.For(s.Inputs, k);
            var need = use * m.PlannedOutput;
            shortages.Add(new InputShortage(k, need, Math.Max(0, need - held[i])));
            var left = Stock.TakeProportional(stock, use * q, held[i]);
            cover.Add(new(k, need > 0 ? left / need : 0));
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
}
