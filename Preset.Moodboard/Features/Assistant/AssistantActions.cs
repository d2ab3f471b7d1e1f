using Preset.Moodboard.Components;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Media;

namespace Preset.Moodboard.Features.Assistant;

/// <summary>
/// The outcome of a change made through the API or a tool: a value, or an HTTP-style status with a title, the message the studio
/// shows and, for invalid input, a message per field.
/// </summary>
public sealed record AssistantResult<T>(T? Value, int Status, string? Title = null, string? Message = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public bool Succeeded => Status < 300;

    public static AssistantResult<T> Ok(T value, int status = StatusCodes.Status200OK) => new(value, status);

    public static AssistantResult<T> Fail(int status, string title, string message, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(default, status, title, message, errors);

    public static AssistantResult<T> Invalid(string title, string field, string message) =>
        new(default, StatusCodes.Status400BadRequest, title, message, new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>
/// Changes made by scripts and assistants. Each goes through the studio's own service (GenerationService, BoardService,
/// BoardItemService, UploadService), so validation, moderation, quota, credits and board rights are theirs; this only
/// turns their answers into statuses both the API and the MCP tools report.
/// </summary>
public sealed class AssistantActions(GenerationService generations, BoardService boards, BoardItemService items, UploadService uploads, BoardAccess access)
{
    public async Task<AssistantResult<BoardListItem>> CreateBoardAsync(CurrentUser user, string? title, string? description, CancellationToken ct = default)
    {
        var result = await boards.CreateAsync(user, new BoardInput { Title = title, Description = description }, ct);
        return result switch
        {
            { Value: { } board } => AssistantResult<BoardListItem>.Ok(
                new BoardListItem(board.Id, board.Title, board.Description, 0, AssistantReads.Word(board.Permission), board.OwnerName, board.Palette, board.UpdatedAt),
                StatusCodes.Status201Created),
            { Error: BoardError.Forbidden } => AssistantResult<BoardListItem>.Fail(StatusCodes.Status403Forbidden, AccessWords.NoAccessTitle, "Only creators can create boards."),
            _ => AssistantResult<BoardListItem>.Fail(StatusCodes.Status400BadRequest, "The board could not be created.",
                result.Errors!.Values.First()[0], result.Errors),
        };
    }

    public async Task<AssistantResult<NoteCreated>> AddNoteAsync(CurrentUser user, Guid boardId, string? text, CancellationToken ct = default)
    {
        if (await CanEditAsync<NoteCreated>(user, boardId, ct) is { } refused)
        {
            return refused;
        }

        var result = await items.AddNoteAsync(user, boardId, text, ct);
        return result.Succeeded
            ? AssistantResult<NoteCreated>.Ok(new NoteCreated(result.ItemId!.Value), StatusCodes.Status201Created)
            : AssistantResult<NoteCreated>.Invalid("The note could not be added.", "Text", result.Error!);
    }

    public async Task<AssistantResult<ReferenceUploaded>> UploadReferenceAsync(CurrentUser user, Guid boardId, string fileName, byte[] bytes, CancellationToken ct = default)
    {
        if (await CanEditAsync<ReferenceUploaded>(user, boardId, ct) is { } refused)
        {
            return refused;
        }

        var outcome = await uploads.AddToBoardAsync(user, boardId, fileName, bytes, ct);
        return outcome.Succeeded
            ? AssistantResult<ReferenceUploaded>.Ok(new ReferenceUploaded(outcome.ItemId!.Value, outcome.AssetId!.Value, outcome.FileName), StatusCodes.Status201Created)
            : AssistantResult<ReferenceUploaded>.Invalid("The image could not be used.", "File", outcome.Error!);
    }

    /// <summary>Starts a generation exactly as the composer does; the answer carries the studio's own refusal message.</summary>
    public async Task<AssistantResult<GenerationStarted>> StartGenerationAsync(CurrentUser user, GenerationInput input, CancellationToken ct = default)
    {
        var result = await generations.StartAsync(user, input, ct);
        if (result.Started is { } started)
        {
            return AssistantResult<GenerationStarted>.Ok(new GenerationStarted(started.RequestId, input.BoardId, AssistantReads.Word(started.Type), started.Credits,
                [.. started.Tasks.Select(t => t.ItemId)], "queued"), StatusCodes.Status202Accepted);
        }

        var refusal = result.Refusal!.Value;
        var title = refusal switch
        {
            GenerationRefusal.Invalid => "The generation request is not valid.",
            GenerationRefusal.NotFound => AccessWords.NotFoundTitle,
            GenerationRefusal.Forbidden => AccessWords.NoAccessTitle,
            GenerationRefusal.Moderated => "The prompt was refused.",
            GenerationRefusal.QuotaExceeded => "Monthly credit quota reached.",
            _ => "Not enough credits in the image service account.",
        };
        var errors = result.Errors ?? (refusal == GenerationRefusal.Invalid ? new Dictionary<string, string[]> { [""] = [result.Message!] } : null);
        return AssistantResult<GenerationStarted>.Fail(GenerationApi.StatusFor(refusal), title, result.Message!, errors);
    }

    private async Task<AssistantResult<T>?> CanEditAsync<T>(CurrentUser user, Guid boardId, CancellationToken ct)
    {
        var permission = await access.GetAsync(boardId, user, ct);
        return permission switch
        {
            BoardPermission.None => AssistantResult<T>.Fail(StatusCodes.Status404NotFound, AccessWords.NotFoundTitle, AssistantErrors.BoardNotFound),
            < BoardPermission.Edit => AssistantResult<T>.Fail(StatusCodes.Status403Forbidden, AccessWords.NoAccessTitle, "You can look at this board but not change it."),
            _ => null,
        };
    }
}
