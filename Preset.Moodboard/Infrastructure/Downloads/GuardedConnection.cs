using System.Net;
using System.Net.Sockets;

namespace Preset.Moodboard.Infrastructure.Downloads;

/// <summary>
/// Opens an outgoing connection only to an address that is not private, loopback or reserved (unless the host is allowed):
/// the host is resolved here and the checked address is the one connected to, so DNS rebinding cannot slip past.
/// </summary>
public static class GuardedConnection
{
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken ct)
    {
        var host = endpoint.Host.TrimEnd('.');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var target = allowPrivate ? addresses.FirstOrDefault() : addresses.FirstOrDefault(a => !AddressGuard.IsForbidden(a));
        if (target is null || (!allowPrivate && addresses.Any(AddressGuard.IsForbidden)))
        {
            throw new ForbiddenAddressException($"“{endpoint.Host}” points to a private or reserved network address, which is never connected to.");
        }

        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether a host (name, or name:port) is on an allow-list of private hosts.</summary>
    public static bool IsAllowed(IEnumerable<string> allowedHosts, string host, int port) => allowedHosts.Any(h =>
        string.Equals(h, host, StringComparison.OrdinalIgnoreCase) || string.Equals(h, $"{host}:{port}", StringComparison.OrdinalIgnoreCase));
}
