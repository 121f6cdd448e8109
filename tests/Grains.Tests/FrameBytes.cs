using System.Text.Json;
using MarketSim.Model.Output;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Grains.Tests;

/// <summary>
/// Two byte forms of a run: canonical JSON of every frame (every double at full precision, so stricter than CSV) and the CSV
/// tables the CLI writes.
/// </summary>
public static class FrameBytes
{
    static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string CanonicalJson(IEnumerable<Frame> frames) => JsonSerializer.Serialize(frames.ToList(), Json);

    public static string Csv(ScenarioSpec world, IEnumerable<Frame> frames) =>
        string.Join("\n", CsvExport.ToStrings(world, frames).Select(kv => "== " + kv.Key + "\n" + kv.Value));

    public static IReadOnlyList<Frame> Reference(ScenarioSpec world, ulong seed, int days) =>
        new ReferenceRunner(world, seed).Run(days).ToList();

    /// <summary>Equal, or a message naming the first differing frame.</summary>
    public static void AssertSame(IReadOnlyList<Frame> expected, IReadOnlyList<Frame> actual, ScenarioSpec world)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var e = JsonSerializer.Serialize(expected[i], Json);
            var a = JsonSerializer.Serialize(actual[i], Json);
            Assert.True(e == a, $"frame {i} differs:\nexpected {e}\nactual   {a}");
        }
        Assert.Equal(CanonicalJson(expected), CanonicalJson(actual));
        Assert.Equal(Csv(world, expected), Csv(world, actual));
    }
}
