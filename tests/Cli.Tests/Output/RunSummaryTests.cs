using MarketSim.Model.Output;
using MarketSim.Model.Simulation;
using static MarketSim.Cli.Tests.Output.Worlds;

namespace MarketSim.Cli.Tests.Output;

public class RunSummaryTests
{
    [Fact]
    public void Every_country_gets_a_row_in_id_order_even_without_any_rows_in_the_frames()
    {
        var s = RunSummary.Compute(TwoCountries(), [Frame(0)]);
        Assert.Equal(["CN", "JP"], s.Select(r => r.Country));
        Assert.All(s, r => { Assert.Equal(0, r.CumulativeLoss); Assert.Equal(0, r.ShortageDays); Assert.Equal(0, r.PeakUnmetShare); });
        Assert.Equal(1000, s.Single(r => r.Country == "JP").Gdp);
    }

    [Fact]
    public void Cumulative_loss_is_the_sum_of_daily_losses_over_all_sectors_and_its_gdp_share_uses_annual_gdp()
    {
        var frames = new[]
        {
            Frame(0, losses: [new("JP", "auto", 10, 10, 0.01), new("JP", "wind", 5, 5, 0.005)]),
            Frame(1, losses: [new("JP", "auto", 20, 30, 0.03), new("JP", "wind", 0, 5, 0.005)]),
        };
        var jp = RunSummary.Compute(TwoCountries(gdpJp: 1000), frames).Single(r => r.Country == "JP");
        Assert.Equal(35, jp.CumulativeLoss);
        Assert.Equal(0.035, jp.LossGdpShare, 12);
    }

    [Fact]
    public void The_unmet_share_is_taken_over_the_whole_country_not_its_worst_sector()
    {
        // Automotive misses half of its 10 t, wind gets all of its 30 t: the country misses 5 of 40 t.
        var frames = new[] { Frame(0, shortages: [new("JP", "auto", "dy", 10, 5), new("JP", "wind", "dy", 30, 0)]) };
        var jp = RunSummary.Compute(TwoCountries(), frames).Single(r => r.Country == "JP");
        Assert.Equal(0.125, jp.PeakUnmetShare, 12);
    }

    [Fact]
    public void The_peak_is_the_worst_commodity_on_the_worst_day()
    {
        var frames = new[]
        {
            Frame(0, shortages: [new("JP", "auto", "dy", 10, 1), new("JP", "auto", "nd", 10, 3)]),
            Frame(1, shortages: [new("JP", "auto", "dy", 10, 2), new("JP", "auto", "nd", 10, 0)]),
        };
        Assert.Equal(0.3, RunSummary.Compute(TwoCountries(), frames).Single(r => r.Country == "JP").PeakUnmetShare, 12);
    }

    [Fact]
    public void A_shortage_day_is_a_day_with_more_than_a_tenth_of_a_percent_unmet_counted_once_however_many_commodities()
    {
        var frames = new[]
        {
            Frame(0, shortages: [new("JP", "auto", "dy", 1000, 1)]),                                  // exactly 0.1%: not a shortage day
            Frame(1, shortages: [new("JP", "auto", "dy", 1000, 1.5)]),                                // 0.15%: one
            Frame(2, shortages: [new("JP", "auto", "dy", 10, 5), new("JP", "auto", "nd", 10, 5)]),    // two commodities short: still one day
            Frame(3, shortages: [new("JP", "auto", "dy", 0, 0)]),                                     // nothing required: no shortage
        };
        Assert.Equal(2, RunSummary.Compute(TwoCountries(), frames).Single(r => r.Country == "JP").ShortageDays);
    }

    [Fact]
    public void Fiscal_cost_is_the_sum_of_daily_costs()
    {
        var frames = new[]
        {
            Frame(0, fiscal: [new("CN", 0, 0), new("JP", 100, 100)]),
            Frame(1, fiscal: [new("CN", 0, 0), new("JP", -40, 60)]),
        };
        var s = RunSummary.Compute(TwoCountries(), frames);
        Assert.Equal(60, s.Single(r => r.Country == "JP").FiscalCost);
        Assert.Equal(0, s.Single(r => r.Country == "CN").FiscalCost);
    }

    [Fact]
    public void Streaming_frame_by_frame_gives_the_summary_of_the_whole_run()
    {
        // Ticks 0..4: Japan's car makers miss t of 10 t of Dy and lose 1.1·t; China's state pays 0.3·t. Expected values by
        // hand: loss 1.1·(0+1+2+3+4) = 11 (GDP 1000: 1.1%), peak unmet share 4/10, short (above 0.1%) on ticks 1..4, fiscal 3.
        var frames = Enumerable.Range(0, 5).Select(t => Frame(t,
            shortages: [new("JP", "auto", "dy", 10, t)], losses: [new("JP", "auto", t * 1.1, 0, 0)], fiscal: [new("CN", t * 0.3, 0)])).ToList();
        var acc = new RunSummary.Accumulator(TwoCountries());
        foreach (var f in frames) acc.Add(f);
        var streamed = acc.Build();
        var jp = streamed.Single(r => r.Country == "JP");
        Assert.Equal(11, jp.CumulativeLoss, 9);
        Assert.Equal(0.011, jp.LossGdpShare, 12);
        Assert.Equal(0.4, jp.PeakUnmetShare, 12);
        Assert.Equal(4, jp.ShortageDays);
        Assert.Equal(0, jp.FiscalCost);
        var cn = streamed.Single(r => r.Country == "CN");
        Assert.Equal(3, cn.FiscalCost, 9);
        Assert.Equal((0.0, 0, 0.0), (cn.CumulativeLoss, cn.ShortageDays, cn.PeakUnmetShare));
    }
}
