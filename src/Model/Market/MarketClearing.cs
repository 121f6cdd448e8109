using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Market;

/// <summary>
/// Clears one commodity for one tick. Each seller asks its segment's price; each buyer is served by the allowed sellers in order
/// of delivered price (tariff included), spread over offers within a price band. An oversubscribed seller serves its priority
/// countries first, then everyone pro rata. Policies decide each link: banned, quota-limited, or licensed (a draw decides
/// approval; a refusal blocks the applicant for a drawn processing delay; an approval adds that delay to transport).
/// The result depends only on the inputs as sets: both lists are sorted by a stable key first.
/// </summary>
public static class MarketClearing
{
    const double Eps = 1e-9;
    /// <summary>
    /// Buyers spread an order over offers up to this fraction dearer than the cheapest, with a weight falling linearly from
    /// 1 at the cheapest to 0 at the edge (switching costs, contracts). Demand then moves smoothly with price, not all at once.
    /// </summary>
    public const double PriceBand = 0.10;

    sealed class Candidate
    {
        public int Ask;
        public double Delivered;
        public double TariffRate;
        public List<ExportControl> Controls = new();
    }

    public static MarketState Initialise(ScenarioSpec world, CommoditySpec c) => new()
    {
        Commodity = c.Id,
        Prices = world.Segments.ToDictionary(s => s.Id, _ => c.ReferencePrice),
    };

    public static ClearingResult Clear(ScenarioSpec world, MarketState state, int tick, IEnumerable<Ask> askInput, IEnumerable<Bid> bidInput,
        IReadOnlyList<PolicySpec> inForce, ulong seed)
    {
        var commodity = world.Commodity(state.Commodity);
        var asks = askInput.OrderBy(a => a.SortKey, StringComparer.Ordinal).ToList();
        var bids = bidInput.OrderBy(b => b.BuyerId, StringComparer.Ordinal).ThenBy(b => b.EndUse).ToList();
        var controls = inForce.OfType<ExportControl>().Where(c => c.Commodities.Contains(commodity.Id)).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        var tariffs = inForce.OfType<Tariff>().Where(t => t.Commodities.Contains(commodity.Id)).OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        var floors = inForce.OfType<PriceFloor>().Where(f => f.Floors.ContainsKey(commodity.Id)).OrderBy(f => f.Id, StringComparer.Ordinal).ToList();

        var segOfAsk = asks.Select(a => world.SegmentOf(a.SellerCountry)).ToArray();
        var askPrice = segOfAsk.Select(s => state.Prices[s]).ToArray();
        var cap = asks.Select(a => a.Quantity).ToArray();

        // Candidate sellers per (buyer country, end use); a buyer filters them by its limit price and by not being the seller.
        var linkCache = new Dictionary<(string, EndUse), List<Candidate>>();
        List<Candidate> Links(Bid b)
        {
            if (linkCache.TryGetValue((b.BuyerCountry, b.EndUse), out var l)) return l;
            l = new List<Candidate>();
            for (int i = 0; i < asks.Count; i++)
            {
                var a = asks[i];
                if (a.OnlyFor.Count > 0 && !a.OnlyFor.Contains(b.BuyerCountry)) continue;
                var binding = controls.Where(c => c.Covers(commodity.Id, b.BuyerCountry, b.EndUse) && c.BindsSeller(a.SellerCountry, a.Origin)).ToList();
                if (binding.Any(c => c.Mode == ControlMode.Ban)) continue;
                double rate = 0;
                foreach (var t in tariffs) if (t.Applies(commodity.Id, b.BuyerCountry, a.Origin)) rate += t.Rate;
                l.Add(new Candidate { Ask = i, Delivered = askPrice[i] * (1 + rate), TariffRate = rate, Controls = binding });
            }
            l = l.OrderBy(c => c.Delivered).ThenBy(c => asks[c.Ask].SellerCountry == b.BuyerCountry ? 0 : 1).ThenBy(c => c.Ask).ToList();
            linkCache[(b.BuyerCountry, b.EndUse)] = l;
            return l;
        }

        // Each bid's allowed sellers; bids that filter nothing out share their country's list (no copy per bid).
        var cands = new List<Candidate>[bids.Count];
        for (int b = 0; b < bids.Count; b++)
        {
            var links = Links(bids[b]);
            var all = true;
            foreach (var c in links)
                if (c.Delivered > bids[b].LimitPrice || asks[c.Ask].SellerId == bids[b].BuyerId) { all = false; break; }
            cands[b] = all ? links : links.Where(c => c.Delivered <= bids[b].LimitPrice && asks[c.Ask].SellerId != bids[b].BuyerId).ToList();
        }
        var remaining = bids.Select(b => b.Quantity).ToArray();
        var licenceDelay = new Dictionary<(int, string), int?>(); // (bid, control) → approved delay, or null when refused
        var blocked = new HashSet<(int, int)>(); // (bid, candidate index) closed for this tick
        var filled = new Dictionary<(int Bid, int Ask), (double Q, int Delay, int Cand)>();

        int Period(ExportControl c) => (tick - c.Start) / Math.Max(1, c.QuotaPeriodDays);
        string QuotaKey(ExportControl c) => c.Id + "|" + Period(c);

        // Is the link open for this bid this tick? Draws licence decisions lazily, once per (buyer, control) per tick.
        bool Open(int b, Candidate c, out int delay)
        {
            delay = 0;
            foreach (var ctl in c.Controls)
            {
                if (ctl.Mode == ControlMode.Quota && ctl.QuotaQuantity - state.QuotaUsed.GetValueOrDefault(QuotaKey(ctl)) <= Eps) return false;
                if (ctl.Mode != ControlMode.License) continue;
                var bid = bids[b];
                if (!licenceDelay.TryGetValue((b, ctl.Id), out var d))
                {
                    var key = bid.BuyerId + "|" + ctl.Id;
                    if (state.LicenceBlockedUntil.TryGetValue(key, out var until) && until > tick) d = null;
                    else if (state.LicenceValidUntil.TryGetValue(key, out var valid) && valid >= tick) d = state.LicenceDelay[key];
                    else
                    {
                        var days = ctl.DelayMinDays + (ctl.DelayMaxDays - ctl.DelayMinDays) * DeterministicRandom.Uniform(seed, tick, "licence-delay", bid.BuyerId, ctl.Id + "|" + commodity.Id);
                        var approved = DeterministicRandom.Uniform(seed, tick, "licence-approval", bid.BuyerId, ctl.Id + "|" + commodity.Id) < ctl.ApprovalRate;
                        d = (int)Math.Ceiling(days);
                        // A decision takes the processing delay either way. A refusal closes the link until then; an approval
                        // covers shipments for as long again. The open share of time is then ≈ the approval rate, which is
                        // what 2025 showed (≈25% approvals, magnet exports down ≈75%: FACTS).
                        if (!approved) { state.LicenceBlockedUntil[key] = tick + Math.Max(1, d.Value); d = null; }
                        else { state.LicenceValidUntil[key] = tick + Math.Max(1, d.Value) - 1; state.LicenceDelay[key] = d.Value; }
                    }
                    licenceDelay[(b, ctl.Id)] = d;
                }
                if (d is null) return false;
                delay = Math.Max(delay, d.Value);
            }
            return true;
        }

        bool IsOpen(int b, int i, out int delay)
        {
            delay = 0;
            return cap[cands[b][i].Ask] > Eps && (blocked.Count == 0 || !blocked.Contains((b, i))) && Open(b, cands[b][i], out delay);
        }

        // The sellers a buyer asks this round: among open links within the price band of the cheapest, those reserved for
        // its country (contracts, its own stockpile) first, then the rest; the order is spread in proportion to the seller's
        // normal sales rate (its market share, not whatever stock it happens to hold) × a weight falling linearly with price.
        var open = new List<(int I, int Delay)>();
        var chosen = new List<(int I, double W, int Delay)>();
        void Choose(int b)
        {
            open.Clear(); chosen.Clear();
            var list = cands[b];
            var best = double.PositiveInfinity;
            for (int i = 0; i < list.Count; i++)
                if (IsOpen(b, i, out var d)) { open.Add((i, d)); best = Math.Min(best, list[i].Delivered); }
            if (open.Count == 0) return;
            var edge = best * (1 + PriceBand) + Eps;
            var top = 1;
            foreach (var (i, _) in open) if (list[i].Delivered <= edge && asks[list[i].Ask].OnlyFor.Count > 0) { top = 0; break; }
            foreach (var (i, d) in open)
            {
                if (list[i].Delivered > edge || (asks[list[i].Ask].OnlyFor.Count > 0 ? 0 : 1) != top) continue;
                var w = Math.Max(asks[list[i].Ask].Flow, 1e-9 * cap[list[i].Ask]) * Math.Max(1e-6, 1 - (list[i].Delivered / best - 1) / PriceBand);
                chosen.Add((i, w, d));
            }
        }

        var requests = new List<(int Bid, double Q, int Delay, int Cand)>[asks.Count];
        for (int a = 0; a < asks.Count; a++) requests[a] = new();
        for (int round = 0; round <= asks.Count + 1; round++)
        {
            var any = false;
            foreach (var r in requests) r.Clear();
            for (int b = 0; b < bids.Count; b++)
            {
                if (remaining[b] <= Eps) continue;
                Choose(b);
                if (chosen.Count == 0) continue;
                double totalWeight = 0;
                foreach (var c in chosen) totalWeight += c.W;
                foreach (var c in chosen)
                    requests[cands[b][c.I].Ask].Add((b, remaining[b] * c.W / totalWeight, c.Delay, c.I));
                any = true;
            }
            if (!any) break;

            for (int a = 0; a < asks.Count; a++)
            {
                var reqs = requests[a];
                if (reqs.Count == 0) continue;
                var ask = asks[a];
                // Priority buyers first, then the rest, each class pro rata.
                foreach (var cls in new[] { true, false })
                {
                    double total = 0;
                    var members = 0;
                    foreach (var r in reqs)
                        if (ask.PriorityBuyers.Contains(bids[r.Bid].BuyerCountry) == cls) { total += r.Q; members++; }
                    if (members == 0) continue;
                    var share = total <= cap[a] ? 1 : cap[a] / total;
                    foreach (var r in reqs)
                    {
                        if (ask.PriorityBuyers.Contains(bids[r.Bid].BuyerCountry) != cls) continue;
                        var q = r.Q * share;
                        var cand = cands[r.Bid][r.Cand];
                        foreach (var ctl in cand.Controls)
                            if (ctl.Mode == ControlMode.Quota)
                                q = Math.Min(q, Math.Max(0, ctl.QuotaQuantity - state.QuotaUsed.GetValueOrDefault(QuotaKey(ctl))));
                        if (q <= Eps) { blocked.Add((r.Bid, r.Cand)); continue; }
                        foreach (var ctl in cand.Controls)
                            if (ctl.Mode == ControlMode.Quota)
                                state.QuotaUsed[QuotaKey(ctl)] = state.QuotaUsed.GetValueOrDefault(QuotaKey(ctl)) + q;
                        var prev = filled.GetValueOrDefault((r.Bid, a));
                        filled[(r.Bid, a)] = (prev.Q + q, r.Delay, r.Cand);
                        remaining[r.Bid] -= q;
                        cap[a] -= q;
                        if (q < r.Q * share - Eps) blocked.Add((r.Bid, r.Cand));
                    }
                }
            }
        }

        // Fills, in (bid, ask) order.
        var fills = new List<Fill>(filled.Count);
        var sold = new double[asks.Count];
        var keys = filled.Keys.ToList();
        keys.Sort((x, y) => x.Bid != y.Bid ? x.Bid.CompareTo(y.Bid) : x.Ask.CompareTo(y.Ask));
        foreach (var (b, a) in keys)
        {
            var (q, delay, ci) = filled[(b, a)];
            var bid = bids[b]; var ask = asks[a];
            var cand = cands[b][ci];
            double floor = 0; string? payer = null;
            foreach (var f in floors)
                if (f.Covers(commodity.Id, ask.SellerCountry) && f.Floors[commodity.Id] > floor) { floor = f.Floors[commodity.Id]; payer = f.Id; }
            var subsidy = Math.Max(0, floor - askPrice[a]);
            var transport = Math.Max(1, world.Transport.DaysBetween(ask.SellerCountry, bid.BuyerCountry));
            fills.Add(new Fill(bid.BuyerId, bid.BuyerCountry, ask.SellerId, ask.SellerCountry, commodity.Id, ask.Origin, bid.EndUse, q,
                askPrice[a], askPrice[a] * cand.TariffRate, subsidy, subsidy > 0 ? payer : null, tick, tick + transport + delay));
            sold[a] += q;
        }

        // Price per segment from flow supply and demand; unmet demand counts in every segment the buyer could reach.
        var prices = world.Segments.Select(s => new SegmentPrice(commodity.Id, s.Id, state.Prices[s.Id])).ToList();
        var supply = new Dictionary<string, double>();
        var demand = new Dictionary<string, double>();
        for (int a = 0; a < asks.Count; a++)
        {
            supply[segOfAsk[a]] = supply.GetValueOrDefault(segOfAsk[a]) + asks[a].Flow;
            demand[segOfAsk[a]] = demand.GetValueOrDefault(segOfAsk[a]) + sold[a];
        }
        for (int b = 0; b < bids.Count; b++)
        {
            if (remaining[b] <= Eps) continue;
            var segs = new List<string>(2);
            for (int i = 0; i < cands[b].Count; i++)
                if ((blocked.Count == 0 || !blocked.Contains((b, i))) && Open(b, cands[b][i], out _) && !segs.Contains(segOfAsk[cands[b][i].Ask]))
                    segs.Add(segOfAsk[cands[b][i].Ask]);
            if (segs.Count > 1) segs.Sort(StringComparer.Ordinal);
            foreach (var s in segs) demand[s] = demand.GetValueOrDefault(s) + remaining[b] / segs.Count;
        }
        var next = new List<SegmentPrice>();
        foreach (var s in world.Segments)
        {
            var p = PriceRule.Next(state.Prices[s.Id], demand.GetValueOrDefault(s.Id), supply.GetValueOrDefault(s.Id), commodity.PriceAdjustment,
                commodity.PriceReversion, commodity.ReferencePrice,
                commodity.MinPriceFactor * commodity.ReferencePrice, commodity.MaxPriceFactor * commodity.ReferencePrice);
            state.Prices[s.Id] = p;
            next.Add(new SegmentPrice(commodity.Id, s.Id, p));
        }

        // Forget licence blocks that have run out, so the state stays small.
        foreach (var k in state.LicenceBlockedUntil.Where(x => x.Value <= tick).Select(x => x.Key).OrderBy(k => k, StringComparer.Ordinal).ToList())
            state.LicenceBlockedUntil.Remove(k);
        foreach (var k in state.LicenceValidUntil.Where(x => x.Value <= tick).Select(x => x.Key).OrderBy(k => k, StringComparer.Ordinal).ToList())
        {
            state.LicenceValidUntil.Remove(k);
            state.LicenceDelay.Remove(k);
        }
        return new ClearingResult(commodity.Id, fills, prices, next);
    }
}
