using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.JSInterop;

namespace MarketSim.Dashboard.Components.Charts;

/// <summary>
/// What a page's charts share (one per circuit): plotly.js, loaded once before any chart is made, and <see cref="Closing"/>,
/// cancelled as the circuit closes, before Blazor disposes the page's components, for the charts' draws and checks.
/// Plotly.Blazor 7.2.0 makes its calls under a lock its dispose waits for: its load calls (with no way to cancel them, and
/// timing out after 60 s) and its draws (with the caller's token only: with none, a draw in flight when the page went was
/// never answered and never timed out). So a page closed during plotly.js' load (4.9 MB) or during a draw held its circuit,
/// and the browser's goodbye request (POST /_blazor/disconnect), for 60 s or for good (170 and 458 s were seen in the
/// dashboard tests, and a host's stop waited for them), outside the bounds on circuits (docs/SECURITY.md). Left: a chart's
/// own load calls, made once the script is here and answered in milliseconds, keep Blazor's 60-s timeout.
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

    /// <summary>How long a page waits for plotly.js before its charts say they could not be drawn: minutes, for a slow phone
    /// (ASSUMPTION: no figure for the slowest connection a class uses; 4.9 MB in 3 minutes is ≈0.2 Mbit/s).</summary>
    public static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(3);

    /// <summary>plotly.js has loaded in the page: a chart made now is made at once.</summary>
    public bool Loaded => _loading is { IsCompletedSuccessfully: true };

    /// <summary>Completes when plotly.js has loaded in the page; the same task for every chart of it. Called after a render.
    /// Once it has, a chart's own load calls find the script there and return at once. A load that failed or timed out is
    /// tried again by the next chart made (another page of the same visit).</summary>
    public Task LoadPlotlyAsync()
    {
        if (_loading is { IsFaulted: true } or { IsCanceled: true }) _loading = null;
        return _loading ??= LoadCoreAsync();
    }

    async Task LoadCoreAsync()
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Closing);
        limit.CancelAfter(LoadTimeout);
        try
        {
            var module = await js.InvokeAsync<IJSObjectReference>("import", limit.Token, InteropModule);
            await module.InvokeVoidAsync("importScript", limit.Token, ScriptElementId, Script);
        }
        catch (OperationCanceledException) when (!Closing.IsCancellationRequested)
        {
            throw new TimeoutException($"plotly.js did not load in {LoadTimeout.TotalMinutes:0} minutes");
        }
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
