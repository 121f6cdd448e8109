namespace MarketSim.Cli;

/// <summary>Help text and the one way usage errors are reported (stderr, exit code 2).</summary>
public static class Usage
{
    public const string Validate = """
        marketsim validate FILE

          Checks a scenario file and prints every error with file:line:column, the field and what is wrong.
          Exit code 0 when the file is valid, 1 when it is not.
        """;

    public const string Run = """
        marketsim run FILE [--days N] [--seed S] [--out DIR] [--engine orleans|reference]

          Runs a scenario and writes tidy CSV files into DIR:
            prices.csv      tick, date, market, commodity, price
            flows.csv       tick, date, origin, exporter, destination, commodity, quantity, value
            shortages.csv   tick, date, country, sector, commodity, required, unmet, share
            losses.csv      tick, date, country, sector, loss, cumulative, gdp_share
            lead_times.csv  tick, date, destination, commodity, quantity, days
            fiscal.csv      tick, date, country, cost, cumulative
            cover.csv       tick, date, country, sector, commodity, days
            events.csv      tick, date, event
            summary.csv     country, gdp, cumulative_loss, loss_gdp_share, peak_unmet_share, shortage_days, fiscal_cost, currency
          Money is in the scenario's currency; dates count from its start_date.

          --days N       ticks (days) to simulate; default: the scenario's `days`
          --seed S       random seed (0 .. 18446744073709551615); default: the scenario's `seed`
          --out DIR      output directory, created if missing; default: results
          --engine E     orleans (default): one grain per agent, in a silo hosted in this process;
                         reference: the sequential reference runner (same files, byte for byte)

          Files are written to a temporary directory beside DIR and moved in only when all are complete,
          so DIR never holds a partial run. Same scenario + same seed = byte-identical files.
          Exit code 0 on success, 1 on an invalid scenario or a failed run, 2 on a bad command line.
        """;

    public static int Print(TextWriter w, int exitCode)
    {
        w.WriteLine("marketsim: agent-based simulation of the rare-earth supply chain under trade policy.");
        w.WriteLine();
        w.WriteLine("Commands:");
        w.WriteLine(Validate);
        w.WriteLine();
        w.WriteLine(Run);
        w.WriteLine();
        w.WriteLine("marketsim help COMMAND    help on one command");
        return exitCode;
    }

    public static int PrintCommand(string command)
    {
        switch (command)
        {
            case "validate": Console.Out.WriteLine(Validate); return ExitCodes.Ok;
            case "run": Console.Out.WriteLine(Run); return ExitCodes.Ok;
            default: return Fail($"unknown command '{command}' (commands: validate, run)");
        }
    }

    /// <summary>Reports a command-line mistake on stderr and returns the usage exit code.</summary>
    public static int Fail(string message, string? command = null)
    {
        Console.Error.WriteLine($"marketsim{(command is null ? "" : " " + command)}: error: {message}");
        Console.Error.WriteLine($"Run 'marketsim {(command is null ? "--help" : "help " + command)}' for usage.");
        return ExitCodes.Usage;
    }
}
