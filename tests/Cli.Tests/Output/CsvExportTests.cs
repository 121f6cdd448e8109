using System.Text;
using MarketSim.Model.Output;
using MarketSim.Model.Simulation;
using static MarketSim.Cli.Tests.Output.Worlds;

namespace MarketSim.Cli.Tests.Output;

public class CsvExportTests
{
    static Frame[] Sample() =>
    [
        Frame(0, prices: [new("world", "dy", 1234567.1234567)], flows: [new("CN", "MY", "JP", "dy", 2.5, 1e12)],
            shortages: [new("JP", "auto", "dy", 3, 0.0000031)], losses: [new("JP", "auto", 1.5, 1.5, 0.0011034567)],
            fiscal: [new("CN", -1e-12, 0), new("JP", 0, 0)], events: ["start ban: CN export ban on dy to JP, re-export included"]),
        Frame(1, prices: [new("world", "dy", 0.1 + 0.2)]),
    ];

    [Fact]
    public void Writes_every_table_with_its_header()
    {
        var files = CsvExport.ToStrings(TwoCountries(), Sample());
        Assert.Equal(CsvTables.FileNames.Order(StringComparer.Ordinal), files.Keys);
        Assert.StartsWith("tick,date,market,commodity,price\n", files["prices.csv"]);
        Assert.StartsWith("tick,date,origin,exporter,destination,commodity,quantity,value,duty\n", files["flows.csv"]);
        Assert.StartsWith("country,gdp,cumulative_loss,loss_gdp_share,peak_unmet_share,shortage_days,fiscal_cost,indirect_loss,indirect_gdp_share,currency\n", files["summary.csv"]);
    }

    [Fact]
    public void Numbers_are_invariant_fixed_format_without_exponents_or_negative_zero()
    {
        var files = CsvExport.ToStrings(TwoCountries(), Sample());
        Assert.Contains("0,2026-01-01,world,dy,1234567.123457\n", files["prices.csv"]);
        Assert.Contains("1,2026-01-02,world,dy,0.3\n", files["prices.csv"]);
        Assert.Contains("0,2026-01-01,CN,MY,JP,dy,2.5,1000000000000,0\n", files["flows.csv"]);
        Assert.Contains("0,2026-01-01,CN,0,0\n", files["fiscal.csv"]);
    }

    [Fact]
    public void Shares_keep_ten_decimals_so_small_fractions_of_gdp_stay_readable()
    {
        var files = CsvExport.ToStrings(TwoCountries(), Sample());
        Assert.Contains("0,2026-01-01,JP,auto,1.5,1.5,0.0011034567\n", files["losses.csv"]);
        Assert.Contains(",0.0000010333\n", files["shortages.csv"]);
    }

    [Fact]
    public void Text_with_commas_is_quoted_and_lines_end_with_lf_only()
    {
        var files = CsvExport.ToStrings(TwoCountries(), Sample());
        Assert.Equal("tick,date,event\n0,2026-01-01,\"start ban: CN export ban on dy to JP, re-export included\"\n", files["events.csv"]);
        Assert.All(files.Values, text => Assert.DoesNotContain('\r', text));
    }

    [Fact]
    public void Summary_rows_carry_the_scenario_currency()
    {
        var files = CsvExport.ToStrings(TwoCountries(gdpJp: 1000), Sample());
        Assert.Contains("JP,1000,1.5,0.0015,0.0000010333,0,0,0,0,JPY\n", files["summary.csv"]);
        Assert.Contains("CN,5000,0,0,0,0,0,0,0,JPY\n", files["summary.csv"]);
    }

    /// <summary>
    /// The bytes are pinned, and written under a culture with a decimal comma: two calls in one process would agree even if
    /// the output followed the machine's culture or an unordered collection, so the expected files are stated here.
    /// </summary>
    [Fact]
    public void The_same_frames_give_the_same_bytes_on_any_machine()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            // A decimal comma and a group separator, built from the invariant culture (works without ICU, too).
            var comma = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            comma.DateTimeFormat.DateSeparator = ".";
            System.Globalization.CultureInfo.CurrentCulture = comma;
            var files = CsvExport.ToStrings(TwoCountries(), Sample());
            Assert.Equal("tick,date,market,commodity,price\n0,2026-01-01,world,dy,1234567.123457\n1,2026-01-02,world,dy,0.3\n", files["prices.csv"]);
            Assert.Equal("tick,date,origin,exporter,destination,commodity,quantity,value,duty\n0,2026-01-01,CN,MY,JP,dy,2.5,1000000000000,0\n", files["flows.csv"]);
            Assert.Equal("tick,date,country,cost,cumulative\n0,2026-01-01,CN,0,0\n0,2026-01-01,JP,0,0\n", files["fiscal.csv"]);
        }
        finally { System.Globalization.CultureInfo.CurrentCulture = culture; }
    }

    [Fact]
    public void WriteAll_streams_the_frames_once()
    {
        int reads = 0;
        IEnumerable<Frame> Once() { foreach (var f in Sample()) { reads++; yield return f; } }
        var written = new Dictionary<string, StringBuilder>();
        CsvExport.WriteAll(TwoCountries(), Once(), name => new StringWriter(written[name] = new StringBuilder()));
        Assert.Equal(2, reads);
        Assert.Equal(CsvTables.FileNames.Count, written.Count);
    }
}
