namespace MarketSim.Model.Agents;

/// <summary>Small helpers on stock held by origin. Every loop runs in ordinal key order so float sums are reproducible.</summary>
public static class Stock
{
    /// <summary>A cached delegate: sorting with StringComparer.Ordinal makes a new one per call (Array.Sort wraps the comparer).</summary>
    internal static readonly Comparison<string> Ordinal = string.CompareOrdinal;
    // Scratch key arrays reused per thread, one per method that walks a stock in key order (none of them calls another that
    // uses the same one while walking): no key list per call on paths run for every firm, input and tick.
    [ThreadStatic] static string[]? _totalKeys, _takeKeys;
    [ThreadStatic] static double[]? _takeHeld;

    /// <summary>The dictionary's keys in ordinal order, in <paramref name="scratch"/> (grown as needed); clear it after use.</summary>
    static Span<string> SortedKeys<T>(Dictionary<string, T> d, ref string[]? scratch)
    {
        var n = d.Count;
        if (scratch is null || scratch.Length < n) scratch = new string[Math.Max(16, n)];
        d.Keys.CopyTo(scratch, 0);
        var keys = scratch.AsSpan(0, n);
        keys.Sort(Ordinal);
        return keys;
    }

    public static double Total(Dictionary<string, double>? byOrigin)
    {
        if (byOrigin is null || byOrigin.Count == 0) return 0;
        if (byOrigin.Count == 1) foreach (var v in byOrigin.Values) return v; // the common case: no sort needed
        // Lots are mostly added in ordinal order (opening lots are, and a dictionary enumerates in insertion order while
        // nothing was removed): then enumeration order is key order, the same sum without a sort or a look-up per lot.
        double t = 0;
        string? last = null;
        foreach (var (k, v) in byOrigin)
        {
            if (last is not null && string.CompareOrdinal(last, k) >= 0) return SortedTotal(byOrigin);
            t += v;
            last = k;
        }
        return t;
    }

    static double SortedTotal(Dictionary<string, double> byOrigin)
    {
        var keys = SortedKeys(byOrigin, ref _totalKeys);
        double t = 0;
        foreach (var k in keys) t += byOrigin[k];
        keys.Clear();
        return t;
    }

    /// <summary>The keys in ordinal order, as a new array (callers change the dictionary while they walk it).</summary>
    public static IReadOnlyList<string> Keys<T>(Dictionary<string, T> d)
    {
        if (d.Count == 0) return [];
        var keys = new string[d.Count];
        d.Keys.CopyTo(keys, 0);
        if (keys.Length > 1) keys.AsSpan().Sort(Ordinal);
        return keys;
    }

    public static void Add(Dictionary<string, double> byOrigin, string origin, double q)
    {
        if (q <= 0) return;
        if (origin.IndexOf('|') >= 0 && !byOrigin.ContainsKey(origin))
        {
            // Content-tracked lots of one merge class mix into one lot (Provenance.ClassOf), so a stock holds a bounded number.
            // The first such lot in ordinal order: the least key of the class, found without sorting the keys.
            var cls = Provenance.ClassOf(origin);
            string? same = null;
            foreach (var k in byOrigin.Keys)
                if (k.IndexOf('|') >= 0 && (same is null || string.CompareOrdinal(k, same) < 0) && Provenance.ClassOf(k) == cls) same = k;
            if (same is not null)
            {
                var held = byOrigin[same];
                byOrigin.Remove(same);
                var mixed = Provenance.Mix(same, held, origin, q);
                byOrigin[mixed] = byOrigin.GetValueOrDefault(mixed) + held + q;
                return;
            }
        }
        // One look-up: the lot's value added to in place (0 + q where it is new, as GetValueOrDefault + q gave).
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(byOrigin, origin, out _) += q;
    }

    /// <summary>Takes q out of the stock in proportion to what each origin holds; returns what was taken by origin.</summary>
    public static List<KeyValuePair<string, double>> TakeProportional(Dictionary<string, double> byOrigin, double q)
    {
        var taken = new List<KeyValuePair<string, double>>();
        Take(byOrigin, q, null, taken);
        return taken;
    }

    /// <summary>Takes q out of the stock in proportion to what each origin holds, given its <paramref name="total"/> (what
    /// <see cref="Total"/> gives for it now), and returns what is left as <see cref="Total"/> would sum it afterwards: the left
    /// lots in the same ordinal order, so a caller that reads the stock before and after sorts its lots twice (its own Total, this),
    /// not three times.</summary>
    public static double TakeProportional(Dictionary<string, double> byOrigin, double q, double total) => Take(byOrigin, q, total, null);

    /// <summary>Both TakeProportionals: the total is <paramref name="known"/> or summed in ordinal key order as Total sums it;
    /// each lot gives up its share (t = held·share, held − t left, dropped at 1e-12 or less), what it gave is added to
    /// <paramref name="taken"/> if there is one, and what is left is summed as Total would sum it afterwards.</summary>
    static double Take(Dictionary<string, double> byOrigin, double q, double? known, List<KeyValuePair<string, double>>? taken)
    {
        if (q <= 0 || byOrigin.Count == 0) return Total(byOrigin);
        if (byOrigin.Count == 1)
        {
            // The common case, one origin: the same arithmetic without a key list per call (every firm, every input, every tick).
            string only = "";
            foreach (var k in byOrigin.Keys) only = k;
            var held1 = byOrigin[only];
            var total1 = known ?? held1;
            if (total1 <= 0) return held1;
            var t1 = held1 * Math.Min(1, q / total1);
            var left1 = held1 - t1;
            if (t1 > 0) taken?.Add(new(only, t1));
            if (left1 <= 1e-12) { byOrigin.Remove(only); return 0; }
            return byOrigin[only] = left1;
        }
        // The lots in key order, with what each holds: read in one enumeration (already in key order when added so, see
        // Total), sorted only when not.
        var n = byOrigin.Count;
        if (_takeKeys is null || _takeKeys.Length < n) { _takeKeys = new string[Math.Max(16, n)]; _takeHeld = new double[_takeKeys.Length]; }
        var keys = _takeKeys.AsSpan(0, n);
        var heldBy = _takeHeld!.AsSpan(0, n);
        var ordered = true;
        var at = 0;
        foreach (var (k, v) in byOrigin)
        {
            if (at > 0 && string.CompareOrdinal(keys[at - 1], k) >= 0) ordered = false;
            keys[at] = k;
            heldBy[at++] = v;
        }
        if (!ordered) keys.Sort(heldBy, Ordinal);
        double total = 0;
        if (known is { } given) total = given;
        else foreach (var h in heldBy) total += h;
        if (total <= 0) { keys.Clear(); return Total(byOrigin); }
        var share = Math.Min(1, q / total);
        double after = 0;
        for (int j = 0; j < n; j++)
        {
            var k = keys[j];
            var held = heldBy[j];
            var t = held * share;
            var left = held - t;
            if (left <= 1e-12) byOrigin.Remove(k);
            else after += byOrigin[k] = left;
            if (t > 0) taken?.Add(new(k, t));
        }
        keys.Clear();
        return after;
    }

    public static void Take(Dictionary<string, double> byOrigin, string origin, double q)
    {
        var left = byOrigin.GetValueOrDefault(origin) - q;
        if (left <= 1e-12) byOrigin.Remove(origin); else byOrigin[origin] = left;
    }

    public static Dictionary<string, double> For(Dictionary<string, Dictionary<string, double>> d, string commodity)
    {
        if (!d.TryGetValue(commodity, out var s)) d[commodity] = s = new();
        return s;
    }
}
