using MarketSim.Model.Policies;

namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    /// <summary>
    /// Re-export licences (docs/MODEL.md, Markets, Licences): a licence that reaches a seller only through a re-export clause (the
    /// seller is outside the licensing state and its lot's content from the state is at or above the threshold) is the seller's,
    /// as the re-exporter applies to the licensing state for its goods, not the buyer's. One per (state, seller, destination
    /// country): the application names the end user and its country, and the terms can differ by destination. It has its own
    /// applications, first decision after its rule starts, approvals and volumes; a direct export from the state stays the
    /// buyer's licence (ClearingRun.Licences.cs). Its state is kept in the licence table as a buyer's is, under
    /// "seller|state>destination[|application]".
    /// </summary>
    sealed partial class ClearingRun
    {
        // Per clearing: each re-export licence's decision read this tick (the delay, or null when refused), by table id; its
        // ids by (ask, slot); the volume basis by (seller, licence, application) and each seller's sales basis.
        readonly Dictionary<int, int?> reExportDecided = new();
        readonly Dictionary<(int Ask, int Slot), int[]> reExportIds = new();
        readonly Dictionary<(string Seller, string Licence, int Application), double> reExportNormal = new();
        readonly Dictionary<string, (double Flow, double Normal)> sellerBasis = new(StringComparer.Ordinal);

        /// <summary>A re-export licence's id: the licensing state and the destination, "CN>US".</summary>
        internal static string ReExportId(string state, string destination) => state + ">" + destination;

        // A slot per re-export licence, after the states', in the order links meet them (the slot is an array index only).
        int ReExportSlot(string id)
        {
            if (!reExportSlotOf.TryGetValue(id, out var slot))
            {
                reExportSlotOf[id] = slot = slotOf.Count + reExportSlotOf.Count;
                slots = slotOf.Count + reExportSlotOf.Count;
            }
            return slot;
        }

        /// <summary>The re-export licence of state <paramref name="state"/> for a seller's sales into
        /// <paramref name="destination"/>, reviewed under the strictest of the re-export controls of that state binding the seller's
        /// lot (Strictest), from the earliest of their starts: a licence the state requires of its own exporters does not
        /// cover goods made abroad, so the first decision comes one processing delay after the re-export rule starts.</summary>
        static ExportControl ReExportLicence(string state, string destination, List<ExportControl> reExporting, string commodity)
        {
            ExportControl? l = null;
            foreach (var c in reExporting)
                if (c.Exporter == state) l = l is null ? LicenceOf(c, ReExportId(state, destination), commodity) with { ReExport = true } : Strictest(l, c);
            return l ?? throw new InvalidOperationException($"no re-export control of {state} binds this seller");
        }

        // The seller's licence state ids for link c's re-export licence j, by application (as a buyer's, Licence).
        int ReExporterLicence(int b, Candidate c, int j)
        {
            var part = parts[b];
            var key = (c.Ask, c.Slots[j]);
            var n = Math.Max(linksOf[part.Order].Applications, part.Application + 1);
            if (!reExportIds.TryGetValue(key, out var ids) || ids.Length <= part.Application)
                reExportIds[key] = ids = table.IdsOf(asks[c.Ask].SellerId, c.Controls[j].Id, n);
            return ids[part.Application];
        }

        /// <summary>
        /// The normal daily sales a re-export application's volume is set from (its application j): the seller's output shared
        /// over the buyers it serves by their normal requirement,
        ///     V(s, D, j) = N(s, D, j) × min(1, F(s) / N(s)),
        /// N(s, D, j) the normal requirement of application j of the regular bids of buyers in D whose links to s fall under this
        /// licence, N(s) that of all regular bids with a link to s (any destination, the seller's own country too), F(s) what
        /// s can make a day now (its asks' flows). A seller that sells to a country a fifth of what its buyers everywhere need
        /// is licensed for a fifth of that country's requirement. 0 (no volume set, as for a buyer with no normal requirement)
        /// where it makes nothing now.
        /// </summary>
        double ReExportNormal(int b, Candidate c, int j)
        {
            var seller = asks[c.Ask].SellerId;
            var licence = c.Controls[j].Id;
            var application = parts[b].Application;
            if (reExportNormal.TryGetValue((seller, licence, application), out var v)) return v;
            var (flow, all) = SellerBasis(seller);
            double covered = 0;
            for (int o = 0; o < orders.Count; o++)
            {
                if (orders[o].IsUrgent || !LinksUnder(linksOf[o], seller, licence)) continue;
                for (int p = partAt[o]; p < partAt[o + 1]; p++)
                    if (parts[p].Application == application) covered += parts[p].Normal;
            }
            v = all > 0 ? covered * Math.Min(1, flow / all) : 0;
            reExportNormal[(seller, licence, application)] = v;
            return v;
        }

        // F(s) and N(s) of ReExportNormal.
        (double Flow, double Normal) SellerBasis(string seller)
        {
            if (sellerBasis.TryGetValue(seller, out var basis)) return basis;
            double flow = 0, normal = 0;
            foreach (var a in asks) if (a.SellerId == seller) flow += a.Flow;
            for (int o = 0; o < orders.Count; o++)
            {
                if (orders[o].IsUrgent || !LinksTo(linksOf[o], seller)) continue;
                for (int p = partAt[o]; p < partAt[o + 1]; p++) normal += parts[p].Normal;
            }
            return sellerBasis[seller] = (flow, normal);
        }

        bool LinksTo(LinkSet set, string seller)
        {
            foreach (var c in set.Candidates) if (asks[c.Ask].SellerId == seller) return true;
            return false;
        }

        bool LinksUnder(LinkSet set, string seller, string licence)
        {
            foreach (var c in set.Candidates)
                if (asks[c.Ask].SellerId == seller)
                    foreach (var ctl in c.Controls)
                        if (ctl.ReExport && ctl.Id == licence) return true;
            return false;
        }
    }
}
