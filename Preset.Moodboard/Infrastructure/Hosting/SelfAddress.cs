using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Preset.Moodboard.Infrastructure.Hosting;

/// <summary>The loopback address this process listens on, known once Kestrel has started.</summary>
public sealed class SelfAddress(IServer server)
{
    private Uri? cached;

    public Uri BaseUri => cached ??= Resolve();

    public string HostAndPort => $"{BaseUri.Host}:{BaseUri.Port}";

    private Uri Resolve()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server has no listening address yet.");
        var uri = new Uri(address.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0").Replace("://[::]", "://0.0.0.0"));
        var host = uri.Host is "0.0.0.0" or "localhost" or "::" ? "127.0.0.1" : uri.Host;
        return new UriBuilder(uri.Scheme, host, uri.Port).Uri;
    }
}
