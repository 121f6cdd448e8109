using MarketSim.Model.Market;
using MarketSim.Model.Scenario;
using static MarketSim.Model.Tests.TestWorld;

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
        Assert.Equal(PriceWindows.NoDay, state.PriceWindowTick);
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
        At(5, 16, 160); // the window is days 3–5: day 3's 8, day 4 (no clearing ran: nothing) and today's 16
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

    [Fact]
    public void Each_segment_keeps_its_own_window_and_a_day_cleared_again_replaces_itself()
    {
        var state = new MarketState();
        PriceWindows.Read(state, Segments, 2, 0, Day(1, 10), Day(2, 20));
        var (d, s) = PriceWindows.Read(state, Segments, 2, 1, Day(3, 30), Day(4, 40));
        Assert.Equal((4.0, 40.0, 6.0, 60.0), (d["china"], d["world"], s["china"], s["world"]));
        (d, s) = PriceWindows.Read(state, Segments, 2, 1, Day(5, 50), Day(6, 60)); // day 1 again: its slot, not a third day
        Assert.Equal((6.0, 60.0, 8.0, 80.0), (d["china"], d["world"], s["china"], s["world"]));
    }

    [Fact]
    public void A_state_from_a_later_day_or_another_window_starts_afresh()
    {
        var state = new MarketState();
        for (int t = 0; t < 5; t++) PriceWindows.Read(state, Segments, 3, t, Day(1, 1), Day(1, 1));
        var (d, _) = PriceWindows.Read(state, Segments, 3, 2, Day(7, 7), Day(0, 0)); // an earlier day than the state holds
        Assert.Equal(7, d["world"]);
        (d, _) = PriceWindows.Read(state, Segments, 4, 3, Day(9, 9), Day(0, 0)); // the window's length changed
        Assert.Equal(9, d["world"]);
        Assert.Equal(8, state.PriceWindow["world"].Length);
    }

    [Fact]
    public void A_state_read_back_from_json_reads_the_same_window()
    {
        var state = new MarketState();
        MarketState copy = state;
        for (int t = 0; t < 40; t++)
        {
            // Yesterday's state, written as a checkpoint and read back, must read today exactly what the state itself reads.
            copy = System.Text.Json.JsonSerializer.Deserialize<MarketState>(System.Text.Json.JsonSerializer.Serialize(state))!;
            var (d, s) = PriceWindows.Read(state, Segments, 7, t, Day(t % 3, 10 + t % 5), Day(2, 9 + t % 7));
            var (cd, cs) = PriceWindows.Read(copy, Segments, 7, t, Day(t % 3, 10 + t % 5), Day(2, 9 + t % 7));
            Assert.Equal(d, cd);
            Assert.Equal(s, cs);
        }
        Assert.Equal(39, copy.PriceWindowTick);
        var nulls = System.Text.Json.JsonSerializer.Deserialize<MarketState>("{\"PriceWindow\": null}")!;
        Assert.Empty(nulls.PriceWindow);
    }

    [Fact]
    public void When_a_ban_ends_the_pooled_price_is_pulled_towards_todays_trade_not_the_windows()
    {
        // China makes 100 a day; China's and Japan's buyers each want 50. A ban on Japan for 30 days, prices read over 30 days:
        // China's price falls (its segment keeps Japan's share), the price abroad climbs on Japan's unmet want. On day 30 the
        // ban ends and the segments pool: today all trade is at China's price, so arbitrage pulls the one price there. Weighted
        // by the windows, which still hold Japan's 30 days of unmet want abroad, it pulled China's price up on the same trade.
        var oxide = new CommoditySpec { Id = "oxide", ReferencePrice = 1000, InitialOrigin = "CN", PriceAdjustment = 0.03, PriceWindowDays = 30 };
        var world = Make(commodities: [oxide]) with { Segments = [new SegmentSpec("home", ["CN"]), new SegmentSpec("abroad", [])] };
        var ban = new ExportControl { Id = "cn-ban", Start = 0, End = 30, Exporter = "CN", Commodities = ["oxide"], Destinations = ["JP"], Mode = ControlMode.Ban };
        var state = MarketClearing.Initialise(world, oxide);
        var home = new List<double>();
        var abroad = new List<double>();
        for (int t = 0; t < 32; t++)
        {
            var bids = new[] { Bid("cn-buyer", "CN", 50) with { Normal = 50 }, Bid("jp-buyer", "JP", 50) with { Normal = 50 } };
            PolicySpec[] inForce = ban.InForce(t) ? [ban] : [];
            MarketClearing.Clear(world, state, t, [Ask("cn-sep", "CN", 100)], bids, inForce, 1);
            home.Add(state.Prices["home"]);
            abroad.Add(state.Prices["abroad"]);
        }
        Assert.True(home[29] < 1000 && abroad[29] > 1.3 * home[29], $"during the ban: home {home[29]:F1}, abroad {abroad[29]:F1}");
        Assert.True(home[30] <= home[29], $"the day the ban ends China's price rose from {home[29]:F1} to {home[30]:F1}");
        Assert.True(abroad[30] < abroad[29], $"the price abroad {abroad[29]:F1} → {abroad[30]:F1}");
    }

    [Fact]
    public void A_seller_whose_exports_go_out_in_lots_counts_them_once_where_they_went()
    {
        // A Chinese seller makes 10 a day (u₀·F), sells 6 at home every day and ships its 4 a day of exports as one lot of 56 every
        // 14 days. Read per day its home supply was 10 on the 13 days a lot waited and 6 on the day it shipped (and 56 abroad):
        // 136 + 56 over 14 days for 140 made. Over the window it is 14·6 = 84 at home and 56 abroad.
        var state = new MarketState();
        (Dictionary<string, double> D, Dictionary<string, double> S) read = default;
        for (int t = 0; t < 14; t++)
        {
            var lot = t == 13 ? 56.0 : 0;
            var seller = new PriceWindows.SellerDay("cn-maker", 0, NormalFlow: 10, Sold: 6 + lot, Cross: lot);
            read = PriceWindows.Read(state, Segments, 14, t, Day(6, 4), Day(0, lot), [seller]);
        }
        Assert.Equal(84, read.S["china"], 9);
        Assert.Equal(56, read.S["world"], 9);
        // A seller that sold nothing on a day of the window still reads it: gone a window, it is dropped.
        for (int t = 14; t < 28; t++) read = PriceWindows.Read(state, Segments, 14, t, Day(0, 0), Day(0, 0), []);
        Assert.Empty(state.SellerWindow);
        Assert.Equal(0, read.S["china"]);
    }
}
