using MarketSim.Model.Agents;

namespace MarketSim.Model.Tests;

public class StockTests
{
    /// <summary>Origin lots whose keys sort differently from the order they were added in, with amounts whose float sums depend
    /// on the order they are added in.</summary>
    static Dictionary<string, double> Lots(params (string Key, double Q)[] lots)
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, q) in lots) d[k] = q;
        return d;
    }

    public static TheoryData<string, double> Cases => new()
    {
        { "none", 1 },
        { "one", 0.3 },
        { "one, all of it", 5 },
        { "many", 0.1 },
        { "many, nothing asked", 0 },
        { "many, all of it", 1e9 },
        { "many, one left", 0.5 },
    };

    static Dictionary<string, double> World(string name) => name switch
    {
        "none" => Lots(),
        "one" or "one, all of it" => Lots(("CN", 1.7)),
        "many, one left" => Lots(("JP", 1e-12), ("AU", 7)), // half of JP's sliver is below what a lot keeps
        _ => Lots(("JP", 0.1), ("CN|JP|CN=0.92,JP=0.08", 0.7), ("AU", 1e-3), ("CN", 3.3), ("MY|MY|CN=0.4,MY=0.6", 0.2)),
    };

    /// <summary>Given the stock's total, TakeProportional leaves the same lots as the overload that records what it took, and
    /// returns, bit for bit, what Total reads afterwards (a manufacturer's settlement reads its cover from it).</summary>
    [Theory, MemberData(nameof(Cases))]
    public void Taking_with_the_total_leaves_the_same_stock_and_returns_its_total(string name, double fraction)
    {
        var a = World(name);
        var b = World(name);
        var q = Stock.Total(a) * fraction;
        Stock.TakeProportional(a, q);
        var left = Stock.TakeProportional(b, q, Stock.Total(b));
        Assert.Equal(a.OrderBy(x => x.Key, StringComparer.Ordinal), b.OrderBy(x => x.Key, StringComparer.Ordinal));
        Assert.Equal(BitConverter.DoubleToInt64Bits(Stock.Total(a)), BitConverter.DoubleToInt64Bits(left));
    }
}
