namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    sealed partial class ClearingRun
    {
        // An offtake contract reserves part of a producer's lot for its holders' countries (Ask.OnlyFor). Holders nominate what
        // they will lift and the producer sells the rest on the open market the same day, as offtake contracts work: so of each
        // reserved offer only what its holders' orders that may buy it ask for in all stays reserved, and the rest of its stock
        // and flow joins the producer's open offer of the same lot (its twin: same seller and origin, open to all), before any
        // buyer chooses. Before Dec 2026 all of it stayed reserved, unsold in the producer's store, while its flow counted as
        // supply in the price rule: Lynas's NdPr reserved half for the US, which buys none, sold 3,447 t a year instead of 6,592
        // and world NdPr fell 5.9% (a review's probe). A national stockpile's offer has no open twin: what it keeps for its
        // country stays kept.
        double[] flowOf = [];

        void Offtake()
        {
            flowOf = new double[asks.Count];
            for (int a = 0; a < asks.Count; a++) flowOf[a] = asks[a].Flow;
            Nominate();
        }

        void Nominate()
        {
            var askedOf = new double[asks.Count];
            var reserved = false;
            for (int a = 0; a < asks.Count && !reserved; a++) reserved = Reserved(a);
            if (!reserved) return;
            // A holder's part nominates its quantity once, shared among the reserved offers it would take first: those open to
            // it and within the price band of its cheapest open offer (as Choose reads them in the first round; Open's licence
            // draws are made once a tick whoever asks first), in proportion to what each can supply. Counted on every reserved
            // offer in its list, a part held back offers it would never take (one outside its band for a security premium, a
            // second lot or contract of the same holder): a code review's probes left a third of such supply unsold.
            for (int b = 0; b < partCount; b++)
            {
                var list = cands[b];
                var any = false;
                for (int i = 0; i < list.Count && !any; i++) any = Reserved(list[i].Ask);
                if (!any) continue;
                var at = costAt[parts[b].Order];
                var best = double.PositiveInfinity;
                for (int i = 0; i < list.Count; i++)
                    if (IsOpen(b, i, out _)) best = Math.Min(best, perceived[at + i]);
                var edge = best * (1 + band) + Eps;
                double weight = 0;
                for (int i = 0; i < list.Count; i++)
                    if (Nominable(b, i, at, edge)) weight += Supply(list[i].Ask);
                if (!(weight > 0)) continue;
                for (int i = 0; i < list.Count; i++)
                    if (Nominable(b, i, at, edge)) askedOf[list[i].Ask] += parts[b].Quantity * (Supply(list[i].Ask) / weight);
            }
            for (int a = 0; a < asks.Count; a++)
            {
                if (!Reserved(a) || askedOf[a] >= Supply(a)) continue;
                var twin = -1;
                for (int t = 0; t < asks.Count && twin < 0; t++)
                    if (asks[t].OnlyFor.Count == 0 && !asks[t].UrgentOnly && asks[t].SellerId == asks[a].SellerId && asks[t].Origin == asks[a].Origin) twin = t;
                if (twin < 0) continue;
                var keep = Math.Min(cap[a], askedOf[a]);
                cap[twin] += cap[a] - keep;
                cap[a] = keep;
                var keepFlow = Math.Min(flowOf[a], askedOf[a]);
                flowOf[twin] += flowOf[a] - keepFlow;
                flowOf[a] = keepFlow;
            }
        }
        // A reserved offer (a contract's, or a stockpile's to its country); what it can supply now (stock or flow, the larger).
        bool Reserved(int a) => asks[a].OnlyFor.Count > 0 && !asks[a].UrgentOnly;
        double Supply(int a) => Math.Max(cap[a], flowOf[a]);
        bool Nominable(int b, int i, int at, double edge) => Reserved(cands[b][i].Ask) && perceived[at + i] <= edge && IsOpen(b, i, out _);
    }
}
