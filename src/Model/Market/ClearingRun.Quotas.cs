using MarketSim.Model.Policies;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        int Period(ExportControl c) => quotas.Period(c);
        // A quota is used up when what is left is below a billionth of it, or too little for a fill (at most tol is none): sharing
        // it pro rata among many requests leaves float crumbs (1.6e-9 t of a 20 t quota) that no request may take. Before Dec
        // 2026 an absolute 1e-9 counted such a quota as having room: it stopped separating the segments and China's and the
        // world's Dy prices met while the quota still bound every period.
        bool UsedUp(ExportControl c, int period, int lag = 0) => QuotaLeft(c, period, lag) <= Math.Max(Eps * c.QuotaQuantity, tol);
        // A quota has a shadow price where it binds: used up in its period so far, or in the whole of the period before (its
        // holders expect it to bind again and price it so). Offers are made before the day's fills, so they read it as it stood
        // after yesterday's (on a period's first day, the period before alone); the price rule reads it after today's.
        bool QuotaBinds(ExportControl c, bool afterFills) =>
            (afterFills || (tick - c.Start) % Math.Max(1, c.QuotaPeriodDays) > 0) && UsedUp(c, Period(c), afterFills ? 0 : 1)
            || (Period(c) > 0 && UsedUp(c, Period(c) - 1));
        // A quota accrues through its period: by day d of a period of P days Q·(d + 1)/P may have shipped, what was not used
        // carried to the period's later days. Holders of a quota everyone sees binding do not sell it all at once at the home
        // price and then watch the price abroad rise; they spread it, and its scarcity is priced from the period's first day
        // (intertemporal arbitrage of a storable good). Before Dec 2026 the whole of Q was open from each period's first day:
        // the same 120 t of Dy a year earned China $152 m of rent as 10 t a month and none as 120 t a year, shipped in the
        // first weeks at the home price (a review's probe; `ComparativeStaticsTests`).
        // lag 1 reads the quota as it stood after yesterday's fills (what today's first offers know).
        double QuotaLeft(ExportControl c, int period, int lag = 0)
        {
            var days = Math.Max(1, c.QuotaPeriodDays);
            var open = period < Period(c) ? 1 : Math.Clamp(((tick - c.Start) % days + 1 - lag) / (double)days, 0, 1);
            return c.QuotaQuantity * open - quotas.Used(c, period);
        }

        // A quota is shared pro rata among the round's requests under it, not taken first come by buyer id: each request's
        // tentative quantity (its share of the seller's stock, in tier order) is scaled by the quota left over the
        // total asked under that quota this round.
        // By the quota's slot (QuotaBook): quotas that share a key share a slot.
        double[]? QuotaScale()
        {
            double[]? quotaScale = null;
            if (controls.Any(c => c.Mode == ControlMode.Quota))
            {
                var asked = new double[controls.Count];
                for (int a = 0; a < asks.Count; a++)
                {
                    var reqs = requests[a];
                    var alloc = new double[reqs.Count];
                    for (int tier = 0; tier < Tiers; tier++)
                    {
                        if ((tiersOf[a] & (1 << tier)) == 0) continue;
                        var share = ClassAllocation(a, reqs, tier, Math.Max(0, cap[a] - alloc.Sum()), new double[reqs.Count]);
                        for (int k = 0; k < reqs.Count; k++) alloc[k] += share[k];
                    }
                    for (int k = 0; k < reqs.Count; k++)
                        foreach (var ctl in cands[reqs[k].Bid][reqs[k].Cand].Controls)
                            if (ctl.Mode == ControlMode.Quota)
                                asked[quotas.SlotOf(ctl)] += alloc[k];
                }
                quotaScale = new double[controls.Count];
                foreach (var ctl in controls.Where(c => c.Mode == ControlMode.Quota))
                {
                    var want = asked[quotas.SlotOf(ctl)];
                    var left = Math.Max(0, QuotaLeft(ctl, Period(ctl)));
                    quotaScale[quotas.SlotOf(ctl)] = want <= left || want <= 0 ? 1 : left / want;
                }
            }
            return quotaScale;
        }
    }
}
