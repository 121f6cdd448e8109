namespace MarketSim.Model.Market;

/// <summary>
/// Tâtonnement with reversion: p' = p·exp(κ·(D − S)/(D + S) − μ·ln(p/p̂)), bounded by [min, max].
/// κ moves the price with excess demand; μ pulls it back towards p̂ (the responses the model leaves out: recycling, hoarders
/// selling, new marginal supply): the market passes the reference price moved by its sellers' costs (MarketClearing), p₀
/// where they state none. A shortage held at z = (D − S)/(D + S) settles at p/p̂ = exp(κ·z/μ): a total cut-off (z = 1) with
/// κ/μ = 3 gives ≈20×, the 2010–11 dysprosium spike (19–26×).
/// </summary>
public static class PriceRule
{
    public static double Next(double price, double demand, double supply, double kappa, double min, double max) =>
        Next(price, demand, supply, kappa, 0, price, min, max);

    /// <param name="towards">A price free trade pulls this one to (segments pooled into one market): the log gap closes by at
    /// most κ a day. Equal to <paramref name="price"/>, or absent, it changes nothing.</param>
    public static double Next(double price, double demand, double supply, double kappa, double reversion, double reference, double min, double max,
        double? towards = null)
    {
        var z = demand + supply <= 1e-12 ? 0 : (demand - supply) / (demand + supply);
        var pull = reversion > 0 && reference > 0 ? reversion * Math.Log(price / reference) : 0;
        var arbitrage = towards is { } t && t > 0 && t != price ? Math.Clamp(Math.Log(t / price), -kappa, kappa) : 0;
        if (z == 0 && pull == 0 && arbitrage == 0) return price;
        return Math.Clamp(price * Math.Exp(kappa * z - pull + arbitrage), min, max);
    }
}
