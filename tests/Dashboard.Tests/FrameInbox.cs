using System.Threading.Channels;
using MarketSim.Dashboard.Hubs;
using Microsoft.AspNetCore.SignalR.Client;

namespace MarketSim.Dashboard.Tests;

/// <summary>Collects the server's messages on a connection so a test can wait for them (with a generous timeout, never timing).</summary>
public sealed class FrameInbox
{
    readonly Channel<FrameMessage> _frames = Channel.CreateUnbounded<FrameMessage>();
    public List<string> Resets { get; } = new();
    public List<PolicyChangeMessage> Changes { get; } = new();
    public List<SessionStatus> Statuses { get; } = new();

    public FrameInbox(HubConnection hub)
    {
        hub.On<FrameMessage>(HubMessages.Frame, m => _frames.Writer.TryWrite(m));
        hub.On<string>(HubMessages.Reset, id => { lock (Resets) Resets.Add(id); });
        hub.On<PolicyChangeMessage>(HubMessages.PolicyChanged, m => { lock (Changes) Changes.Add(m); });
        hub.On<SessionStatus>(HubMessages.Status, s => { lock (Statuses) Statuses.Add(s); });
    }

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Frames of <paramref name="sessionId"/> until one with tick ≥ <paramref name="lastTick"/> arrives.</summary>
    public async Task<List<FrameMessage>> UntilTickAsync(string sessionId, int lastTick)
    {
        using var cts = new CancellationTokenSource(Patience);
        var got = new List<FrameMessage>();
        while (true)
        {
            var m = await _frames.Reader.ReadAsync(cts.Token);
            if (m.SessionId != sessionId) continue;
            got.Add(m);
            if (m.Frame.Tick >= lastTick) return got;
        }
    }
}
