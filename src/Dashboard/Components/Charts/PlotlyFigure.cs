using Microsoft.AspNetCore.Components;
using Plotly.Blazor;

namespace MarketSim.Dashboard.Components.Charts;

/// <summary>
/// Plotly.Blazor's chart, its first draw made with the page's <see cref="ChartCircuit.Closing"/>: PlotlyChart draws after its
/// first render with no token, and a page closed during that draw held its circuit for good (ChartCircuit says why). The
/// rest is PlotlyChart's (its only other draw after a render, on a change of Hidden, is not used here).
/// </summary>
public sealed class PlotlyFigure : PlotlyChart
{
    [Inject] ChartCircuit Charts { get; set; } = null!;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try { await NewPlot(Charts.Closing); }
        catch (OperationCanceledException) when (Charts.Closing.IsCancellationRequested) { return; } // the page went
        AfterRender?.Invoke();
    }
}
