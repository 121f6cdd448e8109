namespace MarketSim.Cli;

/// <summary>Help text and the one way usage errors are reported (stderr, exit code 2).</summary>
public static class Usage
{
    public const string Validate = """
        marketsim validate FILE

          Checks a scenario file and prints every error with file:line:column, the field and what is wrong.
          Exit code 0 when the file is valid, 1 when it is not. A valid file may get notes (file: note: ...): what
          its segments cannot show, such as an export control whose exporter shares its price segment with other
          countries that make what it controls (docs/MODEL.md, known limitations).
        """;

    public const string Run = """
        marketsim run FILE [--days N] [--seed S] [--out DIR] [--engine orleans|reference] [--cluster REDIS]
                           [--baseline OTHER.yaml | --baseline-without ID,ID]

          Runs a scenario and writes tidy CSV files into DIR:
            prices.csv      tick, date, market, commodity, price
            flows.csv       tick, date, origin, exporter, destination, commodity, quantity, value, duty
            shortages.csv   tick, date, country, sector, commodity, required, unmet, share
            losses.csv      tick, date, country, sector, loss, cumulative, gdp_share
            lead_times.csv  tick, date, destination, commodity, quantity, days, waited
            fiscal.csv      tick, date, country, cost, cumulative
            cover.csv       tick, date, country, sector, commodity, days
            rents.csv       tick, date, exporter, commodity, holder, quantity, rent
            content.csv     tick, date, destination, commodity, country, quantity, share, reached
            value_added.csv tick, date, country, sector, value_added, cumulative
            indirect.csv    tick, date, country, sector, multiplier, indirect, cumulative, gdp_share
            accounts.csv    tick, date, country, export_revenue, export_rent, tariff_revenue, input_cost, extra_input_cost, floor_subsidy
            events.csv      tick, date, event
            summary.csv     country, gdp, cumulative_loss, loss_gdp_share, peak_unmet_share, shortage_days, fiscal_cost,
                            indirect_loss, indirect_gdp_share, currency
            vs_baseline.csv country, metric, commodity, run, baseline, difference (only with a baseline)
          Money is in the scenario's currency; dates count from its start_date.

          --days N       ticks (days) to simulate, 1 to 36500; default: the scenario's `days`
          --seed S       random seed (0 .. 18446744073709551615); default: the scenario's `seed`
          --out DIR      output directory, created if missing; default: results
          --engine E     orleans (default): grains (firms in shards, countries, markets) in a silo hosted in this process;
                         reference: the sequential reference runner (same files, byte for byte)
          --cluster R    run on a MarketSim cluster as a client: R is its Redis (e.g. 127.0.0.1:6379); also
                         MarketSim__Cluster__Redis, with MarketSim__Cluster__ClusterId / ServiceId (default marketsim).
                         The run survives a silo crash: the session resumes from its last checkpoint elsewhere.
          --baseline F   compared with what: also run scenario F with the same seed and days (its own seed and days
                         are not used) and write vs_baseline.csv: per country cumulative_loss, loss_gdp_share,
                         fiscal_cost, export_revenue (value sold to other countries), export_rent, value_added,
                         indirect_loss, tariff_revenue, extra_input_cost, floor_subsidy, peak_unmet_share, shortage_days and, per imported commodity, peak_import_price; each as run, baseline and
                         run - baseline (empty where a value does not apply)
          --baseline-without IDS
                         the baseline is this scenario without the policies IDS (comma-separated; all versions of each)
                         The baseline runs on the reference runner (the grains give the same results byte for byte).

          Files are written to a temporary directory beside DIR and moved in only when all are complete,
          so DIR never holds a partial run. Same scenario + same seed = byte-identical files.
          Exit code 0 on success, 1 on an invalid scenario or a failed run, 2 on a bad command line.
        """;

    public const string Commands = "validate, run, batch, report, attribute";

    public const string Batch = """
        marketsim batch FILE --out DIR [--parallel N] [--resume] [--format csv|parquet] [--yes] [--cluster REDIS]
                                       [--checkpoint-every N]

          Runs an experiment (a base scenario, parameters varied over a grid or named cases, repetitions with seeds
          derived from a master seed; docs/SCENARIOS.md, "Experiment files"). Every run is its own session on grains
          in a silo hosted in this process, or with --cluster on a cluster's silos. Writes into DIR, appending each run
          as it finishes:
            runs.csv        run_id, variant, case, <parameters>, repetition, seed, then per country loss_C,
                            loss_gdp_share_C, peak_unmet_share_C, shortage_days_C, days_to_recover_C, fiscal_cost_C, indirect_loss_C,
                            value_added_C (made over the run, every stage),
                            and per commodity peak_price_X
            series.csv      run_id, tick, date, metric, key, value (the experiment's metrics at its interval)
            experiment.yaml, scenario.yaml (copies), manifest.json (version, seeds, start and end times)
          The experiment is checked completely before anything runs; errors print as file:line:column.

          --out DIR       output directory (required)
          --parallel N    runs at a time; default: one per core (here {0})
          --resume        finish an interrupted batch in DIR: finished runs are kept, the rest run
          --format F      csv (default) or parquet (runs.parquet, series.parquet)
          --yes           allow more than 1000 runs (at most 100000)
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
          and a table of the summary metrics. With a headless Chromium (the first of chromium,
          chromium-browser, google-chrome, google-chrome-stable, chrome, headless_shell on the PATH, or the file
          named by MARKETSIM_CHROMIUM) also DIR/charts/*.png, one per chart; --no-png skips them.
        """;

    public const string Attribute = """
        marketsim attribute FILE [--policies ID,ID] [--groups NAME=ID+ID,...] [--samples N] [--seed S] [--seeds K]
                                 [--days N] [--out DIR] [--parallel N] [--country C,C]

          Which measure did that: splits each country's loss, fiscal cost, export revenue, export rent, indirect loss,
          extra input cost and value added among the scenario's policies by Shapley decomposition over counterfactual
          runs. The worth of a set of policies is the metric in the run with only those policies in force (same seed and
          days); the empty set is the run with none.
          A policy's share is its average marginal effect over all orders in which the policies could be switched on:
            phi_i = sum over S in N without i of |S|! (n-|S|-1)! / n! * (v(S + i) - v(S))
          The shares add up to the total, v(all) - v(none). Versions of a policy (the same id) count as one.
          Up to 8 players: exact, 2^n runs. More players, or --samples: N sampled permutations, with the standard error.
          Writes DIR/attribution.csv: country, metric (loss, fiscal_cost, export_revenue, export_rent, indirect_loss,
          extra_input_cost, value_added, tariff_revenue), policy (a player, or total = all - none), share (value / total), value,
          stderr (0 when exact and one seed). Prints a table per country.

          --policies IDS  the players; the scenario's other policies stay in force in every run. Default: every policy
          --groups G      NAME=ID+ID: policies that go on and off together count as one player NAME (repeatable,
                          comma-separated); with no --policies, every policy in no group is a player of its own
          --samples N     sample N permutations (2 to 100000) instead of the exact computation; default when there are
                          more than 8 players: 200
          --seed S        simulation seed of every run (and of the permutations); default: the scenario's `seed`
          --seeds K       average over seeds S, S+1, ..., S+K-1 (1 to 100; K times the runs); stderr then includes the
                          spread across seeds. Licence draws move a one-seed split by more than its own size: use 5+
          --days N        ticks to simulate in every run; default: the scenario's `days`
          --out DIR       output directory (created if missing; other files in it are kept); default: results
          --parallel N    runs at a time (reference runner, one thread each); default: one per core (here {0})
          --country C     print only these countries' tables (the CSV has every country)

          Same arguments = the same attribution.csv, whatever --parallel. Exit code 0 on success, 1 on an invalid
          scenario, unknown policies or a failed run, 2 on a bad command line.
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
        w.WriteLine(Attribute.Replace("{0}", BatchDefault));
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
            case "attribute": Console.Out.WriteLine(Attribute.Replace("{0}", BatchDefault)); return ExitCodes.Ok;
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
