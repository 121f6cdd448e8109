using System.Runtime.InteropServices;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        // The price inside a tariff wall. Where a country's buyers bought across a tariff today, the last unit they bought cost the
        // taxed import's delivered price, so an untaxed seller (a maker at home, or abroad where no tariff covers it) could ask
        // that price of them: while imports flow, the price inside the wall is the price outside × (1 + t) (the incidence of an
        // import tariff on a good with untaxed supply; Krugman, Obstfeld & Melitz, International Economics, ch. 9). Per buyer
        // country: the quantity-weighted delivered price of what its firms bought across a tariff today, duty included (a state's
        // stockpile pays its own state's duty, a transfer, so its purchases do not count). A seller asks one price, though: one
        // that sold outside the wall at less (to a buyer outside every wall, or inside one whose price is lower) could have sold
        // that to the wall's buyers instead, so it gets from them no more than the least it took from anyone today (Premium).
        // So a net exporter's tariff, or one its makers' foreign buyers undercut, sets no premium. Reserved supply (a contract,
        // a state's own stockpile) keeps its terms. Before Dec 2026 every untaxed seller got its home price, and a 50% tariff on
        // Chinese magnets by every other country lowered what makers outside China got.
        (Dictionary<string, double> Inside, double[] Least) WallPrices()
        {
            // Summed in part order (sorted by buyer), so the same whatever order agents ran in.
            var taxed = new Dictionary<string, (double Q, double Value)>(StringComparer.Ordinal);
            for (int b = 0; b < partCount; b++)
            {
                var bid = orders[parts[b].Order];
                if (stockpileIds.Contains(bid.BuyerId)) continue;
                var list = cands[b];
                for (int i = 0; i < list.Count; i++)
                {
                    var q = filled[candAt[b] + i];
                    if (!(q > 0) || list[i].TariffRate <= 0) continue;
                    ref var t = ref CollectionsMarshal.GetValueRefOrAddDefault(taxed, bid.BuyerCountry, out _);
                    t = (t.Q + q, t.Value + q * list[i].Delivered);
                }
            }
            var inside = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (country, (q, value)) in taxed) inside[country] = value / q;
            // The least each seller took today: at a walled buyer's price where it could ask it, else at its own.
            var least = new double[asks.Count];
            Array.Fill(least, double.PositiveInfinity);
            for (int b = 0; b < partCount; b++)
            {
                var country = orders[parts[b].Order].BuyerCountry;
                var list = cands[b];
                for (int i = 0; i < list.Count; i++)
                {
                    if (!(filled[candAt[b] + i] > 0)) continue;
                    var c = list[i];
                    var at = Walled(c) && inside.TryGetValue(country, out var p) ? Math.Max(c.Price, p) : c.Price;
                    least[c.Ask] = Math.Min(least[c.Ask], at);
                }
            }
            return (inside, least);
        }
        // An untaxed open-market sale: the kind a wall's price reaches.
        bool Walled(Candidate c) => c.TariffRate == 0 && asks[c.Ask].OnlyFor.Count == 0;
    }
}
