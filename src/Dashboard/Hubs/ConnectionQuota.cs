using MarketSim.Dashboard.Security;
using Microsoft.AspNetCore.SignalR;

namespace MarketSim.Dashboard.Hubs;

/// <summary>
/// The hubs' connections per client address (<see cref="DashboardLimits.MaxHubConnectionsPerClient"/>, both hubs together).
/// Every other bound on what a hub client can hold (an unread answer, a queue of messages, subscriptions) is per connection,
/// so connections themselves are counted. A refusal is a <see cref="HubException"/> thrown from OnConnectedAsync: SignalR
/// closes the connection with "Connection closed with an error. HubException: connection: …", and OnDisconnectedAsync is not
/// called for it (nothing was counted).
/// </summary>
public static class ConnectionQuota
{
    public static void Take(ClientQuotas quotas, HubCallerContext context)
    {
        // In process (no address): not counted, as the other per-address quotas.
        if (ClientAddress.Of(context.GetHttpContext()?.Connection.RemoteIpAddress) is not { } client) return;
        try { quotas.Connected(client, context.ConnectionId); }
        catch (QuotaException e) { throw new HubException(e.Message); }
    }
}
