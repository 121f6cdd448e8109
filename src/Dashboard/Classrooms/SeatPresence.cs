using MarketSim.Classrooms;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>
/// Who holds each seat on this web host: classroom hub connections and student pages (Blazor circuits) alike, each a
/// holder with an id of its own. A seat is dropped (a stand-in bot may play it) only when its last holder goes, whatever
/// kind it is, so a student with the page open and a program's connection keeps the seat while either stays, and a page
/// reloaded keeps it across the reload. Before Dec 2026 the hub and the pages counted apart, and either closing dropped
/// the seat while the other still held it (a review). A holder is counted before its seat is taken back, and the drop is
/// checked again under the classroom's gate, so a holder arriving while the last one goes keeps the seat.
/// </summary>
public sealed class SeatPresence(ClassroomDirectory rooms)
{
    readonly object _gate = new();
    readonly Dictionary<(string Code, string SeatId), HashSet<string>> _holders = new();
    readonly Dictionary<string, HashSet<(string Code, string SeatId)>> _seatsOf = new(StringComparer.Ordinal);

    /// <summary><paramref name="holder"/> (a hub connection's id, or a page's) holds the seat until <see cref="ReleaseAsync"/>.</summary>
    public void Hold(string holder, string code, string seatId)
    {
        lock (_gate)
        {
            var seat = (code, seatId);
            if (!_holders.TryGetValue(seat, out var holders)) _holders[seat] = holders = new(StringComparer.Ordinal);
            holders.Add(holder);
            if (!_seatsOf.TryGetValue(holder, out var seats)) _seatsOf[holder] = seats = new();
            seats.Add(seat);
        }
    }

    /// <summary>Whether anyone holds the seat on this web host.</summary>
    public bool IsHeld(string code, string seatId)
    {
        lock (_gate) return _holders.ContainsKey((code, seatId));
    }

    /// <summary>Holders of a seat (diagnostics and tests).</summary>
    public int Holders(string code, string seatId)
    {
        lock (_gate) return _holders.TryGetValue((code, seatId), out var h) ? h.Count : 0;
    }

    /// <summary>The holder went (connection closed, page closed): each seat it held that nobody else holds is dropped.</summary>
    public async Task ReleaseAsync(string holder)
    {
        var left = new List<(string Code, string SeatId)>();
        lock (_gate)
        {
            if (!_seatsOf.Remove(holder, out var seats)) return;
            foreach (var seat in seats)
                if (_holders.TryGetValue(seat, out var holders) && holders.Remove(holder) && holders.Count == 0)
                {
                    _holders.Remove(seat);
                    left.Add(seat);
                }
        }
        foreach (var (code, seatId) in left.OrderBy(s => s.Code, StringComparer.Ordinal).ThenBy(s => s.SeatId, StringComparer.Ordinal))
            if (rooms.Find(code) is { } room)
                try { await room.DroppedAsync(seatId, stillAway: () => !IsHeld(code, seatId)); }
                catch (ClassroomError) { } // the class ended meanwhile: no seat left to drop
    }
}
