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
        var b = ScenarioLoader.LoadOrThrow(Paths.Scenario("baseline.yaml"));
        var tariff = new Tariff { Id = "jp-tariff", Start = 0, Importer = "JP", Commodities = ["magnet_ht", "magnet_std"], Origins = ["CN", "US", "RW", "IN", "MM"], Rate = 0.25 };
        var spec = b with { Days = 90, ContentOrigin = false, Policies = [.. b.Policies.Where(p => p is not Stockpile), tariff] };
        double revenue = 0;
        foreach (var frame in new ReferenceRunner(spec, spec.Seed).Run(spec.Days))
        {
            var jp = frame.Accounts.Single(a => a.Country == "JP");
            var bought = frame.Flows.Where(f => f.Destination == "JP").Sum(f => f.Value);
            Assert.Equal(bought + jp.TariffRevenue, jp.InputCost, 1e-6 * jp.InputCost);
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
