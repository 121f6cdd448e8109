using MarketSim.Hosting.Local;

namespace MarketSim.Bench.Cluster;

/// <summary>
/// Keeps a big synthetic world from taking the machine's last memory: before a run, the memory it is expected to need
/// against what the machine has available (a run that cannot fit is refused unless --force); during it, a watchdog that
/// stops the silos when available memory falls under a floor, so the bench fails with a row that says so instead of
/// the kernel killing whatever it picks.
/// </summary>
sealed class MemoryGuard : IAsyncDisposable
{
    /// <summary>Memory a firm takes over all the processes of a three-silo run at their peaks: the silos, Redis and this
    /// process. Measured at 1,000,000 firms on 5 Dec 2026 (bench/RESULTS-cluster.md): each process's own peak summed, 23.0
    /// GiB (22.0 GiB at the fullest moment, the machine's GCs compacting hard with 1.3 GiB left); 35 KiB before the clearing's
    /// arrays, Orleans' buffers and this process's copy of the world were cut down that day.</summary>
    public const double KiBPerFirm = 24;

    /// <summary>The floor under which the watchdog stops the run (--memory-floor MiB; default 1,200).</summary>
    public static long FloorMiB { get; set; } = 1200;

    /// <summary>The machine's available memory (MemAvailable), in MiB.</summary>
    public static long AvailableMiB()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
        return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    /// <summary>What a world of <paramref name="firms"/> is expected to need, in MiB.</summary>
    public static long NeededMiB(int firms) => (long)(firms * KiBPerFirm / 1024);

    readonly CancellationTokenSource _stop = new();
    readonly Task _watch;

    /// <summary>The available memory when the watchdog stopped the run (null: it did not).</summary>
    public long? StoppedAtMiB { get; private set; }

    readonly TaskCompletionSource _tripped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the watchdog has stopped the silos.</summary>
    public Task Tripped => _tripped.Task;

    MemoryGuard(Func<IEnumerable<SiloProcess>> silos)
    {
        _watch = Task.Run(async () =>
        {
            try { await WatchAsync(silos); }
            catch (Exception e) { Console.Error.WriteLine($"memory watchdog failed, the run goes on unwatched: {e.Message}"); }
        });
    }

    async Task WatchAsync(Func<IEnumerable<SiloProcess>> silos)
    {
        {
            while (!_stop.IsCancellationRequested)
            {
                var available = AvailableMiB();
                if (available < FloorMiB)
                {
                    StoppedAtMiB = available;
                    Console.Error.WriteLine($"memory watchdog: {available} MiB available (floor {FloorMiB}): stopping the silos");
                    foreach (var s in silos()) { try { s.Kill(); } catch (InvalidOperationException) { } } // already gone
                    _tripped.TrySetResult();
                    return;
                }
                try { await Task.Delay(TimeSpan.FromSeconds(2), _stop.Token); } catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Watches while the returned guard lives.</summary>
    public static MemoryGuard Watch(Func<IEnumerable<SiloProcess>> silos) => new(silos);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _watch;
        _stop.Dispose();
    }
}
