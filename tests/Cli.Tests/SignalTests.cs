using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace MarketSim.Cli.Tests;

/// <summary>
/// Issue 11: SIGTERM and Ctrl+C (SIGINT) end `batch` and `run` promptly and the same way, sent to the CLI as a process.
/// Before, SIGTERM left a batch spinning at 177 % CPU with the manifest "running", and Ctrl+C reported "0 of N runs kept".
/// </summary>
public class SignalTests(QuickSweep sweep) : IClassFixture<QuickSweep>
{
    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);

    /// <summary>Exit within this after the signal (the silo's stop is ≈1–2 s; the bound is loose: the cores are shared).</summary>
    static readonly TimeSpan Promptly = TimeSpan.FromSeconds(15);

    sealed class Running : IDisposable
    {
        public required Process Process { get; init; }
        public StringBuilder Out { get; } = new();
        public StringBuilder Err { get; } = new();
        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }

    static Running Start(string workingDirectory, params string[] args)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var psi = new ProcessStartInfo(host) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(CliProcess.Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var r = new Running { Process = Process.Start(psi)! };
        r.Process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (r.Out) r.Out.AppendLine(e.Data); };
        r.Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (r.Err) r.Err.AppendLine(e.Data); };
        r.Process.BeginOutputReadLine();
        r.Process.BeginErrorReadLine();
        return r;
    }

    static int DataLines(string path)
    {
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var r = new StreamReader(s);
            return Math.Max(0, r.ReadToEnd().Count(c => c == '\n') - 1);
        }
        catch (IOException) { return 0; }
    }

    [Theory]
    [InlineData(15, "SIGTERM")]
    [InlineData(2, "SIGINT (Ctrl+C)")]
    public void A_signal_mid_batch_stops_it_within_seconds_as_interrupted_and_resume_gives_the_same_files(int signal, string name)
    {
        Assert.True(sweep.Result.ExitCode == 0, sweep.Result.All);
        using var dir = new TempDir();
        var runsCsv = dir["out/runs.csv"];
        TimeSpan took;
        using (var p = Start(dir.Path, "batch", QuickSweep.Experiment, "--out", "out", "--parallel", "1"))
        {
            var clock = Stopwatch.StartNew();
            while (DataLines(runsCsv) < 2 && !p.Process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
            Assert.False(p.Process.HasExited, "the batch finished before the signal");
            Assert.Equal(0, kill(p.Process.Id, signal));
            var sent = Stopwatch.StartNew();
            Assert.True(p.Process.WaitForExit(Promptly), $"still running {Promptly} after {name}:\n{p.Out}{p.Err}");
            p.Process.WaitForExit(); // the output readers are done
            took = sent.Elapsed;
            Assert.Equal(1, p.Process.ExitCode);
            var kept = DataLines(runsCsv);
            Assert.InRange(kept, 2, 7);
            // What is kept is what the files hold, not 0.
            Assert.Contains($"marketsim batch: interrupted by {name}: {kept} of 8 runs finished and kept in out", p.Err.ToString());
            var manifest = File.ReadAllText(dir["out/manifest.json"]);
            Assert.Contains("\"status\": \"interrupted\"", manifest);
            Assert.Contains($"\"runs_finished\": {kept}", manifest);
            Assert.Contains($"\"signal\": \"{name.Split(' ')[0]}\"", manifest);
        }
        Assert.True(took < Promptly, $"took {took}");

        var resumed = CliProcess.Run(dir.Path, "batch", QuickSweep.Experiment, "--out", "out", "--resume", "--parallel", "2");
        Assert.True(resumed.ExitCode == 0, resumed.All);
        foreach (var f in new[] { "runs.csv", "series.csv" })
            Assert.True(File.ReadAllBytes(Path.Combine(sweep.Out, f)).SequenceEqual(File.ReadAllBytes(dir["out/" + f])), $"{f} after resume differs from the uninterrupted batch");
        Assert.Contains("\"status\": \"complete\"", File.ReadAllText(dir["out/manifest.json"]));
    }

    [Theory]
    [InlineData(15, "SIGTERM")]
    [InlineData(2, "SIGINT (Ctrl+C)")]
    public void A_signal_mid_run_stops_it_within_seconds_and_writes_no_files(int signal, string name)
    {
        using var dir = new TempDir();
        // A long run (almost a century of days), so the signal surely arrives mid-run.
        using var p = Start(dir.Path, "run", CliProcess.Fixture("small.yaml"), "--days", "36000", "--out", "out", "--engine", "orleans");
        Thread.Sleep(TimeSpan.FromSeconds(3));
        Assert.False(p.Process.HasExited, $"the run ended before the signal:\n{p.Out}{p.Err}");
        Assert.Equal(0, kill(p.Process.Id, signal));
        Assert.True(p.Process.WaitForExit(Promptly), $"still running {Promptly} after {name}");
        p.Process.WaitForExit();
        Assert.Equal(1, p.Process.ExitCode);
        Assert.Contains($"marketsim run: interrupted by {name}; the run stopped and no files were written.", p.Err.ToString());
        Assert.False(Directory.Exists(dir["out"]) && Directory.EnumerateFiles(dir["out"]).Any(), "files were written");
    }

    [Fact]
    public void A_sigterm_mid_attribution_stops_it_and_leaves_no_directory_behind()
    {
        // attribute listened for Ctrl+C alone: a SIGTERM left a hidden partial directory behind (a review, Dec 2026).
        using var dir = new TempDir();
        using var p = Start(dir.Path, "attribute", Path.Combine(CliProcess.RepoRoot, "scenarios", "china-japan-2026.yaml"),
            "--samples", "100000", "--seeds", "100", "--out", "out");
        Thread.Sleep(TimeSpan.FromSeconds(3));
        Assert.False(p.Process.HasExited, $"the attribution ended before the signal:\n{p.Out}{p.Err}");
        Assert.Equal(0, kill(p.Process.Id, 15));
        Assert.True(p.Process.WaitForExit(Promptly), $"still running {Promptly} after SIGTERM");
        p.Process.WaitForExit();
        Assert.Equal(1, p.Process.ExitCode);
        Assert.Contains("(at most 25,600 runs)", p.Out.ToString()); // 8 players (2⁸ coalitions) × 100 seeds
        Assert.Contains("marketsim attribute: cancelled by SIGTERM; no files were written.", p.Err.ToString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }
}
