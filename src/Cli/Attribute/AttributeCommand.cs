using System.Diagnostics;
using System.Globalization;
using MarketSim.Model.Attribution;
using MarketSim.Model.Scenario;

namespace MarketSim.Cli.Attribution;

/// <summary>
/// `marketsim attribute FILE ...`: splits each country's loss, fiscal cost, export revenue and export rent among the
/// scenario's policies (or groups of them) by Shapley decomposition over counterfactual runs on the reference runner.
/// </summary>
public static class AttributeCommand
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        if (args is ["-h" or "--help"]) return Usage.PrintCommand("attribute");
        var (options, parseError) = AttributeOptions.Parse(args);
        if (options is null) return Usage.Fail(parseError!, "attribute");

        var loaded = ScenarioLoader.LoadFile(options.File);
        if (!loaded.Ok)
        {
            ScenarioErrors.Print(Console.Error, options.File, loaded.Errors);
            return ExitCodes.Failed;
        }
        var world = loaded.Spec!;
        var (game, gameError) = AttributionGame.Build(world, options.Policies, options.Groups);
        if (game is null)
        {
            Console.Error.WriteLine($"marketsim attribute: error: {options.File}: {gameError}");
            return ExitCodes.Failed;
        }
        if (options.Countries?.FirstOrDefault(c => world.Countries.All(x => x.Id != c)) is { } unknownCountry)
            return Usage.Fail($"--country: no country \"{unknownCountry}\" in {options.File} (countries: {string.Join(", ", world.Countries.Select(c => c.Id))})", "attribute");
        var days = options.Days ?? world.Days;
        if (days > DateOnly.MaxValue.DayNumber - world.StartDate.DayNumber)
        {
            Console.Error.WriteLine($"marketsim attribute: error: --days {days} from {world.StartDate:yyyy-MM-dd} ends after {DateOnly.MaxValue:yyyy-MM-dd}");
            return ExitCodes.Failed;
        }
        var seed = options.Seed ?? world.Seed;
        var exact = options.Samples is null && game.Count <= PolicyAttribution.MaxExact;

        // Ctrl+C, SIGTERM and SIGQUIT alike (a SIGTERM left a hidden partial directory behind before Dec 2026: a review).
        using var interruption = new Interruption();
        try
        {
            using var output = OutputDirectory.Create(options.OutDir);
            Console.Out.WriteLine($"{options.File}: {days} days from {world.StartDate:yyyy-MM-dd}, " +
                (options.Seeds == 1 ? $"seed {seed}" : $"the mean over seeds {seed}–{seed + (ulong)options.Seeds - 1}") + $"; {game.Count} players, " +
                (exact ? $"exact Shapley values over all {1 << game.Count} coalitions"
                       : $"Shapley values estimated from {options.Samples ?? PolicyAttribution.DefaultSamples} sampled permutations") +
                $" (at most {MaxRuns(game.Count, exact, options.Samples ?? PolicyAttribution.DefaultSamples, options.Seeds).ToString("N0", Inv)} runs)" +
                $", {options.Parallel} run(s) at a time on the reference runner");
            foreach (var p in game.Players.Where(p => p.PolicyIds.Count > 1 || p.PolicyIds[0] != p.Name))
                Console.Out.WriteLine($"  player {p.Name} = {string.Join(" + ", p.PolicyIds)}");
            if (game.Background.Count > 0)
                Console.Out.WriteLine($"  in force in every run (not players): {string.Join(", ", game.Background)}");

            var clock = Stopwatch.StartNew();
            var result = PolicyAttribution.Run(world, game, seed, days, options.Samples, options.Parallel, Progress(), interruption.Token, seeds: options.Seeds);
            clock.Stop();
            if (!Console.IsErrorRedirected) Console.Error.Write("\r" + new string(' ', 40) + "\r");

            using (var w = output.Open(PolicyAttribution.FileName)) w.Write(PolicyAttribution.ToCsv(result.Rows));
            interruption.Token.ThrowIfCancellationRequested();
            output.Commit();

            Console.Out.WriteLine($"{result.Runs} runs in {clock.Elapsed.TotalSeconds.ToString("0.0", Inv)} s; wrote {PolicyAttribution.FileName} to {options.OutDir}");
            Print(Console.Out, result, world.Currency, options.Countries);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"marketsim attribute: cancelled{(interruption.Signal is { } signal ? " by " + signal : "")}; no files were written.");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"marketsim attribute: error: cannot write the output directory '{options.OutDir}': {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e)
        {
            var inner = e is AggregateException { InnerExceptions: [var only] } ? only : e;
            Console.Error.WriteLine($"marketsim attribute: error: a counterfactual run failed: {inner.GetType().Name}: {inner.Message}; no files were written.");
            Console.Error.WriteLine(inner.StackTrace);
            return ExitCodes.Failed;
        }
    }

    /// <summary>The most runs an attribution takes: every coalition once per seed, or for sampled permutations no more than
    /// each permutation's n + 1 coalitions (coalitions met twice are run once).</summary>
    static long MaxRuns(int players, bool exact, int samples, int seeds)
    {
        var coalitions = players >= 62 ? long.MaxValue : 1L << players;
        var perSeed = exact ? coalitions : Math.Min(coalitions, (long)samples * (players + 1));
        return perSeed > long.MaxValue / Math.Max(1, seeds) ? long.MaxValue : perSeed * seeds;
    }

    /// <summary>Runs done, on stderr, only when stderr is a terminal (redirected output stays clean).</summary>
    static IProgress<int>? Progress()
    {
        if (Console.IsErrorRedirected) return null;
        var gate = new object();
        var shown = 0;
        return new DirectProgress(done =>
        {
            lock (gate)
            {
                if (done <= shown) return;
                shown = done;
                Console.Error.Write($"\r  {done} runs done");
            }
        });
    }

    sealed class DirectProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    static readonly (string Metric, string Title)[] Columns =
        [("loss", "loss"), ("fiscal_cost", "fiscal cost"), ("export_revenue", "export revenue"), ("export_rent", "export rent")];

    /// <summary>
    /// One table per country (those asked for, else those with something to split): a row per player, then the total
    /// (all on − none), and the two ends. Loss gets its share of the total beside it; sampled values carry ± one standard error.
    /// </summary>
    public static void Print(TextWriter w, AttributionResult r, string currency, IReadOnlyList<string>? countries)
    {
        var shown = countries ?? r.Countries.Where(c => r.Rows.Any(x => x.Country == c && x.Value != 0)).ToList();
        if (shown.Count == 0) { w.WriteLine("No country's loss, fiscal cost, export revenue or rent depends on these policies."); return; }
        var labels = r.Game.Players.Select(p => p.Name).Concat(["total (all − none)", "with none", "with all"]).ToList();
        var labelWidth = Math.Max(8, labels.Max(l => l.Length));
        foreach (var country in shown)
        {
            string Cell(string metric, string player)
            {
                var row = r.Rows.Single(x => x.Country == country && x.Metric == metric && x.Player == player);
                var v = Money(row.Value);
                return r.Exact && r.Seeds == 1 || player == "total" && r.Seeds == 1 || double.IsNaN(row.StdErr) ? v : $"{v} ± {Money(row.StdErr)}";
            }
            string ShareOf(string player) =>
                r.Rows.Single(x => x.Country == country && x.Metric == "loss" && x.Player == player).Share is { } s ? s.ToString("0.0%", Inv) : "";
            var table = new List<string[]>();
            foreach (var p in r.Game.Players)
                table.Add([p.Name, .. Columns.Select(c => Cell(c.Metric, p.Name)).Take(1), ShareOf(p.Name), .. Columns.Skip(1).Select(c => Cell(c.Metric, p.Name))]);
            table.Add(["total (all − none)", Cell("loss", "total"), ShareOf("total"), .. Columns.Skip(1).Select(c => Cell(c.Metric, "total"))]);
            table.Add(["with none", Money(r.Ends[(country, "loss")].None), "", .. Columns.Skip(1).Select(c => Money(r.Ends[(country, c.Metric)].None))]);
            table.Add(["with all", Money(r.Ends[(country, "loss")].All), "", .. Columns.Skip(1).Select(c => Money(r.Ends[(country, c.Metric)].All))]);

            string[] header = [$"{country} ({currency})", "loss", "share", .. Columns.Skip(1).Select(c => c.Title)];
            var widths = Enumerable.Range(0, header.Length).Select(i => Math.Max(header[i].Length, table.Max(t => t[i].Length))).ToArray();
            widths[0] = Math.Max(widths[0], labelWidth);
            w.WriteLine();
            w.WriteLine(Line(header, widths));
            for (int i = 0; i < table.Count; i++)
            {
                if (i == r.Game.Count) w.WriteLine("  " + new string('-', widths.Sum() + 2 * (widths.Length - 1)));
                w.WriteLine(Line(table[i], widths));
            }
        }
    }

    static string Line(string[] cells, int[] widths) =>
        "  " + string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();

    static string Money(double v)
    {
        var s = Math.Round(v).ToString("#,0", Inv);
        return s == "-0" ? "0" : s;
    }
}
