using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MarketSim.Bench.Cluster;

/// <summary>What a silo process used, read from outside it: /proc for memory and CPU, ss(8) for the bytes its TCP sockets sent.</summary>
static partial class Probe
{
    public static long Rss(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":"));
        // "VmRSS:\t  738000 kB", but "VmRSS:\t11387000 kB" past 10 GB: the tab is a separator too.
        return line is null ? 0 : long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    /// <summary>User + system CPU time of the process (all threads), in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0; // utime, stime in clock ticks (USER_HZ = 100)
    }

    public sealed record Ports(HashSet<int> Silo, HashSet<int> Gateway, int Redis);

    public readonly record struct Sent(double Silos, double Clients, double Redis)
    {
        public Sent Minus(Sent o) => new(Silos - o.Silos, Clients - o.Clients, Redis - o.Redis);
    }

    /// <summary>
    /// Bytes sent so far on the process's open TCP sockets, by peer: other silos (either end on a silo port), clients (our
    /// gateway port), Redis. Connections are long-lived, so differences over a few ticks are the traffic of those ticks.
    /// </summary>
    public static Sent SentBytes(int pid, int ownSiloPort, Ports ports)
    {
        var psi = new ProcessStartInfo("ss", "-tinpH") { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n');
        p.WaitForExit();
        double silos = 0, clients = 0, redis = 0;
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            if (!lines[i].Contains($"pid={pid},", StringComparison.Ordinal)) continue;
            var m = Endpoints().Match(lines[i]);
            var sent = BytesSent().Match(lines[i + 1]);
            if (!m.Success || !sent.Success) continue;
            int local = int.Parse(m.Groups[1].Value), remote = int.Parse(m.Groups[2].Value);
            var bytes = double.Parse(sent.Groups[1].Value);
            if (remote == ports.Redis) redis += bytes;
            else if (ports.Gateway.Contains(local)) clients += bytes;
            else if (local == ownSiloPort || ports.Silo.Contains(remote)) silos += bytes;
        }
        return new Sent(silos, clients, redis);
    }

    /// <summary>Counts what is written to it and keeps nothing.</summary>
    public sealed class CountingStream : Stream
    {
        long _length;
        public override long Length => _length;
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [GeneratedRegex(@"127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:(\d+)")]
    private static partial Regex Endpoints();

    [GeneratedRegex(@"bytes_sent:(\d+)")]
    private static partial Regex BytesSent();
}
