using System.Diagnostics;

namespace MarketSim.Bench;

/// <summary>
/// Samples the process working set and the GC heap every 20 ms on a background thread, so each phase of the bench can report
/// its own peak (the OS's PeakWorkingSet64 only ever grows over the whole process).
/// </summary>
public sealed class MemorySampler : IDisposable
{
    readonly Thread _thread;
    volatile bool _stop;
    long _peakWs, _peakHeap;

    public MemorySampler()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "memory-sampler", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    void Run()
    {
        while (!_stop)
        {
            Sample();
            Thread.Sleep(20);
        }
    }

    void Sample()
    {
        var ws = Environment.WorkingSet;
        var heap = GC.GetTotalMemory(false);
        long p;
        while (ws > (p = Interlocked.Read(ref _peakWs)) && Interlocked.CompareExchange(ref _peakWs, ws, p) != p) { }
        while (heap > (p = Interlocked.Read(ref _peakHeap)) && Interlocked.CompareExchange(ref _peakHeap, heap, p) != p) { }
    }

    /// <summary>Starts a new phase: the peaks restart from the current values.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _peakWs, Environment.WorkingSet);
        Interlocked.Exchange(ref _peakHeap, GC.GetTotalMemory(false));
    }

    public (long WorkingSet, long Heap) Peak()
    {
        Sample();
        return (Interlocked.Read(ref _peakWs), Interlocked.Read(ref _peakHeap));
    }

    public static long ProcessPeakWorkingSet() { using var p = Process.GetCurrentProcess(); return p.PeakWorkingSet64; }

    /// <summary>Full blocking compacting collection, so the next phase starts from the live set only.</summary>
    public static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
