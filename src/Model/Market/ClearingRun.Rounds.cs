using MarketSim.Model.Policies;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        /// <summary>A request a buyer's part makes of one seller in a round: the part, the quantity, the candidate (its index in the
        /// part's list), whether the buyer is among the seller's priority buyers (the candidate's, kept here so sorting requests
        /// into tiers reads no candidate) and the alternatives tier it falls in (<c>Alternative</c>). 16 bytes: the candidate,
        /// the priority and the tier (0–2) share an int, and the licence delay is not kept (it is the part's drawn delays on the
        /// candidate's links: <c>DelayOf</c>). At a million firms the magnet market's nine request lists hold ≈8.5 million
        /// requests each; as a tuple with the delay they took 24 bytes a request.</summary>
        struct Request(int bid, double q, int cand, bool priority)
        {
            public readonly int Bid = bid;
            int _candAlt = cand << 3 | (priority ? 4 : 0);
            public readonly double Q = q;
            public readonly int Cand => _candAlt >> 3;
            public readonly bool Priority => (_candAlt & 4) != 0;
            public int Alt
            {
                readonly get => _candAlt & 3;
                set => _candAlt = (_candAlt & ~3) | value;
            }
        }

        PooledList<Request>[] requests = [];

        void ListRequests()
        {
            // Each seller's requests, with room for every part that has it among its candidates (lists this long are not regrown).
            var room = new int[asks.Count];
            for (int b = 0; b < partCount; b++)
                foreach (var c in cands[b]) room[c.Ask]++;
            requests = new PooledList<Request>[asks.Count];
            for (int a = 0; a < asks.Count; a++) requests[a] = new(room[a], pools);
            var longest = room.Length == 0 ? 0 : room.Max();
            qScratch = rented.Rent<double>(longest);
            needScratch = rented.Rent<double>(longest);
            allocScratch = rented.Rent<double>(longest);
            if (world.Buyers.RationByValue) valueScratch = rented.Rent<double>(longest);
            requested = new double[asks.Count];
            tiersOf = new int[asks.Count];
            reservedAsk = new bool[asks.Count];
            for (int a = 0; a < asks.Count; a++) reservedAsk[a] = asks[a].OnlyFor.Count > 0;
        }

        void RunRounds()
        {
            // The parts still choosing, in part order: a part served in full, or one that found no open link (a link once closed
            // stays closed for the tick: capacity, quotas and licence volumes only fall, blocks and decisions stand, and asking
            // Open again of a closed link draws nothing new), chooses no more, so later rounds pass over the rest alone. At
            // 100,000 buyers every round passed over ≈850,000 parts, most of them done.
            var active = rented.Rent<int>(partCount);
            var activeCount = 0;
            for (int b = 0; b < partCount; b++) active[activeCount++] = b;
            for (int round = 0; round <= asks.Count + 1; round++)
            {
                // Every seller sold out: no link is open (IsOpen reads capacity first, so no licence is drawn), and a pass over every
                // part would only find that out (at 100,000 buyers the magnet market's second round was such a pass over 800,000 parts).
                var capacityLeft = false;
                for (int a = 0; a < asks.Count && !capacityLeft; a++) capacityLeft = cap[a] > tol;
                if (!capacityLeft) break;
                var any = false;
                ForgetChoice();
                foreach (var r in requests) r.Clear();
                var stillActive = 0;
                for (int k = 0; k < activeCount; k++)
                {
                    var b = active[k];
                    if (remaining[b] <= tol) continue;
                    Choose(b);
                    if (chosen.Count == 0) continue;
                    active[stillActive++] = b;
                    foreach (var c in chosen)
                    {
                        var cand = cands[b][c.I];
                        requests[cand.Ask].Add(new Request(b, c.Q, c.I, cand.Priority));
                        askedAt[candAt[b] + c.I] += c.Q;
                    }
                    any = true;
                }
                activeCount = stillActive;
                if (!any) break;
                FindAlternatives();

                var quotaScale = QuotaScale(); // shared pro rata among the round's requests (ClearingRun.Quotas.cs)

                for (int a = 0; a < asks.Count; a++) Serve(a, quotaScale);
            }

            foreach (var r in requests) r.Dispose();
            quotas.WriteBack();
        }

        // The part of a fill q to part b beyond the part's base (its need under `needs_first`: Rationing.NeedShare), the base
        // counted as served first: what b was filled before q, from any seller, goes to the base.
        double Stocked(int b, double q)
        {
            var part = parts[b];
            var @base = part.Quantity * Rationing.NeedShare(OrderOf(b), part.Normal / Math.Max(part.Quantity, double.Epsilon), world.Buyers.NeedsFirst);
            var before = part.Quantity - remaining[b];
            return q - Math.Clamp(@base - before, 0, q);
        }

        void Serve(int a, double[]? quotaScale)
        {
            var reqs = requests[a];
            if (reqs.Count == 0) return;
            var ask = asks[a];
            // In tier order (Tier: priority buyers first, then the rest, each by its alternatives), each tier rationed needs
            // first (Rationing).
            for (int tier = 0; tier < Tiers; tier++)
            {
                if ((tiersOf[a] & (1 << tier)) == 0) continue; // an empty tier is served nothing
                var alloc = ClassAllocation(a, reqs, tier, cap[a], allocScratch);
                for (int k = 0; k < reqs.Count; k++)
                {
                    var r = reqs[k];
                    if (Tier(r) != tier) continue;
                    var q = alloc[k];
                    var cand = cands[r.Bid][r.Cand];
                    if (quotaScale is not null)
                        foreach (var ctl in cand.Controls)
                            if (ctl.Mode == ControlMode.Quota) q *= quotaScale[quotas.SlotOf(ctl)];
                    for (int j = 0; j < cand.Controls.Count; j++)
                    {
                        var ctl = cand.Controls[j];
                        if (ctl.Mode == ControlMode.Quota)
                            q = Math.Min(q, Math.Max(0, QuotaLeft(ctl, Period(ctl))));
                        if (ctl.Mode == ControlMode.License && Licence(r.Bid, cand, j) is var id && table[id].HasLeft)
                            q = Math.Min(q, Math.Max(0, table[id].Left));
                    }
                    var declared = Declared(r.Bid, a);
                    if (declared) q = Math.Min(q, Math.Max(0, declaredLeft[r.Bid]));
                    if (q <= tol) { blocked[candAt[r.Bid] + r.Cand] = true; continue; }
                    if (declared) declaredLeft[r.Bid] -= q;
                    var full = alloc[k];
                    for (int j = 0; j < cand.Controls.Count; j++)
                    {
                        var ctl = cand.Controls[j];
                        if (ctl.Mode == ControlMode.Quota) quotas.Add(ctl, q);
                        if (ctl.Mode == ControlMode.License && Licence(r.Bid, cand, j) is var id && table[id].HasLeft)
                        {
                            table.DrawDown(id, q);
                            // What of it lies beyond the part's base is the buyer's own stock-building: a later day this volume,
                            // used up, leaves its base unserved was brought forward by it, not stopped (ClearingRun.Disruptions.cs).
                            if (Stocked(r.Bid, q) is var stock and > 0) table.SetStocked(id, table[id].Stocked + stock);
                        }
                    }
                    filled[candAt[r.Bid] + r.Cand] += q;
                    if (UnderLicence(cand)) licensedGot[parts[r.Bid].Order] += q;
                    remaining[r.Bid] -= q;
                    cap[a] -= q;
                    if (q < full - tol) blocked[candAt[r.Bid] + r.Cand] = true;
                }
            }
        }
    }
}
