using MarketSim.Model.Scenario;

namespace MarketSim.Model.Agents;

/// <summary>
/// Demand response with a lag: while an input's price p is above its reference p₀, the firm's use per unit θ drifts towards
/// θ* = max(floor, (p/p₀)^−ε); when the price falls back, θ drifts back towards 1 − φ·(1 − θ_low), where θ_low is the lowest
/// intensity reached and φ the persistence (the share of a redesign that is not undone). θ' = θ + (θ* − θ)/lag.
/// </summary>
public static class Thrift
{
    public static double Target(double price, double reference, double elasticity, double floor)
    {
        if (price <= reference || reference <= 0) return 1;
        return Math.Max(floor, Math.Pow(price / reference, -elasticity));
    }

    public static void Update(FirmState s, IReadOnlyDictionary<string, ThriftSpec> specs, DemandSettings demand,
        string commodity, double price, double reference)
    {
        double floor = demand.Floor, eps = demand.Elasticity, lag = demand.LagDays;
        if (specs.TryGetValue(commodity, out var t))
        {
            floor = t.Floor; eps = t.Elasticity ?? eps; lag = t.LagDays ?? lag;
        }
        var theta = s.Intensity.GetValueOrDefault(commodity, 1);
        var target = Target(price, reference, eps, floor);
        if (demand.Persistence > 0)
        {
            var low = Math.Min(s.IntensityLow.GetValueOrDefault(commodity, 1), theta);
            if (low < 1) s.IntensityLow[commodity] = low;
            target = Math.Min(target, 1 - demand.Persistence * (1 - low));
        }
        s.Intensity[commodity] = theta + (target - theta) / Math.Max(1, lag);
    }
}
