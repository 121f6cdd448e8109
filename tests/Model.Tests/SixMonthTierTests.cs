using System.Globalization;
using System.Text.RegularExpressions;

namespace MarketSim.Model.Tests;

/// <summary>
/// Japan's 2026 firms: the share of output held at six months of cover rests on one component maker's stockpile (press, Jan 2026)
/// and on no published share, so the scenarios must say it is an ASSUMPTION, and say the share they use (docs/MODEL.md,
/// Parameters). Until Dec 2026 they said only "see JP_FIRMS" beside a note on 2–3 weeks of cover.
/// </summary>
public class SixMonthTierTests
{
    [Theory]
    [InlineData("china-japan-2026.yaml")]
    [InlineData("china-extraterritorial.yaml")]
    public void The_six_month_share_of_Japans_firms_is_stated_as_an_assumption_and_is_the_one_used(string file)
    {
        var text = File.ReadAllText(Paths.Scenario(file));
        var said = Regex.Match(text, @"# Japan's firms, every sector: a share ([0-9.]+) holds 180 days \(ASSUMPTION");
        Assert.True(said.Success, file + " does not state the six-month share as an ASSUMPTION");
        var share = double.Parse(said.Groups[1].Value, CultureInfo.InvariantCulture);
        var spec = ScenarioLoader.LoadOrThrow(Paths.Scenario(file));
        // Each firm is a manufacturer "id/firm" with its share of the planned output.
        var japanese = spec.Manufacturers.Where(m => m.Country == "JP" && m.Id.Contains('/')).GroupBy(m => m.Id[..m.Id.IndexOf('/')]).ToList();
        Assert.Equal(4, japanese.Count); // autos, electronics, machinery, defence
        Assert.All(japanese, g => Assert.Equal(share, g.Where(f => f.CoverDays == 180).Sum(f => f.PlannedOutput) / g.Sum(f => f.PlannedOutput), 6));
    }
}
