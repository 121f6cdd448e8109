using System.Text.Json;

namespace MarketSim.Model.Tests;

/// <summary>
/// Reports folded by shards and then by the session must give the bits the reference runner's single fold gives, whatever the
/// shards and the order: the sums are exact (ReportTotals, ExactSum).
/// </summary>
public class ReportTotalsTests
{
    // Values of very different sizes, where floating-point addition is visibly not associative.
    static List<AgentReport> Reports()
    {
        var rng = new Random(11);
        var reports = new List<AgentReport>();
        for (int i = 0; i < 997; i++)
        {
            var scale = Math.Pow(10, rng.Next(-6, 9));
            var country = i % 3 == 0 ? "JP" : "US";
            var sector = i % 5 == 0 ? "defence" : "automotive";
            reports.Add(new AgentReport($"f{i}", country, sector, i % 7 == 0 ? 0 : scale * rng.NextDouble(), scale * rng.NextDouble(),
                [new InputShortage("dy_oxide", scale * rng.NextDouble(), scale * rng.NextDouble() / 3)],
                i % 4 == 0 ? [] : [new KeyValuePair<string, double>("dy_oxide", 180 * rng.NextDouble())], i % 11 == 0 ? scale : 0)
            { ValueAddedMade = i % 13 == 0 ? 0 : scale * rng.NextDouble() });
        }
        return reports;
    }

    static string Bits(ReportTotals t) => string.Join(";",
        t.Shortages.OrderBy(x => x.Country + x.Sector + x.Commodity, StringComparer.Ordinal)
            .Select(x => $"{x.Country}{x.Sector}{x.Commodity}:{x.Required.Units},{x.Unmet.Units},{x.Covered},{x.CoverWeighted.Units},{x.CoverWeight.Units}")
        .Concat(t.Sectors.OrderBy(x => x.Country + x.Sector, StringComparer.Ordinal)
            .Select(x => $"{x.Country}{x.Sector}:{x.Planned},{x.Loss.Units},{x.Made},{x.ValueAdded.Units}"))
        .Concat(t.Fiscal.OrderBy(x => x.Country, StringComparer.Ordinal).Select(x => $"{x.Country}:{x.Cost.Units}")));

    [Fact]
    public void Shards_of_any_size_folded_in_any_order_give_the_bits_of_one_fold_of_every_report()
    {
        var reports = Reports();
        var whole = Bits(ReportTotals.Of(reports));
        foreach (var size in new[] { 1, 7, 256, 500 })
        {
            var shards = reports.Chunk(size).Select(c => ReportTotals.Of(c.Reverse())).Reverse().ToList();
            var session = new ReportTotals();
            foreach (var s in shards) session.Add(s);
            Assert.Equal(whole, Bits(session));
        }
        // The same check on plain doubles fails: it is what the exact sums are for.
        var losses = reports.Where(r => r.PlannedValueAdded > 0).Select(r => r.Loss).ToList();
        double forward = 0, chunked = 0;
        foreach (var x in losses) forward += x;
        foreach (var c in losses.Chunk(7)) { double p = 0; foreach (var x in c) p += x; chunked += p; }
        Assert.NotEqual(forward, chunked);
    }

    [Fact]
    public void Totals_hold_the_sums_and_rows_the_frame_reads()
    {
        var t = ReportTotals.Of([
            new AgentReport("a", "JP", "magnets", 100, 10, [new InputShortage("dy_oxide", 4, 1)], [new("dy_oxide", 30)], 0) { ValueAddedMade = 90 },
            new AgentReport("b", "JP", "magnets", 50, 5, [new InputShortage("dy_oxide", 2, 2)], [new("dy_oxide", 60)], 0) { ValueAddedMade = 45 },
            // A stockpile's report: no planned value added (no loss row), a fiscal cost.
            new AgentReport("JP", "JP", "government", 0, 0, [], [], 7.5),
        ]);
        var s = Assert.Single(t.Shortages);
        Assert.Equal((6.0, 3.0), (s.Required.Value, s.Unmet.Value));
        Assert.Equal(40, s.CoverWeighted.Value / s.CoverWeight.Value, 12); // (30·4 + 60·2) / 6
        var sector = Assert.Single(t.Sectors);
        Assert.Equal((true, 15.0, 135.0), (sector.Planned, sector.Loss.Value, sector.ValueAdded.Value));
        Assert.Equal(7.5, Assert.Single(t.Fiscal).Cost.Value);
    }

    [Fact]
    public void Totals_survive_a_json_round_trip_as_they_cross_between_silos_and_keep_adding()
    {
        var reports = Reports();
        var half = reports.Count / 2;
        var first = JsonSerializer.Deserialize<ReportTotals>(JsonSerializer.Serialize(ReportTotals.Of(reports.Take(half))))!;
        first.Add(ReportTotals.Of(reports.Skip(half)));
        Assert.Equal(Bits(ReportTotals.Of(reports)), Bits(first));
    }

    [Fact]
    public void A_value_that_is_not_a_finite_number_is_refused_not_summed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactSum.Of(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactSum.Of(double.PositiveInfinity));
        Assert.Equal(0.5, ExactSum.Of(0.5).Value);
        Assert.Equal(-3e9, ExactSum.Of(-3e9).Value);
    }
}
