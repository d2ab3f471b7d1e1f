using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

/// <summary>POSTs callbacks like the vendor: 15 s to answer, then up to 3 more tries with growing waits (the "callbacks" HTTP client's resilience pipeline).</summary>
public sealed partial class CallbackSender(
    IHttpClientFactory httpFactory,
    IDbContextFactory<EmbeddedStore> dbFactory,
    EmbeddedNanoBanana service,
    IOptionsMonitor<EmbeddedNanoBananaOptions> options,
    TimeProvider clock,
    ILogger<CallbackSender> logger)
{
    public const string ClientName = "embedded-nanobanana-callbacks";

    public async Task DeliverAsync(EmbeddedTask task, CancellationToken ct)
    {
        var faults = options.CurrentValue.Faults;
        var markers = PromptMarkers.Parse(task.Prompt);
        if (faults.DropCallbacks || markers.DropCallback)
        {
            await MarkAsync(task.Id, CallbackState.Dropped, 0, ct);
            LogDropped(task.Id);
            return;
        }

        var delay = faults.CallbackDelay + markers.CallbackDelay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, clock, ct);
        }

        var urls = service.FileUrls(task);
        var detailsShape = faults.TaskDetailsCallbacks || task.Prompt.Contains("[nb:details-callback]", StringComparison.OrdinalIgnoreCase);
        var payload = detailsShape ? EmbeddedPayloads.DetailsCallback(task, urls) : EmbeddedPayloads.InfoCallback(task, urls);

        var delivered = await PostAsync(task, payload, ct);
        if (delivered && (faults.DuplicateCallbacks || markers.Duplicate))
        {
            await PostAsync(task, payload, ct);
        }

        if (delivered && markers.LateFailure && task.State == EmbeddedTaskState.Succeeded)
        {
            // A contradicting failure report after the success (a vendor glitch): the receiver must keep the image.
            await PostAsync(task, EmbeddedPayloads.Envelope(501, "Image generation task failed",
                new JsonObject { ["taskId"] = task.Id, ["info"] = new JsonObject { ["resultImageUrl"] = "" } }), ct);
        }

        if (delivered && (faults.OutOfOrderCallbacks || markers.OutOfOrder))
        {
            // A stale "still generating" notice that arrives after the final one.
            await PostAsync(task, EmbeddedPayloads.DetailsCallback(task, urls, staleGenerating: true), ct);
        }

        await MarkAsync(task.Id, delivered ? CallbackState.Delivered : CallbackState.GaveUp, 1, ct);
    }

    private async Task<bool> PostAsync(EmbeddedTask task, JsonObject payload, CancellationToken ct)
    {
        try
        {
            using var response = await httpFactory.CreateClient(ClientName).PostAsJsonAsync(task.CallbackUrl, payload, ct);
            LogDelivered(task.Id, (int)response.StatusCode);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            LogGaveUp(task.Id, e.Message);
            return false;
        }
    }

    private async Task MarkAsync(string taskId, CallbackState state, int attempts, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Tasks.Where(t => t.Id == taskId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Callback, state)
            .SetProperty(t => t.CallbackAttempts, t => t.CallbackAttempts + attempts), ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded NanoBanana callback for {TaskId} answered {Status}")]
    private partial void LogDelivered(string taskId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded NanoBanana gave up the callback for {TaskId}: {Reason}")]
    private partial void LogGaveUp(string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded NanoBanana dropped the callback for {TaskId} on purpose")]
    private partial void LogDropped(string taskId);
}
