namespace MarketSim.Model.Tests;

/// <summary>A small valid scenario in YAML, one field per line so that every mistake has its own line number.</summary>
public static class ScenarioYaml
{
    // Line numbers (1-based) that the validation tests point at are noted on the right.
    public const string Valid = """
        name: test
        start_date: 2025-01-01
        days: 100
        currency: USD
        seed: 3
        countries:
          - id: CN
            gdp: 1.0e12
          - id: JP
            gdp: 1.0e12
          - id: US
            gdp: 1.0e12
        commodities:
          - id: ore
            reference_price: 100
            initial_origin: CN
            groups: [rare_earths]
          - id: oxide
            reference_price: 1000
            initial_origin: CN
            groups: [rare_earths, separated]
        producers:
          - id: cn-mine
            country: CN
            output: ore
            capacity: 10
            unit_cost: 50
          - id: cn-sep
            country: CN
            output: oxide
            capacity: 2
            unit_cost: 400
            inputs: {ore: 5}
        manufacturers:
          - id: jp-auto
            country: JP
            sector: automotive
            planned_output: 10
            output_value: 1000
            value_added: 300
            inputs: {oxide: 0.1}
            firms:
              - {id: a, share: 0.5, cover_days: 60}
              - {id: b, share: 0.5, cover_days: 10}
        policies:
          - id: ban
            type: export_control
            exporter: CN
            commodities: [oxide]
            start: 10
            end: 40
          - id: jp-stock
            type: stockpile
            country: JP
            commodity: oxide
            start: 0
            size: 5
            max_release_per_day: 1
          - id: sep-expansion
            type: capacity_project
            producer: cn-sep
            added_capacity: 1
            lead_time_days: 30
            start: 0
          - id: cn-licence
            type: export_control
            exporter: CN
            commodities: [ore]
            mode: license
            approval_rate: 0.5
            delay_min_days: 5
            delay_max_days: 10
            start: 0
        """;

    /// <summary>The valid scenario with one exact line replaced (the line must exist exactly once).</summary>
    public static string With(int line, string expectedOld, string replacement)
    {
        var lines = Valid.Split('\n').ToList();
        Assert.Equal(expectedOld, lines[line - 1]);
        lines[line - 1] = replacement;
        return string.Join('\n', lines);
    }

    public static string Without(int line, string expectedOld)
    {
        var lines = Valid.Split('\n').ToList();
        Assert.Equal(expectedOld, lines[line - 1]);
        lines.RemoveAt(line - 1);
        return string.Join('\n', lines);
    }
}
