using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MarketSim.Cli.Engines;
using MarketSim.Grains;
using MarketSim.Grains.Interfaces;
using MarketSim.Experiments;
using MarketSim.Hosting;
using Spectre.Console;

namespace MarketSim.Cli.Batch;

/// <summary>
/// `marketsim batch FILE --out DIR ...`: expands an experiment, runs every run as its own session on grains in a silo
/// hosted in this process (or, with --cluster, on a cluster's silos as its client), at most --parallel at a time, and
/// appends each finished run to runs.csv / series.csv.
/// </summary>
public static class BatchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["-h" or "--help"]) return Usage.PrintCommand("batch");
        var (options, parseError) = BatchOptions.Parse(args);
        if (options is null) return Usage.Fail(parseError!, "batch");

        var loaded = ExperimentLoader.LoadFile(options.File, options.Yes ? null : ExperimentLoader.DefaultMaxRuns);
        if (!loaded.Ok)
        {
            ScenarioErrors.Print(Console.Error, options.File, loaded.Errors);
            return ExitCodes.Failed;
        }
        var plan = loaded.Plan!;
        var layout = new BatchLayout(plan);
        var dir = Path.GetFullPath(options.OutDir);
        MarketSimClusterOptions? cluster;
        try { cluster = ClusterSettings.Resolve(options.Cluster); }
        catch (ClusterConnectionException e)
        {
            Console.Error.WriteLine($"marketsim batch: error: {e.Message}");
            return ExitCodes.Failed;
        }
        var settings = SessionSettings.Default with { CheckpointEvery = options.CheckpointEvery ?? BatchOptions.DefaultCheckpointEvery(cluster is not null) };

        JsonObject manifest;
        bool resume;
        try
        {
            (manifest, resume) = PrepareDirectory(options, plan, dir);
        }
        catch (BatchException e)
        {
            Console.Error.WriteLine($"marketsim batch: error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"marketsim batch: error: cannot write the output directory '{options.OutDir}': {e.Message}");
            return ExitCodes.Failed;
        }

        using IBatchSink sink = options.Format == BatchFormat.Parquet ? new ParquetBatchSink(dir, layout) : new CsvBatchSink(dir, layout);
        var session = new JsonObject
        {
            ["started_at"] = Now(), ["parallel"] = options.Parallel, ["resumed"] = resume,
            ["cluster"] = cluster is null ? "in-process" : $"redis {cluster.Redis} (cluster id {cluster.ClusterId})",
            ["checkpoint_every"] = settings.CheckpointEvery,
        };
        ((JsonArray)manifest["sessions"]!).Add(session);

        using var cancel = new Interruption();
        // Runs kept so far, counted as each is appended: an interruption reports the true number (it said 0 before).
        var done = new StrongBox<int>(0);
        var total = plan.Runs.Count;
        try
        {
            var finished = sink.Open(resume);
            var pending = plan.Runs.Where(r => !finished.Contains(r.RunId)).ToList();
            done.Value = total - pending.Count;
            manifest["status"] = "running";
            Manifest.Write(dir, manifest);
            Console.Out.WriteLine($"{options.File}: '{plan.Name}', {plan.Variants.Count} variants × {plan.Repetitions} repetitions = {total} runs of {plan.Days} days" +
                (resume ? $"; {done.Value} already finished, {pending.Count} to run" : "") + $", {options.Parallel} in parallel" +
                (cluster is null ? "" : $" on the cluster at Redis {cluster.Redis}") + $", into {options.OutDir}");

            var clock = Stopwatch.StartNew();
            if (pending.Count > 0)
                await RunAllAsync(plan, pending, sink, options.Parallel, done, cluster, settings, cancel.Token);
            sink.Complete();

            session["finished_at"] = Now();
            session["runs_done"] = pending.Count;
            session["outcome"] = "complete";
            manifest["status"] = "complete";
            manifest["finished_at"] = Now();
            Manifest.Write(dir, manifest);
            var rate = pending.Count > 0 ? $" ({pending.Count / Math.Max(clock.Elapsed.TotalMinutes, 1e-9):0.#} runs per minute)" : "";
            var (runsFile, seriesFile) = options.Format == BatchFormat.Parquet ? (BatchLayout.RunsParquet, BatchLayout.SeriesParquet) : (BatchLayout.RunsCsv, BatchLayout.SeriesCsv);
            Console.Out.WriteLine($"done: {total} runs in {options.OutDir}: {runsFile}, {seriesFile}, {BatchLayout.ExperimentCopy}, {BatchLayout.Manifest}; " +
                $"{pending.Count} ran in {clock.Elapsed.TotalSeconds:0.0} s{rate}");
            return ExitCodes.Ok;
        }
        // After a signal any failure is the stop's doing (the in-process silo may shut down first: see RunCommand).
        catch (Exception) when (cancel.Token.IsCancellationRequested)
        {
            session["signal"] = cancel.SignalName;
            Stop(dir, manifest, session, "interrupted", done.Value);
            Console.Error.WriteLine($"marketsim batch: interrupted by {cancel.Signal ?? "a signal"}: {done.Value} of {total} runs finished and kept in {options.OutDir}; " +
                $"runs in flight were stopped; run the same command with --resume to finish the rest.");
            return ExitCodes.Failed;
        }
        catch (BatchException e)
        {
            Console.Error.WriteLine($"marketsim batch: error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Stop(dir, manifest, session, "write failed", done.Value);
            Console.Error.WriteLine($"marketsim batch: error: cannot write to '{options.OutDir}': {e.Message}. The files hold the {done.Value} runs " +
                "finished before and are valid; make room and run the same command with --resume.");
            return ExitCodes.Failed;
        }
        catch (ClusterConnectionException e)
        {
            Stop(dir, manifest, session, "no cluster", done.Value);
            Console.Error.WriteLine($"marketsim batch: error: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (RunFailedException e)
        {
            Stop(dir, manifest, session, "run failed", done.Value);
            Console.Error.WriteLine($"marketsim batch: error: run {e.Run.RunId} (variant {e.Run.Variant.Index}, repetition {e.Run.Repetition}, seed {e.Run.Seed}) failed: " +
                $"{e.InnerException!.GetType().Name}: {e.InnerException.Message}; the {done.Value} runs finished before are kept.");
            Console.Error.WriteLine(e.InnerException.StackTrace);
            return ExitCodes.Failed;
        }
    }

    static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    static void Stop(string dir, JsonObject manifest, JsonObject session, string outcome, int done)
    {
        session["finished_at"] = Now();
        session["outcome"] = outcome;
        manifest["status"] = outcome;
        manifest["runs_finished"] = done;
        try { Manifest.Write(dir, manifest); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Checks the output directory: a new batch needs one without batch files; --resume needs the same experiment.</summary>
    static (JsonObject Manifest, bool Resume) PrepareDirectory(BatchOptions options, ExperimentPlan plan, string dir)
    {
        if (File.Exists(dir)) throw new BatchException($"'{options.OutDir}' exists and is a file, not a directory");
        string[] batchFiles = [BatchLayout.Manifest, BatchLayout.RunsCsv, BatchLayout.RunsParquet, ".parts"];
        var existing = Directory.Exists(dir) && batchFiles.Any(f => Path.Exists(Path.Combine(dir, f)));
        if (existing && !options.Resume)
            throw new BatchException($"'{options.OutDir}' already holds a batch; run with --resume to finish it, or choose another --out");
        // A new batch writes these too: a folder that holds one of them holds someone's file, not a batch's (it was replaced
        // without a word before Dec 2026).
        if (!existing && Directory.Exists(dir)
            && new[] { BatchLayout.ExperimentCopy, BatchLayout.ScenarioCopy, BatchLayout.SeriesCsv, BatchLayout.SeriesParquet }
                .FirstOrDefault(f => Path.Exists(Path.Combine(dir, f))) is { } taken)
            throw new BatchException($"'{options.OutDir}' already holds a file named {taken} that this batch would replace; choose another --out (an empty or new directory)");
        if (existing)
        {
            var old = Manifest.Read(dir) ?? throw new BatchException($"'{options.OutDir}' has batch files but no readable {BatchLayout.Manifest}; cannot resume");
            var copy = Path.Combine(dir, BatchLayout.ExperimentCopy);
            if (!File.Exists(copy) || File.ReadAllText(copy) != File.ReadAllText(options.File))
                throw new BatchException($"{options.File} differs from the experiment this batch was started with ({Path.Combine(options.OutDir, BatchLayout.ExperimentCopy)}); " +
                    "resume with that file, or start a new batch in another --out");
            if ((string?)old["scenario_sha256"] != Manifest.Sha256(plan.ScenarioFile))
                throw new BatchException($"the scenario {plan.ScenarioFile} changed since this batch started; start a new batch in another --out");
            var format = options.Format.ToString().ToLowerInvariant();
            if ((string?)old["format"] != format)
                throw new BatchException($"this batch was started with --format {(string?)old["format"]}; resume it with the same format");
            // Each resumption adds to the list; one without it (edited by hand) failed with a NullReferenceException (a review).
            if (old["sessions"] is not JsonArray)
                throw new BatchException($"{Path.Combine(options.OutDir, BatchLayout.Manifest)} has no \"sessions\" list, as every batch's has; it cannot be resumed: start a new batch in another --out");
            return (old, true);
        }
        Directory.CreateDirectory(dir);
        File.Copy(options.File, Path.Combine(dir, BatchLayout.ExperimentCopy), overwrite: true);
        File.Copy(plan.ScenarioFile, Path.Combine(dir, BatchLayout.ScenarioCopy), overwrite: true);
        var manifest = Manifest.Create(plan, options.Format, options.File);
        manifest["started_at"] = Now();
        Manifest.Write(dir, manifest);
        return (manifest, false);
    }

    sealed class RunFailedException(RunSpec run, Exception inner) : Exception(inner.Message, inner)
    {
        public RunSpec Run { get; } = run;
    }

    /// <summary>Runs the pending runs, at most <paramref name="parallel"/> at a time; returns the number finished.</summary>
    /// <remarks>On a cluster every call is retried through a silo's loss (the session resumes from its checkpoint on a
    /// surviving silo), and a run that fails all the same is started again from tick 0 (up to <see cref="ClusterAttempts"/>
    /// times): runs are deterministic, so a rerun gives the same rows.</remarks>
    static async Task RunAllAsync(ExperimentPlan plan, IReadOnlyList<RunSpec> pending, IBatchSink sink, int parallel, StrongBox<int> done,
        MarketSimClusterOptions? cluster, SessionSettings settings, CancellationToken cancel)
    {
        var host = await OrleansHost.StartAsync(cluster, cancel);
        try
        {
            await RunAllAsync(plan, pending, sink, parallel, done, host.Grains(), cluster is not null, settings, cancel);
        }
        finally
        {
            await OrleansHost.StopAsync(host);
        }
    }

    const int ClusterAttempts = 3;

    static async Task RunAllAsync(ExperimentPlan plan, IReadOnlyList<RunSpec> pending, IBatchSink sink, int parallel, StrongBox<int> done,
        IGrainFactory grains, bool onCluster, SessionSettings settings, CancellationToken cancel)
    {
        var runner = new SimulationRunner(grains) { RetryFor = onCluster ? TimeSpan.FromMinutes(3) : TimeSpan.Zero };
        // Session ids unique to this batch: several CLIs may share a cluster (the id does not influence the results).
        var batchId = onCluster ? Guid.NewGuid().ToString("N")[..8] : Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var gate = new object();
        var total = plan.Runs.Count;
        var days = plan.Days;
        Action<int>? onTicks = null;
        Action? onRunDone = null;

        async Task Body(CancellationToken ct)
        {
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = failed.Token }, async (run, token) =>
            {
                var clock = Stopwatch.StartNew();
                var last = 0;
                var progress = new DirectProgress(t => { var d = t - last; last = t; onTicks?.Invoke(d); });
                RunResult result;
                for (int attempt = 1; ; attempt++)
                {
                    try
                    {
                        var frames = await runner.RunAsync(run.Variant.Scenario, run.Seed, days, settings, sessionId: $"batch-{batchId}-{run.RunId}-{attempt}",
                            progress: progress, ct: token);
                        result = RunMetrics.Compute(run, frames, plan.Metrics);
                        break;
                    }
                    catch (OperationCanceledException) { throw; }
                    catch (Exception e) when (onCluster && attempt < ClusterAttempts && !token.IsCancellationRequested)
                    {
                        Console.Error.WriteLine($"marketsim batch: run {run.RunId} failed on the cluster ({e.GetType().Name}: {e.Message}); running it again");
                        onTicks?.Invoke(-last);
                        last = 0;
                    }
                    catch (Exception e) { throw new RunFailedException(run, e); }
                }
                token.ThrowIfCancellationRequested();
                lock (gate)
                {
                    sink.Append(result);
                    done.Value++;
                    onRunDone?.Invoke();
                    if (Console.IsOutputRedirected)
                        Console.Out.WriteLine($"[{done.Value}/{total}] run {run.RunId} (variant {run.Variant.Index}, repetition {run.Repetition}) finished in {clock.Elapsed.TotalSeconds:0.0} s");
                }
            });
        }

        if (Console.IsOutputRedirected)
        {
            await Body(cancel);
            return;
        }
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                // Measured in ticks so the estimate moves during long runs; the description counts whole runs.
                var task = ctx.AddTask($"{plan.Name}: {done.Value}/{total} runs", maxValue: (double)pending.Count * days);
                onTicks = d => task.Increment(d);
                onRunDone = () => task.Description = $"{plan.Name}: {done.Value}/{total} runs";
                await Body(cancel);
            });
    }

    sealed class DirectProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
