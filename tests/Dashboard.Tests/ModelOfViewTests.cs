using MarketSim.Dashboard.Components.Panels;
using MarketSim.Dashboard.Export;
using MarketSim.Dashboard.Hubs;
using MarketSim.Dashboard.Live;
using MarketSim.Model.Policies;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;

namespace MarketSim.Dashboard.Tests;

/// <summary>The plain classes behind the pages: series bookkeeping, the form, the timeline export.</summary>
public sealed class ModelOfViewTests
{
    static readonly SessionInfo Info = new("s", "t", "t", new DateOnly(2026, 1, 1), 10, "USD", 1, [], [], [new MarketInfo("world", "world")], null, null);
    static Frame F(int tick) => new(tick, Info.StartDate.AddDays(tick), [], [], [], [], [], [], [], []);

    [Fact]
    public void A_price_segment_is_named_by_its_countries_not_its_id()
    {
        var world = ScenarioLoader.LoadOrThrow(Path.Combine(Paths.RepoRoot, "scenarios", "china-japan-2026.yaml"));
        var markets = DisplayNames.Markets(world);
        Assert.Equal([("china", "in China"), ("world", "outside China")], markets.Select(m => (m.Id, m.Name)));
        var one = DisplayNames.Markets(world with { Segments = [new SegmentSpec("all", [])] });
        Assert.Equal("world", Assert.Single(one).Name);
        Assert.Equal("nowhere", Info.MarketName("nowhere")); // an id the session does not know reads as itself
    }

    [Fact]
    public void A_student_reads_events_in_the_scenarios_names_not_its_ids()
    {
        var world = ScenarioLoader.LoadOrThrow(Path.Combine(Paths.RepoRoot, "scenarios", "china-japan-2026.yaml"));
        Assert.Equal("Starts: China export license on Dysprosium oxide, Terbium oxide, NdFeB magnet (high-temperature, Dy/Tb-bearing) to Japan (civil use)",
            MarketSim.Dashboard.Classrooms.PlainWords.Of("start cn-licensing-jp-tight: CN export license on dy_oxide+tb_oxide+magnet_ht to JP (civil use)", world));
        // A firm keeps its id (the scenario names none); its country and the commodity read as names.
        Assert.Equal("expansion decided by au-sep-hree (Australia): +0.233 Dysprosium oxide a day of capacity from 2028-07-20",
            MarketSim.Dashboard.Classrooms.PlainWords.Of("expansion decided by au-sep-hree (AU): +0.233 dy_oxide a day of capacity from 2028-07-20", world));
        // Text that only looks like an opening stays as it is.
        Assert.Equal("end of the world", MarketSim.Dashboard.Classrooms.PlainWords.Of("end of the world", world));
    }

    [Fact]
    public void A_series_keeps_frames_in_tick_order_without_repeats_and_restarts_cleanly()
    {
        var s = new SessionSeries(Info);
        Assert.Equal(2, s.Add([F(0), F(1), F(1), F(0)]));
        Assert.Equal(0, s.Add([F(3)])); // past a gap: dropped, the client re-subscribes from NextTick
        Assert.Equal(2, s.NextTick);
        var version = s.Version;
        s.Clear();
        Assert.Equal((0, version + 1), (s.NextTick, s.Version));
    }

    [Fact]
    public void The_form_builds_each_kind_of_policy_and_reads_one_back_for_editing()
    {
        var form = new PolicyForm { Kind = "price_floor", Id = "floor", Club = "JP, US", Excluded = "CN", Commodities = "ndpr_oxide", Floor = 80000 };
        var floor = Assert.IsType<PriceFloor>(form.ToSpec(12));
        Assert.Equal((12, 80000.0), (floor.Start, floor.Floors["ndpr_oxide"]));
        Assert.Equal(["JP", "US"], floor.Club);
        var back = PolicyForm.From(floor);
        Assert.Equal(("price_floor", "floor", "JP, US", 80000.0), (back.Kind, back.Id, back.Club, back.Floor));
        Assert.StartsWith("live-tariff-", new PolicyForm { Kind = "tariff" }.ToSpec(3).Id);
        // A commodity typed twice is one floor (a duplicate key threw, and the exception ended the page).
        var twice = Assert.IsType<PriceFloor>(new PolicyForm { Kind = "price_floor", Club = "JP", Commodities = "dy_oxide, dy_oxide", Floor = 5 }.ToSpec(0));
        Assert.Equal(["dy_oxide"], twice.Floors.Keys);
    }

    [Fact]
    public void The_timeline_export_replaces_seed_and_policies_and_keeps_the_rest()
    {
        var path = Path.Combine(Paths.RepoRoot, "scenarios", "china-japan-2026.yaml");
        var yaml = File.ReadAllText(path);
        var world = ScenarioLoader.LoadOrThrow(path);
        var timeline = world.Policies.Append(new ExportControl { Id = "dy-ban-jp", Start = 40, Exporter = "CN", Commodities = ["dy_oxide"], Destinations = ["JP"] })
            .Append(new Tariff { Id = "jp-tariff", Start = 41, End = 90, Importer = "JP", Commodities = ["ndpr_oxide"], Rate = 0.125 })
            .ToList();
        var written = TimelineYaml.Write(yaml, 99, timeline);
        var loaded = ScenarioLoader.LoadText(written, "timeline.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Equal(99UL, loaded.Spec!.Seed);
        Assert.Equal(timeline.Select(p => p.Id), loaded.Spec.Policies.Select(p => p.Id));
        Assert.Equal(0.125, loaded.Spec.Policies.OfType<Tariff>().Single().Rate);
        Assert.Equal(world.Producers.Count, loaded.Spec.Producers.Count);
        Assert.Contains("# China–Japan 2026", written); // comments survive
    }

    [Theory]
    [InlineData("document marker, no seed")]
    [InlineData("flow style (JSON)")]
    public void The_timeline_export_of_any_uploaded_form_loads_and_replays(string form)
    {
        // The line rewrite put "seed:" above a leading "---" (two documents) and appended block YAML to a JSON file.
        var path = Path.Combine(Paths.RepoRoot, "scenarios", "china-japan-2026.yaml");
        var yaml = File.ReadAllText(path);
        var original = form.StartsWith("document", StringComparison.Ordinal)
            ? "---\n" + string.Join("\n", yaml.Split('\n').Where(l => !l.StartsWith("seed:", StringComparison.Ordinal)))
            : System.Text.Json.JsonSerializer.Serialize(new YamlDotNet.Serialization.Deserializer().Deserialize<object>(yaml));
        Assert.True(ScenarioLoader.LoadText(original, "upload.yaml").Ok);
        var world = ScenarioLoader.LoadOrThrow(path);
        var timeline = world.Policies.Append(new Tariff { Id = "jp-tariff", Start = 41, End = 90, Importer = "JP", Commodities = ["ndpr_oxide"], Rate = 0.125 }).ToList();

        var written = TimelineYaml.Write(original, 99, timeline, "timeline of a test");
        var loaded = ScenarioLoader.LoadText(written, "timeline.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors) + "\n" + written[..Math.Min(written.Length, 400)]);
        Assert.Equal(99UL, loaded.Spec!.Seed);
        Assert.Equal(timeline.Select(p => p.Id), loaded.Spec.Policies.Select(p => p.Id));
        Assert.Equal(world.Producers.Count, loaded.Spec.Producers.Count);
    }

    [Theory]
    [InlineData('"')]
    [InlineData('\'')]
    public void The_timeline_export_keeps_every_section_written_after_the_policies_with_quoted_keys(char quote)
    {
        // The policies first, then every other top-level key quoted ("producers":): the line rewrite read the quoted keys as
        // part of the policies block and dropped them, and the export, which checked only seed and policies, loaded as a world
        // with no producers (a hardening review, Dec 2026).
        var path = Path.Combine(Paths.RepoRoot, "scenarios", "china-japan-2026.yaml");
        var lines = File.ReadAllText(path).Split('\n').ToList();
        var start = lines.FindIndex(l => l.StartsWith("policies:", StringComparison.Ordinal));
        var policies = lines.Skip(start).ToList(); // the policies are the file's last section
        var rest = lines.Take(start).Select(l => l.Length > 0 && char.IsAsciiLetterLower(l[0]) && !l.StartsWith("seed:", StringComparison.Ordinal)
            ? quote + l[..l.IndexOf(':')] + quote + l[l.IndexOf(':')..] : l);
        var original = string.Join("\n", policies.Concat(rest));
        var uploaded = ScenarioLoader.LoadText(original, "upload.yaml");
        Assert.True(uploaded.Ok, string.Join("\n", uploaded.Errors));
        var world = uploaded.Spec!;

        var written = TimelineYaml.Write(original, 99, world.Policies);
        var loaded = ScenarioLoader.LoadText(written, "timeline.yaml");
        Assert.True(loaded.Ok, string.Join("\n", loaded.Errors));
        Assert.Equal((world.Producers.Count, world.Manufacturers.Count, world.Transport.InternationalDays, world.Countries.Count),
            (loaded.Spec!.Producers.Count, loaded.Spec.Manufacturers.Count, loaded.Spec.Transport.InternationalDays, loaded.Spec.Countries.Count));
        Assert.True(world.Producers.Count > 0);
        Assert.Equal(99UL, loaded.Spec.Seed);
    }

    [Fact]
    public void Policy_validation_expands_groups_as_the_loader_does()
    {
        var world = ScenarioLoader.LoadOrThrow(Path.Combine(Paths.RepoRoot, "scenarios", "china-japan-2026.yaml"));
        var p = PolicyArguments.ExpandGroups(world, new ExportControl { Id = "x", Start = 0, Exporter = "CN", Commodities = ["group:heavy_rare_earths"] });
        Assert.Equal(["hree_concentrate", "dy_oxide", "tb_oxide"], ((ExportControl)p).Commodities);
    }
}
