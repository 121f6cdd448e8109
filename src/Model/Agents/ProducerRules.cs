using MarketSim.Model.Market;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Agents;

/// <summary>Mines, separation plants and magnet makers: produce up to capacity when the price covers cost, sell from stock.</summary>
public static class ProducerRules
{
    public static FirmState Initialise(ScenarioSpec world, ProducerSpec p)
    {
        var s = new FirmState { Id = p.Id, HomeSegment = world.SegmentOf(p.Country), Capacity = p.Capacity, TargetCapacity = p.Capacity, PlannedRate = p.Capacity };
        foreach (var (k, a) in p.Inputs)
        {
            var c = world.Commodity(k);
            Procurement.Initialise(s, k, c.InitialOrigin, a * p.Capacity, p.InputCoverDays, p.LeadTimeDays);
            s.LastPrice[k] = c.ReferencePrice;
        }
        var primary = Primary(p);
        var origin = primary is null ? p.Country : world.Commodity(primary).InitialOrigin;
        Stock.Add(s.Finished, origin, p.Capacity * p.InitialInventoryDays);
        return s;
    }

    /// <summary>The input whose origin the output takes (first input unless OriginFrom says otherwise).</summary>
    public static string? Primary(ProducerSpec p) => p.OriginFrom ?? p.Inputs.Keys.FirstOrDefault();

    static double InputCost(ProducerSpec p, FirmState s)
    {
        double cost = 0;
        foreach (var k in p.Inputs.Keys.OrderBy(k => k, StringComparer.Ordinal))
            cost += p.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1) * s.LastPrice.GetValueOrDefault(k);
        return cost;
    }

    /// <summary>The output rate the producer wants at this price: full capacity if the price (or a floor it is covered by) pays
    /// its unit cost plus inputs, else capacity·(p/cost)^ε.</summary>
    public static double DesiredRate(ProducerSpec p, FirmState s, TickContext ctx)
    {
        var price = Math.Max(ctx.Price(p.Output, s.HomeSegment), ctx.Floor(p.Output, p.Country));
        var cost = p.UnitCost + InputCost(p, s);
        var u = price >= cost || cost <= 0 ? 1 : Math.Pow(price / cost, p.SupplyElasticity);
        return s.Capacity * u;
    }

    public static AgentPlan Plan(ScenarioSpec world, ProducerSpec p, FirmState s, TickContext ctx)
    {
        var rate = DesiredRate(p, s, ctx);
        var asks = new List<Ask>();
        var total = Stock.Total(s.Finished);
        if (total > 1e-12)
            foreach (var o in Stock.Keys(s.Finished))
                asks.Add(new Ask(p.Id, p.Country, p.Output, o, s.Finished[o], rate * s.Finished[o] / total, p.PriorityBuyers, false));
        else if (rate > 0)
            asks.Add(new Ask(p.Id, p.Country, p.Output, p.Country, 0, rate, p.PriorityBuyers, false));

        var bids = new List<Bid>();
        var outPrice = Math.Max(ctx.Price(p.Output, s.HomeSegment), ctx.Floor(p.Output, p.Country));
        foreach (var k in p.Inputs.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var use = p.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1);
            var order = Procurement.OrderUpTo(use * rate, p.InputCoverDays, s.ExpectedLeadTime.GetValueOrDefault(k, p.LeadTimeDays),
                Stock.Total(s.Inputs.GetValueOrDefault(k)), Procurement.InTransit(s, k));
            Procurement.AddBids(bids, p.Id, p.Country, k, order, outPrice / use, p.MilitaryShare);
        }
        return new AgentPlan(p.Id, bids, asks);
    }

    public static AgentReport Settle(ScenarioSpec world, ProducerSpec p, FirmState s, AgentSettlement st, TickContext ctx)
    {
        Procurement.Receive(s, st.Bought, world.Demand.LeadTimeLearning);
        foreach (var f in st.Sold) Stock.Take(s.Finished, f.Origin, f.Quantity);
        Procurement.Arrive(s, st.Tick);

        s.TargetCapacity += st.CapacityAdded;
        s.Capacity += Math.Min(1, p.RampRate) * (s.TargetCapacity - s.Capacity);

        var desired = Math.Min(DesiredRate(p, s, ctx), Math.Max(0, p.InventoryCapDays * s.Capacity - Stock.Total(s.Finished)));
        var inputs = p.Inputs.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        var y = desired;
        foreach (var k in inputs)
            y = Math.Min(y, Stock.Total(s.Inputs.GetValueOrDefault(k)) / (p.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1)));

        var shortages = new List<InputShortage>();
        var cover = new List<KeyValuePair<string, double>>();
        var primary = Primary(p);
        List<KeyValuePair<string, double>>? primaryTaken = null;
        foreach (var k in inputs)
        {
            var use = p.Inputs[k] * s.Intensity.GetValueOrDefault(k, 1);
            var stock = Stock.For(s.Inputs, k);
            var avail = Stock.Total(stock);
            shortages.Add(new InputShortage(k, use * desired, Math.Max(0, use * desired - avail)));
            var taken = Stock.TakeProportional(stock, use * y);
            if (k == primary) primaryTaken = taken;
            cover.Add(new(k, s.Capacity > 0 ? Stock.Total(stock) / (use * s.Capacity) : 0));
        }

        if (primaryTaken is null) Stock.Add(s.Finished, p.Country, y);
        else
        {
            var t = primaryTaken.Sum(x => x.Value);
            foreach (var (o, q) in primaryTaken) Stock.Add(s.Finished, o, t > 0 ? y * q / t : 0);
        }

        var price = ctx.Price(p.Output, s.HomeSegment);
        var valueAdded = Math.Max(0, price - InputCost(p, s));
        var loss = (desired - y) * valueAdded;
        s.CumulativeLoss += loss;
        s.PlannedRate = desired;

        foreach (var k in inputs)
            Thrift.Update(s, p.Thrift, world.Demand, k, ctx.Price(k, s.HomeSegment), world.Commodity(k).ReferencePrice);

        return new AgentReport(p.Id, p.Country, p.Sector, desired * valueAdded, loss, shortages, cover, 0);
    }
}
