using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.JSInterop;

namespace MarketSim.Dashboard.Components.Charts;

/// <summary>
/// What a page's charts share (one per circuit): plotly.js, loaded once before any chart is made, and <see cref="Closing"/>,
/// cancelled as the circuit closes, before Blazor disposes the page's components, for every call the charts make to plotly.
/// Plotly.Blazor 7.2.0 makes its calls under a lock its dispose waits for: its load calls (with no way to cancel them, and
/// timing out after 60 s) and its draws (with the caller's token only: with none, a draw in flight when the page went was
/// never answered and never timed out). So a page closed during plotly.js' load (4.9 MB) or during a draw held its circuit,
/// and the browser's goodbye request (POST /_blazor/disconnect), for 60 s or for good (170 and 458 s were seen in the
/// dashboard tests, and a host's stop waited for them), outside the bounds on circuits (docs/SECURITY.md).
/// </summary>
public sealed class ChartCircuit(IJSRuntime js) : IDisposable
{
    // Plotly.Blazor 7.2.0's own paths and element id (PlotlyJsInterop's constants): the same module instance, so its
    // "plotly ready" flag is set by this load (ChartLoadTests checks the paths are its own and served).
    public const string InteropModule = "./_content/Plotly.Blazor/plotly-interop-7.2.0.js";
    public const string Script = "./_content/Plotly.Blazor/plotly-3.7.0.min.js";
    const string ScriptElementId = "plotly-import";

    readonly CancellationTokenSource _closing = new();
    Task? _loading;

    /// <summary>Cancelled when the page's circuit closes: pass it to every call to plotly.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Completes when plotly.js has loaded in the page; the same task for every chart of it. Called after a render.
    /// Once it has, a chart's own load calls find the script there and return at once; and a slow phone's load is not cut off
    /// at 60 s (a call with a token has no default timeout).</summary>
    public Task LoadPlotlyAsync() => _loading ??= LoadCoreAsync();

    async Task LoadCoreAsync()
    {
        var module = await js.InvokeAsync<IJSObjectReference>("import", Closing, InteropModule);
        await module.InvokeVoidAsync("importScript", Closing, ScriptElementId, Script);
    }

    /// <summary>The calls in flight are dropped: the browser is gone, nobody waits for them (the module went with the page).</summary>
    public void Dispose()
    {
        if (!_closing.IsCancellationRequested) _closing.Cancel();
    }

    /// <summary>Blazor tells its circuit handlers the circuit closed before it disposes the page's components (whose
    /// disposal waits for plotly's calls in flight): the calls are cancelled then.</summary>
    public sealed class OnClose(ChartCircuit charts) : CircuitHandler
    {
        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            charts.Dispose();
            return Task.CompletedTask;
        }
    }
}
