using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Hubs;

/// <summary>
/// Logs what hub methods throw, in place of SignalR's own "Failed to invoke hub method" (an error with a stack trace for
/// every exception, refusals included: a client sending bad ids fills the log at no cost to itself). A refusal
/// (<see cref="HubException"/>, a sentence for the caller) is the caller's mistake: one short line at Debug. Anything
/// else is a fault of the server: Error, with its stack trace. Program.cs silences the dispatcher's own line.
/// </summary>
public sealed class HubRefusals(ILogger<HubRefusals> log) : IHubFilter
{
    /// <summary>SignalR's category that logs every failed invocation at Error.</summary>
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    /// <summary>SignalR's category that logs a failed OnConnectedAsync or OnDisconnectedAsync at Error, with its stack trace
    /// (a connection refused for its address's quota included: one per attempt). Program.cs silences it; this filter logs
    /// those events instead, as it logs hub methods.</summary>
    public const string ConnectionHandlerCategory = "Microsoft.AspNetCore.SignalR.HubConnectionHandler";

    /// <summary>Characters of a refusal logged (refusals are already bounded, ids in them cut; this bounds the line).</summary>
    const int MaxLogged = 200;

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try { return await next(context); }
        catch (HubException e)
        {
            log.LogDebug("{Hub}.{Method} refused: {Message}", context.Hub.GetType().Name, context.HubMethodName,
                e.Message.Length <= MaxLogged ? e.Message : e.Message[..MaxLogged] + "…");
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Failed to invoke hub method '{Hub}.{Method}'", context.Hub.GetType().Name, context.HubMethodName);
            throw;
        }
    }

    /// <summary>A connection refused (<see cref="HubException"/>: its address's quota) is one short line at Debug, as a refused
    /// call is; the client is told why by SignalR's close message. Any other failure is logged at Error.</summary>
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        try { await next(context); }
        catch (HubException e)
        {
            log.LogDebug("{Hub} connection refused: {Message}", context.Hub.GetType().Name, e.Message.Length <= MaxLogged ? e.Message : e.Message[..MaxLogged] + "…");
            throw;
        }
        catch (Exception e)
        {
            log.LogError(e, "Error when dispatching 'OnConnectedAsync' on hub {Hub}", context.Hub.GetType().Name);
            throw;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try { await next(context, exception); }
        catch (Exception e)
        {
            log.LogError(e, "Error when dispatching 'OnDisconnectedAsync' on hub {Hub}", context.Hub.GetType().Name);
            throw;
        }
    }
}
