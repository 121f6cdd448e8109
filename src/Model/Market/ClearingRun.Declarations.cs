using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        List<ExportControl>?[] declaredBy = [];
        readonly Dictionary<int, double> declaredLeft = new();

        void FindDeclarations()
        {
            // End-use declarations: where a control on military end use covers a buyer that also buys for military use (its output
            // serves military customers), the exporter sells it for civil use only what
            // it declares it needs for civil output, its civil normal requirement per tick; so a ban on military end use cuts what a
            // firm with military customers can buy in proportion to its military share, instead of its civil orders making up for it.
            var military = controls.Where(c => c.EndUse == EndUseScope.Military).ToList();
            // The controls binding a declaration are the order's (null: none); each part with a normal requirement declares its own.
            declaredBy = rented.Rent<List<ExportControl>?>(orders.Count);
            var servesMilitary = military.Count == 0 ? [] : orders.Where(b => b.EndUse == EndUse.Military).Select(b => b.BuyerId).ToHashSet(StringComparer.Ordinal);
            if (military.Count > 0)
                for (int o = 0; o < orders.Count; o++)
                {
                    if (orders[o].EndUse != EndUse.Civil || !servesMilitary.Contains(orders[o].BuyerId)) continue;
                    foreach (var c in military)
                        if (c.Covers(commodity.Id, orders[o].BuyerCountry, EndUse.Military, orders[o].BuyerId, orders[o].Sector)) (declaredBy[o] ??= []).Add(c);
                }
            // A declaration covers the tick's civil requirement and what earlier declarations covered but the buyer could not buy
            // (a licence refused, a seller empty): the ban cuts the military share, not civil needs that a refusal postponed.
            for (int b = 0; b < partCount; b++)
                if (Declares(b))
                    declaredLeft[b] = parts[b].Normal + (state.DeclaredBacklog.Count == 0 ? 0.0 : state.DeclaredBacklog.GetValueOrDefault(DeclarationKey(b)));
        }

        bool Declares(int b) => declaredBy[parts[b].Order] is not null && parts[b].Normal > 0;
        string DeclarationKey(int b) => OrderOf(b).BuyerId + "|" + parts[b].Application;
        // A loop, not Any with a lambda: a lambda over b and a would allocate its closure on every call (once per request).
        bool Declared(int b, int a)
        {
            if (!Declares(b)) return false;
            foreach (var c in declaredBy[parts[b].Order]!)
                if (c.BindsSeller(asks[a].SellerCountry, asks[a].Origin, OrderOf(b).BuyerCountry)) return true;
            return false;
        }

        void CarryDeclarations()
        {
            // What each declaration covered and its buyer still lacks is carried to the next tick (only the buyers declaring now), up
            // to the part's civil requirement over its order-up-to horizon (D + L + 1 days: the most its position plans for). Until
            // Dec 2026 it was carried up to what was left of the part's order, which held a refusal's civil needs only while buyers'
            // positions were short by the licence's wait (its gap posted every tick); with applications in flight counted as on
            // order a refused part's 1/n of a day's order cut the backlog, and the licence-and-ban test world's magnet maker got
            // 0.66 of its Dy under the licence alone (ControlsThroughChainTests: at least 0.68).
            if (declaredLeft.Count > 0 || state.DeclaredBacklog.Count > 0)
            {
                var backlog = new Dictionary<string, double>(StringComparer.Ordinal);
                for (int b = 0; b < partCount; b++)
                    if (declaredLeft.TryGetValue(b, out var left) && Math.Min(left, parts[b].Normal * Math.Max(1, OrderOf(b).Horizon)) is var carry && carry > tol
                        && DeclarationKey(b) is var key)
                        backlog[key] = backlog.GetValueOrDefault(key) + carry;
                state.DeclaredBacklog = backlog;
            }
        }
    }
}
