using MarketSim.Model.Scenario;

namespace MarketSim.Model.Agents;

/// <summary>
/// Capacity that answers prices (docs/MODEL.md, "Investment that answers prices"): a producer whose expected margin
/// (revenue, floors included, over unit cost plus inputs, minus 1) has stayed at or above the threshold, with its expected
/// sales at its market's normal utilisation of its capacity or above, for the sustain days decides an expansion of
/// Step × max(its capacity now, its capacity at the start). The threshold is lowered by the share of output under offtake
/// contracts (secured sales need less margin). The expansion produces after the lead time and ramps up along an S-curve
/// S(x) = 3x² − 2x³ over the ramp days. One expansion at a time.
/// </summary>
public static class Investment
{
    public static double SCurve(double x) => x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x);

    /// <summary>Decides (or not) and returns the capacity the firm's expansions add this tick.</summary>
    public static double Step(ScenarioSpec world, ProducerSpec p, FirmState s, int tick, double margin)
    {
        var inv = world.Investment;
        if (inv.Step > 0)
        {
            var threshold = inv.MarginThreshold * (1 - p.ReservedShare);
            // Demand must press on capacity too (the accelerator: Chenery, Econometrica 20(1), 1952): sales expected at its
            // market's normal utilisation u₀ of what it can make now, or more. A margin earned on sales that fell below that
            // buys no plant; before Dec 2026 such a producer still expanded when its margin held. A plant with no capacity now
            // has nothing for demand to press on. Ŝ does not fall on days the producer's inputs cut its output (ProducerRules),
            // so an input-starved producer keeps the Ŝ it had; a joint producer reads its main output's.
            var pressing = s.Capacity > 0 && s.ExpectedSales >= world.OpeningUtilisation(p.Output) * s.Capacity * (1 - 1e-9);
            s.MarginDays = margin >= threshold && pressing ? s.MarginDays + 1 : 0;
            var busy = s.Expansions.Any(e => tick < e.DecidedTick + e.LeadDays + inv.RampDays);
            var basis = Math.Max(s.Capacity, p.Capacity);
            if (!busy && s.MarginDays >= inv.SustainDays && basis > 0)
            {
                s.Expansions.Add(new Expansion(tick, inv.Step * basis, (int)Math.Round(p.InvestmentLeadDays ?? inv.LeadDays)));
                s.MarginDays = 0;
            }
        }
        double added = 0;
        foreach (var e in s.Expansions)
        {
            var online = e.DecidedTick + e.LeadDays;
            var ramp = Math.Max(1, inv.RampDays);
            added += e.Added * (SCurve((tick + 1 - online) / ramp) - SCurve((tick - online) / ramp));
        }
        return added;
    }
}
