using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace Preset.Moodboard.Infrastructure.NanoBanana;

/// <summary>What features use to talk to NanoBanana; never a Refit type.</summary>
public interface INanoBananaClient
{
    Task<NanoBananaResult<string>> SubmitAsync(ImageJob job, CancellationToken ct = default);
    Task<NanoBananaResult<RemoteTaskOutcome>> GetTaskAsync(string taskId, CancellationToken ct = default);
    Task<NanoBananaResult<int>> GetCreditsAsync(CancellationToken ct = default);
}

/// <summary>Speaks the real wire format through the Refit interface and turns every answer — HTTP status or body code — into one result.</summary>
public sealed partial class NanoBananaClient(INanoBananaApi api, IOptionsMonitor<NanoBananaOptions> options, ILogger<NanoBananaClient> logger) : INanoBananaClient
{
    public static GenerateRequest ToWire(ImageJob job) => new(
        Prompt: job.Prompt,
        Type: job.IsEdit ? NanoBananaTaskType.ImageToImage : NanoBananaTaskType.TextToImage,
        CallBackUrl: job.CallbackUrl,
        NumImages: job.NumImages,
        ImageUrls: job.IsEdit ? job.ImageUrls : null,
        Watermark: string.IsNullOrWhiteSpace(job.Watermark) ? null : job.Watermark,
        ImageSize: job.AspectRatio);

    public async Task<NanoBananaResult<string>> SubmitAsync(ImageJob job, CancellationToken ct = default)
    {
        var result = await CallAsync("generate", () => api.GenerateAsync(ToWire(job), ct));
        if (!result.Succeeded)
        {
            return NanoBananaResult<string>.Fail(result.Error!);
        }

        return result.Value?.TaskId is { } taskId
            ? NanoBananaResult<string>.Ok(taskId)
            : NanoBananaResult<string>.Fail(new NanoBananaError(NanoBananaErrorKind.InvalidResponse, 200, "The service accepted the request but returned no task id."));
    }

    public async Task<NanoBananaResult<RemoteTaskOutcome>> GetTaskAsync(string taskId, CancellationToken ct = default)
    {
        var result = await CallAsync("record-info", () => api.GetTaskAsync(taskId, ct));
        if (!result.Succeeded)
        {
            return NanoBananaResult<RemoteTaskOutcome>.Fail(result.Error!);
        }

        return result.Value is { } details
            ? NanoBananaResult<RemoteTaskOutcome>.Ok(TaskOutcomes.FromDetails(details with { TaskId = details.TaskId ?? taskId }))
            : NanoBananaResult<RemoteTaskOutcome>.Fail(new NanoBananaError(NanoBananaErrorKind.InvalidResponse, 200, "The service returned no task details."));
    }

    public async Task<NanoBananaResult<int>> GetCreditsAsync(CancellationToken ct = default)
    {
        var result = await CallAsync("credit", () => api.GetCreditsAsync(ct));
        return result switch
        {
            { Succeeded: false } => NanoBananaResult<int>.Fail(result.Error!),
            { Value: { } credits } => NanoBananaResult<int>.Ok(credits),
            _ => NanoBananaResult<int>.Fail(new NanoBananaError(NanoBananaErrorKind.InvalidResponse, 200, "The service returned no credit balance.")),
        };
    }

    /// <summary>A call has failed when the HTTP status is not 2xx or the body's code is not 200; the body's code wins when there is one.</summary>
    private async Task<NanoBananaResult<T?>> CallAsync<T>(string operation, Func<Task<IApiResponse<Envelope<T>>>> call)
    {
        try
        {
            using var response = await call();
            if (response.HasRequestError(out var requestError))
            {
                return FromException<T>(operation, requestError.InnerException ?? requestError);
            }

            var status = (int?)response.StatusCode ?? 0;
            var envelope = response.IsSuccessStatusCode
                ? response.Content
                : ReadEnvelope<T>(response.HasResponseError(out var apiError) ? apiError.Content : null);
            var code = envelope?.Code ?? (response.IsSuccessStatusCode ? null : status);

            if (response.IsSuccessStatusCode && code == 200)
            {
                return NanoBananaResult<T?>.Ok(envelope!.Data);
            }

            var error = code is { } known
                ? NanoBananaError.FromCode(known, envelope?.Msg)
                : new NanoBananaError(NanoBananaErrorKind.InvalidResponse, status, "The service's answer could not be read.");
            LogFailure(operation, status, error.Code, error.Kind, error.Message);
            return NanoBananaResult<T?>.Fail(error);
        }
        catch (Exception e) when (e is BrokenCircuitException or TimeoutRejectedException or HttpRequestException or ApiException
            or TaskCanceledException { InnerException: TimeoutException })
        {
            return FromException<T>(operation, e);
        }
    }

    private NanoBananaResult<T?> FromException<T>(string operation, Exception exception)
    {
        var (kind, message) = exception switch
        {
            BrokenCircuitException => (NanoBananaErrorKind.CircuitOpen, "The image service failed repeatedly; calls are paused for a few seconds."),
            TimeoutRejectedException or TaskCanceledException or TimeoutException =>
                (NanoBananaErrorKind.Timeout, $"The image service did not answer within {options.CurrentValue.AttemptTimeout.TotalSeconds:0} s."),
            HttpRequestException http => (NanoBananaErrorKind.Network, $"The image service could not be reached ({http.HttpRequestError}): {http.Message}"),
            _ => (NanoBananaErrorKind.InvalidResponse, $"The service's answer could not be read: {exception.Message}"),
        };
        LogFailure(operation, 0, null, kind, message);
        var notSent = exception is BrokenCircuitException
            || exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
        return NanoBananaResult<T?>.Fail(new NanoBananaError(kind, null, message) { NotSent = notSent });
    }

    private static Envelope<T>? ReadEnvelope<T>(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Envelope<T>>(body, NanoBananaJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "NanoBanana {Operation} failed: HTTP {Status}, code {Code}, {Kind}: {Reason}")]
    private partial void LogFailure(string operation, int status, int? code, NanoBananaErrorKind kind, string reason);
}
