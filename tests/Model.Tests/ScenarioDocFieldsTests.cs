using System.Text.RegularExpressions;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;

namespace MarketSim.Model.Tests;

/// <summary>
/// docs/SCENARIOS.md must document exactly the fields the scenario loader reads.
/// <para>
/// Documented fields: the first column of every field table (rows whose first cell is a backticked name) under the page's
/// headings, from the top of the page to "Experiment files" (another loader). Each heading's tables are mapped below to
/// a place in a scenario (<see cref="Sections"/>); a new heading with a field table and no entry there fails the test.
/// </para>
/// <para>
/// Fields read: <see cref="ScenarioLoader.LoadRecordingFields"/> records every key a getter of the reader asks for in each
/// mapping, whether or not the file has it (a YAML mapping's known fields are exactly those: any other key is reported as
/// "not a known field"). Loading every shipped scenario plus <see cref="EveryBranch"/>, a file that takes every branch of
/// the reader that asks for fields (each policy type and control mode, a manufacturer with and without firms, thrift on a
/// producer and on a manufacturer, routes, segments), collects them all. A field behind a new condition needs a line in
/// <see cref="EveryBranch"/>.
/// </para>
/// </summary>
public class ScenarioDocFieldsTests
{
    /// <summary>Heading (and table index under it) → where those fields live. Policy types are "policies[]@type".</summary>
    static readonly Dictionary<(string Heading, int Table), string> Sections = new()
    {
        [("Top level", 0)] = "",
        [("demand", 0)] = "demand",
        [("buyers", 0)] = "buyers",
        [("investment", 0)] = "investment",
        [("transport", 0)] = "transport",
        [("transport", 1)] = "transport.routes[]",
        [("segments", 0)] = "segments[]",
        [("countries", 0)] = "countries[]",
        [("commodities", 0)] = "commodities[]",
        [("producers", 0)] = "producers[]",
        [("thrift", 0)] = "thrift",
        [("manufacturers", 0)] = "manufacturers[]",
        [("manufacturers", 1)] = "manufacturers[].firms[]",
        [("policies", 0)] = "policies[]",
        [("export_control", 0)] = "policies[]@export_control",
        [("tariff", 0)] = "policies[]@tariff",
        [("price_floor", 0)] = "policies[]@price_floor",
        [("stockpile", 0)] = "policies[]@stockpile",
        [("capacity_project", 0)] = "policies[]@capacity_project",
    };

    const string EveryBranch = """
        name: every-branch
        description: takes every branch of the reader that asks for fields
        start_date: 2026-01-01
        days: 100
        currency: USD
        seed: 1
        content_origin: true
        demand: {elasticity: 0.1}
        buyers: {price_band: 0.1}
        investment: {step: 0.1}
        transport:
          domestic_days: 7
          routes: [{from: CN, to: JP, days: 20}]
        segments: [{id: china, countries: [CN]}, {id: world}]
        countries:
          - {id: CN, gdp: 1e13, io_multipliers: {separation: 2}, io_source: ASSUMPTION for a test}
          - {id: JP, gdp: 4e12}
        commodities:
          - {id: ore, reference_price: 100, initial_origin: CN, groups: [re]}
          - {id: oxide, reference_price: 1000, initial_origin: CN, groups: [re]}
        producers:
          - {id: cn-mine, country: CN, output: ore, capacity: 10, unit_cost: 50}
          - {id: cn-sep, country: CN, sector: separation, output: oxide, capacity: 1, unit_cost: 500, inputs: {ore: 2},
             thrift: {ore: {floor: 0.5}}}
        manufacturers:
          - {id: jp-auto, country: JP, sector: automotive, planned_output: 1, output_value: 1000, value_added: 30, inputs: {oxide: 0.1},
             cover_days: 30, thrift: {oxide: {floor: 0.5}}}
          - {id: jp-elec, country: JP, sector: electronics, planned_output: 1, output_value: 1000, value_added: 30, inputs: {oxide: 0.1},
             firms: [{id: a, share: 1, cover_days: 30}]}
        policies:
          - {id: ban, type: export_control, exporter: CN, commodities: [group:re], destinations: [JP], start: 0, end: 10}
          - {id: quota, type: export_control, exporter: CN, commodities: [oxide], mode: quota, quota: 1, start: 10, end: 20}
          - {id: licence, type: export_control, exporter: CN, commodities: [oxide], mode: license, approval_rate: 0.5,
             delay_min_days: 1, delay_max_days: 2, start: 20}
          - {id: duty, type: tariff, importer: JP, commodities: [oxide], rate: 0.1, start: 0}
          - {id: floor, type: price_floor, club: [JP], floors: {oxide: 900}, start: 0}
          - {id: stock, type: stockpile, country: JP, commodity: oxide, size: 10, max_release_per_day: 1, start: 0}
          - {id: build, type: capacity_project, producer: cn-sep, added_capacity: 1, lead_time_days: 10, start: 0}
        """;

    static readonly Regex Index = new(@"\[\d+\]", RegexOptions.Compiled);
    static readonly Regex ThriftInput = new(@"^(producers|manufacturers)\[\]\.thrift\.[^.]+$", RegexOptions.Compiled);

    /// <summary>Section → fields the loader asks for there, from every shipped scenario and <see cref="EveryBranch"/>.</summary>
    static Dictionary<string, SortedSet<string>> FieldsRead()
    {
        var read = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var files = Directory.GetFiles(Path.Combine(Paths.RepoRoot, "scenarios"), "*.yaml").Select(f => (File.ReadAllText(f), f)).ToList();
        Assert.NotEmpty(files);
        files.Add((EveryBranch, "every-branch.yaml"));
        foreach (var (yaml, file) in files)
        {
            var (result, asked) = ScenarioLoader.LoadRecordingFields(yaml, file);
            Assert.True(result.Ok, $"{file} does not load: {string.Join("; ", result.Errors.Take(3))}");
            foreach (var (path, keys) in asked)
            {
                var section = Index.Replace(path, "[]");
                if (section.EndsWith("].thrift", StringComparison.Ordinal)) continue; // its keys are the firm's inputs
                if (ThriftInput.IsMatch(section)) section = "thrift";
                var common = new[] { "id", "type", "start", "end" };
                if (Regex.Match(path, @"^policies\[(\d+)\]$") is { Success: true } m)
                {
                    var type = TypeName(result.Spec!.Policies[int.Parse(m.Groups[1].Value)]);
                    Add(read, "policies[]", keys.Where(common.Contains));
                    Add(read, "policies[]@" + type, keys.Where(k => !common.Contains(k)));
                }
                else Add(read, section, keys);
            }
        }
        return read;
    }

    static string TypeName(PolicySpec p) => p switch
    {
        ExportControl => "export_control", Tariff => "tariff", PriceFloor => "price_floor", Stockpile => "stockpile",
        CapacityProject => "capacity_project", _ => throw new InvalidOperationException(p.GetType().Name),
    };

    static void Add(Dictionary<string, SortedSet<string>> d, string section, IEnumerable<string> keys)
    {
        if (!d.TryGetValue(section, out var set)) d[section] = set = new(StringComparer.Ordinal);
        set.UnionWith(keys);
    }

    /// <summary>Section → fields documented in the tables of docs/SCENARIOS.md.</summary>
    static Dictionary<string, SortedSet<string>> FieldsDocumented(List<string> problems)
    {
        var doc = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(Path.Combine(Paths.RepoRoot, "docs", "SCENARIOS.md"));
        string? heading = null;
        int table = -1;
        bool inTable = false, fieldTable = false;
        foreach (var line in lines)
        {
            if (line.StartsWith('#'))
            {
                heading = line.TrimStart('#').Trim();
                if (heading == "Experiment files") break;
                table = -1; inTable = false;
                continue;
            }
            if (!line.StartsWith('|')) { inTable = false; continue; }
            var first = line.Split('|')[1].Trim();
            if (!inTable)
            {
                // A table's header row: a field table's first column is "Field".
                inTable = true; fieldTable = first == "Field";
                if (fieldTable) table++;
                continue;
            }
            if (!fieldTable || first.StartsWith("---", StringComparison.Ordinal)) continue;
            var name = Regex.Match(first, "^`([a-z_0-9]+)`$");
            if (!name.Success) continue; // e.g. "(key)" of the thrift table
            if (!Sections.TryGetValue((heading!, table), out var section))
            {
                problems.Add($"SCENARIOS.md: a field table under \"{heading}\" (table {table + 1}) is not mapped to a scenario section in this test");
                continue;
            }
            if (!doc.TryGetValue(section, out var set)) doc[section] = set = new(StringComparer.Ordinal);
            set.Add(name.Groups[1].Value);
        }
        return doc;
    }

    [Fact]
    public void Every_field_the_loader_reads_is_documented_and_every_documented_field_is_read()
    {
        var problems = new List<string>();
        var documented = FieldsDocumented(problems);
        var read = FieldsRead();
        foreach (var section in read.Keys.Union(documented.Keys).Order(StringComparer.Ordinal))
        {
            var r = read.GetValueOrDefault(section) ?? [];
            var d = documented.GetValueOrDefault(section) ?? [];
            var name = section.Length == 0 ? "top level" : section;
            foreach (var f in r.Except(d)) problems.Add($"{name}: `{f}` is read by the loader but not in the SCENARIOS.md table");
            foreach (var f in d.Except(r)) problems.Add($"{name}: `{f}` is in the SCENARIOS.md table but the loader never reads it");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_field_tables_are_found()
    {
        // Guards the parser above: if the tables were not found, the comparison would pass with nothing compared on one side.
        var problems = new List<string>();
        var documented = FieldsDocumented(problems);
        Assert.Empty(problems);
        Assert.Equal(Sections.Values.Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("price_adjustment", documented["commodities[]"]);
        Assert.Contains("quota", documented["policies[]@export_control"]);
    }
}
