using System.Globalization;
using MarketSim.Model.Attribution;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Classrooms;

/// <summary>
/// How much each of a country's outcomes counts in its classroom score, chosen by the teacher when the class is created
/// (docs/CLASSROOM.md, "Scoreboard"). Each weight is a plain number in 0–<see cref="Max"/>, never derived from a run.
/// </summary>
public sealed record ScoreWeights
{
    /// <summary>The largest weight a teacher may give.</summary>
    public const double Max = 10;

    /// <summary>On the direct loss: value added not produced for want of inputs (losses.csv).</summary>
    public double Loss { get; init; } = 1;
    /// <summary>On the fiscal cost: floor subsidies, stockpiles, capacity projects (fiscal.csv; summary.csv fiscal_cost).</summary>
    public double FiscalCost { get; init; } = 1;
    /// <summary>
    /// On export revenue, the value of the country's sales abroad (flows.csv). Revenue is turnover, not value added: the
    /// default counts half of it, about the middle of the value-added shares of the processing stages at china-japan-2026's
    /// reference prices (separation 31–78 %, magnets 54–63 %; an ASSUMPTION for play, docs/CLASSROOM.md).
    /// </summary>
    public double ExportRevenue { get; init; } = 0.5;
    /// <summary>On export rent, the price wedge earned on sales across export controls, both holders (rents.csv).</summary>
    public double ExportRent { get; init; } = 1;

    /// <summary>Every problem, as "scoreWeights.field: what is wrong" (the hub's and the create page's error).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Check(string field, double w)
        {
            var v = w.ToString(CultureInfo.InvariantCulture);
            if (!double.IsFinite(w)) problems.Add($"scoreWeights.{field}: {v} is not a finite number");
            else if (w is < 0 or > Max) problems.Add($"scoreWeights.{field}: {v} is outside 0–{Max}");
        }
        Check("loss", Loss);
        Check("fiscalCost", FiscalCost);
        Check("exportRevenue", ExportRevenue);
        Check("exportRent", ExportRent);
        return problems;
    }

    /// <summary>
    /// The score of one country's outcome and its parts, each a share of its annual GDP, signed as they count (higher is
    /// better): −w_loss·loss/GDP, −w_fiscal·fiscal cost/GDP, +w_export·export revenue/GDP, +w_rent·export rent/GDP. A country
    /// without a GDP scores 0 on every part, as its loss share is 0 in summary.csv.
    /// </summary>
    public ScoreParts Parts(CountryOutcome o)
    {
        double Share(double money) => o.Gdp > 0 ? money / o.Gdp : 0;
        return new ScoreParts(-Loss * o.LossGdpShare, -FiscalCost * Share(o.FiscalCost), ExportRevenue * Share(o.ExportRevenue),
            ExportRent * Share(o.ExportRent));
    }

    /// <summary>"−1 × loss − 1 × fiscal cost + 0.5 × export revenue + 1 × export rent, each over GDP": the formula as shown.</summary>
    public string Describe()
    {
        static string W(double w) => w.ToString("0.###", CultureInfo.InvariantCulture);
        return $"−{W(Loss)} × loss − {W(FiscalCost)} × fiscal cost + {W(ExportRevenue)} × export revenue + {W(ExportRent)} × export rent, each the change against the world nobody played, over annual GDP";
    }
}

/// <summary>A country's score split into its weighted parts, each a share of annual GDP, signed as it counts.</summary>
public sealed record ScoreParts(double Loss, double FiscalCost, double ExportRevenue, double ExportRent)
{
    public double Score => Loss + FiscalCost + ExportRevenue + ExportRent;
}

/// <summary>
/// A country's result so far, ranked by <see cref="Score"/> (higher is better; ties: the smaller loss share, then the
/// smaller fiscal cost, then the country id). Money is in the scenario's currency, over every tick so far, and is what the
/// run's own outputs say (<see cref="OutcomeAccumulator"/>): Loss and GdpShare as summary.csv's cumulative_loss and
/// loss_gdp_share, FiscalCost as its fiscal_cost, ExportRevenue and ExportRent as vs_baseline.csv's export_revenue and
/// export_rent. Gdp: annual GDP. Parts: the score's weighted parts (<see cref="ScoreWeights.Parts"/>).
/// Market share: the country's share of the value of all cross-border shipments. Shortage: unmet over required input, all ticks.
/// </summary>
public sealed record ScoreRow(int Rank, string Country, double Score, ScoreParts Parts, double Loss, double GdpShare, double FiscalCost,
    double ExportRevenue, double ExportRent, double Gdp, double MarketShare, double Shortage);

public static class Scoreboard
{
    /// <summary>
    /// Whether the scores differ at all: false while every score is 0 (a class that has changed nothing yet, or whose changes
    /// have not reached any outcome). A rank 1–9 of equal scores would only be the tie-break order, so none is shown then.
    /// Scores count as equal when they show alike, rounded to <see cref="Resolution"/>, the finest step the pages show: one
    /// country at −0.0001 % beside others at 0.0000 % differs, though the two are less than a step apart.
    /// </summary>
    public static bool Differs(IReadOnlyList<ScoreRow> rows) =>
        rows.Select(r => Shown(r.Score)).Distinct().Count() > 1;

    /// <summary>The score as the pages round it, in steps of <see cref="Resolution"/> (0 and −0 alike).</summary>
    static double Shown(double score) => Math.Round(score / Resolution, MidpointRounding.AwayFromZero) + 0.0;

    /// <summary>0.0001 % of GDP: the pages show scores to four decimals of a percent.</summary>
    public const double Resolution = 1e-6;

    /// <param name="baseline">The world nobody played over the same ticks (<see cref="ClassBaseline"/>): when given, the score
    /// counts each outcome's difference from it (what the class changed); the money columns stay as run.</param>
    public static IReadOnlyList<ScoreRow> Build(ScenarioSpec world, IReadOnlyList<string> countries, IReadOnlyList<Frame> frames,
        ScoreWeights weights, IReadOnlyList<CountryOutcome>? baseline = null)
    {
        var before = baseline?.ToDictionary(o => o.Country, StringComparer.Ordinal);
        var outcomes = OutcomeAccumulator.Compute(world, frames);
        var byCountry = outcomes.ToDictionary(o => o.Country, StringComparer.Ordinal);
        // Cross-border shipments are every country's sales abroad, the export revenue of all of them.
        var crossBorder = outcomes.Sum(o => o.ExportRevenue);
        var required = new Dictionary<string, double>(StringComparer.Ordinal);
        var unmet = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var f in frames)
            foreach (var s in f.Shortages)
            {
                required[s.Country] = required.GetValueOrDefault(s.Country) + s.Required;
                unmet[s.Country] = unmet.GetValueOrDefault(s.Country) + s.Unmet;
            }
        var rows = countries.Select(c =>
            {
                var o = byCountry[c];
                var parts = weights.Parts(before is null ? o : o.Minus(before[c]));
                return new ScoreRow(0, c, parts.Score, parts, o.Loss, o.LossGdpShare, o.FiscalCost, o.ExportRevenue, o.ExportRent, o.Gdp,
                    crossBorder > 0 ? o.ExportRevenue / crossBorder : 0,
                    required.GetValueOrDefault(c) > 0 ? unmet.GetValueOrDefault(c) / required[c] : 0);
            })
            .OrderByDescending(r => r.Score).ThenBy(r => r.GdpShare).ThenBy(r => r.FiscalCost).ThenBy(r => r.Country, StringComparer.Ordinal).ToList();
        // Scores that show alike share a rank (1, 1, 3 …): a rank the page cannot tell apart would only be the tie-break.
        return rows.Select(r => r with { Rank = 1 + rows.Count(x => Shown(x.Score) > Shown(r.Score)) }).ToList();
    }
}
