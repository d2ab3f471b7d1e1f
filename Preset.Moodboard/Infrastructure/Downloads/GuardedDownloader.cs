using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Infrastructure.Imaging;

namespace Preset.Moodboard.Infrastructure.Downloads;

public enum DownloadFailure
{
    ForbiddenAddress,
    UnsupportedScheme,
    TooManyRedirects,
    HttpError,
    TooLarge,
    NotAnImage,
    TooManyPixels,
    Timeout,
    Network,

    /// <summary>The connection was dropped before the whole body arrived.</summary>
    Truncated,
}

/// <summary>Why an image is fetched; a private host may be allowed for one purpose and path only.</summary>
public enum DownloadPurpose
{
    /// <summary>A finished image from the image service.</summary>
    GenerationResult,

    /// <summary>A reference image the (embedded) image service reads.</summary>
    ReferenceImage,
}

public sealed record DownloadedImage(byte[] Bytes, ImageInfo Info);

public sealed record DownloadResult(DownloadedImage? Image, DownloadFailure? Failure, string? Message)
{
    public bool Succeeded => Image is not null;

    public static DownloadResult Ok(DownloadedImage image) => new(image, null, null);
    public static DownloadResult Fail(DownloadFailure failure, string message) => new(null, failure, message);
}

/// <summary>
/// A host (name or name:port) that may be reached although it resolves to a private address — a self-hosted mirror, a test rig, or the
/// embedded service's own loopback host. With a <see cref="PathPrefix"/> only single files right under that path may be fetched, and
/// with a <see cref="Purpose"/> only for that purpose.
/// </summary>
public sealed record PrivateHost(string HostAndPort, string? PathPrefix = null, DownloadPurpose? Purpose = null)
{
    public bool IsHost(string host, int port) =>
        string.Equals(HostAndPort, host, StringComparison.OrdinalIgnoreCase) || string.Equals(HostAndPort, $"{host}:{port}", StringComparison.OrdinalIgnoreCase);

    public bool Permits(Uri uri, DownloadPurpose purpose)
    {
        if (Purpose is { } only && only != purpose)
        {
            return false;
        }

        if (PathPrefix is null)
        {
            return true;
        }

        // Exactly one plain segment under the prefix: no dot segments, no encoded slashes or dots that the server would decode.
        var path = uri.AbsolutePath;
        return path.StartsWith(PathPrefix, StringComparison.Ordinal)
            && path[PathPrefix.Length..] is { Length: > 0 } rest
            && rest.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            && !rest.Contains("..", StringComparison.Ordinal);
    }
}

public interface IPrivateHostSource
{
    IEnumerable<PrivateHost> AllowedHosts();
}

/// <summary>Fetches an image from a URL someone else chose, without letting that URL reach into our network.</summary>
public sealed class GuardedDownloader(HttpClient http, IOptionsMonitor<DownloadOptions> options, IEnumerable<IPrivateHostSource> sources, ILogger<GuardedDownloader> logger)
{
    public Task<DownloadResult> DownloadImageAsync(Uri url, CancellationToken ct = default) => DownloadImageAsync(url, DownloadPurpose.GenerationResult, ct);

    public async Task<DownloadResult> DownloadImageAsync(Uri url, DownloadPurpose purpose, CancellationToken ct = default)
    {
        var limits = options.CurrentValue;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limits.Timeout);
        try
        {
            var current = url;
            for (var redirects = 0; ; redirects++)
            {
                if (current.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(current.UserInfo))
                {
                    return DownloadResult.Fail(DownloadFailure.UnsupportedScheme, $"Only plain http(s) addresses can be downloaded, not {current.Scheme}.");
                }

                // A private host allowed for one path (the embedded service's files) is refused everywhere else — on every hop.
                var hosts = AllowedHosts(options.CurrentValue, sources).Where(h => h.IsHost(current.IdnHost, current.Port)).ToList();
                if (hosts.Count > 0 && !hosts.Any(h => h.Permits(current, purpose)))
                {
                    logger.LogWarning("Download of {Host} refused: path not allowed for {Purpose}", current.Host, purpose);
                    return DownloadResult.Fail(DownloadFailure.ForbiddenAddress, $"“{current.Host}” may only be downloaded from for its own files, and this address is not one.");
                }

                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.Accept.ParseAdd("image/jpeg, image/png, image/webp");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);

                if (IsRedirect(response.StatusCode))
                {
                    if (redirects >= limits.MaxRedirects || response.Headers.Location is null)
                    {
                        return DownloadResult.Fail(DownloadFailure.TooManyRedirects, $"The image address redirected more than {limits.MaxRedirects} times.");
                    }

                    current = new Uri(current, response.Headers.Location);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    return DownloadResult.Fail(DownloadFailure.HttpError, $"The image server answered {(int)response.StatusCode}.");
                }

                return await ReadImageAsync(response, limits, timeout.Token);
            }
        }
        catch (HttpRequestException e) when (e.InnerException is ForbiddenAddressException forbidden)
        {
            logger.LogWarning("Download of {Host} refused: {Reason}", url.Host, forbidden.Message);
            return DownloadResult.Fail(DownloadFailure.ForbiddenAddress, forbidden.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DownloadResult.Fail(DownloadFailure.Timeout, $"The image did not arrive within {limits.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
        {
            return DownloadResult.Fail(DownloadFailure.Network, $"The image server could not be reached ({e.HttpRequestError}).");
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ResponseEnded || e.InnerException is IOException)
        {
            return DownloadResult.Fail(DownloadFailure.Truncated, "The connection was dropped before the whole image arrived.");
        }
        catch (HttpRequestException e)
        {
            return DownloadResult.Fail(DownloadFailure.Network, $"The image server could not be reached ({e.HttpRequestError}).");
        }
        catch (IOException)
        {
            // HttpIOException and friends: the body stopped half-way.
            return DownloadResult.Fail(DownloadFailure.Truncated, "The connection was dropped before the whole image arrived.");
        }
    }

    private static IEnumerable<PrivateHost> AllowedHosts(DownloadOptions limits, IEnumerable<IPrivateHostSource> sources) =>
        limits.AllowedPrivateHosts.Select(h => new PrivateHost(h)).Concat(sources.SelectMany(s => s.AllowedHosts()));

    private static async Task<DownloadResult> ReadImageAsync(HttpResponseMessage response, DownloadOptions limits, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > limits.MaxBytes)
        {
            return TooLarge(limits);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var bytes = await ReadBodyAsync(stream, response.Content.Headers.ContentLength, limits.MaxBytes, ct);
        if (bytes is null)
        {
            return TooLarge(limits);
        }

        var info = ImageFormat.Inspect(bytes);
        if (info is null)
        {
            return DownloadResult.Fail(DownloadFailure.NotAnImage, "The address did not return a JPEG, PNG or WebP image.");
        }

        return info.Pixels > limits.MaxPixels
            ? DownloadResult.Fail(DownloadFailure.TooManyPixels, $"The image is {info.Width}×{info.Height}; at most {limits.MaxPixels / 1_000_000} megapixels are accepted.")
            : DownloadResult.Ok(new DownloadedImage(bytes, info));
    }

    /// <summary>
    /// The body as one array and nothing more: with a length, read straight into an array of that size; without one, through
    /// pooled chunks that are returned once the array is made. Null when it is longer than <paramref name="max"/>.
    /// </summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream stream, long? length, long max, CancellationToken ct)
    {
        if (length is { } known)
        {
            var exact = new byte[known];
            await stream.ReadExactlyAsync(exact, ct);
            return exact;
        }

        var chunks = new List<byte[]>();
        var total = 0L;
        try
        {
            while (true)
            {
                var chunk = ArrayPool<byte>.Shared.Rent(256 * 1024);
                chunks.Add(chunk);
                var filled = await stream.ReadAtLeastAsync(chunk, chunk.Length, throwOnEndOfStream: false, ct);
                total += filled;
                if (total > max)
                {
                    return null;
                }

                if (filled < chunk.Length)
                {
                    break;
                }
            }

            var bytes = new byte[total];
            var offset = 0;
            foreach (var chunk in chunks)
            {
                var count = (int)Math.Min(chunk.Length, total - offset);
                chunk.AsSpan(0, count).CopyTo(bytes.AsSpan(offset));
                offset += count;
            }

            return bytes;
        }
        finally
        {
            chunks.ForEach(c => ArrayPool<byte>.Shared.Return(c));
        }
    }

    private static DownloadResult TooLarge(DownloadOptions limits) =>
        DownloadResult.Fail(DownloadFailure.TooLarge, $"The image is larger than {limits.MaxBytes / (1024 * 1024)} MB.");

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    /// <summary>The only handler the downloader uses: it resolves the host itself and connects to an address it has checked, on every connection (so on every redirect too), which also defeats DNS rebinding.</summary>
    public static SocketsHttpHandler CreateHandler(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptionsMonitor<DownloadOptions>>();
        var sources = services.GetServices<IPrivateHostSource>().ToArray();
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.CurrentValue.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, ct) =>
            {
                var endpoint = context.DnsEndPoint;
                // Per host here; per path (and purpose) before every request in DownloadImageAsync.
                var allowed = AllowedHosts(options.CurrentValue, sources).Any(h => h.IsHost(endpoint.Host, endpoint.Port));
                var host = endpoint.Host.TrimEnd('.');
                var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
                var target = allowed ? addresses.FirstOrDefault() : addresses.FirstOrDefault(a => !AddressGuard.IsForbidden(a));
                if (target is null || (!allowed && addresses.Any(AddressGuard.IsForbidden)))
                {
                    throw new ForbiddenAddressException($"“{endpoint.Host}” points to a private or reserved network address, which is never downloaded from.");
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
            },
        };
    }
}

public sealed class ForbiddenAddressException(string message) : Exception(message);
