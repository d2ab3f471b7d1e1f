using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Preset.Moodboard.Infrastructure.NanoBanana;

/// <summary>
/// Which failures are worth another try. Reads (GET) retry on network errors, timeouts, 429, 455 and 5xx.
/// A submit (POST) retries only when no task can have been created: the connection never opened, or the
/// service refused with 429 or 455. Never 400, 401, 402, 422 or 505 — trying again cannot change those.
/// </summary>
public static class NanoBananaResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, NanoBananaOptions options)
    {
        pipeline.AddTimeout(options.TotalTimeout);
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ShouldRetryAsync(args.Outcome, args.Context.GetRequestMessage()),
            });
        }

        pipeline
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.CircuitBreakerBreakDuration,
                ShouldHandle = args => IsServiceFailureAsync(args.Outcome),
            })
            .AddTimeout(options.AttemptTimeout);
    }

    public static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request)
    {
        var isRead = request?.Method == HttpMethod.Get;
        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                HttpRequestException http => isRead || http.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,
                TimeoutRejectedException => isRead,
                _ => false,
            };
        }

        var code = await EffectiveCodeAsync(outcome.Result!);
        return code switch
        {
            429 or 455 => true,
            505 => false,
            >= 500 => isRead,
            _ => false,
        };
    }

    private static async ValueTask<bool> IsServiceFailureAsync(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is HttpRequestException or TimeoutRejectedException)
        {
            return true;
        }

        return outcome.Result is { } response && await EffectiveCodeAsync(response) is 429 or 455 or (>= 500 and not 505);
    }

    /// <summary>The HTTP status, or — for a 2xx — the code inside the body, since errors also arrive inside HTTP 200.</summary>
    public static async ValueTask<int> EffectiveCodeAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (int)response.StatusCode;
        }

        await response.Content.LoadIntoBufferAsync();
        try
        {
            // Bytes, not the stream: the stream would be left at its end for the deserializer that reads it next.
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("code", out var code))
            {
                if (code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var n))
                {
                    return n;
                }

                if (code.ValueKind == JsonValueKind.String && int.TryParse(code.GetString(), out var s))
                {
                    return s;
                }
            }
        }
        catch (JsonException)
        {
            // Not an envelope: judged by its HTTP status.
        }

        return (int)HttpStatusCode.OK;
    }
}
