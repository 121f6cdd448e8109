using MarketSim.Dashboard.Hubs;
using MarketSim.Model.Simulation;

namespace MarketSim.Dashboard.Live;

/// <summary>A mark on the time charts: a scenario event (policy start/end) or a live change made by a viewer.</summary>
public sealed record ChartMark(int Tick, DateOnly Date, string Text, bool LiveChange);

/// <summary>
/// One session's frames as a viewer holds them: in tick order, without duplicates (the hub may repeat a frame around a
/// subscription). <see cref="Version"/> changes when the history restarts, so charts know to redraw instead of extend.
/// </summary>
public sealed class SessionSeries(SessionInfo info)
{
    readonly List<Frame> _frames = new();
    readonly List<ChartMark> _marks = new();

    public SessionInfo Info { get; } = info;
    public IReadOnlyList<Frame> Frames => _frames;
    public IReadOnlyList<ChartMark> Marks => _marks;
    public int Version { get; private set; }
    /// <summary>The next tick expected (= frames held).</summary>
    public int NextTick => _frames.Count;
    public Frame? Latest => _frames.Count > 0 ? _frames[^1] : null;

    /// <summary>Appends frames in order; returns how many were new. A frame past a gap is dropped (the caller re-subscribes).</summary>
    public int Add(IEnumerable<Frame> frames)
    {
        var added = 0;
        foreach (var f in frames)
        {
            if (f.Tick != _frames.Count) continue;
            _frames.Add(f);
            foreach (var e in f.Events) _marks.Add(new ChartMark(f.Tick, f.Date, e, false));
            added++;
        }
        return added;
    }

    public void MarkLiveChange(int tick, string text) =>
        _marks.Add(new ChartMark(tick, Info.StartDate.AddDays(tick), text, true));

    public void Clear()
    {
        _frames.Clear();
        _marks.Clear();
        Version++;
    }

    public DateOnly DateOf(int tick) => Info.StartDate.AddDays(tick);
}
