using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>Directions a strategist relies on, checked on the shipped scenarios: more supply outside the controlling country
/// does not raise the controlled importer's loss.</summary>
public class ComparativeStaticsTests
{
    static double JapanLoss(ScenarioSpec spec) =>
        new ReferenceRunner(spec, spec.Seed).Run(spec.Days).Last().Losses.Where(l => l.Country == "JP").Sum(l => l.Cumulative);

    [Fact]
    public void More_Australian_NdPr_does_not_cut_Japans_value_added_in_the_cut_off()
    {
        // Twice Lynas (mine and separation, one producer since Dec 2026): NdPr gets cheaper, Japan's magnet makers want to make more, Dy still limits them.
        // Read on value added, the net figure (docs/MODEL.md, known limitations: a loss is not netted against output above the
        // benchmark). Since Dec 2026, with firms expediting from the national stockpile, cheaper NdPr lets the magnet makers run
        // faster before the second Dy stoppage and draw the stockpile down sooner: the loss metric reads $17.9 m against $16.8 m
        // while Japan's value added moves by −0.00001% ($0.03 m of $221 bn). Before that change the loss metric held too
        // ($26.5 m → $27.1 m once, when the benchmark moved with the NdPr price).
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("japan-cutoff-3m.yaml"));
        var more = shipped with
        {
            Producers = shipped.Producers.Select(p => p.Id == "au-sep-lree" ? p with { Capacity = 2 * p.Capacity } : p).ToList(),
        };
        Assert.True(JapanLoss(shipped) > 0);
        var before = JapanValueAdded(shipped);
        var after = JapanValueAdded(more);
        Assert.True(after >= before * (1 - 1e-4), $"Japan's value added {after:N0} with twice the Australian NdPr, {before:N0} without");
    }

    [Fact]
    public void A_larger_stockpile_released_after_a_ban_does_not_raise_the_price_of_what_it_sells()
    {
        // Japan's Dy stockpile still sells to Japan's firms at the separated world price (5× reference) when the ban ends; until
        // Dec 2026 those sales weighed in the price arbitrage pulls the rejoined markets to, and China's Dy rose from 204k to
        // 412k $/t by day 114 (302k over days 90–364 against 235k with the stockpiles halved: a larger release, a dearer price).
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("japan-cutoff-3m.yaml"));
        var half = shipped with
        {
            Policies = shipped.Policies.Select(p => p is Stockpile s
                ? s with { Size = s.Size / 2, Initial = s.Initial / 2, MaxReleasePerDay = s.MaxReleasePerDay / 2 } : p).ToList(),
        };
        double ChinaDy(ScenarioSpec s) => new ReferenceRunner(s, s.Seed).Run(s.Days).Skip(90)
            .Average(f => f.Prices.Single(p => p.Commodity == "dy_oxide" && p.Market == "china").Price);
        var large = ChinaDy(shipped);
        var small = ChinaDy(half);
        Assert.True(large <= small, $"China's Dy over days 90–364: {large:N0} with the shipped stockpiles, {small:N0} with half");
    }

    [Fact]
    public void A_licence_that_approves_everything_at_once_is_no_control()
    {
        // Approval 1 and no delay stops nothing: until Dec 2026 it still split China's Dy market from the world's (world Dy
        // 249,917 against 246,906 $/t without it, a probe) and booked China an export rent.
        var w = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var free = new ExportControl
        {
            Id = "cn-free-licence", Start = 0, Exporter = "CN", Commodities = ["dy_oxide", "tb_oxide", "magnet_ht"],
            Mode = ControlMode.License, ApprovalRate = 1, DelayMinDays = 0, DelayMaxDays = 0,
        };
        var last = new ReferenceRunner(w with { Policies = [.. w.Policies, free] }, w.Seed).Run(w.Days).ToList();
        var none = new ReferenceRunner(w, w.Seed).Run(w.Days).Last();
        foreach (var p in none.Prices.Where(p => p.Commodity is "dy_oxide" or "tb_oxide" or "magnet_ht"))
        {
            var with = last[^1].Prices.Single(x => x.Market == p.Market && x.Commodity == p.Commodity).Price;
            Assert.InRange(with / p.Price, 0.995, 1.005);
        }
        Assert.Empty(last.SelectMany(f => f.Rents).Where(r => r.Rent != 0));
    }

    [Fact]
    public void A_ban_by_a_small_supplier_sends_buyers_to_stock_by_how_much_it_supplies_them()
    {
        // Australia ships about 7.5% of China's NdPr. Until Dec 2026 a firm's precaution followed the riskiest supplier of an
        // input however little it bought there, and the news of any control on it: a 120-day Australian ban sent China's magnet
        // makers to 180 days of cover and China's NdPr to 92k $/t on day 364 (1.67× reference; 50k with precaution off). Now
        // precaution weighs each supplier country by its share of the firm's supply.
        var w = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        var ban = new ExportControl
        {
            Id = "au-ban-cn", Start = 30, End = 150, Exporter = "AU", Commodities = ["ndpr_oxide", "dy_oxide", "tb_oxide"],
            Destinations = ["CN"], Mode = ControlMode.Ban,
        };
        double ChinaNdPr(ScenarioSpec s) =>
            new ReferenceRunner(s, s.Seed).Run(s.Days).Last().Prices.Single(p => p.Commodity == "ndpr_oxide" && p.Market == "china").Price;
        var banned = w with { Policies = [.. w.Policies, ban] };
        var careful = ChinaNdPr(banned);
        var heedless = ChinaNdPr(banned with { Buyers = banned.Buyers with { PrecautionMaxCoverDays = 0 } });
        Assert.InRange(careful / heedless, 0.95, 1.05);
    }

    [Fact]
    public void A_longer_cut_off_costs_Japan_no_less()
    {
        // japan-cutoff-3m with its ban ending on day 60, 90 (as shipped) and 120: stocks bridge a short ban, a longer one runs
        // them down (seed 7, 7 Dec 2026: $2.5 m, $20.3 m, $49.6 m; with precaution off and no stockpiles the 180-day ban costs
        // $35.4 bn against $2.7 bn for 90 days). A loss that fell as the ban grew would be a rule gone wrong.
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("japan-cutoff-3m.yaml"));
        ScenarioSpec Ending(int end) => shipped with
        {
            Policies = shipped.Policies.Select(p => p is ExportControl { Id: "cn-cutoff-jp" } c ? c with { End = end } : p).ToList(),
        };
        var losses = new[] { 60, 90, 120 }.Select(end => JapanLoss(Ending(end))).ToList();
        Assert.True(losses[0] <= losses[1] && losses[1] <= losses[2], $"Japan's loss for bans of 60, 90, 120 days: {string.Join(", ", losses.Select(x => x.ToString("N0")))}");
        Assert.True(losses[2] > losses[0], "a ban twice as long costs nothing more");
    }

    [Fact]
    public void Fewer_approvals_for_Japan_raise_the_world_Dy_price_and_cost_Japan_no_less()
    {
        // china-japan-2026's licence for Japan's civil users approving 5%, 25% (as shipped) and 50% of decisions. Seed 7,
        // 7 Dec 2026 (with the April 2025 regime's spin-up): world Dy averaged over days 90–364 815k, 313k, 266k $/t; Japan's
        // loss $38.5 m, 0, 0 (seed 8: 694k, 415k, 252k; 0, 0, 0). The price on one day is no measure: by day 364 the 25% and 50%
        // runs stand within 0.5% of each other (244k and 245k), in either order as stocks settle. The draws are common to the
        // three runs (a decision is approved when its uniform draw is below the rate).
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        var runs = new[] { 0.05, 0.25, 0.5 }.Select(rate =>
        {
            var s = shipped with
            {
                Policies = shipped.Policies.Select(p => p is ExportControl { Id: "cn-licensing-jp-tight" } c ? c with { ApprovalRate = rate } : p).ToList(),
            };
            var frames = new ReferenceRunner(s, s.Seed).Run(s.Days).ToList();
            return (Dy: WorldDy(frames), Loss: frames[^1].Losses.Where(l => l.Country == "JP").Sum(l => l.Cumulative));
        }).ToList();
        var said = string.Join("; ", runs.Select(r => $"Dy {r.Dy:N0}, loss {r.Loss:N0}"));
        Assert.True(runs[0].Dy > runs[1].Dy && runs[1].Dy > runs[2].Dy, said);
        Assert.True(runs[0].Loss >= runs[1].Loss && runs[1].Loss >= runs[2].Loss, said);
    }

    [Fact]
    public void More_elastic_demand_damps_the_Dy_price_under_the_controls()
    {
        // Demand elasticity 0.05, 0.15 (as shipped) and 0.6 in china-japan-2026: buyers who cut use more as the price rises
        // leave less shortage to price (seed 7, 7 Dec 2026, with the spin-up: world Dy averaged over days 90–364 315k, 313k,
        // 305k $/t).
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        var dy = new[] { 0.05, 0.15, 0.6 }.Select(e =>
        {
            var s = shipped with { Demand = shipped.Demand with { Elasticity = e } };
            return WorldDy(new ReferenceRunner(s, s.Seed).Run(s.Days).ToList());
        }).ToList();
        Assert.True(dy[0] > dy[1] && dy[1] > dy[2], $"world Dy over days 90–364 at elasticities 0.05, 0.15, 0.6: {string.Join(", ", dy.Select(x => x.ToString("N0")))}");
    }

    // The world Dy oxide price averaged over days 90–364: the controls' level once the first decisions are in.
    static double WorldDy(IReadOnlyList<Frame> frames) =>
        frames.Where(f => f.Tick >= 90).Average(f => f.Prices.Single(p => p.Commodity == "dy_oxide" && p.Market == "world").Price);

    static double JapanValueAdded(ScenarioSpec spec) =>
        new ReferenceRunner(spec, spec.Seed).Run(spec.Days).Last().ValueAdded.Where(v => v.Country == "JP").Sum(v => v.Cumulative);

    [Fact]
    public void A_ban_on_Japans_military_use_of_Dy_barely_moves_the_Dy_price()
    {
        // Japan's military use is about 1% of its Dy; a military-only control splits no market, so the one Dy price should stay
        // near the baseline's. Before Dec 2026 the magnet makers' civil orders beyond what their declarations allowed counted as
        // unmet demand every day and took world Dy to 1.20× reference by day 364 (baseline 0.98×).
        var baseline = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var ban = new ExportControl
        {
            Id = "cn-jp-military-dy", Start = 0, Exporter = "CN", Commodities = ["dy_oxide"], Destinations = ["JP"],
            EndUse = EndUseScope.Military, Mode = ControlMode.Ban,
        };
        var banned = baseline with { Policies = [.. baseline.Policies, ban] };
        double Dy(ScenarioSpec s) =>
            new ReferenceRunner(s, s.Seed).Run(s.Days).Last().Prices.Single(p => p.Commodity == "dy_oxide" && p.Market == "world").Price;
        var free = Dy(baseline);
        Assert.InRange(Dy(banned) / free, 0.98, 1.02);
    }
    [Fact]
    public void Chinas_ban_on_Japans_military_use_does_not_lower_the_world_price_of_what_it_keeps_out()
    {
        // The ban keeps Chinese rare earths from Japan's military use, so the world segment, where Japan buys, can only lose
        // supply. Until Dec 2026 the price rule read each day's demand and supply alone and counted a licence's backlog, shipped
        // in one lot, as demand again: without the ban Japan's licensed Dy came in lots weeks apart, with it in daily parts
        // under the end-use declaration, and deleting the ban raised world Dy over days 90–364 from 3.12× to 3.92× the
        // reference (seed 7). Read over 30 days, with what ships under a licence counted as demand up to the day's want: 1.96×
        // with the ban, 1.87× without (Dec 2026; 2.06× and 1.88× before licence applications in flight counted as on order). Each rule alone fails this test, and so does a window shorter than about 14 days.
        var shipped = ScenarioLoader.LoadOrThrow(Paths.Scenario("china-japan-2026.yaml"));
        var without = shipped with { Policies = shipped.Policies.Where(p => p.Id != "cn-dual-use-jp-military").ToList() };
        Assert.Equal(shipped.Policies.Count - 1, without.Policies.Count);
        double MeanWorldDy(ScenarioSpec s) => new ReferenceRunner(s, s.Seed).Run(s.Days).Where(f => f.Tick >= 90)
            .Average(f => f.Prices.Single(p => p.Commodity == "dy_oxide" && p.Market == "world").Price);
        var banned = MeanWorldDy(shipped);
        var free = MeanWorldDy(without);
        Assert.True(banned >= free, $"world Dy averages {banned:N0} with the ban, {free:N0} without");
    }

    [Fact]
    public void A_quota_with_room_left_makes_no_second_price_and_earns_no_rent()
    {
        // A Chinese Dy quota of 160 t a month never fills (exports peak near 84 t); one of 10 t fills every month. Before Dec 2026
        // any quota below China's capacity split China's market from the world's: the unfilled one earned $0.69 m of rent and
        // China's price stood above the world's on 278 days.
        var baseline = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml")) with { Days = 180 };
        IReadOnlyList<Frame> Run(double quota)
        {
            var q = new ExportControl
            {
                Id = "cn-dy-quota", Start = 0, Exporter = "CN", Commodities = ["dy_oxide"], Mode = ControlMode.Quota,
                QuotaQuantity = quota, QuotaPeriodDays = 30,
            };
            var spec = baseline with { Policies = [.. baseline.Policies, q] };
            return new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
        }
        static bool Split(Frame f) => f.Prices.Where(p => p.Commodity == "dy_oxide").Select(p => p.Price).Distinct().Count() > 1;
        static double Rent(IEnumerable<Frame> run) => run.SelectMany(f => f.Rents).Where(r => r.Commodity == "dy_oxide").Sum(r => r.Rent);

        var loose = Run(160);
        Assert.DoesNotContain(loose, Split);
        Assert.Equal(0, Rent(loose));
        var tight = Run(10);
        Assert.True(tight.Count(Split) > 150, $"a binding quota split the market on {tight.Count(Split)} of 180 days");
        Assert.True(Rent(tight) > 0);
    }
    [Fact]
    public void A_quota_earns_its_rent_however_its_volume_is_paced()
    {
        // 120 t of Chinese Dy over 360 days, as 10 t a month or 120 t a year: a quota everyone sees binding is scarce from its
        // period's first day, so both earn China a rent and keep the price abroad up alike. Before Dec 2026 the whole of a
        // period's quota was open on its first day: the annual one shipped in the first weeks at China's price, earned no rent
        // ($152 m monthly), and left the world without Chinese Dy for the rest of the year (a review's probe).
        var baseline = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml")) with { Days = 360 };
        (double Rent, double Shipped) Run(double quota, int period)
        {
            var q = new ExportControl
            {
                Id = "cn-dy-quota", Start = 0, Exporter = "CN", Commodities = ["dy_oxide"], Mode = ControlMode.Quota,
                QuotaQuantity = quota, QuotaPeriodDays = period,
            };
            var spec = baseline with { Policies = [.. baseline.Policies, q] };
            var frames = new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
            return (frames.SelectMany(f => f.Rents).Where(r => r.Commodity == "dy_oxide").Sum(r => r.Rent),
                frames.SelectMany(f => f.Flows).Where(f => f.Commodity == "dy_oxide" && f.Exporter == "CN" && f.Destination != "CN").Sum(f => f.Quantity));
        }
        var monthly = Run(10, 30);
        var annual = Run(120, 360);
        var said = $"monthly: rent ${monthly.Rent / 1e6:F1} m on {monthly.Shipped:F1} t; annual: ${annual.Rent / 1e6:F1} m on {annual.Shipped:F1} t";
        Assert.True(annual.Shipped > 0.95 * monthly.Shipped && annual.Shipped < 1.05 * monthly.Shipped, said);
        Assert.True(monthly.Rent > 0, said);
        Assert.True(annual.Rent > 0.8 * monthly.Rent && annual.Rent < 1.25 * monthly.Rent, said);
    }
}
