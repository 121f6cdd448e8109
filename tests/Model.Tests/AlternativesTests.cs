using MarketSim.Model.Policies;
using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>
/// Who an oversubscribed seller serves first: buyers with no other offer to turn to before buyers with one (what an auction
/// allocates: a buyer that can buy the same elsewhere at the same cost bids no more for this offer). A Japanese maker makes 10 a
/// day; China's maker 100. Japan taxes Chinese oxide 100%, so to a Japanese buyer China's offer is twice the price and outside
/// its band; to a US buyer both offers cost the same.
/// </summary>
public class AlternativesTests
{
    static readonly Tariff JapaneseTariff = new() { Id = "jp-tariff", Start = 0, Importer = "JP", Commodities = ["oxide"], Origins = ["CN"], Rate = 1 };

    static ClearingResult Clear(double japanWants, double usWants, double chinaMakes) =>
        TestWorld.Clear(Make(), [Ask("jp-maker", "JP", 10), Ask("cn-maker", "CN", chinaMakes)],
            [Bid("jp-buyer", "JP", japanWants), Bid("us-buyer", "US", usWants)], JapaneseTariff);

    static double From(ClearingResult r, string buyer, string seller) =>
        r.Fills.Where(f => f.BuyerId == buyer && f.SellerId == seller).Sum();

    [Fact]
    public void A_buyer_with_no_other_offer_is_served_before_one_that_can_buy_the_same_elsewhere()
    {
        // The US buyer spreads 50 over both makers by their flows (≈4.5 at Japan's): Japan's maker is asked 14.5 for its 10.
        // Pro rata the Japanese buyer would get 6.9 and buy 3.1 across the tariff; it gets all 10 at home, and the US buyer
        // takes China's magnets at the same price.
        var r = Clear(japanWants: 10, usWants: 50, chinaMakes: 100);
        Assert.Equal(10, From(r, "jp-buyer", "jp-maker"), 9);
        Assert.Equal(0, From(r, "jp-buyer", "cn-maker"), 9);
        Assert.Equal(50, From(r, "us-buyer", "cn-maker") + From(r, "us-buyer", "jp-maker"), 9);
        Assert.All(r.Fills, f => Assert.Equal(0, f.Tariff));
    }

    [Fact]
    public void An_alternative_that_is_itself_oversubscribed_has_no_room_and_buyers_alike_share_pro_rata()
    {
        // China's maker has 1: the US and Korean buyers (no tariff) each have it at the same cost as Japan's maker, and it is
        // asked for more than it has, so neither has an alternative with room and Japan's maker shares its 10 in proportion
        // to their requests there (50 : 20, spread alike over both makers; no base stated).
        var r = TestWorld.Clear(Make(), [Ask("jp-maker", "JP", 10), Ask("cn-maker", "CN", 1)],
            [Bid("us-buyer", "US", 50), Bid("kr-buyer", "KR", 20)], JapaneseTariff);
        var us = From(r, "us-buyer", "jp-maker");
        var kr = From(r, "kr-buyer", "jp-maker");
        Assert.Equal(10, us + kr, 9);
        Assert.Equal(50.0 / 20.0, us / kr, 9);
    }

    [Fact]
    public void A_buyer_whose_band_cannot_hold_its_order_asks_the_next_offers_in_the_same_round()
    {
        // The Japanese buyer wants 30; the offer in its band (Japan's maker) holds 10, so it asks China's maker for the other 20
        // at once, across the tariff, alongside the US buyer's 95. Before Dec 2026 it asked China only in the next round, after
        // the US buyer had taken 86 of China's 100, and got 19.5 in all (10 + 9.5).
        var r = Clear(japanWants: 30, usWants: 95, chinaMakes: 100);
        var japan = From(r, "jp-buyer", "jp-maker") + From(r, "jp-buyer", "cn-maker");
        Assert.True(japan > 19.5 + 1, $"Japan got {japan}");
        Assert.Equal(110, r.Fills.Sum(), 9);
    }

    [Fact]
    public void Where_every_offer_is_short_a_buyer_whose_next_offer_is_dearer_comes_before_one_whose_equal_offer_is_full()
    {
        // The same shortage: both makers are asked for more than they have. At Japan's maker the US buyer's other offer at the
        // same cost (China's) is full, while the Japanese buyer's is dearer (the tariff): the Japanese buyer gets all 10, the US
        // buyer none of it, and China's 100 are shared. Served pro rata, Japan's maker split its 10 as 5.4 and 4.6 and Japan
        // bought 18.8 across the tariff while the US took Japanese magnets at the same price as China's (Dec 2026).
        var r = Clear(japanWants: 30, usWants: 95, chinaMakes: 100);
        Assert.Equal(10, From(r, "jp-buyer", "jp-maker"), 9);
        Assert.Equal(0, From(r, "us-buyer", "jp-maker"), 9);
        Assert.Equal(110, r.Fills.Sum(), 9);
    }
}
