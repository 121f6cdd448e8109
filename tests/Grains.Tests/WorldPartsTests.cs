using System.Text.Json;
using MarketSim.Grains.Serialization;
using MarketSim.Model.Scenario;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MarketSim.Grains.Tests;

/// <summary>A world crosses to a silo in parts of <see cref="SessionWorlds.PartBytes"/> (one message of a million firms' world,
/// ≈200 MB, stayed in Orleans' pooled buffers at both ends): the parts cover the serialised world exactly, and put back
/// together they are the world.</summary>
public sealed class WorldPartsTests
{
    static readonly Serializer Serializer = new ServiceCollection().AddMarketSimSerialization().BuildServiceProvider().GetRequiredService<Serializer>();

    [Theory]
    [InlineData(1)]
    [InlineData(SessionWorlds.PartBytes)]
    [InlineData(SessionWorlds.PartBytes + 1)]
    [InlineData(3 * SessionWorlds.PartBytes - 7)]
    public void The_parts_cover_the_bytes_exactly_in_order(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var first = SessionWorlds.Part(bytes, 0);
        Assert.Equal((length + SessionWorlds.PartBytes - 1) / SessionWorlds.PartBytes, first.Parts);
        Assert.Equal(length, first.Length);
        var back = Enumerable.Range(0, first.Parts).SelectMany(i => SessionWorlds.Part(bytes, i).Bytes).ToArray();
        Assert.Equal(bytes, back);
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionWorlds.Part(bytes, first.Parts));
    }

    [Fact]
    public void A_world_of_several_parts_put_back_together_is_the_world()
    {
        var world = TestScenarios.Large(60_000);
        var bytes = Serializer.SerializeToArray(world);
        Assert.True(bytes.Length > 2 * SessionWorlds.PartBytes, $"{bytes.Length} bytes: too few for several parts");
        var first = SessionWorlds.Part(bytes, 0);
        var whole = new byte[first.Length];
        for (int i = 0; i < first.Parts; i++) SessionWorlds.Part(bytes, i).Bytes.CopyTo(whole, (long)i * SessionWorlds.PartBytes);
        var back = Serializer.Deserialize<ScenarioSpec>(whole);
        Assert.Equal(JsonSerializer.Serialize(world), JsonSerializer.Serialize(back));
    }
}
