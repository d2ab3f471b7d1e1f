using System.Text.Json;

namespace Preset.Moodboard.Infrastructure.NanoBanana;

/// <summary>Turns record-info answers and both callback shapes into one outcome.</summary>
public static class TaskOutcomes
{
    /// <summary>Reads a callback body; null when it is not JSON or names no task.</summary>
    public static RemoteTaskOutcome? ParseCallback(string body)
    {
        Envelope<TaskDetails>? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope<TaskDetails>>(body, NanoBananaJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }

        if (envelope?.Data?.TaskId is not { } taskId)
        {
            return null;
        }

        // The task-details shape carries successFlag and answers code 200 even when the task failed.
        return envelope.Data.SuccessFlag is not null
            ? FromDetails(envelope.Data)
            : FromInfoShape(taskId, envelope.Code ?? 0, envelope.Msg, envelope.Data.Info ?? envelope.Data.Response);
    }

    public static RemoteTaskOutcome FromDetails(TaskDetails details)
    {
        var taskId = details.TaskId ?? "";
        var urls = details.Response?.AllResultUrls ?? details.Info?.AllResultUrls ?? [];
        return details.SuccessFlag switch
        {
            1 when urls.Count > 0 => new RemoteTaskOutcome(taskId, RemoteTaskState.Succeeded, urls, null),
            1 => new RemoteTaskOutcome(taskId, RemoteTaskState.Failed, [], new NanoBananaError(NanoBananaErrorKind.InvalidResponse, null, "The service reported success without an image URL.")),
            2 => Failed(taskId, details.ErrorCode is > 0 and var c2 ? c2 : 500, details.ErrorMessage ?? "The service could not create the task."),
            3 => Failed(taskId, details.ErrorCode is > 0 and var c3 ? c3 : 501, details.ErrorMessage ?? "Image generation failed."),
            _ => new RemoteTaskOutcome(taskId, RemoteTaskState.Generating, [], null),
        };
    }

    private static RemoteTaskOutcome FromInfoShape(string taskId, int code, string? message, TaskResponse? info)
    {
        var urls = info?.AllResultUrls ?? [];
        if (code == 200)
        {
            return urls.Count > 0
                ? new RemoteTaskOutcome(taskId, RemoteTaskState.Succeeded, urls, null)
                : new RemoteTaskOutcome(taskId, RemoteTaskState.Failed, [], new NanoBananaError(NanoBananaErrorKind.InvalidResponse, 200, "The service reported success without an image URL."));
        }

        // In a callback, 400 always means the content policy flagged the prompt.
        return code == 400
            ? new RemoteTaskOutcome(taskId, RemoteTaskState.Failed, [], new NanoBananaError(NanoBananaErrorKind.ContentPolicy, 400, message ?? "The prompt was flagged by the content policy."))
            : Failed(taskId, code, message);
    }

    private static RemoteTaskOutcome Failed(string taskId, int code, string? message)
    {
        var error = NanoBananaError.FromCode(code, message);
        if (error.Kind == NanoBananaErrorKind.InvalidResponse)
        {
            error = error with { Kind = NanoBananaErrorKind.GenerationFailed };
        }

        return new RemoteTaskOutcome(taskId, RemoteTaskState.Failed, [], error);
    }
}
