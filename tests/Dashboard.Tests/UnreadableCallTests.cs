using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MarketSim.Dashboard.Hubs;

namespace MarketSim.Dashboard.Tests;

/// <summary>Calls the JSON protocol cannot read, sent as a script would: answered as that call's error, the connection kept.</summary>
[Collection(DashboardCollection.Name)]
public sealed class UnreadableCallTests(DashboardApp app)
{
    [Fact]
    public async Task A_call_nested_too_deep_or_with_arguments_not_a_list_is_refused_by_name_and_the_connection_stays()
    {
        // 70 levels of lists: the protocol's reader stops at 64, and the error closed the whole connection (a student's seat
        // with it) saying only "Connection closed with an error" (a review, Dec 2026).
        await using var client = await RawHubClient.ConnectAsync(app.BaseAddress, SimulationHub.Path);
        var deep = new string('[', 70) + new string(']', 70);
        var error = await client.CallAsync("1", $"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"GetStatus\",\"arguments\":[{deep}]}}");
        Assert.Contains("arguments: not readable (nested more than 64 levels deep", error);
        error = await client.CallAsync("2", "{\"type\":1,\"invocationId\":\"2\",\"target\":\"GetStatus\",\"arguments\":\"x\"}");
        Assert.Contains("arguments:", error);
        // Still connected: the next call is answered, with its own error (no such session).
        error = await client.CallAsync("3", "{\"type\":1,\"invocationId\":\"3\",\"target\":\"GetStatus\",\"arguments\":[\"no-such-session\"]}");
        Assert.Contains("no-such-session", error);
    }
}

/// <summary>The JSON hub protocol by hand over a WebSocket: sends a raw call and reads until its completion.</summary>
sealed class RawHubClient : IAsyncDisposable
{
    readonly ClientWebSocket _ws = new();
    readonly StringBuilder _pending = new();

    public static async Task<RawHubClient> ConnectAsync(Uri baseAddress, string hubPath)
    {
        var client = new RawHubClient();
        var uri = new UriBuilder(new Uri(baseAddress, hubPath.TrimStart('/'))) { Scheme = "ws" }.Uri;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client._ws.ConnectAsync(uri, cts.Token);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        var handshake = await client.NextAsync();
        if (handshake != "{}") throw new InvalidOperationException("handshake: " + handshake);
        return client;
    }

    /// <summary>The completion's error for the call with this invocation id ("" if it succeeded); throws if the connection closes.</summary>
    public async Task<string> CallAsync(string invocationId, string json)
    {
        await SendAsync(json);
        while (true)
        {
            using var doc = JsonDocument.Parse(await NextAsync());
            var root = doc.RootElement;
            if (root.GetProperty("type").GetInt32() == 7) throw new InvalidOperationException("closed: " + root.GetRawText());
            if (root.GetProperty("type").GetInt32() == 3 && root.GetProperty("invocationId").GetString() == invocationId)
                return root.TryGetProperty("error", out var e) ? e.GetString() ?? "" : "";
        }
    }

    async Task SendAsync(string json)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _ws.SendAsync(Encoding.UTF8.GetBytes(json + "\u001e"), WebSocketMessageType.Text, true, cts.Token);
    }

    async Task<string> NextAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var text = _pending.ToString();
            var at = text.IndexOf('\u001e');
            if (at >= 0)
            {
                _pending.Remove(0, at + 1);
                return text[..at];
            }
            var r = await _ws.ReceiveAsync(buffer, cts.Token);
            if (r.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("the server closed the connection");
            _pending.Append(Encoding.UTF8.GetString(buffer, 0, r.Count));
        }
    }

    public ValueTask DisposeAsync()
    {
        _ws.Abort();
        _ws.Dispose();
        return ValueTask.CompletedTask;
    }
}
