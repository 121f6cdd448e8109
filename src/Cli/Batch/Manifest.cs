using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketSim.Experiments;

namespace MarketSim.Cli.Batch;

/// <summary>
/// manifest.json beside the tables: what ran (version, experiment and scenario with their SHA-256, variants, every run's
/// seed) and when (one entry per session: start, end, parallelism, runs done, how it ended). Rewritten atomically.
/// </summary>
public static class Manifest
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public static string Version =>
        typeof(Manifest).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";

    public static JsonObject Create(ExperimentPlan plan, BatchFormat format, string experimentPath)
    {
        var names = plan.ParameterNames.ToList();
        return new JsonObject
        {
            ["tool"] = "marketsim batch",
            ["version"] = Version,
            ["experiment"] = plan.Name,
            ["description"] = plan.Description,
            ["experiment_file"] = Path.GetFullPath(experimentPath),
            ["experiment_sha256"] = Sha256(experimentPath),
            ["scenario_file"] = plan.ScenarioFile,
            ["scenario_sha256"] = Sha256(plan.ScenarioFile),
            ["format"] = format.ToString().ToLowerInvariant(),
            ["days"] = plan.Days,
            ["start_date"] = plan.Variants[0].Scenario.StartDate.ToString("yyyy-MM-dd"),
            ["currency"] = plan.Variants[0].Scenario.Currency,
            ["master_seed"] = plan.MasterSeed,
            ["seeds"] = plan.CommonSeeds ? "common" : "independent",
            ["repetitions"] = plan.Repetitions,
            ["recording"] = plan.Metrics.Recording.ToString(),
            ["metrics"] = new JsonArray(plan.Metrics.Series.Select(s => (JsonNode)s!).ToArray()),
            ["parameters"] = new JsonArray(plan.Parameters.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["path"] = p.Path.Text }).ToArray()),
            ["variants"] = new JsonArray(plan.Variants.Select(v => (JsonNode)new JsonObject
            {
                ["variant"] = v.Index, ["case"] = v.Case, ["label"] = v.Label(names),
                ["values"] = new JsonObject(names.Select(n => KeyValuePair.Create(n, (JsonNode?)v.Values[n]))),
            }).ToArray()),
            ["runs"] = new JsonArray(plan.Runs.Select(r => (JsonNode)new JsonObject
            {
                ["run_id"] = r.RunId, ["variant"] = r.Variant.Index, ["repetition"] = r.Repetition, ["seed"] = r.Seed,
            }).ToArray()),
            ["status"] = "running",
            ["sessions"] = new JsonArray(),
        };
    }

    /// <summary>The batch's manifest, or null where there is none; a manifest that is not a JSON object is refused by name.</summary>
    public static JsonObject? Read(string dir)
    {
        var path = Path.Combine(dir, BatchLayout.Manifest);
        if (!File.Exists(path)) return null;
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e)
        {
            throw new BatchException($"{path}:{e.LineNumber + 1}:{e.BytePositionInLine + 1}: not readable as JSON ({e.Message.Split('.')[0]}); the batch's manifest is damaged");
        }
        return node as JsonObject ?? throw new BatchException($"{path}: is not a JSON object; the batch's manifest is damaged");
    }

    public static void Write(string dir, JsonObject manifest)
    {
        var path = Path.Combine(dir, BatchLayout.Manifest);
        File.WriteAllText(path + ".tmp", manifest.ToJsonString(Indented) + "\n");
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
