using System.Text.Json;
using MarketSim.Model.Market;
using static MarketSim.Model.Tests.TestWorld;

namespace MarketSim.Model.Tests;

/// <summary>The licence state's id table (LicenceTable) is what clearing reads and writes; MarketState's maps are its persisted
/// form, written from it when read. The table is not serialised: it is rebuilt from the maps.</summary>
public class LicenceTableTests
{
    static readonly ScenarioSpec World = Make(internationalDays: 10);

    static readonly ExportControl Licence = new()
    {
        Id = "cn-licence", Start = 0, Exporter = "CN", Commodities = ["oxide"], Destinations = ["JP"], Mode = ControlMode.License,
        ApprovalRate = 0.5, DelayMinDays = 3, DelayMaxDays = 9, Applications = 2,
    };

    static List<Bid> Bids() => Enumerable.Range(0, 12).Select(i => Bid($"jp-{i:D2}", "JP", 5) with { Normal = 1 }).ToList();

    [Fact]
    public void A_state_read_back_from_json_each_tick_clears_as_the_state_kept_in_memory()
    {
        var kept = MarketClearing.Initialise(World, World.Commodity("oxide"));
        var restored = MarketClearing.Initialise(World, World.Commodity("oxide"));
        for (int tick = 0; tick < 60; tick++)
        {
            restored = JsonSerializer.Deserialize<MarketState>(JsonSerializer.Serialize(restored))!;
            var a = MarketClearing.Clear(World, kept, tick, [Ask("cn-sep", "CN", 40)], Bids(), [Licence], 3);
            var b = MarketClearing.Clear(World, restored, tick, [Ask("cn-sep", "CN", 40)], Bids(), [Licence], 3);
            Assert.Equal(JsonSerializer.Serialize(a), JsonSerializer.Serialize(b));
            // The same entries (a map read back from JSON has no holes left by removals, so its order may differ: not an output).
            Assert.Equal(Sorted(kept), Sorted(restored));
        }
        Assert.NotEmpty(kept.LicenceValidUntil.Concat(kept.LicenceBlockedUntil));
        Assert.DoesNotContain("Licences\"", JsonSerializer.Serialize(kept));
    }

    [Fact]
    public void Applications_in_flight_are_reported_alike_after_a_restore_whatever_the_buyers_ids_hold()
    {
        // Buyer ids with '|' and digits in them: the table rebuilt from the maps files each key under its buyer and application
        // as the running table did (keys are read from the right; country ids hold neither), so the reports stay the same.
        List<Bid> bids = [.. Enumerable.Range(0, 6).Select(i => Bid($"g|{i}", "JP", 5) with { Normal = 1 }), Bid("h|CN|1", "JP", 5) with { Normal = 1 }];
        var kept = MarketClearing.Initialise(World, World.Commodity("oxide"));
        var restored = MarketClearing.Initialise(World, World.Commodity("oxide"));
        var reported = 0;
        for (int tick = 0; tick < 40; tick++)
        {
            restored = JsonSerializer.Deserialize<MarketState>(JsonSerializer.Serialize(restored))!;
            var a = MarketClearing.Clear(World, kept, tick, [Ask("cn-sep", "CN", 40)], bids, [Licence], 3);
            var b = MarketClearing.Clear(World, restored, tick, [Ask("cn-sep", "CN", 40)], bids, [Licence], 3);
            Assert.Equal(JsonSerializer.Serialize(a.Applied), JsonSerializer.Serialize(b.Applied));
            reported += a.Applied.Count;
        }
        Assert.True(reported > 0);
    }

    [Fact]
    public void Maps_read_only_at_the_end_hold_what_maps_read_every_tick_hold_in_ordinal_key_order()
    {
        var unread = MarketClearing.Initialise(World, World.Commodity("oxide"));
        var read = MarketClearing.Initialise(World, World.Commodity("oxide"));
        for (int tick = 0; tick < 40; tick++)
        {
            var a = MarketClearing.Clear(World, unread, tick, [Ask("cn-sep", "CN", 40)], Bids(), [Licence], 3);
            var b = MarketClearing.Clear(World, read, tick, [Ask("cn-sep", "CN", 40)], Bids(), [Licence], 3);
            Assert.Equal(JsonSerializer.Serialize(a), JsonSerializer.Serialize(b));
            _ = JsonSerializer.Serialize(read); // writes the maps from the table
        }
        Assert.Equal(JsonSerializer.Serialize(read), JsonSerializer.Serialize(unread));
        var keys = unread.LicenceRefusedDays.Keys.ToList();
        Assert.NotEmpty(keys);
        Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), keys);
    }

    [Fact]
    public void Setting_one_map_keeps_what_the_table_held_in_the_others()
    {
        var a = MarketClearing.Initialise(World, World.Commodity("oxide"));
        var b = MarketClearing.Initialise(World, World.Commodity("oxide"));
        for (int tick = 0; tick < 20; tick++)
        {
            MarketClearing.Clear(World, a, tick, [Ask("cn-sep", "CN", 40)], Bids(), [Licence], 3);
            MarketClearing.Clear(World, b, tick, [Ask("cn-sep", "CN", 40)], Bids(), [Licence], 3);
        }
        // b's maps were never read: its table is ahead of them when one of them is replaced.
        b.LicenceRefusedDays = new Dictionary<string, int>(a.LicenceRefusedDays);
        Assert.Equal(JsonSerializer.Serialize(a), JsonSerializer.Serialize(b));
        Assert.NotEmpty(b.LicenceValidUntil.Concat(b.LicenceBlockedUntil));
    }

    [Fact]
    public void Ids_by_application_keep_their_keys_and_state_when_more_applications_are_asked_for()
    {
        var s = MarketClearing.Initialise(World, World.Commodity("oxide"));
        s.LicenceBlockedUntil["jp-00|cn-licence|1"] = 9;
        var t = LicenceTable.For(s);
        var two = t.IdsOf("jp-00", "cn-licence", 2);
        var three = t.IdsOf("jp-00", "cn-licence", 3);
        Assert.Equal(two, three[..2]);
        Assert.Equal(["jp-00|cn-licence", "jp-00|cn-licence|1", "jp-00|cn-licence|2"], three.Select(id => t[id].Key));
        Assert.True(t[three[1]].Blocked); // a key already in the maps keeps its entry
        Assert.Same(three, t.IdsOf("jp-00", "cn-licence", 1));
    }

    static string Sorted(MarketState s) => JsonSerializer.Serialize(new object[]
    {
        s.LicenceBlockedUntil.OrderBy(x => x.Key, StringComparer.Ordinal), s.LicenceValidUntil.OrderBy(x => x.Key, StringComparer.Ordinal),
        s.LicenceDelay.OrderBy(x => x.Key, StringComparer.Ordinal), s.LicenceLeft.OrderBy(x => x.Key, StringComparer.Ordinal), s.Prices,
    });

    [Fact]
    public void Maps_changed_outside_clearing_are_read_again()
    {
        var state = MarketClearing.Initialise(World, World.Commodity("oxide"));
        MarketClearing.Clear(World, state, 0, [Ask("cn-sep", "CN", 40)], Bids(), [Licence], 3);
        // Block every applicant by hand: the table must see it (the maps changed size), so nothing ships.
        foreach (var b in Bids())
            foreach (var key in new[] { b.BuyerId + "|CN", b.BuyerId + "|CN|1" }) // a buyer's licence is the licensing state's
            {
                state.LicenceValidUntil.Remove(key);
                state.LicenceDelay.Remove(key);
                state.LicenceLeft.Remove(key);
                state.LicenceBlockedUntil[key] = 100;
            }
        var fills = MarketClearing.Clear(World, state, 1, [Ask("cn-sep", "CN", 40)], Bids(), [Licence], 3).Fills;
        Assert.Empty(fills);
    }
}
