using MarketSim.Model.Output;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>The measures every consumer reads off a frame (FrameMetrics), with values worked out by hand.</summary>
public class FrameMetricsTests
{
    static readonly ShortageRow[] Rows =
    [
        new("JP", "defence", "dy_oxide", 30, 0),
        new("JP", "defence", "tb_oxide", 0, 0),
        new("JP", "magnets", "dy_oxide", 10, 5),
        new("JP", "magnets", "tb_oxide", 4, 1),
        new("US", "magnets", "dy_oxide", 8, 8),
    ];

    [Fact]
    public void A_countrys_unmet_share_sums_unmet_and_required_over_its_sectors_before_dividing()
    {
        // Dy in Japan: 5 unmet of 10 + 30 required = 12.5 %, not the mean of 0 % and 50 %.
        Assert.Equal(0.125, FrameMetrics.UnmetShare(Rows, "JP", "dy_oxide"), 12);
        Assert.Equal(0.25, FrameMetrics.UnmetShare(Rows, "JP", "tb_oxide"), 12);
        Assert.Equal(0, FrameMetrics.UnmetShare(Rows, "KR", "dy_oxide"));
        Assert.Equal([("JP", "dy_oxide"), ("JP", "tb_oxide"), ("US", "dy_oxide")],
            FrameMetrics.UnmetShares(Rows).Select(x => (x.Country, x.Commodity)));
        var worst = FrameMetrics.WorstUnmetShare(Rows);
        Assert.Equal(0.25, worst["JP"], 12);
        Assert.Equal(1, worst["US"], 12);
    }

    [Fact]
    public void A_sector_that_requires_nothing_counts_as_fully_served()
    {
        Assert.Equal(0, FrameMetrics.UnmetShare([new ShortageRow("JP", "defence", "tb_oxide", 0, 0)], "JP", "tb_oxide"));
    }
}
