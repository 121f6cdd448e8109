using System.Diagnostics.Tracing;
using System.Text;

namespace MarketSim.Bench;

/// <summary>
/// What the process allocates, by type, while it is alive: the runtime reports a sample (GCAllocationTick) each time about
/// 100 KB have been allocated, naming the type of the object that crossed the line, so a type's count × 100 KB estimates its
/// bytes. It shows where the tick's garbage comes from (bytes per agent-tick, PhaseProfile, say only how much).
/// </summary>
sealed class AllocationTypes : EventListener
{
    const EventKeywords GcKeyword = (EventKeywords)0x1;
    readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null) return;
        var i = e.PayloadNames.IndexOf("TypeName");
        var name = i >= 0 ? e.Payload?[i]?.ToString() ?? "?" : "?";
        lock (_counts) _counts[name] = _counts.GetValueOrDefault(name) + 1;
    }

    /// <summary>The <paramref name="top"/> types by samples, with the estimated megabytes.</summary>
    public string Report(int top)
    {
        KeyValuePair<string, long>[] rows;
        lock (_counts) rows = _counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var total = rows.Sum(r => r.Value);
        var sb = new StringBuilder($"Allocated by the ticks, by type (samples of ≈100 KB; {total:N0} in all ≈ {total / 10.0:N0} MB):\n");
        foreach (var (type, n) in rows.Take(top)) sb.AppendLine($"  {n / 10.0,9:N1} MB  {100.0 * n / Math.Max(1, total),5:F1}%  {type}");
        return sb.ToString();
    }
}
