using MarketSim.Model.Policies;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        // What each buyer met per supplier country. A buyer's bids are consecutive (sorted by buyer id), so it is summed per
        // country in a small list, in bid order, and written out when the next buyer starts: buyers in bid (ordinal) order, each
        // buyer's countries in Comparer<string>.Default order, as the sorted map this replaces gave them. Only each buyer's own
        // disruptions reach it (SessionRules.Route), so their order per buyer is the one that counts; no map of every buyer.
        readonly List<Disruption> disruptions = new();
        readonly List<(string Country, double Q, double E, bool Controlled)> met = new(4);
        string? metBuyer;
        // Each candidate list's seller countries, worked out once per list (orders that filter nothing out share their link set's):
        // the countries in candidate order, each with its candidates and whether any of them is under a control.
        PerCandidateList<SellerCountries> countriesOf = null!;
        // Whether each of the current part's candidates is open (Open, read at most once per candidate: nothing between the
        // unmet demand and the disruptions changes its answer): 0 not read yet, 1 open, 2 closed; the delay where open.
        byte[] openRead = new byte[8];
        int[] openDelay = new int[8];
        bool OpenAfter(int b, int i, out int delay)
        {
            delay = 0;
            if (blocked[candAt[b] + i]) return false;
            if (openRead[i] == 0) openRead[i] = Open(b, cands[b][i], out openDelay[i]) ? (byte)1 : (byte)2;
            delay = openDelay[i];
            return openRead[i] == 1;
        }

        /// <summary>Per part, in part order: its unmet demand (UnmetDemand), then what it met at each supplier country. One pass:
        /// Open draws the licence decisions not drawn yet, in the order it is asked.</summary>
        void ReadWhatBuyersMet()
        {
            countriesOf = new PerCandidateList<SellerCountries>(() => new SellerCountries(), (x, list) => x.Fill(list, asks));
            disruptions.Capacity = pools.LastDisruptions + pools.LastDisruptions / 8; // as many as the last clearing noted
            for (int b = 0; b < partCount; b++)
            {
                var bid = OrderOf(b);
                var part = parts[b];
                var set = linksOf[part.Order];
                if (metBuyer is not null && !string.Equals(metBuyer, bid.BuyerId, StringComparison.Ordinal)) FlushMet();
                // An urgent bid's need is its buyer's regular bid's: what it leaves unmet is counted there, and it asked no one else.
                var urgent = bid.IsUrgent;
                if (urgent) continue;
                var list = cands[b];
                excused.Clear();
                if (openRead.Length < list.Count)
                {
                    openRead = new byte[2 * list.Count];
                    openDelay = new int[2 * list.Count];
                }
                else Array.Clear(openRead, 0, list.Count);
                if (remaining[b] > tol) UnmetDemand(b, bid, part, set, list); // ClearingRun.Demand.cs

                // What this bid met at each supplier country a policy touches: 1 where a ban, refusal or used-up quota stopped it, the
                // licence delay's share of the lead time where a licence let it through, 0 where nothing bound.
                // A part nothing bound at a country counts there as 0: the estimate is an average over all of the buyer's parts, so a
                // banned military share of 1% is 1% of the disruption met, not all of it (before Dec 2026 such parts noted nothing,
                // and the banned share alone set the average to 1). Countries no part met a control at are not written out.
                foreach (var c in set.Banned) Note(bid.BuyerId, part.Quantity, c, 1, true);
                var countries = countriesOf.Of(list, ReferenceEquals(list, set.Candidates));
                // The share of the part a seller serves first (Rationing.NeedShare: its base, or its need under `needs_first`); the rest
                // is precautionary stock.
                var needShare = Rationing.NeedShare(bid, part.Normal / Math.Max(part.Quantity, double.Epsilon), world.Buyers.NeedsFirst);
                for (int k = 0; k < countries.Count; k++)
                {
                    var country = countries.Names[k];
                    if (!countries.Controlled[k]) { Note(bid.BuyerId, part.Quantity, country, 0, false); continue; }
                    double e = 1;
                    foreach (var i in countries.Members[k])
                    {
                        var ci = list[i];
                        // Served there this tick, or a link still open: only the licence delay counts against the country (the transport
                        // is the same for every candidate from one country). Served part of what it asked there before a control closed
                        // the link (a quota used up, a licence's volume drawn down): the part of its base (need) served met the delay, the
                        // rest of the base was stopped (1); what it asked beyond its base, precautionary stock, counts as not stopped.
                        // Before Dec 2026 any fill counted as nothing stopped: in japan-2010 Germany's high-temperature magnet maker, sent
                        // 0.03-0.16 t a day (it uses ≈0.9 t) once China's monthly NdPr quota ran out (Nov 2010), learnt no risk of China,
                        // while days with no fill at all taught it 0.9; Japan's 2011 import share swung between 81.9% and 87.1% on which
                        // side of 0 those slivers fell (MODEL.md, The 2010 backcast). Until the base rule (Dec 2026) the precautionary
                        // rest counted as stopped too: a buyer's disruption was then about the precautionary share of its own order, so a
                        // quota that bound only because of stock-building held learnt risk, and the precaution it sets, near 1 for as long
                        // as it stood (MODEL.md, Buyers who learn supplier risk).
                        // A licence's volume is the buyer's own: where its own earlier stock-building under the approval drew it
                        // down (Stocked), the base it now leaves unserved was brought forward, not stopped, and up to that stock it
                        // counts as served with the approval's delay (Excused); beyond it, as stopped. Until Dec 2026 it all counted
                        // as stopped, so stock-building taught risk through the volume it used up (MODEL.md, Precaution teaches no risk).
                        var ca = candAt[b] + i;
                        if (filled[ca] > 0 && DelayOf(b, ci) is var got)
                        {
                            var m = got / (double)(got + ci.Transport);
                            var need = askedAt[ca] * needShare;
                            if (askedAt[ca] > filled[ca] + tol && !OpenAfter(b, i, out _) && filled[ca] < need)
                                m = 1 - Math.Min(1, (filled[ca] + Excused(b, ci, need - filled[ca], out _)) / need) * (1 - m);
                            e = Math.Min(e, m);
                        }
                        else if (OpenAfter(b, i, out var delay))
                            e = Math.Min(e, delay / (double)(delay + ci.Transport));
                        else if (part.Quantity * needShare is var @base and > 0 && Excused(b, ci, @base, out var approved) is var brought and > 0)
                            e = Math.Min(e, 1 - Math.Min(1, brought / @base) * (1 - approved / (double)(approved + ci.Transport)));
                    }
                    Note(bid.BuyerId, part.Quantity, country, e, true);
                }
            }
            FlushMet();
        }

        // Per part: the licences whose stock has been set against its unserved base this tick, and how much (a country's other
        // candidates under the same licence read the same amount, not a second one).
        readonly List<(int Part, int Id, double Q)> excused = new();

        /// <summary>How much of <paramref name="unserved"/> base part b's link was closed on by its licence's used-up volume, up to
        /// what the buyer drew under that approval beyond its base (its precautionary stock), which this uses up; 0 where
        /// anything else closed the link (a refusal, a used-up quota). <paramref name="delay"/> is the approval's delay.</summary>
        double Excused(int b, Candidate c, double unserved, out int delay)
        {
            delay = 0;
            var id = -1;
            for (int j = 0; j < c.Controls.Count; j++)
            {
                var ctl = c.Controls[j];
                if (ctl.Mode == ControlMode.Quota && UsedUp(ctl, Period(ctl))) return 0;
                if (ctl.Mode != ControlMode.License) continue;
                if (!Decided(b, c, j, out var drawn) || drawn is not int d) return 0; // refused (or not asked): stopped by the state
                delay = Math.Max(delay, d);
                var l = Licence(b, c, j);
                if (id < 0 && table[l].HasLeft && table[l].Left <= tol) id = l;
            }
            if (id < 0) return 0;
            foreach (var x in excused) if (x.Part == b && x.Id == id) return x.Q;
            var q = table[id].HasStocked ? Math.Min(unserved, table[id].Stocked) : 0;
            if (q > 0) table.SetStocked(id, table[id].Stocked - q);
            excused.Add((b, id, q));
            return q;
        }

        void Note(string buyer, double quantity, string country, double e, bool controlled)
        {
            metBuyer = buyer;
            for (int i = 0; i < met.Count; i++)
                if (string.Equals(met[i].Country, country, StringComparison.Ordinal))
                {
                    met[i] = (country, met[i].Q + quantity, met[i].E + quantity * e, met[i].Controlled || controlled);
                    return;
                }
            met.Add((country, quantity, quantity * e, controlled)); // 0 + x = x: the same bits as adding to an empty entry
        }
        void FlushMet()
        {
            if (met.Count > 1) met.Sort((x, y) => Comparer<string>.Default.Compare(x.Country, y.Country));
            foreach (var (country, q, e, controlled) in met)
                if (controlled) disruptions.Add(new Disruption(metBuyer!, commodity.Id, country, q > 0 ? e / q : 0));
            met.Clear();
            metBuyer = null;
        }
    }
}
