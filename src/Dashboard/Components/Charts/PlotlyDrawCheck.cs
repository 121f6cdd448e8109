using Microsoft.JSInterop;
using Plotly.Blazor;

namespace MarketSim.Dashboard.Components.Charts;

/// <summary>
/// Makes sure plotly.js did draw a chart, and draws it whole again until it has. Plotly.Blazor holds draws in a queue until
/// plotly.js has loaded and drops the whole queue when one entry fails, as a draw for a chart of a page already left does
/// ("No DOM element with id ..."): a page opened from another while plotly.js was still loading (a fork's compare page under
/// load, CI) kept blank charts, and a paused session sends nothing that would redraw them. Charts are now made once plotly.js
/// has loaded (ChartCircuit), so that race is gone; the check stays for any draw plotly.js loses (ChartLoadTests loses the
/// first one). One per chart, disposed with it;
/// its calls end with the chart or the page's circuit (<see cref="ChartCircuit.Closing"/>), whichever goes first.
/// </summary>
public sealed class PlotlyDrawCheck(IJSRuntime js, ILogger logger, CancellationToken pageClosing) : IAsyncDisposable
{
    /// <summary>Checks at most this many times, waiting 0.25, 0.5, 1, 2 and then 4 s before each: about two minutes in all.</summary>
    public const int MaxChecks = 32;

    readonly CancellationTokenSource _life = CancellationTokenSource.CreateLinkedTokenSource(pageClosing);
    IJSObjectReference? _module;

    /// <summary>Run on the component's dispatcher (InvokeAsync), after the chart's first draw was asked for.</summary>
    public async Task EnsureDrawnAsync(string elementId, PlotlyChart chart)
    {
        try
        {
            _module ??= await js.InvokeAsync<IJSObjectReference>("import", _life.Token, "./js/charts.js");
            for (int check = 0, wait = 250; check < MaxChecks && !_life.IsCancellationRequested; check++, wait = Math.Min(2 * wait, 4000))
            {
                await Task.Delay(wait, _life.Token);
                var state = await _module.InvokeAsync<string>("drawState", _life.Token, elementId);
                if (state is "drawn" or "gone") return;
                // "loading": plotly.js' own queue draws it once loaded; a redraw now would only queue behind it.
                if (state == "undrawn") await chart.React(_life.Token);
            }
            if (!_life.IsCancellationRequested) logger.LogWarning("Chart {Chart}: plotly.js had not drawn it after {Checks} checks", elementId, MaxChecks);
        }
        catch (Exception e) when (e is JSDisconnectedException or OperationCanceledException or ObjectDisposedException) { }
        catch (JSException e) { logger.LogWarning(e, "Chart {Chart}: could not check that plotly.js drew it", elementId); }
    }

    public async ValueTask DisposeAsync()
    {
        _life.Cancel();
        try { if (_module is not null) await _module.DisposeAsync(); }
        catch (JSDisconnectedException) { }
        _life.Dispose(); // its registration on the page's token goes with it
    }
}
