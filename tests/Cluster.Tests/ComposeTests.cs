using MarketSim.Hosting.Local;
using MarketSim.Hosting;
using System.Diagnostics;
using System.Text;
using Microsoft.Playwright;
using Xunit.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace MarketSim.Cluster.Tests;

/// <summary>
/// docker-compose.yml's dashboard serves session pages (issue 14, item 4). Without docker: the compose file's processes —
/// Redis, a silo, the dashboard as a client — started with the environment the compose file and the Dockerfiles give
/// them, the service names and container ports mapped to loopback and free ports. The browser reaches the dashboard by
/// a host name only the browser can resolve (as a browser reaches a container by a mapped port the container does not
/// listen on), so a page that dialled back to the address in the browser's request would fail here as it did in docker.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ComposeTests(ITestOutputHelper output)
{
    const string BrowserHost = "dashboard.compose.test";

    [Fact]
    public async Task The_compose_dashboard_serves_a_session_page_whose_frames_arrive()
    {
        var compose = ComposeFile.Load(Path.Combine(Free.RepoRoot, "docker-compose.yml"));
        using var redis = new RedisProcess();
        redis.Start();
        var dashboardPort = FreePorts.Next();
        var scenarios = Path.Combine(Free.RepoRoot, "scenarios");
        // Service names and container paths, as the containers see them, to what this machine has.
        string Map(string value) => value
            .Replace("redis:6379", redis.ConnectionString, StringComparison.Ordinal)
            .Replace("http://+:8080", $"http://127.0.0.1:{dashboardPort}", StringComparison.Ordinal)
            .Replace("/app/scenarios", scenarios, StringComparison.Ordinal);

        var siloEnv = Dockerfile.Env(Path.Combine(Free.RepoRoot, "src/Silo/Dockerfile"))
            .Concat(compose.Environment("silo1")).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => Map(g.Last().Value));
        siloEnv["MarketSim__Cluster__AdvertisedAddress"] = "127.0.0.1"; // "silo1" resolves inside the compose network only
        using var silo = new SiloProcess { Name = "silo1", Environment = siloEnv };
        // SiloProcess puts its silo, gateway and health ports on free ports (the Dockerfile's 11111/30000/8080 may be taken).
        silo.Start();
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));

        var dashboardEnv = Dockerfile.Env(Path.Combine(Free.RepoRoot, "src/Dashboard/Dockerfile"))
            .Concat(compose.Environment("dashboard")).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => Map(g.Last().Value));
        Assert.Equal($"http://127.0.0.1:{dashboardPort}", dashboardEnv["ASPNETCORE_URLS"]);
        Assert.Equal(redis.ConnectionString, dashboardEnv["MarketSim__Cluster__Redis"]);
        using var dashboard = DashboardProcess.Start(dashboardEnv);
        try
        {
            await dashboard.WaitHealthyAsync(dashboardPort, TimeSpan.FromSeconds(90));

            using var playwright = await Playwright.CreateAsync();
            await using var chromium = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = "/usr/bin/chromium", Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", $"--host-resolver-rules=MAP {BrowserHost} 127.0.0.1"],
            });
            var page = await chromium.NewPageAsync();
            page.SetDefaultTimeout(90_000);
            try
            {
                // The default session of the compose dashboard (created on the cluster at start), read and played on its page.
                await page.GotoAsync($"http://{BrowserHost}:{dashboardPort}/sessions/default");
                var session = page.Locator("[data-testid=session][data-session-id=default]");
                await session.WaitForAsync();
                var before = int.Parse(await session.GetAttributeAsync("data-frames") ?? "-1");
                await page.Locator("[data-testid=step]").ClickAsync();
                await page.Locator("[data-testid=step]").ClickAsync();
                await page.WaitForFunctionAsync(
                    $"() => Number(document.querySelector('[data-testid=session]')?.dataset.frames) >= {before + 2}", null, new() { Timeout = 90_000 });
            }
            finally
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(Free.RepoRoot, "tests", "Cluster.Tests", "TestResults", "compose-session.png"), FullPage = true });
            }
        }
        catch
        {
            output.WriteLine("dashboard:\n" + dashboard.Log);
            output.WriteLine("silo:\n" + silo.Log);
            throw;
        }
    }
}

/// <summary>docker-compose.yml read as compose reads it, anchors and merge keys (&lt;&lt;: *cluster-env) included.</summary>
sealed class ComposeFile(Dictionary<object, object> root)
{
    public static ComposeFile Load(string path)
    {
        using var reader = new StreamReader(path);
        var parser = new MergingParser(new Parser(reader));
        return new ComposeFile(new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(parser));
    }

    public IEnumerable<KeyValuePair<string, string>> Environment(string service)
    {
        var services = (Dictionary<object, object>)root["services"];
        var s = (Dictionary<object, object>)services[service];
        if (!s.TryGetValue("environment", out var env)) yield break;
        foreach (var (k, v) in (Dictionary<object, object>)env) yield return new((string)k, (string)v);
    }
}

/// <summary>The ENV lines of a Dockerfile (KEY=value pairs; no quoting is used in ours).</summary>
static class Dockerfile
{
    public static IEnumerable<KeyValuePair<string, string>> Env(string path) =>
        File.ReadLines(path).Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(l => l[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1]));
}

/// <summary>The dashboard as its own process (its build output, as `dotnet run --project src/Dashboard` runs it) with a given environment only.</summary>
sealed class DashboardProcess : IDisposable
{
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    readonly StringBuilder _log = new();
    readonly Process _process;

    DashboardProcess(Process process) => _process = process;

    public string Log { get { lock (_log) return _log.ToString(); } }

    public static DashboardProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var dll = typeof(Free).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().First(a => a.Key == "DashboardDll").Value!;
        var host = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var psi = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(dll);
        // Not the test runner's environment (DOTNET_ENVIRONMENT, ASPNETCORE_* …): the container's.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
            || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal) || k.StartsWith("MarketSim__", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var d = new DashboardProcess(Process.Start(psi)!);
        d._process.OutputDataReceived += (_, e) => { if (e.Data is { } x) lock (d._log) d._log.AppendLine(x); };
        d._process.ErrorDataReceived += (_, e) => { if (e.Data is { } x) lock (d._log) d._log.AppendLine(x); };
        d._process.BeginOutputReadLine();
        d._process.BeginErrorReadLine();
        return d;
    }

    public async Task WaitHealthyAsync(int port, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"dashboard exited with {_process.ExitCode}:\n{Log}");
            try
            {
                using var r = await Http.GetAsync($"http://127.0.0.1:{port}/healthz");
                if ((int)r.StatusCode == 200) return;
            }
            catch (Exception) { /* not up yet */ }
            if (DateTime.UtcNow > until) throw new TimeoutException($"dashboard not healthy after {timeout}:\n{Log}");
            await Task.Delay(250);
        }
    }

    /// <summary>Whether it exited within <paramref name="timeout"/> (its output read to the end), and its exit code.</summary>
    public (bool Exited, int Code) WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return (false, 0);
        _process.WaitForExit();
        return (true, _process.ExitCode);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // SIGTERM as docker stop sends, then wait for the graceful stop.
            using (var k = Process.Start("kill", $"-TERM {_process.Id}")) k.WaitForExit();
            if (!_process.WaitForExit(30_000)) _process.Kill();
        }
        _process.Dispose();
    }
}
