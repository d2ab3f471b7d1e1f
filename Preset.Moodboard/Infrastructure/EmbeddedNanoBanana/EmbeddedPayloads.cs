using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

/// <summary>The embedded service's answers and callbacks, in the vendor's field names and with its loose types.</summary>
internal static class EmbeddedPayloads
{
    public static JsonObject Envelope(int code, string msg, JsonNode? data = null) => new()
    {
        ["code"] = code,
        ["msg"] = msg,
        ["data"] = data,
    };

    public static JsonObject TaskDetails(EmbeddedTask task, IReadOnlyList<string> urls, bool staleGenerating = false)
    {
        var generating = staleGenerating || task.State == EmbeddedTaskState.Generating;
        var response = new JsonObject
        {
            // The vendor's template leftover: sometimes null, sometimes the string "null".
            ["originImageUrl"] = generating ? "null" : null,
            ["resultImageUrl"] = generating || urls.Count == 0 ? "" : urls[0],
        };
        if (!generating && urls.Count > 1)
        {
            response["resultImageUrls"] = new JsonArray([.. urls.Select(u => (JsonNode)u)]);
        }

        return new JsonObject
        {
            ["taskId"] = task.Id,
            ["paramJson"] = JsonSerializer.Serialize(new { numImages = task.NumImages, prompt = task.Prompt, type = task.Type, image_size = task.ImageSize }),
            ["completeTime"] = generating || task.CompletedAt is null ? "" : VendorTime(task.CompletedAt.Value),
            ["response"] = response,
            ["successFlag"] = generating ? 0 : (int)task.State,
            ["errorCode"] = generating ? null : task.ErrorCode,
            ["errorMessage"] = generating ? "null" : task.ErrorMessage ?? "",
            ["createTime"] = VendorTime(task.CreatedAt),
            ["operationType"] = task.Type,
        };
    }

    /// <summary>The documented callback: code 200/400/500/501, data.info.resultImageUrl.</summary>
    public static JsonObject InfoCallback(EmbeddedTask task, IReadOnlyList<string> urls)
    {
        var info = new JsonObject { ["resultImageUrl"] = task.State == EmbeddedTaskState.Succeeded ? urls[0] : "" };
        if (task.State == EmbeddedTaskState.Succeeded && urls.Count > 1)
        {
            info["resultImageUrls"] = new JsonArray([.. urls.Select(u => (JsonNode)u)]);
        }

        var (code, msg) = task.State == EmbeddedTaskState.Succeeded
            ? (200, "Image generated successfully.")
            : (task.ErrorCode, task.ErrorMessage ?? "Image generation task failed");
        return Envelope(code, msg, new JsonObject { ["taskId"] = task.Id, ["info"] = info });
    }

    /// <summary>The newer, task-details-shaped callback: top-level code 200 even when the task failed.</summary>
    public static JsonObject DetailsCallback(EmbeddedTask task, IReadOnlyList<string> urls, bool staleGenerating = false) =>
        Envelope(200, "success", TaskDetails(task, urls, staleGenerating));

    private static string VendorTime(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
