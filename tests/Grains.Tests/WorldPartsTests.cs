using System.Text.Json;
using MarketSim.Grains.Interfaces;
using MarketSim.Grains.Serialization;
using MarketSim.Model.Scenario;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MarketSim.Grains.Tests;

/// <summary>A world crosses to a silo in parts of <see cref="SessionWorlds.PartBytes"/> (one message of a million firms' world,
/// ≈200 MB, stayed in Orleans' pooled buffers at both ends): the parts cover the serialised world exactly, put back together
/// they are the world, and parts of two serialisations are never put together.</summary>
public sealed class WorldPartsTests
{
    static readonly Serializer Serializer = new ServiceCollection().AddMarketSimSerialization().BuildServiceProvider().GetRequiredService<Serializer>();

    static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(SessionWorlds.PartBytes)]
    [InlineData(SessionWorlds.PartBytes + 1)]
    [InlineData(3 * SessionWorlds.PartBytes - 7)]
    public async Task The_parts_cover_the_bytes_exactly_in_order(int length)
    {
        var bytes = Bytes(length, length);
        var token = Guid.NewGuid();
        var first = SessionWorlds.Part(bytes, 0, token);
        Assert.Equal((length + SessionWorlds.PartBytes - 1) / SessionWorlds.PartBytes, first.Parts);
        Assert.Equal(length, first.Length);
        Assert.Equal(bytes, await SessionWorlds.AssembleAsync(i => Task.FromResult(SessionWorlds.Part(bytes, i, token))));
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionWorlds.Part(bytes, first.Parts, token));
    }

    [Fact]
    public async Task A_world_of_several_parts_put_back_together_is_the_world()
    {
        var world = TestScenarios.Large(60_000);
        var bytes = Serializer.SerializeToArray(world);
        Assert.True(bytes.Length > 2 * SessionWorlds.PartBytes, $"{bytes.Length} bytes: too few for several parts");
        var token = Guid.NewGuid();
        var back = Serializer.Deserialize<ScenarioSpec>(await SessionWorlds.AssembleAsync(i => Task.FromResult(SessionWorlds.Part(bytes, i, token))));
        Assert.Equal(JsonSerializer.Serialize(world), JsonSerializer.Serialize(back));
    }

    [Fact]
    public async Task A_fetch_that_meets_a_new_serialisation_starts_over_and_never_mixes_the_two()
    {
        // The session serialises again after part 1 of the first fetch (it let go of the bytes): other bytes, a new token.
        var (old, fresh) = (Bytes(3 * SessionWorlds.PartBytes, 1), Bytes(3 * SessionWorlds.PartBytes, 2));
        var (oldToken, freshToken) = (Guid.NewGuid(), Guid.NewGuid());
        var calls = 0;
        var got = await SessionWorlds.AssembleAsync(i => Task.FromResult(++calls <= 2 ? SessionWorlds.Part(old, i, oldToken) : SessionWorlds.Part(fresh, i, freshToken)));
        Assert.Equal(fresh, got);
        Assert.Equal(2 + 3 + 3 - 2, calls); // parts 0 and 1 of the old; part 2 found new; then the three of the new
    }

    [Fact]
    public async Task A_world_that_keeps_changing_is_an_error_not_a_mixture()
    {
        var bytes = Bytes(2 * SessionWorlds.PartBytes, 3);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SessionWorlds.AssembleAsync(i => Task.FromResult(SessionWorlds.Part(bytes, i, Guid.NewGuid()))));
        Assert.Contains("changed while it was fetched", e.Message);
    }
}
