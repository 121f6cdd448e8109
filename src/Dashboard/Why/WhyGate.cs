using MarketSim.Dashboard.Security;

namespace MarketSim.Dashboard.Why;

public enum WhyKind { Attribution, Comparison }

/// <summary>A computation the panel asked for was refused (busy) or cannot be made; the message is for the user as it is.</summary>
public sealed class WhyException(string message) : Exception(message);

/// <summary>
/// How many "why" computations run at once: each session at most one of each kind, this web host at most
/// <see cref="DashboardLimits.MaxAttributions"/> attributions and <see cref="DashboardLimits.MaxComparisons"/> comparisons.
/// A request over a limit is refused at once, politely; nothing waits in a queue.
/// </summary>
public sealed class WhyGate(DashboardLimits limits)
{
    readonly object _sync = new();
    readonly HashSet<(string Session, WhyKind Kind)> _running = new();
    readonly int[] _counts = new int[2];

    /// <summary>Computations of this kind running on this host now.</summary>
    public int Running(WhyKind kind)
    {
        lock (_sync) return _counts[(int)kind];
    }

    /// <summary>A place for one computation, released by disposing it; <see cref="WhyException"/> when there is none.</summary>
    public IDisposable Enter(string sessionId, WhyKind kind)
    {
        var max = kind == WhyKind.Attribution ? limits.MaxAttributions : limits.MaxComparisons;
        var setting = kind == WhyKind.Attribution ? nameof(DashboardLimits.MaxAttributions) : nameof(DashboardLimits.MaxComparisons);
        var what = kind == WhyKind.Attribution ? "attribution" : "comparison";
        var one = kind == WhyKind.Attribution ? "an attribution" : "a comparison";
        lock (_sync)
        {
            if (max <= 0)
                throw new WhyException($"This server computes no {what}s ({setting} = 0).");
            if (_running.Contains((sessionId, kind)))
                throw new WhyException($"This session is already computing {one} (one at a time per session, perhaps for another viewer). " +
                    "Try again when it has finished.");
            var n = _counts[(int)kind];
            if (n >= max)
                throw new WhyException($"The server is busy: it is already computing {n} {what}{(n == 1 ? "" : "s")} for other sessions, " +
                    $"the most it runs at once ({setting} = {max}) so that the live sessions keep their pace. Try again in a minute.");
            _running.Add((sessionId, kind));
            _counts[(int)kind]++;
        }
        return new Place(this, sessionId, kind);
    }

    void Leave(string sessionId, WhyKind kind)
    {
        lock (_sync)
            if (_running.Remove((sessionId, kind))) _counts[(int)kind]--;
    }

    sealed class Place(WhyGate gate, string sessionId, WhyKind kind) : IDisposable
    {
        int _left;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0) gate.Leave(sessionId, kind);
        }
    }
}
