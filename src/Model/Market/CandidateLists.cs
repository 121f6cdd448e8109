namespace MarketSim.Model.Market;

public static partial class MarketClearing
{
    /// <summary>
    /// What the clearing works out once per candidate list rather than once per part. A link set's list, shared by every order
    /// that filters none of it out, keeps its value for the clearing; an order's own list keeps it only while that order's parts
    /// (consecutive) are read, in one scratch value refilled for the next such order, so a market of 100,000 buyers with lists
    /// of their own allocates nothing per buyer.
    /// </summary>
    sealed class PerCandidateList<T>(Func<T> create, Action<T, List<Candidate>> fill) where T : class
    {
        readonly Dictionary<List<Candidate>, T> _shared = new(ReferenceEqualityComparer.Instance);
        List<Candidate>? _last;
        T? _lastValue, _scratch;

        public T Of(List<Candidate> list, bool shared)
        {
            if (ReferenceEquals(list, _last)) return _lastValue!;
            T value;
            if (!shared) fill(value = _scratch ??= create(), list);
            else if (!_shared.TryGetValue(list, out value!))
            {
                fill(value = create(), list);
                _shared[list] = value;
            }
            (_last, _lastValue) = (list, value);
            return value;
        }
    }

    /// <summary>A candidate list's indices in ask order (each ask is one candidate of a list): the order fills are made in.</summary>
    sealed class AskOrder
    {
        public int[] Index = [];

        public void Fill(List<Candidate> list)
        {
            if (Index.Length < list.Count) Index = new int[list.Count]; // read over list.Count alone
            // By insertion (a list holds a few candidates, each ask at most once: a total order): Array.Sort with a comparison
            // over the list allocated a closure and a delegate for each order with a list of its own (100,000 a tick).
            for (int i = 0; i < list.Count; i++)
            {
                var j = i - 1;
                for (; j >= 0 && list[Index[j]].Ask > list[i].Ask; j--) Index[j + 1] = Index[j];
                Index[j + 1] = i;
            }
        }
    }

    /// <summary>A candidate list's seller countries in candidate order, each with its candidates' indices and whether any of them
    /// is under a control (a country no control touches is noted as met smoothly).</summary>
    sealed class SellerCountries
    {
        public readonly List<string> Names = new(4);
        public readonly List<List<int>> Members = new(4);
        public readonly List<bool> Controlled = new(4);
        public int Count => Names.Count;

        public void Fill(List<Candidate> list, List<Ask> asks)
        {
            Names.Clear();
            Controlled.Clear();
            for (int i = 0; i < list.Count; i++)
            {
                var country = asks[list[i].Ask].SellerCountry;
                var k = Names.IndexOf(country);
                if (k < 0)
                {
                    k = Names.Count;
                    Names.Add(country);
                    Controlled.Add(false);
                    if (Members.Count == k) Members.Add(new List<int>(2));
                    Members[k].Clear();
                }
                Members[k].Add(i);
                Controlled[k] |= list[i].Controls.Count > 0;
            }
        }
    }
}
