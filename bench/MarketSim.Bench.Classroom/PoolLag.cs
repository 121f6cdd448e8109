using System.Diagnostics;

namespace MarketSim.Bench.Classroom;

/// <summary>
/// How long a work item waits in this process's thread-pool queue before it starts (enqueued to the global queue, as a
/// socket's completions are), sampled every 20 ms while on: the wait every hub message, response and send meets on top of
/// its own work. A diagnostic of where a round's advance waits (the server's pool or the clients').
/// </summary>
sealed class PoolLag : IAsyncDisposable
{
    readonly List<double> _ms = [];
    readonly List<int> _threads = [];
    readonly List<long> _pending = [];
    public string Pool() { lock (_ms) return _threads.Count == 0 ? "" : $"threads median {_threads.Order().ElementAt(_threads.Count / 2)} max {_threads.Max()}; queued median {_pending.Order().ElementAt(_pending.Count / 2)} max {_pending.Max()}"; }
    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;
    volatile bool _on;

    public PoolLag() => _loop = Task.Run(LoopAsync);

    async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (_on)
            {
                var t0 = Stopwatch.GetTimestamp();
                var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                ThreadPool.UnsafeQueueUserWorkItem(s => s.TrySetResult(Stopwatch.GetTimestamp()), started, preferLocal: false);
                var t1 = await started.Task;
                lock (_ms)
                {
                    _ms.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                    _threads.Add(ThreadPool.ThreadCount);
                    _pending.Add(ThreadPool.PendingWorkItemCount);
                }
            }
            try { await Task.Delay(20, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    public void Reset()
    {
        lock (_ms) { _ms.Clear(); _threads.Clear(); _pending.Clear(); }
        (_jitFrom, _jitTimeFrom) = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
        _on = true;
    }

    public void Stop()
    {
        _on = false;
        (_jitMethods, _jitTime) = (System.Runtime.JitInfo.GetCompiledMethodCount() - _jitFrom, System.Runtime.JitInfo.GetCompilationTime() - _jitTimeFrom);
    }

    long _jitFrom, _jitMethods;
    TimeSpan _jitTimeFrom, _jitTime;

    /// <summary>What the JIT compiled in this process while on (methods, and the JIT's own time).</summary>
    public string Jit() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_jitMethods:N0} methods, {_jitTime.TotalSeconds:0.00} s");

    /// <summary>The waits seen while on, in order.</summary>
    public double[] Sorted() { lock (_ms) return _ms.Order().ToArray(); }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
