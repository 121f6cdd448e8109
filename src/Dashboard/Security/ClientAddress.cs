using System.Net;
using System.Net.Sockets;

namespace MarketSim.Dashboard.Security;

/// <summary>
/// The key a client's quotas and rate limits are kept under: its IPv4 address, or the /64 network of an IPv6 address. One
/// IPv6 device is routinely given a whole /64 and may pick a new address for every request, so keyed by the full address
/// each limit would be per request, not per device; a /64 is what one site or device holds.
/// </summary>
public static class ClientAddress
{
    public static string? Of(IPAddress? address)
    {
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
