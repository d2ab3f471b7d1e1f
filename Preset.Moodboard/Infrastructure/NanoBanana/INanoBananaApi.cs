using Refit;

namespace Preset.Moodboard.Infrastructure.NanoBanana;

/// <summary>The vendor's three endpoints (see ../shared/nanobanana/API.md). Answers come back unparsed-on-error so the client can read error envelopes.</summary>
public interface INanoBananaApi
{
    [Post("/api/v1/nanobanana/generate")]
    Task<IApiResponse<Envelope<GenerateData>>> GenerateAsync([Body] GenerateRequest request, CancellationToken cancellationToken);

    [Get("/api/v1/nanobanana/record-info")]
    Task<IApiResponse<Envelope<TaskDetails>>> GetTaskAsync([AliasAs("taskId")] string taskId, CancellationToken cancellationToken);

    [Get("/api/v1/common/credit")]
    Task<IApiResponse<Envelope<int?>>> GetCreditsAsync(CancellationToken cancellationToken);
}
