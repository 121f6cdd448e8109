using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>
/// A control that binds only because buyers build precautionary stock must not teach them that the supplier fails (docs/MODEL.md,
/// Buyers who learn supplier risk). Until Dec 2026 the precautionary rest of an order that a used-up quota or licence volume
/// stopped counted as a disruption: a buyer's disruption was then about the precautionary share of its own order, so learnt risk,
/// and the precaution it sets, stayed near 1 for as long as such a quota stood.
/// </summary>
public class PrecautionLoopTests
{
    [Fact]
    public void A_quota_that_serves_the_base_and_stops_the_precautionary_rest_stops_nothing_the_buyer_needs()
    {
        // 15 t a 30-day period accrues 0.5 t on day 0; the buyer asks 10 t. What it counts as stopped is the part of its base
        // (what restores its own cover) the quota did not serve, not the stock it asked for on top.
        var world = Make(internationalDays: 10);
        var quota = new ExportControl
        {
            Id = "cn-quota", Start = 0, Exporter = "CN", Commodities = ["oxide"], Mode = ControlMode.Quota, QuotaQuantity = 15, QuotaPeriodDays = 30,
        };
        double Met(double @base)
        {
            var r = Clear(world, [Ask("cn-sep", "CN", 100)], [Bid("jp-buyer", "JP", 10) with { Base = @base }], quota);
            var got = r.Fills.Where(f => f.BuyerId == "jp-buyer").Sum(f => f.Quantity);
            Assert.Equal(0.5, got, 9); // the quota lets 0.5 t through whatever the base
            return Assert.Single(r.Disruptions, d => d.BuyerId == "jp-buyer" && d.SellerCountry == "CN").Share;
        }
        Assert.Equal(0, Met(0.4), 9);     // its base served, the 9.6 t of stock-building stopped: no disruption (0.96 before)
        Assert.Equal(0, Met(0.5), 9);
        Assert.Equal(0.75, Met(2), 9);    // 0.5 of a base of 2 served: three quarters of what it needs stopped (0.95 before)
        Assert.Equal(0.95, Met(10), 9);   // an order that is all base: as before
        // A quota used up before the buyer is served at all stops its base too, whatever the base: 1, as before.
        var none = Clear(world, [Ask("cn-sep", "CN", 100)], [Bid("jp-buyer", "JP", 10) with { Base = 0.4 }], quota with { QuotaQuantity = 0 });
        Assert.Equal(1, Assert.Single(none.Disruptions, d => d.BuyerId == "jp-buyer").Share, 9);
    }

    [Fact]
    public void A_quota_that_binds_only_through_stock_building_teaches_no_risk_and_precaution_fades_while_it_stands()
    {
        // The baseline with a Chinese Dy quota of 40 t a month from day 30, above the ≈34.5 t a month China exports in the baseline:
        // it binds only because buyers build stock on the news of it. Before Dec 2026 Japan's high-temperature magnet maker learnt a
        // risk of China of 0.988 from it by day 364 and its Dy precaution rose to 0.983 (0.952 on day 250); now it learns none and its
        // precaution, set by the news alone, falls while the quota stands.
        var baseline = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var quota = new ExportControl
        {
            Id = "cn-dy-quota", Start = 30, Exporter = "CN", Commodities = ["dy_oxide"], Mode = ControlMode.Quota, QuotaQuantity = 40, QuotaPeriodDays = 30,
        };
        (double Rent, double Risk, double Precaution250, double Precaution364) Run(ScenarioSpec w)
        {
            var spec = w with { Days = 365, Policies = [.. w.Policies, quota] };
            var runner = new ReferenceRunner(spec, spec.Seed);
            double rent = 0, at250 = 0;
            FirmState Maker() => runner.States.Firms.Single(f => f.Id == "jp-magnet-ht");
            foreach (var f in runner.Run(spec.Days))
            {
                rent += f.Rents.Where(r => r.Commodity == "dy_oxide").Sum(r => r.Rent);
                if (f.Tick == 250) at250 = Maker().Precaution.GetValueOrDefault("dy_oxide");
            }
            return (rent, Maker().Risk.GetValueOrDefault("dy_oxide|CN"), at250, Maker().Precaution.GetValueOrDefault("dy_oxide"));
        }
        var calm = Run(baseline with { Buyers = baseline.Buyers with { PrecautionMaxCoverDays = 0 } });
        Assert.Equal(0, calm.Rent); // without precaution the quota never binds
        var on = Run(baseline);
        var said = $"rent ${on.Rent / 1e6:F1} m, risk {on.Risk:F3}, precaution {on.Precaution250:F3} on day 250, {on.Precaution364:F3} on day 364";
        Assert.True(on.Rent > 0, "the test needs a quota that binds through stock-building: " + said);
        Assert.True(on.Risk < 1e-3, said);
        Assert.True(on.Precaution364 < on.Precaution250, said);
    }
}
