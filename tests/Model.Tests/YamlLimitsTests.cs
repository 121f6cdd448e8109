using System.Diagnostics;
using System.Text;
using MarketSim.Experiments;

namespace MarketSim.Model.Tests;

/// <summary>
/// Files that used to crash the process (stack overflow inside YamlDotNet) or keep a core busy for a minute are refused
/// before any node tree is built, with one located error, quickly; legitimate anchors and aliases still work.
/// </summary>
public class YamlLimitsTests
{
    static ScenarioError Refused(string yaml, int line, string fragment)
    {
        // A stall used to take 84 s; the bound is loose because the test machine's two cores are shared.
        var sw = Stopwatch.StartNew();
        var r = ScenarioLoader.LoadText(yaml, "hostile.yaml");
        sw.Stop();
        Assert.Null(r.Spec);
        var e = Assert.Single(r.Errors);
        Assert.Equal("hostile.yaml", e.File);
        Assert.Equal(line, e.Line);
        Assert.True(e.Column > 0, e.ToString());
        Assert.Contains(fragment, e.Message);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"took {sw.Elapsed}");
        return e;
    }

    [Theory]
    [InlineData("name: !!str x\n", 1, "YAML tags (tag:yaml.org,2002:str) are not read")]
    [InlineData("name: x\ndays: !custom 10\n", 2, "YAML tags (!custom) are not read")]
    [InlineData("name: x\nbase: &b {seed: 1}\nother:\n  <<: *b\n", 4, "merge keys (<<) are not supported")]
    [InlineData("name: ~\n", 1, "'~' (YAML's empty value) is not a value here")]
    [InlineData("name: x\nseed: null\n", 2, "'null' (YAML's empty value) is not a value here")]
    public void Yaml_features_the_readers_would_misread_are_refused_where_they_are(string yaml, int line, string fragment) =>
        Refused(yaml, line, fragment);

    [Fact]
    public void Quoted_tildes_and_nulls_are_text()
    {
        Assert.Null(YamlLimits.Check("name: \"~\"\nnote: 'null'\n", "f"));
    }

    [Fact]
    public void A_key_that_contains_itself_through_an_alias_is_refused() =>
        Refused("name: x\n? &a [*a]\n: 1\n", 2, "mapping key must be a plain text value");

    [Fact]
    public void A_value_that_contains_itself_through_an_alias_is_refused()
    {
        var e = Refused("name: x\nlist: &a [1, *a]\n", 2, "cannot contain itself");
        Assert.Equal(14, e.Column); // at *a
    }

    [Fact]
    public void A_mapping_that_contains_itself_is_refused() =>
        Refused("name: x\nm: &m\n  inner: *m\n", 3, "cannot contain itself");

    [Fact]
    public void An_alias_to_a_list_as_a_key_is_refused() =>
        Refused("name: x\nl: &l [a, b]\n? *l\n: 1\n", 3, "names a list or mapping");

    [Fact]
    public void An_alias_bomb_is_refused_at_the_alias_that_crosses_the_limit()
    {
        var sb = new StringBuilder("name: x\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 8; i++) sb.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        Refused(sb.ToString(), 7, "aliases expand the file to more than");
    }

    [Fact]
    public void An_alias_bomb_as_a_key_is_refused() =>
        Refused("name: x\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
                "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n? *f\n: 1\n", 7, "");

    [Theory]
    [InlineData("[")]
    [InlineData("{a: ")]
    [InlineData("- ")]
    public void Deep_nesting_is_refused_at_the_level_that_crosses_the_limit(string opener)
    {
        var deep = opener == "- "
            ? "name: x\nc:\n" + string.Concat(Enumerable.Range(0, 100).Select(i => new string(' ', i * 2) + "-\n"))
            : "name: x\nc: " + string.Concat(Enumerable.Repeat(opener, 200_000)) + "\n";
        var e = Refused(deep, opener == "- " ? 2 + YamlLimits.MaxDepth : 2, $"nested more than {YamlLimits.MaxDepth} levels");
        Assert.Contains("hostile.yaml", e.ToString());
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read()
    {
        var yaml = "name: x\nc: " + new string('[', YamlLimits.MaxDepth - 1) + new string(']', YamlLimits.MaxDepth - 1) + "\n";
        Assert.Null(YamlLimits.Check(yaml, "f"));
        yaml = "name: x\nc: " + new string('[', YamlLimits.MaxDepth) + new string(']', YamlLimits.MaxDepth) + "\n";
        Assert.NotNull(YamlLimits.Check(yaml, "f"));
    }

    [Fact]
    public void Too_many_nodes_are_refused() =>
        Refused("name: x\nc: [" + string.Join(",", Enumerable.Repeat("1", YamlLimits.MaxNodes + 10)) + "]\n", 2, "more than 500,000 YAML nodes");

    [Fact]
    public void Text_longer_than_the_limit_is_refused_where_it_is_cut_off()
    {
        var e = Refused("name: x\n# " + new string('a', YamlLimits.MaxChars) + "\n", 2, "longer than 4,194,304 characters");
        Assert.Equal(YamlLimits.MaxChars - "name: x\n".Length + 1, e.Column);
    }

    [Fact]
    public void A_huge_file_is_refused_without_being_read_whole()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var w = new StreamWriter(path))
            {
                w.Write("name: x\n");
                var line = "# " + new string('a', 1000) + "\n";
                for (int i = 0; i < 20_000; i++) w.Write(line); // ≈20 MB
            }
            var r = ScenarioLoader.LoadFile(path);
            var e = Assert.Single(r.Errors);
            Assert.Contains("longer than", e.Message);
            Assert.True(e.Line > 1);
            var x = ExperimentLoader.LoadFile(path);
            Assert.Contains("longer than", Assert.Single(x.Errors).Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_refused_at_the_byte()
    {
        // An invalid byte became a replacement character, and the file validated with it in its name (a review, Dec 2026).
        var path = Path.GetTempFileName();
        try
        {
            byte[] text = [.. Encoding.UTF8.GetBytes("# é\nname: cli-"), 0xFF, .. Encoding.UTF8.GetBytes("-small\n")];
            // With a byte order mark too (as Notepad saves "UTF-8 with BOM"): a reader that detects one fell back to lenient
            // decoding (today's diff review).
            foreach (var bytes in new[] { text, [0xEF, 0xBB, 0xBF, .. text] })
            {
                File.WriteAllBytes(path, bytes);
                var e = Assert.Single(ScenarioLoader.LoadFile(path).Errors);
                Assert.Equal((2, 11), (e.Line, e.Column));
                Assert.Contains("not UTF-8 text (byte 0xFF here)", e.Message);
            }
            // A character cut off by the end of the file.
            File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("name: x"), 0xC3]);
            Assert.Contains("ends inside a UTF-8 character", Assert.Single(ScenarioLoader.LoadFile(path).Errors).Message);
            // A byte order mark alone is no error: the file reads as without it.
            File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("name: x\n")]);
            Assert.DoesNotContain(ScenarioLoader.LoadFile(path).Errors, e => e.Message.Contains("UTF-8"));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_second_document_is_refused() =>
        Refused("name: x\n---\nname: y\n", 2, "second YAML document");

    [Fact]
    public void An_anchor_defined_twice_is_refused() =>
        Refused("name: x\na: &a 1\nb: &a 2\n", 3, "anchor &a is defined twice");

    [Fact]
    public void An_alias_without_its_anchor_is_refused() =>
        Refused("name: x\nb: *nope\n", 2, "refers to no anchor");

    [Fact]
    public void A_list_as_a_key_is_refused() =>
        Refused("name: x\n? [a, b]\n: 1\n", 2, "mapping key must be a plain text value");

    [Fact]
    public void Anchors_and_aliases_within_the_limits_still_work()
    {
        var yaml = ScenarioYaml.Valid
            .Replace("  - id: CN\n    gdp: 1.0e12", "  - id: CN\n    gdp: &gdp 1.0e12")
            .Replace("  - id: JP\n    gdp: 1.0e12", "  - id: JP\n    gdp: *gdp")
            .Replace("groups: [rare_earths]", "groups: &g [rare_earths]");
        Assert.Contains("*gdp", yaml);
        var r = ScenarioLoader.LoadText(yaml, "t.yaml");
        Assert.True(r.Ok, string.Join("\n", r.Errors));
        Assert.Equal(1e12, r.Spec!.Countries.Single(c => c.Id == "JP").Gdp);
    }

    [Fact]
    public void The_experiment_loader_refuses_the_same_files()
    {
        var r = ExperimentLoader.LoadText("name: x\n? &a [*a]\n: 1\n", "exp.yaml", Paths.RepoRoot);
        var e = Assert.Single(r.Errors);
        Assert.Equal(("exp.yaml", 2), (e.File, e.Line));
        r = ExperimentLoader.LoadText("name: x\nc: " + new string('[', 200_000), "exp.yaml", Paths.RepoRoot);
        Assert.Contains("nested more than", Assert.Single(r.Errors).Message);
    }

    [Fact]
    public void Malformed_yaml_is_still_located() =>
        Assert.True(Assert.Single(ScenarioLoader.LoadText("name: x\nc: [a, b\nd: 1\n", "f.yaml").Errors).Line > 0);
}

public class ErrorLimitsTests
{
    [Fact]
    public void At_most_100_errors_then_one_line_with_the_rest()
    {
        var errors = Enumerable.Range(1, 250).Select(i => new ScenarioError("f.yaml", i, 1, "x", "bad")).ToList();
        var capped = ErrorLimits.Cap(errors);
        Assert.Equal(ErrorLimits.MaxErrors + 1, capped.Count);
        Assert.Equal("150 more errors not shown", capped[^1].Message);
        Assert.Equal(250, ErrorLimits.Total(capped));
        // Capping again (an experiment adds its scenario's errors) keeps the true total.
        var again = ErrorLimits.Cap(new[] { new ScenarioError("e.yaml", 1, 1, "scenario", "invalid") }.Concat(capped));
        Assert.Equal(ErrorLimits.MaxErrors + 1, again.Count);
        Assert.Equal(251, ErrorLimits.Total(again));
    }

    [Fact]
    public void Long_messages_are_cut()
    {
        var e = Assert.Single(ErrorLimits.Cap([new ScenarioError("f", 1, 1, new string('f', 10_000), new string('m', 100_000))]));
        Assert.True(e.Message.Length <= ErrorLimits.MaxMessageLength + 1);
        Assert.True(e.Field.Length <= ErrorLimits.MaxFieldLength + 1);
    }

    [Fact]
    public void Known_ids_are_shortened()
    {
        Assert.Equal("a, b", ErrorLimits.Known(["b", "a"]));
        var many = ErrorLimits.Known(Enumerable.Range(0, 20_000).Select(i => $"C{i:00000}"));
        Assert.EndsWith("… and 19980 more", many);
        Assert.True(many.Length < 200, many);
        Assert.EndsWith("…", ErrorLimits.Known([new string('x', 5000)]));
    }

    [Fact]
    public void Four_hundred_thousand_mistakes_are_counted_exactly_but_not_all_kept()
    {
        var ids = Enumerable.Range(0, 20).Select(i => "C" + i.ToString().PadLeft(39, '0')).ToList(); // long ids: long messages
        var sb = new StringBuilder("name: amp\nstart_date: 2025-01-01\ndays: 10\ncurrency: USD\ncountries:\n");
        foreach (var c in ids) sb.Append($"  - {{id: {c}, gdp: 1}}\n");
        sb.Append($"commodities:\n  - {{id: ore, reference_price: 1, initial_origin: {ids[0]}}}\nsegments:\n  - id: s\n    countries: [");
        sb.Append(string.Join(",", Enumerable.Range(0, 400_000).Select(i => $"X{i}"))).Append("]\n  - id: rest\n");
        var sw = Stopwatch.StartNew();
        var r = ScenarioLoader.LoadText(sb.ToString(), "amp.yaml");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed}");
        Assert.Equal(ErrorLimits.MaxErrors + 1, r.Errors.Count);
        Assert.Equal(400_000, ErrorLimits.Total(r.Errors));
        Assert.Equal("399900 more errors not shown", r.Errors[^1].Message);
        Assert.Equal((30, 17), (r.Errors[0].Line, r.Errors[0].Column));
    }

    [Fact]
    public void Two_thousand_unknown_ids_among_twenty_thousand_countries_give_a_small_report()
    {
        var sb = new StringBuilder("name: amp\nstart_date: 2025-01-01\ndays: 10\ncurrency: USD\ncountries:\n");
        for (int i = 0; i < 20_000; i++) sb.Append($"  - {{id: C{i}, gdp: 1}}\n");
        sb.Append("commodities:\n  - {id: ore, reference_price: 1, initial_origin: C0}\nsegments:\n  - id: s\n    countries: [");
        sb.Append(string.Join(", ", Enumerable.Range(0, 2000).Select(i => $"X{i}"))).Append("]\n  - id: rest\n");
        var sw = Stopwatch.StartNew();
        var r = ScenarioLoader.LoadText(sb.ToString(), "amp.yaml");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"took {sw.Elapsed}");
        Assert.Equal(ErrorLimits.MaxErrors + 1, r.Errors.Count);
        Assert.Equal(2000, ErrorLimits.Total(r.Errors));
        Assert.True(r.Errors.Sum(e => e.ToString().Length) < 100_000);
        Assert.Contains("… and 19980 more", r.Errors[0].Message);
    }
}
