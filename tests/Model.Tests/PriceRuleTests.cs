namespace MarketSim.Model.Tests;

public class PriceRuleTests
{
    [Fact]
    public void Price_rises_with_excess_demand()
    {
        // z = (150 − 50)/(150 + 50) = 0.5; p' = 100·exp(0.1·0.5)
        Assert.Equal(100 * Math.Exp(0.05), PriceRule.Next(100, demand: 150, supply: 50, kappa: 0.1, min: 20, max: 4000), 9);
    }

    [Fact]
    public void Price_falls_with_excess_supply()
    {
        Assert.Equal(100 * Math.Exp(-0.05), PriceRule.Next(100, demand: 50, supply: 150, kappa: 0.1, min: 20, max: 4000), 9);
    }

    [Fact]
    public void Price_holds_when_demand_meets_supply_or_there_is_no_trade()
    {
        Assert.Equal(100, PriceRule.Next(100, 70, 70, 0.1, 20, 4000));
        Assert.Equal(100, PriceRule.Next(100, 0, 0, 0.1, 20, 4000));
    }

    [Fact]
    public void Price_stays_within_its_bounds()
    {
        Assert.Equal(4000, PriceRule.Next(3990, demand: 1000, supply: 0, kappa: 1, min: 20, max: 4000));
        Assert.Equal(20, PriceRule.Next(21, demand: 0, supply: 1000, kappa: 1, min: 20, max: 4000));
    }

    [Fact]
    public void The_step_is_bounded_by_kappa_however_large_the_imbalance()
    {
        var p = PriceRule.Next(100, demand: 1e9, supply: 1e-9, kappa: 0.03, min: 1, max: 1e6);
        Assert.True(p <= 100 * Math.Exp(0.03) + 1e-9 && p > 100);
    }
}

public class PriceReversionTests
{
    [Fact]
    public void A_shortage_held_steady_settles_where_the_pull_back_balances_the_push()
    {
        // z = 1 every day, κ = 0.03, μ = 0.01: the price settles at exp(κ/μ) = e³ ≈ 20× the reference, not at the cap.
        double p = 100;
        for (int t = 0; t < 3000; t++) p = MarketSim.Model.Market.PriceRule.Next(p, 1, 0, 0.03, 0.01, 100, 20, 100_000);
        Assert.Equal(100 * Math.Exp(3), p, 3);
    }

    [Fact]
    public void Without_excess_demand_the_price_drifts_back_to_its_reference()
    {
        double p = 500;
        for (int t = 0; t < 2000; t++) p = MarketSim.Model.Market.PriceRule.Next(p, 10, 10, 0.03, 0.01, 100, 20, 4000);
        Assert.InRange(p, 99.9, 100.1);
    }
}
