using Microsoft.JSInterop;

namespace MarketSim.Dashboard.Components.Charts;

/// <summary>
/// Keeps one chart's failure that chart's own: when plotly.js throws on a draw (a figure it cannot lay out, a script that
/// failed to load), the failure is logged, the chart says so in its box and draws nothing more, and the session, the page
/// and the other charts go on. Without it the exception ran out of the page's frame handler, and every chart after the
/// failed one on the page stopped following the session.
/// </summary>
public sealed class ChartGuard(ILogger logger, string chart, CancellationToken pageClosing)
{
    /// <summary>What the chart shows instead of itself once a draw failed (null: none has).</summary>
    public string? Failure { get; private set; }

    /// <summary>Runs a draw unless one failed before; true when this one failed (the chart must show <see cref="Failure"/>).</summary>
    public async Task<bool> DrawAsync(Func<Task> draw)
    {
        if (Failure is not null) return false;
        try
        {
            await draw();
            return false;
        }
        catch (JSException e)
        {
            Fail(e);
            return true;
        }
        catch (OperationCanceledException) when (pageClosing.IsCancellationRequested) { return false; } // the page went (ChartCircuit)
    }

    /// <summary>A failure an error boundary caught (the chart's first draw): the text to show, the failure noted once.</summary>
    public string Failed(Exception e)
    {
        if (Failure is null) Fail(e);
        return Failure!;
    }

    void Fail(Exception e)
    {
        logger.LogWarning(e, "Chart {Chart} could not be drawn", chart);
        var reason = (e.Message.Split('\n', 2)[0]).Trim();
        if (reason.Length > 160) reason = reason[..160] + "…";
        Failure = $"This chart could not be drawn ({reason}). The session and the other charts go on; reload the page to try again.";
    }
}
