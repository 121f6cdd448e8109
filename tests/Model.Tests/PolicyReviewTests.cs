using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Model.Tests;

/// <summary>
/// Instruments other than China's and tariffs, as a review probed them (Dec 2026, the baseline, seed 7): a ban by another
/// exporter, an entity list, a quota re-stated or raised under its id, a capacity project cancelled while it is built. Each
/// case failed before its fix (the figures are in docs/MODEL.md).
/// </summary>
public class PolicyReviewTests
{
    static readonly ScenarioSpec Baseline = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));

    static List<Frame> Run(ScenarioSpec world, int days, params PolicySpec[] policies)
    {
        var spec = world with { Days = days, Policies = [.. world.Policies, .. policies] };
        return new ReferenceRunner(spec, spec.Seed).Run(spec.Days).ToList();
    }

    static double Price(Frame f, string market, string commodity) =>
        f.Prices.Single(p => p.Market == market && p.Commodity == commodity).Price;

    [Fact]
    public void A_ban_by_another_exporter_on_China_lowers_the_price_abroad_and_does_not_lower_Chinas()
    {
        // Australia bans NdPr to China: the supply kept from China stays abroad. India's separator still sells China a sliver
        // (0.4% of the NdPr open to Chinese buyers abroad); before Dec 2026 half of China's shortfall counted on the price abroad
        // for it, which rose 1.63× by day 90 while Lynas's output fell to nothing. China's own separators' spare capacity and
        // stores cover what Australia sold it: its price holds (1.000× on day 89; 0.993× with precaution off). Until Dec 2026
        // it rose above 1.1×, on the precautionary stock of Chinese firms holding no Australian NdPr (SupplierRisk: precaution
        // now weighs an exporter's control by the firm's exposure to it).
        var ban = new ExportControl { Id = "au-ban-cn", Start = 0, Exporter = "AU", Commodities = ["ndpr_oxide"], Destinations = ["CN"] };
        var last = Run(Baseline, 90, ban)[^1];
        var reference = Baseline.Commodities.Single(c => c.Id == "ndpr_oxide").ReferencePrice;
        var (world, china) = (Price(last, "world", "ndpr_oxide") / reference, Price(last, "china", "ndpr_oxide") / reference);
        Assert.True(world < 0.9, $"world NdPr {world:F3}× reference on day 89");
        Assert.True(china > 0.99, $"China's NdPr {china:F3}× reference on day 89");
    }

    [Fact]
    public void An_entity_list_ban_lowers_the_exporters_price_as_the_ban_on_the_country_does()
    {
        // Japan's high-temperature magnet maker is its only buyer of Dy and Tb: naming it cuts what a ban on all of Japan cuts.
        // The Dy that cannot leave stays in China either way. Before Dec 2026 the named buyer's unmet demand counted in the
        // pooled market (an entity list separates no segments) and raised China's Dy price (1.30× by day 364 against 0.78×).
        ExportControl Ban(string id) => new() { Id = id, Start = 0, Exporter = "CN", Commodities = ["dy_oxide", "tb_oxide"] };
        var named = Run(Baseline, 180, Ban("cn-ent") with { EndUsers = ["jp-magnet-ht"] })[^1];
        var country = Run(Baseline, 180, Ban("cn-jp") with { Destinations = ["JP"] })[^1];
        var reference = Baseline.Commodities.Single(c => c.Id == "dy_oxide").ReferencePrice;
        var (n, c) = (Price(named, "china", "dy_oxide") / reference, Price(country, "china", "dy_oxide") / reference);
        Assert.True(c < 1, $"China's Dy {c:F3}× under the ban on Japan");
        Assert.True(n < 1 && Math.Abs(n - c) < 0.05, $"China's Dy {n:F3}× under the entity list, {c:F3}× under the ban on Japan");
        // An entity list beside a ban on the buyer's whole country: the ban keeps Japan's segment apart from China's, so the
        // named buyer's shortage still raises the price abroad (a first version of the rule counted it nowhere: world Dy 1.00×).
        var both = Run(Baseline, 180, Ban("cn-jp") with { Destinations = ["JP"] }, Ban("cn-ent") with { EndUsers = ["jp-magnet-ht"] })[^1];
        var (wb, wc) = (Price(both, "world", "dy_oxide") / reference, Price(country, "world", "dy_oxide") / reference);
        Assert.True(wc > 2 && Math.Abs(wb - wc) < 0.01 * wc, $"world Dy {wb:F3}× with the entity list beside the ban, {wc:F3}× with the ban alone");
    }

    [Fact]
    public void A_quota_restated_or_raised_under_its_id_ships_as_its_new_version_says()
    {
        // A 10 t monthly Chinese Dy quota, and the same from day 180 as a second version (a live edit), or raised to 20 t.
        // Before Dec 2026 a version's first period read its predecessor's first, used up: the re-stated quota shipped nothing
        // after day 180 and the raised one 10 t a month.
        ExportControl Quota(double q, int start, int? end = null) => new()
        {
            Id = "cn-dy-quota", Start = start, End = end, Exporter = "CN", Commodities = ["dy_oxide"], Mode = ControlMode.Quota,
            QuotaQuantity = q, QuotaPeriodDays = 30,
        };
        static double ShippedFrom(List<Frame> run, int tick) =>
            run.Where(f => f.Tick >= tick).SelectMany(f => f.Flows)
                .Where(f => f.Commodity == "dy_oxide" && f.Exporter == "CN" && f.Destination != "CN").Sum(f => f.Quantity);
        var one = ShippedFrom(Run(Baseline, 240, Quota(10, 0)), 180);
        var restated = ShippedFrom(Run(Baseline, 240, Quota(10, 0, 180), Quota(10, 180)), 180);
        var raised = ShippedFrom(Run(Baseline, 240, Quota(10, 0, 180), Quota(20, 180)), 180);
        var said = $"days 180–239: one version {one:F1} t, re-stated {restated:F1} t, raised to 20 t {raised:F1} t";
        Assert.True(one > 15 && Math.Abs(restated - one) < 0.01 * one, said);
        Assert.True(raised > 1.8 * one, said);
    }

    [Fact]
    public void A_capacity_project_ended_before_it_comes_online_delivers_nothing()
    {
        // A US separator project of +10 t a day, 90 days to build, ended (cancelled) on day 60: its capacity never arrives, so
        // the US sells no NdPr; its cost, paid at its start, is sunk. Before Dec 2026 it came online on day 90 all the same.
        var project = new CapacityProject
        {
            Id = "us-sep-proj", Start = 0, Producer = "us-sep-lree", AddedCapacity = 10, LeadTimeDays = 90, Cost = 100e6, Payer = "US",
        };
        double UsNdPr(List<Frame> run) => run.SelectMany(f => f.Flows).Where(f => f.Exporter == "US" && f.Commodity == "ndpr_oxide").Sum(f => f.Quantity);
        var built = Run(Baseline, 200, project); // buyers qualify the US from the project's start, 180 days later
        var cancelled = Run(Baseline, 200, project with { End = 60 });
        Assert.True(UsNdPr(built) > 1, $"the project built sold {UsNdPr(built):F1} t");
        Assert.Equal(0, UsNdPr(cancelled));
        Assert.DoesNotContain(cancelled.SelectMany(f => f.Events), e => e.StartsWith("online us-sep-proj", StringComparison.Ordinal));
        Assert.Contains(cancelled[60].Events, e => e.StartsWith("end us-sep-proj", StringComparison.Ordinal) && e.EndsWith("cancelled before it came online: no capacity", StringComparison.Ordinal));
        Assert.True(cancelled[0].Fiscal.Single(x => x.Country == "US").Cost >= 100e6, "the project's cost is paid at its start");
    }
}
