using MarketSim.Cli.Engines;
using MarketSim.Model.Output;
using MarketSim.Model.Scenario;
using MarketSim.Model.Simulation;
using Spectre.Console;

namespace MarketSim.Cli;

/// <summary>`marketsim run FILE ...`: simulate a scenario and write its CSV tables.</summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["-h" or "--help"]) { Console.Out.WriteLine(Usage.Run); return ExitCodes.Ok; }
        var (options, parseError) = RunOptions.Parse(args);
        if (options is null) return Usage.Fail(parseError!, "run");

        var loaded = ScenarioLoader.LoadFile(options.File);
        if (!loaded.Ok)
        {
            ScenarioErrors.Print(Console.Error, options.File, loaded.Errors);
            return ExitCodes.Failed;
        }
        var world = loaded.Spec!;
        var days = options.Days ?? world.Days;
        if (days > DateOnly.MaxValue.DayNumber - world.StartDate.DayNumber)
        {
            Console.Error.WriteLine($"marketsim run: error: --days {days} from {world.StartDate:yyyy-MM-dd} ends after {DateOnly.MaxValue:yyyy-MM-dd}, the last date that can be represented");
            return ExitCodes.Failed;
        }
        var seed = options.Seed ?? world.Seed;
        var (baseline, baselineName, baselineFailed) = Attribution.BaselineRun.Resolve(options, world);
        if (baselineFailed) return ExitCodes.Failed;

        using var interruption = new Interruption();
        var cancel = interruption;
        try
        {
            using var output = OutputDirectory.Create(options.OutDir);
            await using var engine = CreateEngine(options);
            var frames = await SimulateAsync(engine, world, seed, days, cancel.Token);
            var summary = CsvExport.WriteAll(world, frames, output.Open);
            IReadOnlyList<Model.Attribution.BaselineRow>? comparison = null;
            if (baseline is not null) comparison = Attribution.BaselineRun.Compare(world, frames, baseline, seed, days, output.Open, cancel.Token);
            // A Ctrl+C that arrived while the files were being written still means "do not publish this run".
            cancel.Token.ThrowIfCancellationRequested();
            output.Commit();
            // A comparison left by an earlier run into the same directory would describe another run.
            if (comparison is null) File.Delete(Path.Combine(options.OutDir, Model.Attribution.BaselineComparison.FileName));

            Console.Out.WriteLine($"{options.File}: {days} days from {world.StartDate:yyyy-MM-dd}, seed {seed}, engine {options.Engine.ToString().ToLowerInvariant()}: " +
                $"wrote {CsvTables.FileNames.Count + (comparison is null ? 0 : 1)} files to {options.OutDir}");
            foreach (var r in summary.Where(r => r.CumulativeLoss > 0 || r.ShortageDays > 0))
                Console.Out.WriteLine($"  {r.Country}: loss {CsvFormat.Number(r.CumulativeLoss)} {world.Currency} ({r.LossGdpShare:P3} of GDP), " +
                    $"{r.ShortageDays} shortage days, peak unmet share {r.PeakUnmetShare:P1}");
            if (comparison is not null) Attribution.BaselineRun.Print(Console.Out, baselineName!, comparison, world.Currency);
            return ExitCodes.Ok;
        }
        // After a signal any failure is the stop's doing: the in-process silo hears the signal too and may shut down before the
        // run reaches its next chunk, and the grain call then fails with Orleans' own error rather than a cancellation.
        catch (Exception) when (interruption.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine($"marketsim run: interrupted by {interruption.Signal ?? "a signal"}; the run stopped and no files were written.");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"marketsim run: error: cannot write the output directory '{options.OutDir}': {e.Message}");
            return ExitCodes.Failed;
        }
        catch (ClusterConnectionException e)
        {
            Console.Error.WriteLine($"marketsim run: error: {e.Message}; no files were written.");
            return ExitCodes.Failed;
        }
        catch (TimeoutException e)
        {
            // Only a cluster's calls can time out in practice (the in-process silo waits up to OrleansHost.CallTimeout): a tick
            // of a very large world, or a silo that stopped answering. Not a bug, so no stack trace.
            Console.Error.WriteLine($"marketsim run: error: a grain call timed out ({e.Message.Split('\n')[0].Trim()}); no files were written. " +
                $"A tick of a large world can take longer than the cluster's call timeout: raise {Hosting.MarketSimClusterOptions.Section}:ResponseTimeoutSeconds, " +
                "or run it with --engine reference.");
            return ExitCodes.Failed;
        }
        catch (Exception e)
        {
            // A failure inside the simulation is a bug or an unforeseen state; say so plainly and leave no files.
            Console.Error.WriteLine($"marketsim run: error: the simulation failed: {e.GetType().Name}: {e.Message}; no files were written.");
            Console.Error.WriteLine(e.StackTrace);
            return ExitCodes.Failed;
        }
    }

    static ISimulationEngine CreateEngine(RunOptions options) => options.Engine switch
    {
        EngineKind.Reference => new ReferenceEngine(),
        _ => new OrleansEngine(ClusterSettings.Resolve(options.Cluster)),
    };

    /// <summary>Runs the engine; a progress bar only when stdout is a terminal, so redirected output stays clean.</summary>
    static async Task<IReadOnlyList<Frame>> SimulateAsync(ISimulationEngine engine, ScenarioSpec world, ulong seed, int days, CancellationToken cancel)
    {
        if (Console.IsOutputRedirected) return await engine.RunAsync(world, seed, days, null, cancel);
        IReadOnlyList<Frame> frames = [];
        await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"{world.Name}: {days} days", maxValue: days);
                // Progress<T> would post to the thread pool out of order; a direct callback keeps the bar monotonic.
                frames = await engine.RunAsync(world, seed, days, new DirectProgress(t => task.Value = t), cancel);
            });
        return frames;
    }

    sealed class DirectProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
