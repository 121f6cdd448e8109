using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace MarketSim.Cli;

/// <summary>
/// How `run` and `batch` stop on a signal, the same way for Ctrl+C (SIGINT), SIGTERM (docker stop, kill, a scheduler) and
/// SIGQUIT: the first signal cancels <see cref="Token"/> (runs in flight stop at their next chunk of ticks, what is kept is
/// reported, the batch manifest says "interrupted"); a second one ends the process at once. The in-process silo does not
/// listen to signals itself (<see cref="CommandLifetime"/>): before, SIGTERM stopped the silo under a running batch, whose
/// sessions then returned without progress and the batch spun at full CPU, never ending.
/// </summary>
public sealed class Interruption : IDisposable
{
    readonly CancellationTokenSource _cts = new();
    readonly List<PosixSignalRegistration> _registrations = new();
    volatile string? _signal;

    public Interruption()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
        {
            try { _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal)); }
            catch (PlatformNotSupportedException) { } // SIGTERM and SIGQUIT on Windows
        }
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>"SIGTERM", "SIGINT (Ctrl+C)"... or null if no signal came.</summary>
    public string? Signal => _signal;

    /// <summary>"SIGTERM", "SIGINT", "SIGQUIT" (for the manifest), or null.</summary>
    public string? SignalName => _signal?.Split(' ')[0];

    void OnSignal(PosixSignalContext context)
    {
        if (_cts.IsCancellationRequested)
        {
            context.Cancel = false; // the second signal: the default action, the process ends now
            return;
        }
        context.Cancel = true;
        _signal = context.Signal switch
        {
            PosixSignal.SIGINT => "SIGINT (Ctrl+C)",
            PosixSignal.SIGTERM => "SIGTERM",
            PosixSignal.SIGQUIT => "SIGQUIT",
            var s => s.ToString(),
        };
        // Off the signal thread: cancellation callbacks may do real work.
        _ = Task.Run(_cts.Cancel);
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }
}

/// <summary>
/// The lifetime of the hosts `run` and `batch` start (an in-process silo, or a cluster client): no signal handling, so a
/// signal reaches only <see cref="Interruption"/> and the command stops its runs before it stops the host.
/// </summary>
public sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
