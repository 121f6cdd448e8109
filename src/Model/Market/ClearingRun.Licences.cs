using MarketSim.Model.Policies;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        bool[] licenceDrawn = [];
        int?[] licenceDelay = [];
        int[]?[] licenceIdsAt = [];

        /// <summary>
        /// The licences a buyer of this country, end use and listing must hold, one per licensing state: a buyer applies to a
        /// state once for its requirement of the commodity, whichever of that state's licence requirements a seller falls under
        /// (its own exports, re-exports of its content), and the application is reviewed under the strictest of those that cover
        /// the buyer: the lowest approval rate, the longest delays, the most applications. A tighter review for one destination
        /// replaces the general rate; it does not multiply with it. So the licence is the same whatever the controls are named
        /// and however they overlap (its id is the state's).
        /// </summary>
        /// <param name="covering">The controls that cover the buyer (commodity, country, end use, listing), in id order.</param>
        static Dictionary<string, ExportControl> LicencesFor(List<ExportControl> covering, string commodity)
        {
            var byState = new Dictionary<string, ExportControl>(StringComparer.Ordinal);
            foreach (var c in covering)
            {
                if (c.Mode != ControlMode.License) continue;
                byState[c.Exporter] = byState.TryGetValue(c.Exporter, out var l) ? Strictest(l, c) : LicenceOf(c, c.Exporter, commodity);
            }
            return byState;
        }

        // A licence with one control's terms, under the given id.
        static ExportControl LicenceOf(ExportControl c, string id, string commodity) => new()
        {
            Id = id, Start = c.Start, Exporter = c.Exporter, Commodities = [commodity], Mode = ControlMode.License, ApprovalRate = c.ApprovalRate,
            DelayMinDays = c.DelayMinDays, DelayMaxDays = c.DelayMaxDays, Applications = Math.Max(1, c.Applications),
            RefusedCarryover = c.RefusedCarryover,
        };

        // A licence reviewed under one more control: the earliest start, the lowest approval rate, the longest delays, the most
        // applications, the least of what refusals kept out carried into an approval.
        static ExportControl Strictest(ExportControl l, ExportControl c) => l with
        {
            Start = Math.Min(l.Start, c.Start), ApprovalRate = Math.Min(l.ApprovalRate, c.ApprovalRate), DelayMinDays = Math.Max(l.DelayMinDays, c.DelayMinDays),
            DelayMaxDays = Math.Max(l.DelayMaxDays, c.DelayMaxDays), Applications = Math.Max(l.Applications, Math.Max(1, c.Applications)),
            RefusedCarryover = Math.Min(l.RefusedCarryover, c.RefusedCarryover),
        };

        void RentLicenceDecisions()
        {
            // Licence decisions per (bid part, control slot), in flat arrays: drawn once per application and control per tick.
            licenceDrawn = rented.Rent<bool>(partCount * slots);
            licenceDelay = rented.Rent<int?>(partCount * slots); // approved delay, or null when refused
            // The licence state's keys of each (order, slot), as integer ids in the state's table by application (null = not looked
            // up yet): ids last across ticks, so a key string is built once per licence ever, and its state is read from the table's
            // entries. The civil and military parts of one buyer's application share a key, hence ids per key rather than per part.
            licenceIdsAt = rented.Rent<int[]?>(orders.Count * slots);
        }

        // One licence state per application: "buyer|exporter" for the first (as before splitting), "buyer|exporter|j" after.
        int Licence(int b, Candidate c, int j)
        {
            if (c.Controls[j].ReExport) return ReExporterLicence(b, c, j); // the seller's (ClearingRun.ReExports.cs)
            var part = parts[b];
            var at = part.Order * slots + c.Slots[j];
            var ids = licenceIdsAt[at];
            if (ids is null || ids.Length <= part.Application)
                licenceIdsAt[at] = ids = table.IdsOf(orders[part.Order].BuyerId, c.Controls[j].Id,
                    Math.Max(linksOf[part.Order].Applications, part.Application + 1));
            return ids[part.Application];
        }

        // A licence draw's key, "control|commodity[|application]": the same for every buyer, so built once per (slot, application).
        readonly Dictionary<(int Slot, int Application), string> drawKeys = new();
        string DrawKey(int slot, string control, int application)
        {
            if (!drawKeys.TryGetValue((slot, application), out var k))
                drawKeys[(slot, application)] = k = control + "|" + commodity.Id + (application == 0 ? "" : "|" + application);
            return k;
        }

        // The normal requirement a licence's volume is set from: every part of the buyer's orders that holds this licence (same
        // buyer, same application, a seller on its links needing this state's licence), so where a state licenses both end uses
        // the volume covers the civil and the military share. A buyer's orders are adjacent (sorted by buyer id).
        double LicensedNormal(int b, string licence)
        {
            var buyer = OrderOf(b).BuyerId;
            int first = parts[b].Order, last = first;
            while (first > 0 && orders[first - 1].BuyerId == buyer) first--;
            while (last + 1 < orders.Count && orders[last + 1].BuyerId == buyer) last++;
            double normal = 0;
            for (int o = first; o <= last; o++)
            {
                if (!linksOf[o].Licensing.Contains(licence)) continue;
                for (int p = partAt[o]; p < partAt[o + 1]; p++)
                    if (parts[p].Application == parts[b].Application) normal += parts[p].Normal;
            }
            return normal;
        }

        // The tick the first decision on an application comes: the licence requirement's start plus a processing delay drawn
        // for that day (a pure function of the seed, the buyer, the licence and the application: no state to keep).
        int FirstDecision(int b, Candidate c, int j, ExportControl ctl) =>
            ctl.Start + ProcessingDelay(ctl, ctl.Start, Holder(b, c, j), DrawKey(c.Slots[j], ctl.Id, parts[b].Application));

        // Who holds licence j of a link: the buyer, or for a re-export licence the seller (ClearingRun.ReExports.cs).
        string Holder(int b, Candidate c, int j) => c.Controls[j].ReExport ? asks[c.Ask].SellerId : OrderOf(b).BuyerId;

        // The normal requirement per day a licence's volume is set from: the buyer's (LicensedNormal) or the re-exporter's.
        double VolumeBasis(int b, Candidate c, int j) => c.Controls[j].ReExport ? ReExportNormal(b, c, j) : LicensedNormal(b, c.Controls[j].Id);

        // Licence j's decision read this tick for part b: kept per (part, slot) for a buyer's licence; per licence for a
        // re-exporter's, which the parts of many buyers share in one slot.
        bool Decided(int b, Candidate c, int j, out int? delay)
        {
            if (c.Controls[j].ReExport) return reExportDecided.TryGetValue(Licence(b, c, j), out delay);
            var at = b * slots + c.Slots[j];
            delay = licenceDelay[at];
            return licenceDrawn[at];
        }
        void Decide(int b, Candidate c, int j, int? delay)
        {
            if (c.Controls[j].ReExport) { reExportDecided[Licence(b, c, j)] = delay; return; }
            var at = b * slots + c.Slots[j];
            licenceDrawn[at] = true;
            licenceDelay[at] = delay;
        }

        // A processing delay drawn on a tick: ⌈min + (max − min)·u⌉ days.
        int ProcessingDelay(ExportControl ctl, int t, string buyer, string drawKey) =>
            (int)Math.Ceiling(ctl.DelayMinDays + (ctl.DelayMaxDays - ctl.DelayMinDays) * DeterministicRandom.Uniform(seed, CalendarDay(t), "licence-delay", buyer, drawKey));

        // Licence draws are keyed by the calendar day, not the tick: the same licence from the same date draws alike whatever the
        // scenario's start date, so a spin-up is a change of clock (SpinUpTests). Keyed by the tick before Dec 2026, a world
        // spun up from 4 Apr 2025 drew other decisions on the same 2026 days than one begun on that date (found by a review).
        int CalendarDay(int t) => world.StartDate.DayNumber + t;

        // Is the link open for this part this tick? Draws licence decisions lazily, once per application and control per tick.
        bool Open(int b, Candidate c, out int delay)
        {
            delay = 0;
            for (int j = 0; j < c.Controls.Count; j++)
            {
                var ctl = c.Controls[j];
                if (ctl.Mode == ControlMode.Quota && UsedUp(ctl, Period(ctl))) return false;
                if (ctl.Mode != ControlMode.License) continue;
                var id = Licence(b, c, j);
                if (!Decided(b, c, j, out var d))
                {
                    ref var e = ref table[id];
                    // Once per application: an entry in the refused days (0 once approved) says it has been lodged. Inferring it
                    // from empty flags let a lapsed approval start a second wait when a later, slower licence moved the first
                    // decision's day.
                    if (!e.Blocked && !e.Valid && !e.HasRefused && FirstDecision(b, c, j, ctl) is var first && first > tick)
                    {
                        // The first application is lodged when the licence requirement begins, and nothing ships under it until
                        // its decision comes: the goods wait at the exporter, in its supply, and the days waited are carried into
                        // the first approval's volume as refused days are. Before Dec 2026 the first approval came the day the
                        // requirement began and the delay was added to transport: goods "under review" left the exporter's
                        // supply at once, and exports rose when licensing began.
                        table.SetBlocked(id, first);
                        table.SetRefused(id, first - tick); // none held before (HasRefused is false)
                        // In flight until then, for the days it waits: the buyer counts them as on order (Applied, below), at the
                        // normal requirement the licence covers (as an approval's volume is).
                        // A re-exporter's application is not the buyer's: nothing is on order for the buyer until it is approved.
                        if (!ctl.ReExport && LicensedNormal(b, ctl.Id) is var waiting and > 0) table.SetFlight(id, waiting * (first - tick));
                        d = null;
                    }
                    else if (e.Blocked && e.BlockedUntil > tick) d = null;
                    else if (e.Valid && e.ValidUntil >= tick) d = e.HasDelay ? e.Delay : throw new KeyNotFoundException(e.Key);
                    else
                    {
                        var buyer = Holder(b, c, j);
                        var drawKey = DrawKey(c.Slots[j], ctl.Id, parts[b].Application);
                        d = ProcessingDelay(ctl, tick, buyer, drawKey);
                        var approved = DeterministicRandom.Uniform(seed, CalendarDay(tick), "licence-approval", buyer, drawKey) < ctl.ApprovalRate;
                        // The decision drawn today is that of the application lodged one delay ago (a buyer keeps one in flight:
                        // it applies again as a decision comes). A refusal closes the link until the next decision; an approval
                        // covers shipments until then, each arriving after transport alone (the review held the goods at the
                        // exporter before they shipped). At first the open share of time is ≈ the approval rate, which is what 2025
                        // showed at its low point (≈25% approvals, magnet exports down ≈75%: published sources).
                        if (!approved)
                        {
                            table.SetBlocked(id, tick + Math.Max(1, d.Value));
                            // The buyer applies again for what the refusal kept out: a refusal postpones demand, it does not end it.
                            table.SetRefused(id, (e.HasRefused ? e.RefusedDays : 0) + Math.Max(1, d.Value));
                            // What it lodges again is for the refused volume: not counted as coming until it is approved.
                            table.ClearFlight(id);
                            d = null;
                        }
                        else
                        {
                            table.SetValid(id, tick + Math.Max(1, d.Value) - 1);
                            table.SetDelay(id, d.Value);
                            // The application's volume: the buyer's normal requirement for the days the approval runs and for the
                            // days its refusals since the last approval kept out, times the share carried over (`refused_carryover`,
                            // 1 unless a scenario sets it) (not its order, which may hold months of stock).
                            var refused = e.HasRefused ? e.RefusedDays : 0;
                            table.SetRefused(id, 0); // none carried any more; the entry marks the application as lodged
                            table.ClearStocked(id); // a new volume: no stock drawn under it yet
                            var normal = VolumeBasis(b, c, j);
                            if (normal > 0) table.SetLeft(id, normal * (Math.Max(1, d.Value) + ctl.RefusedCarryover * refused));
                            // The next application goes in now, for the requirement of the days until its decision (Applied, below).
                            if (normal > 0 && !ctl.ReExport) table.SetFlight(id, normal * Math.Max(1, d.Value));
                            else table.ClearFlight(id);
                        }
                    }
                    Decide(b, c, j, d);
                }
                if (d is null) return false;
                if (table[id].HasLeft && table[id].Left <= tol) return false;
                delay = Math.Max(delay, d.Value);
            }
            return true;
        }

        bool IsOpen(int b, int i, out int delay)
        {
            delay = 0;
            return cap[cands[b][i].Ask] > tol && !blocked[candAt[b] + i] && Open(b, cands[b][i], out delay);
        }

        // The licence delay of a link Open found open for part b: the longest of the delays drawn for its licences, fixed for the
        // tick once drawn (Open's own answer, read back rather than kept with every request and fill).
        int DelayOf(int b, Candidate c)
        {
            var delay = 0;
            if (!c.Licensed) return delay;
            for (int j = 0; j < c.Controls.Count; j++)
                if (c.Controls[j].Mode == ControlMode.License)
                    delay = Math.Max(delay, Decided(b, c, j, out var d) && d is int got ? got : throw new InvalidOperationException("a link with a refused licence was filled"));
            return delay;
        }

        static bool UnderLicence(Candidate c) => c.Licensed;

        void ForgetExpiredLicences()
        {
            // Forget licence blocks and approvals that have run out, so the state stays small.
            for (int id = 0; id < table.Count; id++)
            {
                ref var e = ref table[id];
                if (e.Blocked && e.BlockedUntil <= tick) table.ClearBlocked(id);
                if (e.Valid && e.ValidUntil <= tick) table.ClearValid(id);
            }
        }

        /// <summary>
        /// What each buyer has applied for and not had decided (<see cref="Applied"/>): per licensing state the sum over its
        /// applications in flight of the requirement they cover (each the licensed normal requirement of its part), then the largest over the states
        /// (each state's licence is for the buyer's whole requirement: applications to two states are not twice the volume). In
        /// ordinal buyer order; each sum in application order (LicenceTable.InFlight). Only the states licensing now count.
        /// </summary>
        static List<Applied> AppliedBy(LicenceTable table, string commodity, Dictionary<string, int> licensing)
        {
            var sums = new List<(string Buyer, double InFlight)>();
            if (licensing.Count == 1)
            {
                table.InFlight(licensing.Keys.First(), sums);
                var list = new List<Applied>(sums.Count);
                foreach (var (buyer, inFlight) in sums) list.Add(new Applied(buyer, commodity, inFlight));
                return list;
            }
            var most = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var state in licensing.Keys)
            {
                sums.Clear();
                table.InFlight(state, sums);
                foreach (var (buyer, inFlight) in sums)
                    most[buyer] = Math.Max(most.GetValueOrDefault(buyer), inFlight);
            }
            var all = new List<Applied>(most.Count);
            foreach (var (buyer, inFlight) in most) all.Add(new Applied(buyer, commodity, inFlight));
            return all;
        }
    }
}
