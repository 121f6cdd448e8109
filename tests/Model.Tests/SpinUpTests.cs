using System.Text.Json;

namespace MarketSim.Model.Tests;

/// <summary>
/// Policies in force before the start date (a negative start): the world is stepped from the earliest of them with the same
/// rules (the spin-up), and output begins on day 0 (docs/MODEL.md, The tick, *Controls in force before the start*).
/// </summary>
public class SpinUpTests
{
    const int Shift = 60; // two 30-day price windows: the windows' slots line up in both runs
    static readonly string Baseline = File.ReadAllText(Paths.Scenario("baseline.yaml"));

    /// <summary>The baseline's world with <paramref name="policies"/> instead of its own.</summary>
    static ScenarioSpec World(string startDate, int days, params string[] policies)
    {
        var text = Baseline[..Baseline.IndexOf("\npolicies:", StringComparison.Ordinal)]
            .Replace("start_date: 2024-01-01", "start_date: " + startDate).Replace("\ndays: 365", "\ndays: " + days)
            + (policies.Length == 0 ? "\npolicies: []\n" : "\npolicies:\n" + string.Concat(policies.Select(p => "  - " + p + "\n")));
        var r = ScenarioLoader.LoadText(text, "spin-up.yaml");
        Assert.True(r.Ok, string.Join(" | ", r.Errors));
        return r.Spec!;
    }

    static string Ban(int start, int end) =>
        $"{{id: ban, type: export_control, exporter: CN, commodities: [group:rare_earths], destinations: [JP], mode: ban, start: {start}, end: {end}}}";

    static string Json<T>(T v) => JsonSerializer.Serialize(v);

    /// <summary>A frame's rows that do not name a day or sum since day 0.</summary>
    static string Day(Frame f) => Json(new
    {
        f.Date, f.Prices, f.Flows, f.Shortages, f.Cover, f.Rents,
        // A lead time's days are summed as (wait + arrival tick) − tick, whose last bit depends on the ticks' size: 9 digits.
        LeadTimes = f.LeadTimes.Select(l => (l.Destination, l.Commodity, l.Quantity, Math.Round(l.Days, 9), l.Waited)),
        Losses = f.Losses.Select(l => (l.Country, l.Sector, l.Loss)), ValueAdded = f.ValueAdded.Select(v => (v.Country, v.Sector, v.Made)),
        f.Fiscal.Count, f.Accounts,
    });

    [Fact]
    public void A_ban_that_started_before_the_start_date_gives_the_days_a_run_begun_at_its_start_gives()
    {
        // The same world and dates: one run begins on 2024-01-01 with the ban in force since 2023-11-02 (a spin-up of 60 days),
        // the other begins on 2023-11-02 with the ban from its day 0. From 2024-01-01 on they must be the same world.
        var spun = World("2024-01-01", 90, Ban(-Shift, 30));
        var whole = World("2023-11-02", 90 + Shift, Ban(0, 90));
        Assert.Equal(Shift, spun.SpinUpDays);
        Assert.Equal(0, whole.SpinUpDays);
        var a = new ReferenceRunner(spun, 7).Run(90).ToList();
        var b = new ReferenceRunner(whole, 7).Run(90 + Shift).Skip(Shift).ToList();
        Assert.Equal(0, a[0].Tick);
        for (int t = 0; t < 90; t++) Assert.Equal(Day(b[t]), Day(a[t]));
        // The ban bit before day 0 (Japan's magnet makers short by day 32 of it), and its days are in no output.
        Assert.Contains(a.Take(30), f => f.Shortages.Any(s => s.Country == "JP" && s.Unmet > 0));
    }

    static string Licence(int start) =>
        $"{{id: lic, type: export_control, exporter: CN, commodities: [dy_oxide, tb_oxide, magnet_ht], mode: license, approval_rate: 0.6, delay_min_days: 28, delay_max_days: 63, start: {start}}}";

    static double ChinaMagnetExports(IEnumerable<Frame> frames) =>
        frames.SelectMany(f => f.Flows).Where(x => x.Exporter == "CN" && x.Destination != "CN" && x.Commodity == "magnet_ht").Sum(x => x.Quantity);

    [Fact]
    public void A_licence_that_started_before_the_start_date_gives_the_days_a_run_begun_at_its_start_gives()
    {
        // As for the ban above, with a licence: its approvals and delays are drawn by calendar day, so the two runs draw the
        // same decisions on the same dates. Before Dec 2026 the draws were keyed by the tick and the runs parted on day 0.
        var spun = World("2024-01-01", 90, Licence(-Shift));
        var whole = World("2023-11-02", 90 + Shift, Licence(0));
        var a = new ReferenceRunner(spun, 7).Run(90).ToList();
        var b = new ReferenceRunner(whole, 7).Run(90 + Shift).Skip(Shift).ToList();
        for (int t = 0; t < 90; t++) Assert.Equal(Day(b[t]), Day(a[t]));
        Assert.True(ChinaMagnetExports(a) > 0, "the licence ships");
    }

    [Fact]
    public void A_licence_in_force_before_the_start_ships_from_day_0()
    {
        // Begun on day 0, nothing ships until each application's first decision, 28–63 days away (Licences). In force for 180
        // days before the start, buyers hold approvals and have decisions coming on day 0, as a regime that had run would.
        var fresh = new ReferenceRunner(World("2024-01-01", 30, Licence(0)), 7).Run(30).ToList();
        var running = new ReferenceRunner(World("2024-01-01", 30, Licence(-180)), 7).Run(30).ToList();
        Assert.Equal(0, ChinaMagnetExports(fresh.Take(20)), 9);
        var unlicensed = new ReferenceRunner(World("2024-01-01", 30), 7).Run(30).ToList();
        Assert.True(ChinaMagnetExports(running.Take(20)) > 0.5 * ChinaMagnetExports(unlicensed.Take(20)),
            $"China's licensed magnet exports over days 0–19: {ChinaMagnetExports(running.Take(20)):0.#} t, unlicensed {ChinaMagnetExports(unlicensed.Take(20)):0.#} t");
        // It is named on day 0 with its real start, and does not start again.
        Assert.Contains(running[0].Events, e => e.StartsWith("in force lic: ", StringComparison.Ordinal) && e.EndsWith(", since 2023-07-05 (day -180)", StringComparison.Ordinal));
        Assert.DoesNotContain(running.SelectMany(f => f.Events), e => e.StartsWith("start lic", StringComparison.Ordinal));
    }

    [Fact]
    public void What_the_spin_up_lost_is_in_no_output_and_what_it_built_stands_on_day_0()
    {
        // A 90-day ban on Japan that ended 60 days before the start: Japan lost output then (it does by day 32 of a ban), and
        // its firms learnt the risk and hold precautionary stock on day 0.
        var after = new ReferenceRunner(World("2024-01-01", 60, Ban(-150, -60)), 7).Run(60).ToList();
        var none = new ReferenceRunner(World("2024-01-01", 60), 7).Run(60).ToList();
        Assert.Equal(150, World("2024-01-01", 60, Ban(-150, -60)).SpinUpDays);
        Assert.Equal(0, after[0].Tick);
        Assert.Equal(new DateOnly(2024, 1, 1), after[0].Date);
        foreach (var l in after[0].Losses) Assert.Equal(l.Loss, l.Cumulative);
        foreach (var v in after[0].ValueAdded) Assert.Equal(v.Made, v.Cumulative);
        foreach (var f in after[0].Fiscal) Assert.Equal(f.Cost, f.Cumulative);
        foreach (var f in after) foreach (var l in f.Losses)
            Assert.Equal(after.TakeWhile(g => g.Tick <= f.Tick).Sum(g => g.Losses.Single(x => (x.Country, x.Sector) == (l.Country, l.Sector)).Loss), l.Cumulative, 6);
        static double JapanCarCover(Frame f) => f.Cover.Where(c => c.Country == "JP" && c.Sector == "automotive").Average(c => c.Days);
        Assert.True(JapanCarCover(after[0]) > JapanCarCover(none[0]) + 10,
            $"Japan's car makers' cover on day 0: {JapanCarCover(after[0]):0.#} days after the ban, {JapanCarCover(none[0]):0.#} without");
        Assert.Empty(after[0].Events.Where(e => e.Contains("ban:", StringComparison.Ordinal))); // ended before day 0: not in force
    }

    [Fact]
    public void A_spin_up_is_deterministic_and_a_scenario_without_one_starts_at_day_0()
    {
        var world = World("2024-01-01", 20, Licence(-90));
        Assert.Equal(Json(new ReferenceRunner(world, 7).Run(20).ToList()), Json(new ReferenceRunner(world, 7).Run(20).ToList()));
        var plain = new ReferenceRunner(World("2024-01-01", 20, Licence(0)), 7);
        Assert.Equal(0, plain.Tick);
    }
}
