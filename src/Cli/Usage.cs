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
        marketsim run FILE [--days N] [--seed S] [--out DIR] [--engine orleans|reference] [--cluster REDIS]

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

          --days N       ticks (days) to simulate, 1 to 36500; default: the scenario's `days`
          --seed S       random seed (0 .. 18446744073709551615); default: the scenario's `seed`
          --out DIR      output directory, created if missing; default: results
          --engine E     orleans (default): one grain per agent, in a silo hosted in this process;
                         reference: the sequential reference runner (same files, byte for byte)
          --cluster R    run on a MarketSim cluster as a client: R is its Redis (e.g. 127.0.0.1:6379); also
                         MarketSim__Cluster__Redis, with MarketSim__Cluster__ClusterId / ServiceId (default marketsim).
                         The run survives a silo crash: the session resumes from its last checkpoint elsewhere.

          Files are written to a temporary directory beside DIR and moved in only when all are complete,
          so DIR never holds a partial run. Same scenario + same seed = byte-identical files.
          Exit code 0 on success, 1 on an invalid scenario or a failed run, 2 on a bad command line.
        """;

    public const string Commands = "validate, run, batch, report";

    public const string Batch = """
        marketsim batch FILE --out DIR [--parallel N] [--resume] [--format csv|parquet] [--yes] [--cluster REDIS]
                                       [--checkpoint-every N]

          Runs an experiment (a base scenario, parameters varied over a grid or named cases, repetitions with seeds
          derived from a master seed; docs/SCENARIOS.md, "Experiment files"). Every run is its own session on grains
          in a silo hosted in this process, or with --cluster on a cluster's silos. Writes into DIR, appending each run
          as it finishes:
            runs.csv        run_id, variant, case, <parameters>, repetition, seed, then per country loss_C,
                            loss_gdp_share_C, peak_unmet_share_C, shortage_days_C, days_to_recover_C, fiscal_cost_C,
                            and per commodity peak_price_X
            series.csv      run_id, tick, date, metric, key, value (the experiment's metrics at its interval)
            experiment.yaml, scenario.yaml (copies), manifest.json (version, seeds, start and end times)
          The experiment is checked completely before anything runs; errors print as file:line:column.

          --out DIR       output directory (required)
          --parallel N    runs at a time; default: one per core (here {0})
          --resume        finish an interrupted batch in DIR: finished runs are kept, the rest run
          --format F      csv (default) or parquet (runs.parquet, series.parquet)
          --yes           allow more than 1000 runs
          --cluster R     run on a MarketSim cluster as a client, the runs spread over its silos: R is its Redis (e.g.
                          127.0.0.1:6379); also MarketSim__Cluster__Redis, with MarketSim__Cluster__ClusterId / ServiceId
                          (default marketsim), as for run. A silo crash costs no run: its sessions resume from their last
                          checkpoint elsewhere (a run that fails all the same is run again), and the files are the same.
          --checkpoint-every N
                          ticks between a session's checkpoints; 0 = none after tick 0. Default: 0 in process (nothing
                          survives the process, so checkpoints would only cost time), 30 with --cluster (crash recovery)

          When all runs are done, rows are sorted by run id (series rows within a run by tick, metric, key), so a
          resumed batch gives the same files as an uninterrupted one, whatever --parallel, in process or on a cluster.
          Exit code 0 when every run finished, 1 on an invalid experiment, a failed or interrupted batch, 2 on a
          bad command line.
        """;

    public const string Report = """
        marketsim report DIR [--no-png]

          Reads a batch directory and writes DIR/report.html: one self-contained file (plotly.js embedded, no
          network) with fan charts (median and 5-95% band over the repetitions) of prices and losses per variant,
          and a table of the summary metrics. With a headless Chromium on the PATH (chromium, chromium-browser,
          google-chrome) also DIR/charts/*.png, one per chart; --no-png skips them.
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
        w.WriteLine(Batch.Replace("{0}", BatchDefault));
        w.WriteLine();
        w.WriteLine(Report);
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
            case "batch": Console.Out.WriteLine(Batch.Replace("{0}", BatchDefault)); return ExitCodes.Ok;
            case "report": Console.Out.WriteLine(Report); return ExitCodes.Ok;
            default: return Fail($"unknown command '{command}' (commands: {Commands})");
        }
    }

    static string BatchDefault => MarketSim.Cli.Batch.BatchOptions.DefaultParallel.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reports a command-line mistake on stderr and returns the usage exit code.</summary>
    public static int Fail(string message, string? command = null)
    {
        Console.Error.WriteLine($"marketsim{(command is null ? "" : " " + command)}: error: {message}");
        Console.Error.WriteLine($"Run 'marketsim {(command is null ? "--help" : "help " + command)}' for usage.");
        return ExitCodes.Usage;
    }
}
