using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;

namespace MarketSim.Hosting.Local;

// A cluster of processes on this machine, as scripts/cluster starts one: Redis and silo processes on loopback and free
// ports. For the cluster tests and the cluster benchmark, which run the shipped silo program rather than a silo in process.

/// <summary>A redis-server on 127.0.0.1 and a free port, in a temporary directory (redis-server does not start on install; the tests start their own); AOF on, so a restart keeps the data.</summary>
public sealed class RedisProcess : IDisposable
{
    public int Port { get; } = FreePorts.Next();
    public string Dir { get; } = Directory.CreateTempSubdirectory("marketsim-redis-").FullName;
    public string ConnectionString => $"127.0.0.1:{Port}";

    public void Start()
    {
        Run("redis-server", $"--port {Port} --bind 127.0.0.1 --daemonize yes --dir {Dir} --pidfile {Dir}/redis.pid " +
            $"--save \"\" --appendonly yes --appendfsync everysec --logfile {Dir}/redis.log");
        var until = DateTime.UtcNow.AddSeconds(10);
        while (Cli("ping").Trim() != "PONG")
        {
            if (DateTime.UtcNow > until) throw new InvalidOperationException("redis-server did not answer PING");
            Thread.Sleep(50);
        }
    }

    /// <summary>SHUTDOWN: Redis writes its append-only file and exits.</summary>
    public void Stop()
    {
        Cli("shutdown");
        var until = DateTime.UtcNow.AddSeconds(10);
        while (File.Exists(Path.Combine(Dir, "redis.pid")) && DateTime.UtcNow < until) Thread.Sleep(50);
    }

    public string Cli(string args) => Run("redis-cli", $"-p {Port} {args}", check: false);

    static string Run(string file, string args, bool check = true)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (check && p.ExitCode != 0) throw new InvalidOperationException($"{file} {args}: exit {p.ExitCode}: {output}");
        return output;
    }

    public void Dispose()
    {
        try { Stop(); } catch { }
        try { Directory.Delete(Dir, recursive: true); } catch { }
    }
}

/// <summary>
/// One MarketSim.Silo process on loopback, configured through environment variables as in scripts/cluster. The program is
/// MarketSim.Silo.dll beside the calling program (a project that starts silos references src/Silo).
/// </summary>
public sealed class SiloProcess : IDisposable
{
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    readonly StringBuilder _log = new();
    Process? _process;

    public required string Name { get; init; }
    public int SiloPort { get; } = FreePorts.Next();
    public int GatewayPort { get; } = FreePorts.Next();
    public int HealthPort { get; } = FreePorts.Next();
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public string Log { get { lock (_log) return _log.ToString(); } }
    public bool Running => _process is { HasExited: false };
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;
    public int Pid => _process!.Id;

    /// <summary>Orleans' silo identity ("S127.0.0.1:port:generation") names the silo port.</summary>
    public bool Hosts(string runtimeIdentity) => runtimeIdentity.Contains($":{SiloPort}:", StringComparison.Ordinal);

    public void Start()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "MarketSim.Silo.dll");
        var host = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(dll);
        foreach (var (k, v) in Environment) psi.Environment[k] = v;
        psi.Environment["MarketSim__Cluster__SiloPort"] = SiloPort.ToString();
        psi.Environment["MarketSim__Cluster__GatewayPort"] = GatewayPort.ToString();
        psi.Environment["MarketSim__Cluster__HealthPort"] = HealthPort.ToString();
        psi.Environment["DOTNET_gcServer"] = "0";
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is { } d) lock (_log) _log.AppendLine(d); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is { } d) lock (_log) _log.AppendLine(d); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public async Task<(int Code, string Body)> HealthAsync()
    {
        try
        {
            using var r = await Http.GetAsync($"http://127.0.0.1:{HealthPort}/healthz");
            return ((int)r.StatusCode, await r.Content.ReadAsStringAsync());
        }
        catch (Exception e) { return (0, e.Message); }
    }

    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (!Running) throw new InvalidOperationException($"silo {Name} exited with {ExitCode}:\n{Log}");
            if ((await HealthAsync()).Code == 200) return;
            if (DateTime.UtcNow > until) throw new TimeoutException($"silo {Name} not healthy after {timeout}:\n{Log}");
            await Task.Delay(200);
        }
    }

    /// <summary>kill -9: no shutdown, no state written, connections dropped.</summary>
    public void Kill()
    {
        _process!.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM: the host stops gracefully (the silo leaves the cluster, its grains deactivate and write their state).</summary>
    public void Terminate()
    {
        using var k = Process.Start("kill", $"-TERM {_process!.Id}");
        k.WaitForExit();
    }

    public bool WaitForExit(TimeSpan timeout) => _process!.WaitForExit(timeout);

    public void Dispose()
    {
        if (Running) { try { Kill(); } catch { } }
        _process?.Dispose();
    }
}
