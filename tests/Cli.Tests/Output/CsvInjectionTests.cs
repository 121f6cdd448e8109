using MarketSim.Model.Output;
using MarketSim.Model.Simulation;
using static MarketSim.Cli.Tests.Output.Worlds;

namespace MarketSim.Cli.Tests.Output;

/// <summary>A run's tables (written by CsvHelper) neutralise formula-like text as every other CSV does; numbers stay numbers.</summary>
public class CsvInjectionTests
{
    [Fact]
    public void Formula_like_text_in_a_run_table_is_prefixed_with_a_quote_and_negative_numbers_are_not()
    {
        var frames = new[]
        {
            Frame(0, prices: [new("@market", "=dy", 12.5)], fiscal: [new("CN", -2.5, 0)],
                events: ["=HYPERLINK(\"http://evil\",\"click\")", "+1+2", "-x", "\tsneaky"]),
        };
        var files = CsvExport.ToStrings(TwoCountries(), frames);
        Assert.Contains("0,2026-01-01,'@market,'=dy,12.5\n", files["prices.csv"]);
        Assert.Contains("0,2026-01-01,CN,-2.5,", files["fiscal.csv"]);
        var events = files["events.csv"];
        Assert.Contains("0,2026-01-01,\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\"\n", events);
        Assert.Contains("0,2026-01-01,'+1+2\n", events);
        Assert.Contains("0,2026-01-01,'-x\n", events);
        Assert.Contains("'\tsneaky", events);
    }
}
