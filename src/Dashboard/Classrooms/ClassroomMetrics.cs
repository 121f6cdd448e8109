using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>
/// Where a classroom's server time goes, as <see cref="System.Diagnostics.Metrics"/> histograms (milliseconds, tag
/// "phase"): an operator's dotnet-counters or the classroom bench reads them; with no listener they cost a timestamp.
/// Advance phases: "gate" (waiting for the classroom's gate), "apply" (closing the round, its decisions to the session,
/// the news), "step" (the session runs the round's ticks), "bots", "broadcast" (the state to the class's group), and
/// "all" (the host's whole call: what the instructor waits beyond it is the hub's and the network's).
/// </summary>
public static class ClassroomMetrics
{
    public const string MeterName = "MarketSim.Classrooms";
    static readonly Meter Meter = new(MeterName);
    public static readonly Histogram<double> Advance = Meter.CreateHistogram<double>("marketsim.classroom.advance", "ms");
    /// <summary>A student's view (GetView, the play page's refresh), whole.</summary>
    public static readonly Histogram<double> View = Meter.CreateHistogram<double>("marketsim.classroom.view", "ms");
    /// <summary>A submission, gate included.</summary>
    public static readonly Histogram<double> Submit = Meter.CreateHistogram<double>("marketsim.classroom.submit", "ms");

    /// <summary>Records the time since <paramref name="from"/> (a <see cref="Stopwatch"/> timestamp) and returns now.</summary>
    public static long Lap(Histogram<double> histogram, long from, string phase)
    {
        var now = Stopwatch.GetTimestamp();
        if (histogram.Enabled) histogram.Record(Stopwatch.GetElapsedTime(from, now).TotalMilliseconds, new KeyValuePair<string, object?>("phase", phase));
        return now;
    }
}
