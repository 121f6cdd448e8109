using System.Buffers;

namespace MarketSim.Model.Market;

/// <summary>
/// What each bid has bought from each ask during one clearing: per bid a short chain of entries (a bid buys from a few sellers),
/// in growable arrays, so the hot loop neither hashes tuples nor allocates per fill. Read back per bid in ask order (Sorted). The arrays
/// are rented from the market's pool (at 10,000 buyers they are large-object-heap sized) and given back by <see cref="Dispose"/>;
/// only what this book wrote is read.
/// </summary>
internal sealed class FillBook : IDisposable
{
    /// <summary>16 bytes: the licence delay and the candidate are not kept (the clearing reads them back from the bid's drawn
    /// licences and candidate list); with them an entry took 24, and at a million firms the magnet market's book holds ≈25
    /// million entries.</summary>
    struct Entry
    {
        public double Q;
        public int Ask;
        public int Next;
    }

    int[] _head;
    readonly int _bids;
    Entry[] _entries;
    readonly ArrayPool<int> _heads;
    readonly ArrayPool<Entry> _pool;

    /// <param name="bids">Bids in the clearing.</param>
    /// <param name="sellers">Asks in the clearing: a bid fills from a few of them, so room for up to three per bid is made at once
    /// (a regrown array of this size is copied, and its old copy is garbage on the large-object heap).</param>
    /// <param name="pools">The market's pools the arrays are rented from.</param>
    public FillBook(int bids, int sellers, ClearingPool pools)
    {
        _bids = bids;
        _heads = pools.Of<int>();
        _pool = pools.Of<Entry>();
        _head = _heads.Rent(Math.Max(1, bids));
        Array.Fill(_head, -1, 0, bids);
        _entries = _pool.Rent(Math.Max(16, bids * Math.Clamp(sellers, 1, 3)));
    }

    public void Dispose()
    {
        _heads.Return(_head);
        _pool.Return(_entries);
        _head = [];
        _entries = [];
    }

    /// <summary>Number of (bid, ask) pairs with a fill.</summary>
    public int Count { get; private set; }

    int Find(int bid, int ask)
    {
        for (int e = _head[bid]; e >= 0; e = _entries[e].Next)
            if (_entries[e].Ask == ask) return e;
        return -1;
    }

    /// <summary>Adds q to the (bid, ask) fill.</summary>
    public void Add(int bid, int ask, double q)
    {
        var e = Find(bid, ask);
        if (e >= 0)
        {
            _entries[e].Q += q;
            return;
        }
        if (Count == _entries.Length)
        {
            var larger = _pool.Rent(_entries.Length * 2);
            Array.Copy(_entries, larger, Count);
            _pool.Return(_entries);
            _entries = larger;
        }
        // A new pair starts from q itself (0 + q = q, as a default entry plus q gave).
        _entries[Count] = new Entry { Ask = ask, Q = q, Next = _head[bid] };
        _head[bid] = Count++;
    }

    /// <summary>Whether bid <paramref name="bid"/> bought from ask <paramref name="ask"/>.</summary>
    public bool Has(int bid, int ask) => Find(bid, ask) >= 0;

    /// <summary>Bid <paramref name="bid"/>'s entries in ask order, written into <paramref name="chain"/> (grown when too short);
    /// returns how many. A chain is short (a bid buys from a few sellers) and its asks distinct: insertion by ask.</summary>
    public int Sorted(int bid, ref int[] chain)
    {
        var n = 0;
        for (int e = _head[bid]; e >= 0; e = _entries[e].Next)
        {
            if (n == chain.Length) Array.Resize(ref chain, Math.Max(4, chain.Length * 2));
            var i = n++;
            while (i > 0 && _entries[chain[i - 1]].Ask > _entries[e].Ask) { chain[i] = chain[i - 1]; i--; }
            chain[i] = e;
        }
        return n;
    }

    /// <summary>Entry <paramref name="e"/> (from <see cref="Sorted"/>).</summary>
    public (int Ask, double Q) At(int e) => (_entries[e].Ask, _entries[e].Q);
}
