using System.Collections.Concurrent;
using MarketSim.Dashboard.Classrooms;

namespace MarketSim.Dashboard.Components.Classroom;

/// <summary>
/// How many student pages hold each seat on this web host. A seat is dropped (a bot may stand in) only when its last page
/// closes: a student who reopened the page before the old circuit ended keeps the seat.
/// </summary>
public static class SeatPresence
{
    static readonly ConcurrentDictionary<(string Code, string SeatId), int> Pages = new();

    public static void Opened(string code, string seatId) => Pages.AddOrUpdate((code, seatId), 1, (_, n) => n + 1);

    /// <summary>One page of the seat closed; marks the seat dropped when it was the last one.</summary>
    public static Task ClosedAsync(ClassroomHost host, string seatId)
    {
        var key = (host.Code, seatId);
        var left = Pages.AddOrUpdate(key, 0, (_, n) => Math.Max(0, n - 1));
        if (left > 0) return Task.CompletedTask;
        Pages.TryRemove(new KeyValuePair<(string, string), int>(key, 0));
        return host.DroppedAsync(seatId);
    }
}
