namespace MarketSim.Grains;

/// <summary>
/// Every grain of a session is keyed "{sessionId}/{local id}", so several sessions run side by side in one cluster.
/// A session id therefore may not contain '/'.
/// </summary>
public static class GrainKeys
{
    public const char Separator = '/';

    public static string Of(string sessionId, string localId) => sessionId + Separator + localId;

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
