using System.Globalization;
using System.Text;
using MarketSim.Model.Output;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Classrooms;

/// <summary>
/// What a classroom leaves behind: its replay (scenario + seed + decisions → the same world, tick for tick), the debrief
/// (every decision with the frames around it) and the CSV exports of decisions and outcomes.
/// </summary>
public static class ClassroomRecord
{
    /// <summary>The scenario with every decision's policy changes at their ticks: what the live session ran.</summary>
    public static ScenarioSpec Timeline(ScenarioSpec scenario, IEnumerable<Decision> decisions)
    {
        var timeline = scenario.Policies.ToList();
        var book = new LeverBook(scenario);
        foreach (var d in decisions)
            foreach (var change in book.Apply(d))
                PolicyTimeline.Apply(timeline, change, d.Tick);
        return scenario with { Policies = timeline };
    }

    /// <summary>Replays the classroom from its log with the reference runner: <paramref name="ticks"/> frames.</summary>
    public static IReadOnlyList<Frame> Replay(ScenarioSpec scenario, ulong seed, IEnumerable<Decision> decisions, int ticks)
    {
        var runner = new ReferenceRunner(Timeline(scenario, decisions), seed);
        return runner.Run(ticks).ToList();
    }

    /// <summary>A decision with its country's situation the day before it applied, at the end of its round, and on the last
    /// day run (a halt's losses come once stocks run out, often rounds later: at the end of its round alone a halt that cost
    /// Japan billions read 0.0 % → 0.0 %, a review's class).</summary>
    public sealed record DebriefRow(Decision Decision, DateOnly Date, double ShortageBefore, double ShortageAfter,
        double LossShareBefore, double LossShareAfter)
    {
        public double ShortageNow { get; init; }
        public double LossShareNow { get; init; }
    }

    public static IReadOnlyList<DebriefRow> Debrief(ScenarioSpec scenario, IReadOnlyList<Decision> decisions, IReadOnlyList<Frame> frames, int roundTicks)
    {
        double Shortage(string country, int tick)
        {
            if (country == "" || tick < 0 || tick >= frames.Count) return 0;
            var rows = frames[tick].Shortages.Where(s => s.Country == country).ToList();
            var req = rows.Sum(s => s.Required);
            return req > 0 ? rows.Sum(s => s.Unmet) / req : 0;
        }
        double Loss(string country, int tick) =>
            country == "" || tick < 0 || tick >= frames.Count ? 0 : frames[tick].Losses.Where(l => l.Country == country).Sum(l => l.GdpShare);
        return decisions.Select(d =>
        {
            var who = d.Country == "" ? Target(d) : d.Country;
            var after = Math.Min(d.Tick + roundTicks - 1, frames.Count - 1);
            var now = frames.Count - 1;
            return new DebriefRow(d, scenario.DateOf(d.Tick), Shortage(who, d.Tick - 1), Shortage(who, after), Loss(who, d.Tick - 1), Loss(who, after))
            {
                ShortageNow = Shortage(who, now), LossShareNow = Loss(who, now),
            };
        }).ToList();
    }

    /// <summary>The country an injected event is about: its first destination, importer or country, if any.</summary>
    static string Target(Decision d) => d.Injected switch
    {
        ExportControl e => e.Destinations.Count > 0 ? e.Destinations[0] : "",
        Tariff t => t.Importer,
        Stockpile s => s.Country,
        _ => "",
    };

    public static string DecisionsCsv(ScenarioSpec scenario, IEnumerable<Decision> decisions)
    {
        // "at": when it was decided (UTC, wall clock); tick and date: the simulated day it applied from.
        var sb = new StringBuilder("round,tick,date,at,seat,name,country,lever,value,by,description\n");
        foreach (var d in decisions)
            sb.Append(CsvFormat.Line([CsvFormat.Integer(d.Round), CsvFormat.Integer(d.Tick), CsvFormat.Date(scenario.DateOf(d.Tick)),
                d.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                d.SeatId, d.Name, d.Country, d.LeverId, CsvFormat.Number(d.Value), d.By, d.Description]));
        return sb.ToString();
    }

    /// <summary>
    /// The scoreboard as CSV, ranked: score and its weighted parts (each a share of annual GDP, signed as they count, so the
    /// parts add up to the score), then the money they come from, in the scenario's currency.
    /// </summary>
    public static string ScoreboardCsv(IEnumerable<ScoreRow> rows, string currency)
    {
        var c = currency.ToLowerInvariant();
        var sb = new StringBuilder(CsvFormat.Line(["rank", "country", "score", "loss_part", "fiscal_cost_part", "export_revenue_part",
            "export_rent_part", $"loss_{c}", "gdp_share", $"fiscal_cost_{c}", $"export_revenue_{c}", $"export_rent_{c}", $"gdp_{c}",
            "market_share", "shortage"]));
        foreach (var r in rows)
            sb.Append(CsvFormat.Line([CsvFormat.Integer(r.Rank), r.Country, CsvFormat.Share(r.Score), CsvFormat.Share(r.Parts.Loss),
                CsvFormat.Share(r.Parts.FiscalCost), CsvFormat.Share(r.Parts.ExportRevenue), CsvFormat.Share(r.Parts.ExportRent),
                CsvFormat.Number(r.Loss), CsvFormat.Share(r.GdpShare), CsvFormat.Number(r.FiscalCost), CsvFormat.Number(r.ExportRevenue),
                CsvFormat.Number(r.ExportRent), CsvFormat.Number(r.Gdp), CsvFormat.Share(r.MarketShare), CsvFormat.Share(r.Shortage)]));
        return sb.ToString();
    }
}
