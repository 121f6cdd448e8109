using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Security;

/// <summary>
/// Blazor circuits per client address and per host (<see cref="DashboardLimits.MaxCircuitsPerClient"/>,
/// <see cref="DashboardLimits.MaxCircuits"/>). Blazor's circuit hub (/_blazor) is the framework's, so the count is kept by
/// this hub filter (registered for every hub; it acts on Blazor's alone): a circuit is made by <c>StartCircuit</c> and
/// taken back after a dropped connection by <c>ConnectCircuit</c>, each on a connection of its own, so a place is a
/// connection that holds a circuit, freed when that connection closes. Past the cap the call is refused as Blazor refuses
/// a bad one (its <c>JS.Error</c> message, then the connection is closed), with the sentence also sent as
/// <see cref="RefusedMessage"/>, which the page shows (wwwroot/MarketSim.Dashboard.lib.module.js). Nothing of the
/// refused circuit is made. A circuit whose browser went away is Blazor's to keep, within its own bounds (Program.cs).
/// </summary>
public sealed class CircuitQuota(ClientQuotas quotas, ILogger<CircuitQuota> log) : IHubFilter
{
    /// <summary>The page's message with the refusal's sentence.</summary>
    public const string RefusedMessage = "MarketSim.Refused";

    const string ComponentHub = "Microsoft.AspNetCore.Components.Server.ComponentHub";

    static bool IsBlazor(Hub hub) => hub.GetType().FullName == ComponentHub;

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var start = context.HubMethodName == "StartCircuit";
        if (!(start || context.HubMethodName == "ConnectCircuit") || !IsBlazor(context.Hub)) return await next(context);
        var connection = context.Context.ConnectionId;
        // In process (no address): not counted, as the other per-address quotas.
        if (ClientAddress.Of(context.Context.GetHttpContext()?.Connection.RemoteIpAddress) is { } client)
        {
            try { quotas.CircuitOpened(client, connection); }
            catch (QuotaException e)
            {
                log.LogDebug("Blazor circuit refused: {Message}", e.Message); // the caller's doing: no Error, no stack
                await context.Hub.Clients.Caller.SendAsync(RefusedMessage, e.Message);
                await context.Hub.Clients.Caller.SendAsync("JS.Error", e.Message);
                context.Context.Abort();
                return start ? null : false;
            }
        }
        object? result = null;
        try { result = await next(context); }
        finally
        {
            // Blazor answers a circuit it did not make or find with null or false (and closes the connection): no place kept.
            if (result is null or false) quotas.CircuitClosed(connection);
        }
        return result;
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (IsBlazor(context.Hub)) quotas.CircuitClosed(context.Context.ConnectionId);
        await next(context, exception);
    }
}
