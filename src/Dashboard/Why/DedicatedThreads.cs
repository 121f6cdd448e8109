using System.Collections.Concurrent;

namespace MarketSim.Dashboard.Why;

/// <summary>
/// A task scheduler with threads of its own. An attribution's counterfactual runs are CPU-bound for seconds to minutes;
/// on the thread pool they would hold the threads that the hubs, the pages and the in-process silo need. The attribution
/// is started on this scheduler and given it for its parallel loop (ParallelOptions.TaskScheduler, which otherwise is the
/// pool's, not <see cref="TaskScheduler.Current"/>), so every run, the first included, goes on these threads.
/// </summary>
public sealed class DedicatedThreads : TaskScheduler, IDisposable
{
    readonly BlockingCollection<Task> _queue = new();
    readonly Thread[] _threads;
    [ThreadStatic] static DedicatedThreads? t_owner;

    public DedicatedThreads(int count, string name)
    {
        _threads = Enumerable.Range(0, Math.Max(1, count))
            .Select(i => new Thread(Work) { IsBackground = true, Name = $"{name} {i + 1}" }).ToArray();
        foreach (var t in _threads) t.Start();
    }

    void Work()
    {
        t_owner = this;
        foreach (var task in _queue.GetConsumingEnumerable()) TryExecuteTask(task);
    }

    public override int MaximumConcurrencyLevel => _threads.Length;

    protected override void QueueTask(Task task) => _queue.Add(task);

    // Only on these threads: a task of this scheduler never runs on a pool thread that waits for it.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => t_owner == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    /// <summary>The threads finish what is queued and end.</summary>
    public void Dispose() => _queue.CompleteAdding();
}
