namespace MarketSim.Model.Market;

/// <summary>Tâtonnement: p' = p·exp(κ·(D − S)/(D + S)), bounded by [min, max]·reference.</summary>
public static class PriceRule
{
    public static double Next(double price, double demand, double supply, double kappa, double min, double max)
    {
        if (demand + supply <= 1e-12) return price;
        var z = (demand - supply) / (demand + supply);
        return Math.Clamp(price * Math.Exp(kappa * z), min, max);
    }
}
