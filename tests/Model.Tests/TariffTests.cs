using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

public class TariffTests
{
    static readonly ScenarioSpec World = Make();
    static readonly Tariff JapanOnChina = new() { Id = "jp-tariff", Start = 0, Importer = "JP", Commodities = ["oxide"], Origins = ["CN"], Rate = 0.25 };

    [Fact]
    public void A_tariff_makes_buyers_prefer_the_untaxed_seller()
    {
        // Both sellers ask the same price; for Japan, Chinese oxide costs 25% more delivered.
        var fills = Clear(World, [Ask("cn-sep", "CN", 100), Ask("us-sep", "US", 100)], [Bid("jp-buyer", "JP", 10)], JapanOnChina).Fills;
        var f = Assert.Single(fills);
        Assert.Equal("US", f.SellerCountry);
        Assert.Equal(10, f.Quantity, 9);
        Assert.Equal(0, f.Tariff);
    }

    [Fact]
    public void Without_the_tariff_the_same_buyer_spreads_its_order_over_both_sellers()
    {
        var fills = Clear(World, [Ask("cn-sep", "CN", 100), Ask("us-sep", "US", 100)], [Bid("jp-buyer", "JP", 10)]).Fills;
        Assert.Equal(["CN", "US"], fills.Select(f => f.SellerCountry).Order());
    }

    [Fact]
    public void When_the_untaxed_seller_runs_out_the_buyer_pays_the_tariff_on_the_rest()
    {
        var fills = Clear(World, [Ask("cn-sep", "CN", 100), Ask("us-sep", "US", 4)], [Bid("jp-buyer", "JP", 10)], JapanOnChina).Fills;
        Assert.Equal(4, fills.Single(f => f.SellerCountry == "US").Quantity, 9);
        var cn = fills.Single(f => f.SellerCountry == "CN");
        Assert.Equal(6, cn.Quantity, 9);
        Assert.Equal(0.25 * cn.Price, cn.Tariff, 9);
    }

    [Fact]
    public void Inside_the_wall_an_untaxed_sale_is_at_the_taxed_import_s_price_while_imports_flow()
    {
        // Japan buys 6 across its 25% tariff at 1,250 delivered: the last unit it bought cost that, so the US seller's 4 are sold
        // at 1,250 too (the premium, 250 a unit, is the seller's). Korea, outside the wall, pays the seller's price.
        var fills = Clear(World, [Ask("cn-sep", "CN", 100), Ask("us-sep", "US", 4)], [Bid("jp-buyer", "JP", 10), Bid("kr-buyer", "KR", 2)], JapanOnChina).Fills;
        var us = fills.Single(f => f.SellerCountry == "US" && f.BuyerCountry == "JP");
        Assert.Equal(1250, us.Price, 9);
        Assert.Equal(250, us.Premium, 9);
        Assert.Equal(0, us.Tariff);
        Assert.Equal(0, us.Rent);
        var cn = fills.Single(f => f.SellerCountry == "CN" && f.BuyerCountry == "JP");
        Assert.Equal((1000, 250, 0), (cn.Price, cn.Tariff, cn.Premium));
        Assert.All(fills.Where(f => f.BuyerCountry == "KR"), f => Assert.Equal((1000, 0), (f.Price, f.Premium)));
    }

    [Fact]
    public void Where_untaxed_supply_meets_the_demand_inside_the_wall_it_sets_no_premium()
    {
        // Nothing crosses the tariff: the untaxed seller's stock meets Japan's order at its own price.
        var f = Assert.Single(Clear(World, [Ask("cn-sep", "CN", 100), Ask("us-sep", "US", 100)], [Bid("jp-buyer", "JP", 10)], JapanOnChina).Fills);
        Assert.Equal((1000, 0), (f.Price, f.Premium));
    }

    [Fact]
    public void A_seller_that_sold_outside_the_wall_at_its_price_gets_no_premium_inside_it()
    {
        // A 5% tariff is within the price band: Japan's buyer spreads over the Chinese offer (1,050 delivered) and the US one,
        // and so does Korea's. The US seller took 1,000 from Korea, so it could have sold that to Japan: it gets 1,000 from
        // Japan too (a seller asks one price), though Japan imported across the tariff.
        var five = JapanOnChina with { Rate = 0.05 };
        var fills = Clear(World, [Ask("cn-sep", "CN", 100), Ask("us-sep", "US", 100)], [Bid("jp-buyer", "JP", 10), Bid("kr-buyer", "KR", 10)], five).Fills;
        Assert.Contains(fills, f => f.BuyerCountry == "JP" && f.SellerCountry == "CN" && f.Tariff > 0);
        Assert.Contains(fills, f => f.BuyerCountry == "KR" && f.SellerCountry == "US");
        Assert.All(fills, f => Assert.Equal(0, f.Premium));
        // Without Korea's buyer the US seller sold only inside the wall, and Japan's taxed imports set its price there.
        var alone = Clear(World, [Ask("cn-sep", "CN", 100), Ask("us-sep", "US", 100)], [Bid("jp-buyer", "JP", 10)], five).Fills;
        Assert.Equal(1050, alone.Single(f => f.SellerCountry == "US").Price, 9);
    }

    [Fact]
    public void Reserved_supply_keeps_its_terms_inside_the_wall()
    {
        // A contract (an offer reserved for Japan) is at the seller's price even while Japan imports across the tariff.
        var fills = Clear(World, [Ask("cn-sep", "CN", 100), Ask("us-sep", "US", 4, onlyFor: ["JP"])], [Bid("jp-buyer", "JP", 10)], JapanOnChina).Fills;
        var us = fills.Single(f => f.SellerCountry == "US");
        Assert.Equal(4, us.Quantity, 9);
        Assert.Equal((1000, 0), (us.Price, us.Premium));
    }

    [Fact]
    public void A_floor_pays_only_what_the_wall_s_premium_leaves_below_it()
    {
        var floor = new PriceFloor { Id = "floor", Start = 0, Club = ["US"], Excluded = [], Floors = new Dictionary<string, double> { ["oxide"] = 1300 } };
        var us = Clear(World, [Ask("cn-sep", "CN", 100), Ask("us-sep", "US", 4)], [Bid("jp-buyer", "JP", 10)], JapanOnChina, floor).Fills
            .Single(f => f.SellerCountry == "US");
        Assert.Equal(1250, us.Price, 9);
        Assert.Equal(50, us.Subsidy, 9);
    }

    [Fact]
    public void A_tariff_wall_protects_the_makers_inside_it()
    {
        // The baseline with a 50% tariff on Chinese high-temperature magnets by every country but China (demand outside China
        // ≈52 t a day against 25.4 t of capacity there, so imports across the tariff continue): the makers inside the wall sell
        // at the taxed import's price, about 1.5× the price outside (textbook incidence while imports flow), they expand (which
        // none does without the wall), and China's price falls (a large exporter bears part of the tariff). Before Dec 2026
        // the makers inside got the price outside, lower than without the tariff, and none expanded in 1,500 days.
        var b = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        (double Inside, double Outside, double WorldPrice, int Expansions, double Faced) Run(double rate)
        {
            var walls = rate == 0 ? [] : new[] { "JP", "US", "DE", "KR", "IN", "RW" }.Select(c => (PolicySpec)new Tariff
                { Id = "t-" + c, Start = 0, Importer = c, Commodities = ["magnet_ht"], Origins = ["CN"], Rate = rate });
            var spec = b with { Days = 365, Policies = [.. b.Policies, .. walls] };
            var runner = new ReferenceRunner(spec, spec.Seed);
            var frames = runner.Run(spec.Days).ToList();
            var late = frames.Where(f => f.Tick >= 100).SelectMany(f => f.Flows).Where(f => f.Commodity == "magnet_ht").ToList();
            double Mean(IEnumerable<FlowRow> rows) => rows.Sum(r => r.Value) / rows.Sum(r => r.Quantity);
            var inside = Mean(late.Where(f => f.Exporter is "JP" or "DE" && f.Destination != "CN"));
            var outside = Mean(late.Where(f => f.Exporter == "CN" && f.Destination != "CN"));
            var price = frames[^1].Prices.Single(p => p.Market == "world" && p.Commodity == "magnet_ht").Price;
            var expansions = frames.SelectMany(f => f.Events).Count(e => e.Contains("expansion decided") && e.Contains("magnet_ht"));
            var faced = runner.States.Firms.Where(f => f.Id.StartsWith("jp-auto")).Average(f => f.TariffRate.GetValueOrDefault("magnet_ht"));
            return (inside, outside, price, expansions, faced);
        }
        var none = Run(0);
        var wall = Run(0.5);
        Assert.Equal(none.Inside, none.Outside, 1e-6 * none.Outside);
        // (Means over days 100–364, each weighted by its own days' quantities, so not exactly 1.5.)
        Assert.InRange(wall.Inside / wall.Outside, 1.45, 1.51);
        Assert.Equal(0, none.Expansions);
        Assert.True(wall.Expansions > 0, "no maker inside the wall expanded");
        Assert.True(wall.WorldPrice < 0.97 * none.WorldPrice, $"price outside the wall {wall.WorldPrice:F0} against {none.WorldPrice:F0} without it");
        // Japan's car makers face the tariff on all they buy, Japanese magnets included (what thrift answers to).
        Assert.InRange(wall.Faced, 0.45, 0.5 + 1e-9);
    }

    [Fact]
    public void A_buyer_limit_below_the_taxed_price_buys_nothing_taxed()
    {
        var fills = Clear(World, [Ask("cn-sep", "CN", 100)], [Bid("jp-buyer", "JP", 10, limit: 1200)], JapanOnChina).Fills;
        Assert.Empty(fills); // 1000 × 1.25 > 1200
    }

    [Fact]
    public void The_tariff_binds_only_the_importer()
    {
        var fills = Clear(World, [Ask("cn-sep", "CN", 100), Ask("us-sep", "US", 100)], [Bid("kr-buyer", "KR", 10)], JapanOnChina).Fills;
        Assert.Contains(fills, f => f.SellerCountry == "CN");
        Assert.All(fills, f => Assert.Equal(0, f.Tariff));
    }
    [Fact]
    public void A_sale_from_a_seller_in_the_importing_country_pays_no_tariff_whatever_the_lot_s_origin()
    {
        // Chinese oxide held in Japan (a stockpile's, or a lot bought before) sold to a Japanese firm crosses no border.
        var fills = Clear(World, [Ask("jp-stock", "JP", 100, origin: "CN")], [Bid("jp-buyer", "JP", 10)], JapanOnChina).Fills;
        var f = Assert.Single(fills);
        Assert.Equal(10, f.Quantity, 9);
        Assert.Equal(0, f.Tariff);
    }

    [Fact]
    public void What_buyers_pay_in_tariffs_is_what_their_state_collects()
    {
        // The baseline without content tracking (a magnet made in Japan keeps its oxide's Chinese origin) and without stockpiles,
        // with a Japanese tariff on Chinese-origin magnets: Japan's input cost is the value of what its firms bought plus the
        // tariff revenue, tick by tick. Before Dec 2026 Japanese-made magnets sold at home paid the tariff and no state got it.
        // Without content tracking a lot's origin is where its ore was mined (opening lots too, since Dec 2026, when a CN-only
        // tariff stopped collecting: Japan turned to Chinese magnets of American ore). So the tariff names every country whose
        // ore China's plants separate; Australia's (Lynas) is left out, so Japanese buyers still have an untaxed offer.
        // Every other country's tariff on the same origins too, so that Japan imports across its tariff and its untaxed
        // purchases carry the wall's premium (in the flows' value, not in the tariff revenue).
        var b = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var tariffs = new[] { "JP", "US", "DE", "KR", "IN", "RW" }.Select(c => (PolicySpec)new Tariff { Id = "t-" + c, Start = 0, Importer = c,
            Commodities = ["magnet_ht", "magnet_std"], Origins = ["CN", "US", "RW", "IN", "MM"], Rate = 0.25 });
        var spec = b with { Days = 90, ContentOrigin = false, Policies = [.. b.Policies.Where(p => p is not Stockpile), .. tariffs] };
        double revenue = 0;
        foreach (var frame in new ReferenceRunner(spec, spec.Seed).Run(spec.Days))
        {
            var jp = frame.Accounts.Single(a => a.Country == "JP");
            var bought = frame.Flows.Where(f => f.Destination == "JP").Sum(f => f.Value);
            Assert.Equal(bought + jp.TariffRevenue, jp.InputCost, 1e-6 * jp.InputCost);
            // And the duty flows.csv shows on what came in from abroad is that revenue (it reads the customs origin, which a
            // flow's origin, where the ore was mined, need not be).
            var duty = frame.Flows.Where(f => f.Destination == "JP" && f.Exporter != "JP").Sum(f => f.Duty);
            Assert.Equal(jp.TariffRevenue, duty, 1e-6 * Math.Max(1, jp.TariffRevenue));
            revenue += jp.TariffRevenue;
        }
        Assert.True(revenue > 0, "the tariff collected nothing: the test would not see a mismatch");
    }

    [Fact]
    public void Thrift_answers_to_the_tariff_the_firm_pays()
    {
        // The baseline with a Japanese tariff on Chinese Dy oxide at 25% and at 500%. In 2024 only China separates Dy, so Japan's
        // magnet maker has no other offer and pays the tariff on what it buys; what the higher rate can move is its Dy use per
        // tonne of magnet: before Dec 2026 its thrift read the untaxed home price and the two runs were the same in every
        // quantity. (A tariff on Chinese magnets no longer shows it: since Dec 2026 Japan's own makers serve Japanese buyers
        // first when foreign buyers have Chinese magnets to turn to, and Japan buys none across the tariff.)
        var b = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        (double Theta, double Bought) Run(double rate)
        {
            var tariff = new Tariff { Id = "jp-tariff", Start = 0, Importer = "JP", Commodities = ["dy_oxide"], Origins = ["CN"], Rate = rate };
            var spec = b with { Days = 365, Policies = [.. b.Policies, tariff] };
            var runner = new ReferenceRunner(spec, spec.Seed);
            var bought = runner.Run(spec.Days).SelectMany(f => f.Flows)
                .Where(f => f.Commodity == "dy_oxide" && f.Destination == "JP" && f.Exporter == "CN").Sum(f => f.Quantity);
            var theta = runner.States.Firms.Single(f => f.Id == "jp-magnet-ht").Intensity.GetValueOrDefault("dy_oxide", 1);
            return (theta, bought);
        }
        var low = Run(0.25);
        var high = Run(5.0);
        Assert.True(high.Theta < low.Theta - 0.02, $"θ at 500% {high.Theta:F4}, at 25% {low.Theta:F4}");
        Assert.True(high.Bought < low.Bought, $"Japan bought {high.Bought:F1} t of Chinese Dy at 500%, {low.Bought:F1} t at 25%");
    }
}
