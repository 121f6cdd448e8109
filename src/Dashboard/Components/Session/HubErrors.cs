namespace MarketSim.Dashboard.Components.Session;

/// <summary>What the user sees of a failed hub call: the server's own sentence, without SignalR's preamble.</summary>
public static class HubErrors
{
    public static string Message(Exception e)
    {
        const string marker = "HubException: ";
        var i = e.Message.IndexOf(marker, StringComparison.Ordinal);
        return i >= 0 ? e.Message[(i + marker.Length)..] : e.Message;
    }
}
