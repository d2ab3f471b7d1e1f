using System.ComponentModel.DataAnnotations;

namespace Preset.Moodboard.Infrastructure.NanoBanana;

public sealed class NanoBananaOptions : IValidatableObject
{
    public const string SectionName = "NanoBanana";

    /// <summary>The real service, e.g. https://api.nanobananaapi.ai. Empty together with ApiKey: the embedded service is used.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Secret: from the environment (NanoBanana__ApiKey) or user secrets, never from a committed file.</summary>
    public string? ApiKey { get; set; }

    [Range(1, 1000)]
    public int CreditsPerImage { get; set; } = 4;

    /// <summary>One try of one call.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A call with all its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(90);

    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Calls within the sampling window before the circuit breaker may open.</summary>
    [Range(2, 10_000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    public bool UsesEmbeddedService => string.IsNullOrWhiteSpace(BaseUrl) && string.IsNullOrWhiteSpace(ApiKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UsesEmbeddedService)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            yield return new ValidationResult(
                "NanoBanana:ApiKey is not set. Set it with `dotnet user-secrets set NanoBanana:ApiKey <key>` or the environment variable NanoBanana__ApiKey, or clear NanoBanana:BaseUrl to use the embedded service.",
                [nameof(ApiKey)]);
        }

        if (string.IsNullOrWhiteSpace(BaseUrl))
        {
            yield return new ValidationResult(
                "NanoBanana:BaseUrl is not set although NanoBanana:ApiKey is. Set it to https://api.nanobananaapi.ai (or NanoBanana__BaseUrl).",
                [nameof(BaseUrl)]);
        }
        else if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"NanoBanana:BaseUrl must be an absolute http(s) address, not “{BaseUrl}”.", [nameof(BaseUrl)]);
        }
    }
}
