using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace MarketSim.Cluster.Tests;

/// <summary>
/// `marketsim batch --cluster` as a user runs it (marketsim.dll as its own process) against Redis and three silo processes:
/// one silo is killed (kill -9) mid-batch, the batch still completes, and its runs.csv and series.csv hold every run once and
/// equal, byte for byte, the same batch run in process on a single silo.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class BatchTests(LocalCluster cluster, ITestOutputHelper output) : IClassFixture<LocalCluster>
{
    static string Experiment => Path.Combine(Free.RepoRoot, "tests", "Cluster.Tests", "Fixtures", "batch-24.yaml");
    const int Runs = 24;

    static string Dll => typeof(BatchTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "MarketsimDll").Value!;

    /// <summary>marketsim with <paramref name="args"/>, stdout and stderr collected line by line (<paramref name="onLine"/> sees stdout).</summary>
    internal static Process StartCli(string dir, IReadOnlyDictionary<string, string> env, StringBuilder log, Action<string>? onLine, params string[] args)
    {
        Assert.True(File.Exists(Dll), $"the CLI is not built at {Dll}");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var psi = new ProcessStartInfo(host) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Never inherit a cluster from the environment: the in-process batch must host its own silo.
        foreach (var k in psi.Environment.Keys.Where(k => k.StartsWith("MarketSim__", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(k);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        psi.Environment["DOTNET_gcServer"] = "0";
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is { } d) { lock (log) log.AppendLine(d); onLine?.Invoke(d); } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is { } d) lock (log) log.AppendLine("err: " + d); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    static async Task<int> WaitAsync(Process p, StringBuilder log, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"marketsim did not finish in {timeout}:\n{log}");
        }
        p.WaitForExit(); // drains the redirected output
        return p.ExitCode;
    }

    [Fact]
    public async Task A_batch_of_24_runs_with_a_silo_killed_mid_batch_gives_the_single_silo_files()
    {
        await cluster.EnsureThreeAsync();
        var dir = Directory.CreateTempSubdirectory("marketsim-cluster-batch-").FullName;
        try
        {
            // The same batch in process, on one silo: the files to match.
            var singleLog = new StringBuilder();
            var clock = Stopwatch.StartNew();
            using (var single = StartCli(dir, new Dictionary<string, string>(), singleLog, null, "batch", Experiment, "--out", "single", "--parallel", "2"))
                Assert.True(await WaitAsync(single, singleLog, TimeSpan.FromMinutes(2)) == 0, singleLog.ToString());
            output.WriteLine($"in process: {clock.Elapsed.TotalSeconds:0.0} s");

            // Through the cluster, killing a silo once a few runs have finished.
            var env = new Dictionary<string, string>
            {
                ["MarketSim__Cluster__ClusterId"] = cluster.ClusterId,
                ["MarketSim__Cluster__ServiceId"] = cluster.Options.ServiceId,
                ["MarketSim__Cluster__ResponseTimeoutSeconds"] = "10",
            };
            var finished = 0;
            var fewDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var log = new StringBuilder();
            clock.Restart();
            using var batch = StartCli(dir, env, log, line =>
            {
                if (Regex.Match(line, @"^\[(\d+)/\d+\] run ") is { Success: true } m)
                {
                    Interlocked.Exchange(ref finished, int.Parse(m.Groups[1].Value));
                    if (finished >= 3) fewDone.TrySetResult();
                }
            }, "batch", Experiment, "--out", "cluster", "--parallel", "4", "--cluster", cluster.Redis.ConnectionString);
            var first = await Task.WhenAny(fewDone.Task, batch.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
            Assert.True(first == fewDone.Task, "the batch did not get going:\n" + log);
            var victim = cluster.Silos.First(s => s.Running);
            victim.Kill();
            var killedAfter = Volatile.Read(ref finished);
            output.WriteLine($"killed {victim.Name} (silo port {victim.SiloPort}) after {killedAfter} of {Runs} runs, {clock.Elapsed.TotalSeconds:0.0} s in");
            Assert.True(killedAfter < Runs && !batch.HasExited, "the batch ended before the kill; the test would prove nothing");

            var code = await WaitAsync(batch, log, TimeSpan.FromMinutes(3));
            output.WriteLine($"on the cluster: {clock.Elapsed.TotalSeconds:0.0} s");
            output.WriteLine(log.ToString());
            Assert.True(code == 0, log.ToString());

            var runs = File.ReadAllLines(Path.Combine(dir, "cluster", "runs.csv"));
            Assert.Equal(Enumerable.Range(1, Runs).Select(i => i.ToString()), runs.Skip(1).Select(l => l.Split(',')[0]));
            var series = File.ReadAllLines(Path.Combine(dir, "cluster", "series.csv")).Skip(1).Select(l => l.Split(',')).ToList();
            Assert.Equal(Enumerable.Range(1, Runs).Select(i => i.ToString()), series.Select(c => c[0]).Distinct());
            // Each (run, tick, metric, key) once: no run's rows were written twice by a retry.
            Assert.Equal(series.Count, series.Select(c => string.Join(',', c[..5])).Distinct().Count());
            foreach (var f in new[] { "runs.csv", "series.csv" })
                Assert.True(File.ReadAllBytes(Path.Combine(dir, "single", f)).SequenceEqual(File.ReadAllBytes(Path.Combine(dir, "cluster", f))),
                    $"{f} through the cluster differs from the single-silo batch");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
