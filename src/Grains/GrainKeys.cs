namespace MarketSim.Grains;

/// <summary>
/// Every grain of a session is keyed "{sessionId}/{local id}", so several sessions run side by side in one cluster.
/// A session id therefore may not contain '/'.
/// </summary>
public static class GrainKeys
{
    public const char Separator = '/';

    public static string Of(string sessionId, string localId) => sessionId + Separator + localId;

    /// <summary>The key of a session's shard number <paramref name="index"/>.</summary>
    public static string Shard(string sessionId, int index) => Of(sessionId, ShardPrefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The shard number in a shard's key, or -1 for any other key.</summary>
    public static int ShardIndexOf(string key)
    {
        var local = key[(key.IndexOf(Separator) + 1)..];
        return local.StartsWith(ShardPrefix, StringComparison.Ordinal)
            && int.TryParse(local.AsSpan(ShardPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : -1;
    }

    const string ShardPrefix = "shard-";

    public static string SessionOf(string key)
    {
        var i = key.IndexOf(Separator);
        return i < 0 ? key : key[..i];
    }

    public static void ValidateSessionId(string sessionId)
    {
        if (string.IsNullOrWhiteSpace(sessionId)) throw new ArgumentException("A session id may not be empty.", nameof(sessionId));
        if (sessionId.Contains(Separator)) throw new ArgumentException($"A session id may not contain '{Separator}': \"{sessionId}\".", nameof(sessionId));
    }
}
