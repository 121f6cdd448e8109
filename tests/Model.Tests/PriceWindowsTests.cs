using MarketSim.Model.Market;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Tests;

/// <summary>The price rule reads a segment's demand and supply over the commodity's last W days (docs/MODEL.md, Price).</summary>
public class PriceWindowsTests
{
    static readonly SegmentSpec[] Segments = [new("china", ["CN"]), new("world", ["JP", "AU"])];

    static Dictionary<string, double> Day(double china, double world) => new() { ["china"] = china, ["world"] = world };

    [Fact]
    public void One_day_reads_the_days_maps_and_keeps_no_state()
    {
        var state = new MarketState();
        var d = Day(3, 4);
        var s = Day(5, 6);
        var (rd, rs) = PriceWindows.Read(state, Segments, 1, 7, d, s);
        Assert.Same(d, rd);
        Assert.Same(s, rs);
        Assert.Empty(state.PriceWindow);
        Assert.Equal(-1, state.PriceWindowTick);
    }

    [Fact]
    public void Reads_the_sums_of_the_last_W_days_and_forgets_days_no_clearing_ran()
    {
        var state = new MarketState();
        var read = new List<(double D, double S)>();
        void At(int tick, double d, double s)
        {
            var (rd, rs) = PriceWindows.Read(state, Segments, 3, tick, new() { ["world"] = d }, new() { ["world"] = s });
            read.Add((rd["world"], rs["world"]));
            Assert.Equal(0, rd["china"]); // a segment with nothing today still reads its window
        }
        At(0, 1, 10);
        At(1, 2, 20);
        At(2, 4, 40);
        At(3, 8, 80);   // day 0 leaves the window
        At(5, 16, 160); // day 4 ran no clearing: it reads as nothing, and days 1–3 less day 1, 2 have left
        At(9, 32, 320); // a gap longer than the window: only today
        Assert.Equal(new (double D, double S)[] { (1, 10), (3, 30), (7, 70), (14, 140), (24, 240), (32, 320) }, read);
        Assert.Equal(9, state.PriceWindowTick);
    }

    [Fact]
    public void Supply_in_lots_within_the_window_moves_the_price_no_more_than_the_same_supply_spread_out()
    {
        // A buyer wants 10 a day. Smooth: 10 supplied every day. Lumpy: 50 every fifth day, the same total. Read day by day, the
        // four empty days push the price up at κ a day and the lot's day pulls it down by less (z = (D − S)/(D + S) is bounded
        // and convex in S), so the price climbs for ever; read over five days, every window holds one lot and z = 0.
        double Run(int w, bool lumpy)
        {
            var state = new MarketState();
            var p = 1.0;
            for (int t = 0; t < 200; t++)
            {
                var supply = lumpy ? (t % 5 == 0 ? 50 : 0) : 10;
                var (d, s) = PriceWindows.Read(state, Segments, w, t, Day(0, 10), Day(0, supply));
                p = PriceRule.Next(p, d["world"], s["world"], 0.03, 0.2, 40);
            }
            return p;
        }
        Assert.Equal(1.0, Run(1, lumpy: false));
        Assert.Equal(1.0, Run(5, lumpy: false));
        Assert.True(Run(1, lumpy: true) > 3, $"day by day the lumpy supply reads as a shortage: {Run(1, true):F2}×");
        // Over five days only the first window (days 0–3, the lot and fewer than five days of want) moves the price, down.
        Assert.InRange(Run(5, lumpy: true), 0.9, 1.0);
    }
}
