using MarketSim.Model.Scenario;

namespace MarketSim.Cli;

/// <summary>`marketsim validate FILE`: load and check a scenario, print every located error.</summary>
public static class ValidateCommand
{
    public static int Run(string[] args)
    {
        if (args is ["-h" or "--help"]) { Console.Out.WriteLine(Usage.Validate); return ExitCodes.Ok; }
        if (args.Length == 0) return Usage.Fail("missing the scenario FILE to validate", "validate");
        if (args.Length > 1) return Usage.Fail($"unexpected argument '{args[1]}' (validate takes one FILE)", "validate");
        if (args[0].StartsWith('-')) return Usage.Fail($"unknown option '{args[0]}'", "validate");

        var file = args[0];
        var result = ScenarioLoader.LoadFile(file);
        if (!result.Ok)
        {
            ScenarioErrors.Print(Console.Error, file, result.Errors);
            return ExitCodes.Failed;
        }
        var s = result.Spec!;
        Console.Out.WriteLine($"{file}: ok: '{s.Name}', {s.Countries.Count} countries, {s.Commodities.Count} commodities, " +
            $"{s.Producers.Count} producers, {s.Manufacturers.Count} manufacturer firms, {s.Policies.Count} policies, " +
            $"{s.Days} days from {s.StartDate:yyyy-MM-dd}, currency {s.Currency}, seed {s.Seed}");
        // What the file's segments cannot show: notes, not errors (the file runs as it is).
        foreach (var note in SegmentNotes.For(s)) Console.Out.WriteLine($"{file}: note: {note}");
        return ExitCodes.Ok;
    }
}
