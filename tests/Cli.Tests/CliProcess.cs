using System.Diagnostics;
using System.Reflection;

namespace MarketSim.Cli.Tests;

public sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public string All => StdOut + StdErr;
}

/// <summary>Runs the built marketsim.dll as its own process (stdout/stderr redirected, so no progress bar).</summary>
public static class CliProcess
{
    static string Meta(string key) =>
        typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

    public static string Dll => Meta("MarketsimDll");
    public static string RepoRoot => Meta("RepoRoot");
    public static string Fixture(string name) => Path.Combine(RepoRoot, "tests", "Cli.Tests", "Fixtures", name);

    public static CliResult Run(string workingDirectory, params string[] args) => RunWith(null, workingDirectory, args);

    /// <summary>As <see cref="Run"/>, with these environment variables set for the process.</summary>
    public static CliResult RunWith(IReadOnlyDictionary<string, string>? environment, string workingDirectory, params string[] args)
    {
        Assert.True(File.Exists(Dll), $"the CLI is not built at {Dll}");
        // The SDK tells child processes which dotnet host it runs under; fall back to the one on PATH.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var psi = new ProcessStartInfo(host)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"marketsim {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A fresh directory per test, removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("marketsim-cli-").FullName;
    public string this[string relative] => System.IO.Path.Combine(Path, relative);
    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}
