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
}

public sealed record DownloadedImage(byte[] Bytes, ImageInfo Info);

public sealed record DownloadResult(DownloadedImage? Image, DownloadFailure? Failure, string? Message)
{
    public bool Succeeded => Image is not null;

    public static DownloadResult Ok(DownloadedImage image) => new(image, null, null);
    public static DownloadResult Fail(DownloadFailure failure, string message) => new(null, failure, message);
}

/// <summary>A host that may be reached although it resolves to a private address (the embedded service's own loopback host, say).</summary>
public interface IPrivateHostSource
{
    IEnumerable<string> AllowedHosts();
}

/// <summary>Fetches an image from a URL someone else chose, without letting that URL reach into our network.</summary>
public sealed class GuardedDownloader(HttpClient http, IOptionsMonitor<DownloadOptions> options, ILogger<GuardedDownloader> logger)
{
    public async Task<DownloadResult> DownloadImageAsync(Uri url, CancellationToken ct = default)
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
        catch (HttpRequestException e)
        {
            return DownloadResult.Fail(DownloadFailure.Network, $"The image server could not be reached ({e.HttpRequestError}).");
        }
    }

    private static async Task<DownloadResult> ReadImageAsync(HttpResponseMessage response, DownloadOptions limits, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > limits.MaxBytes)
        {
            return TooLarge(limits);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limits.MaxBytes)
            {
                return TooLarge(limits);
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        var info = ImageFormat.Inspect(bytes);
        if (info is null)
        {
            return DownloadResult.Fail(DownloadFailure.NotAnImage, "The address did not return a JPEG, PNG or WebP image.");
        }

        return info.Pixels > limits.MaxPixels
            ? DownloadResult.Fail(DownloadFailure.TooManyPixels, $"The image is {info.Width}×{info.Height}; at most {limits.MaxPixels / 1_000_000} megapixels are accepted.")
            : DownloadResult.Ok(new DownloadedImage(bytes, info));
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
                var allowed = options.CurrentValue.AllowedPrivateHosts.Concat(sources.SelectMany(s => s.AllowedHosts()))
                    .Any(h => string.Equals(h, endpoint.Host, StringComparison.OrdinalIgnoreCase)
                           || string.Equals(h, $"{endpoint.Host}:{endpoint.Port}", StringComparison.OrdinalIgnoreCase));
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
