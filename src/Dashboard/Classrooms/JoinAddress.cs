using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace MarketSim.Dashboard.Classrooms;

/// <summary>
/// The address students' phones open to join (the join link and its QR code). The teacher's browser often uses
/// 127.0.0.1, which a phone cannot reach, so the address is, in order: the configured public address
/// (<see cref="Key"/>, e.g. <c>MarketSim__PublicUrl=http://192.168.1.20:5243</c>); for a page opened on a loopback address,
/// this machine's LAN address (IPv4 of an interface that is up) with the page's port; otherwise the address the page was
/// opened with. <see cref="Resolved.Warning"/> says when phones will not reach it (docs/CLASSROOM.md, "Joining").
/// </summary>
public sealed class JoinAddress(IConfiguration configuration, IServer server)
{
    public const string Key = "MarketSim:PublicUrl";

    /// <summary>The base address (ends with "/"), where it came from, and a warning when phones cannot use it.</summary>
    public sealed record Resolved(Uri Base, string Source, string? Warning)
    {
        public string Join(string code) => new Uri(Base, $"join/{code}").ToString();
        public string JoinPage => new Uri(Base, "join").ToString();
    }

    public Resolved For(Uri pageBase)
    {
        if (configuration[Key] is { Length: > 0 } configured)
        {
            if (Uri.TryCreate(configured.EndsWith('/') ? configured : configured + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                return new(uri, $"configured ({Key})", null);
            return new(pageBase, "the address this page was opened with",
                $"{Key} \"{configured}\" is not an http(s) address; phones get the address this page was opened with");
        }
        if (!IsLoopback(pageBase.Host)) return new(pageBase, "the address this page was opened with", null);
        var listensOnNetwork = ListenAddresses().Any(a => !IsLoopback(a.Host));
        var notListening = listensOnNetwork ? null
            : "this dashboard listens only on this computer; to let phones in, start it with --urls http://0.0.0.0:5243 (README, \"Teaching with MarketSim\")";
        if (LanAddress() is { } lan)
            return new(new UriBuilder(pageBase) { Host = lan.ToString() }.Uri, "this computer's network address (detected)", notListening);
        return new(pageBase, "the address this page was opened with",
            $"{pageBase.Host} works only on this computer and no network address was found; set {Key}");
    }

    IEnumerable<Uri> ListenAddresses() =>
        (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(a => Uri.TryCreate(a.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var u) ? u : null).OfType<Uri>();

    static bool IsLoopback(string host) =>
        host is "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The IPv4 address of the first interface that is up, not loopback and not a tunnel; null when there is none.</summary>
    static IPAddress? LanAddress()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType is not (NetworkInterfaceType.Loopback or NetworkInterfaceType.Tunnel))
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a) && !a.ToString().StartsWith("169.254.", StringComparison.Ordinal));
        }
        catch (NetworkInformationException) { return null; }
    }
}
