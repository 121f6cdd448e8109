using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Hubs;

/// <summary>
/// Hands a message to a hub group and returns without waiting for it to be sent: the hub queues it per connection and lets
/// go of a client that falls behind (QueuedHubLifetimeManager), so no caller, lock or frame loop waits on a slow client.
/// A failure is logged, naming <c>to</c>.
/// </summary>
public static class GroupPost
{
    public static void Post(IClientProxy group, string method, object message, ILogger log, string to)
    {
        try
        {
            var sent = group.SendAsync(method, message);
            if (!sent.IsCompletedSuccessfully)
                sent.ContinueWith(t => log.LogWarning(t.Exception, "Could not send {Method} to {To}", method, to),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (Exception e) { log.LogWarning(e, "Could not send {Method} to {To}", method, to); }
    }
}
