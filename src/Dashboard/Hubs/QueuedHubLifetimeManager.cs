using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace MarketSim.Dashboard.Hubs;

/// <summary>
/// Sends of the dashboard's hubs (frames, status, classroom state, news) to their clients without waiting for any client.
/// ASP.NET Core's default manager writes a group message to each member and completes when the slowest member's socket has
/// taken it, so one client that stops reading held up every broadcast to its groups: a session's frames for every viewer,
/// a classroom's Advance (docs/SECURITY.md). Here each connection has a bounded queue written by its own loop; a send puts
/// the message (serialised once for all recipients) in each recipient's queue and returns. A client that falls behind,
/// more than <see cref="Capacity"/> messages queued or one write not taken in <see cref="WriteTimeout"/>, is disconnected
/// and its queue dropped, so memory stays bounded; it reconnects and asks for what it missed (Subscribe or GetFrames from
/// its next tick). Messages to one connection keep their order. Hub method results do not pass through here (each waits
/// for its own caller only).
/// </summary>
public sealed class QueuedHubLifetimeManager<THub>(ILogger<DefaultHubLifetimeManager<THub>> baseLog, ILogger<QueuedHubLifetimeManager<THub>> log)
    : DefaultHubLifetimeManager<THub>(baseLog) where THub : Hub
{
    /// <summary>
    /// Messages a connection may have waiting. A Step's burst (365 frames as fast as the grains make them) fits, so a client
    /// that reads, if slowly, is not let go for it; at most ≈23 MB of 45 KB frames, the same messages for every laggard of a
    /// session.
    /// </summary>
    public const int Capacity = 512;
    /// <summary>How long one message may wait for the client's socket before the client is let go.</summary>
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    readonly ConcurrentDictionary<string, Outbox> _connections = new(StringComparer.Ordinal);
    // Members by group. Emptied groups stay (a few hundred bytes per session id ever watched on this host).
    readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Outbox>> _groups = new(StringComparer.Ordinal);

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = new Outbox(connection, log);
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (_connections.TryRemove(connection.ConnectionId, out var outbox))
        {
            outbox.Close();
            foreach (var g in outbox.Groups.Keys) if (_groups.TryGetValue(g, out var members)) members.TryRemove(connection.ConnectionId, out _);
        }
        return base.OnDisconnectedAsync(connection);
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (_connections.TryGetValue(connectionId, out var outbox))
        {
            outbox.Groups[groupName] = 0;
            _groups.GetOrAdd(groupName, _ => new(StringComparer.Ordinal))[connectionId] = outbox;
            // Disconnected meanwhile: OnDisconnectedAsync may have read its groups before this one was added.
            if (!_connections.ContainsKey(connectionId)) _groups[groupName].TryRemove(connectionId, out _);
        }
        return Task.CompletedTask;
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (_groups.TryGetValue(groupName, out var members)) members.TryRemove(connectionId, out _);
        if (_connections.TryGetValue(connectionId, out var outbox)) outbox.Groups.TryRemove(groupName, out _);
        return Task.CompletedTask;
    }

    // Enumerating a ConcurrentDictionary itself takes no lock (its Values property copies under all of them).
    IEnumerable<Outbox> Members(string group) => _groups.TryGetValue(group, out var m) ? m.Select(kv => kv.Value) : [];

    IEnumerable<Outbox> All => _connections.Select(kv => kv.Value);

    IEnumerable<Outbox> Connections(IEnumerable<string> ids) => ids.Distinct().Select(id => _connections.GetValueOrDefault(id)).OfType<Outbox>();

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Post(All, methodName, args);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        Post(All.Where(o => !excludedConnectionIds.Contains(o.Id)), methodName, args);

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Post(Connections([connectionId]), methodName, args);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Post(Connections(connectionIds), methodName, args);

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Post(Members(groupName), methodName, args);

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Post(groupNames.SelectMany(Members).Distinct(), methodName, args);

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        Post(Members(groupName).Where(o => !excludedConnectionIds.Contains(o.Id)), methodName, args);

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Post(All.Where(o => o.UserId == userId), methodName, args);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Post(All.Where(o => o.UserId is { } u && userIds.Contains(u)), methodName, args);

    /// <summary>Queues the message for each recipient and returns: it never waits for a client.</summary>
    static Task Post(IEnumerable<Outbox> to, string methodName, object?[] args)
    {
        SerializedHubMessage? message = null;
        foreach (var outbox in to)
        {
            message ??= new SerializedHubMessage(new InvocationMessage(methodName, args));
            // Serialised now, on the sender's thread: what is sent is the arguments as they are now, once per protocol.
            outbox.Serialise(message);
            outbox.Post(message);
        }
        return Task.CompletedTask;
    }

    /// <summary>One connection's queue and the loop that writes it to the client, one message at a time.</summary>
    sealed class Outbox
    {
        readonly HubConnectionContext _connection;
        readonly ILogger _log;
        readonly Channel<SerializedHubMessage> _queue = Channel.CreateBounded<SerializedHubMessage>(
            new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        int _closed;

        public Outbox(HubConnectionContext connection, ILogger log)
        {
            _connection = connection;
            _log = log;
            _ = Task.Run(WriteLoopAsync);
        }

        public string Id => _connection.ConnectionId;
        public string? UserId => _connection.UserIdentifier;
        public ConcurrentDictionary<string, byte> Groups { get; } = new(StringComparer.Ordinal);

        public void Serialise(SerializedHubMessage message) => message.GetSerializedMessage(_connection.Protocol);

        public void Post(SerializedHubMessage message)
        {
            if (_queue.Writer.TryWrite(message) || Volatile.Read(ref _closed) != 0) return;
            LetGo($"more than {Capacity} messages behind");
        }

        async Task WriteLoopAsync()
        {
            await foreach (var message in _queue.Reader.ReadAllAsync())
            {
                if (Volatile.Read(ref _closed) != 0) return; // let go or gone: what waits is dropped
                var write = _connection.WriteAsync(message);
                if (write.IsCompletedSuccessfully) continue;
                try { await write.AsTask().WaitAsync(WriteTimeout); }
                catch (TimeoutException)
                {
                    LetGo($"a message not taken in {WriteTimeout.TotalSeconds:0} s");
                    return;
                }
            }
        }

        /// <summary>The client does not keep up: disconnect it and drop what it has waiting.</summary>
        void LetGo(string why)
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            _log.LogWarning("Disconnecting hub client {Connection}: {Why} (it reads too slowly or not at all)", Id, why);
            _queue.Writer.TryComplete();
            _connection.Abort();
        }

        public void Close()
        {
            Volatile.Write(ref _closed, 1);
            _queue.Writer.TryComplete();
        }
    }
}
