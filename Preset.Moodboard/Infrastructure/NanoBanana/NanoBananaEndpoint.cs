using Microsoft.Extensions.Options;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Infrastructure.NanoBanana;

/// <summary>Where the client sends its calls and with which key: the configured real service, or the embedded one in this process.</summary>
public sealed class NanoBananaEndpoint(IOptions<NanoBananaOptions> options, IServiceProvider services)
{
    public bool IsEmbedded => options.Value.UsesEmbeddedService;

    public Uri BaseAddress => IsEmbedded
        ? new Uri(services.GetRequiredService<SelfAddress>().BaseUri, EmbeddedNanoBananaOptions.RoutePrefix + "/")
        : new Uri(options.Value.BaseUrl!.TrimEnd('/') + "/");

    public string ApiKey => IsEmbedded ? services.GetRequiredService<EmbeddedKey>().Value : options.Value.ApiKey!;
}

/// <summary>The embedded service's key: configured, or random for this process.</summary>
public sealed class EmbeddedKey(IOptions<EmbeddedNanoBananaOptions> options)
{
    public string Value { get; } = string.IsNullOrWhiteSpace(options.Value.ApiKey)
        ? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant()
        : options.Value.ApiKey;
}

/// <summary>Adds the bearer header on the way out, server-side only; the key is never logged.</summary>
internal sealed class BearerTokenHandler(NanoBananaEndpoint endpoint) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", endpoint.ApiKey);
        return base.SendAsync(request, cancellationToken);
    }
}
