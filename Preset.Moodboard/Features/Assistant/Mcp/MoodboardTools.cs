using System.ComponentModel;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Assistant.Tokens;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Assistant.Mcp;

/// <summary>
/// The MCP tools an assistant such as Claude calls with the user's personal access token. Every change goes through the
/// studio's own services (AssistantActions), every read through AssistantReads; refusals come back as tool errors carrying the
/// message the studio shows. Images are signed links that expire — never image bytes.
/// </summary>
[McpServerToolType]
public sealed class MoodboardTools(AssistantReads reads, AssistantActions actions, BoardAccess access, IOptionsMonitor<AssistantOptions> options, TimeProvider clock)
{
    private const string Ratios = "1:1, 9:16, 16:9, 3:4, 4:3, 3:2, 2:3, 5:4, 4:5, 21:9";

    [McpServerTool(Name = "list_boards", Title = "List moodboards", ReadOnly = true, OpenWorld = false)]
    [Description("Lists the user's moodboards (their own and those shared with them), most recently changed first, with each board's id, " +
        "title, number of items, colour palette and the user's permission (own, edit, review, view). Call this first to find the board_id the other tools need.")]
    public async Task<CallToolResult> ListBoards(RequestContext<CallToolRequestParams> context,
        [Description("Optional words to filter board titles by, e.g. \"autumn\".")] string? search = null,
        CancellationToken ct = default)
    {
        var boards = await reads.ListBoardsAsync(User(context), search, ct);
        return Text(McpText.Boards(boards, search));
    }

    [McpServerTool(Name = "create_board", Title = "Create a moodboard", Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Creates a new, empty moodboard owned by the user (creators only) and returns its id, ready for generate_image. " +
        "Use it when the user starts a new shoot or idea; prefer an existing board (list_boards) when one fits.")]
    public async Task<CallToolResult> CreateBoard(RequestContext<CallToolRequestParams> context,
        [Description("The board's title, 1–120 characters, e.g. \"Autumn campaign — Lisbon\".")] string title,
        [Description("Optional description of the shoot or idea, up to 2,000 characters.")] string? description = null,
        CancellationToken ct = default)
    {
        if (NeedsGenerate(context) is { } refused)
        {
            return refused;
        }

        var result = await actions.CreateBoardAsync(User(context), title, description, ct);
        return result.Value is { } board ? Text($"Created the board “{board.Title}” (board_id {board.Id}).") : Error(result);
    }

    [McpServerTool(Name = "get_board", Title = "Read a moodboard", ReadOnly = true, OpenWorld = false)]
    [Description("Reads one moodboard: its title, description and colour palette, and every item on it in board order — images (with a signed " +
        "link to view each, valid for some hours), images still being generated, notes and colour swatches. Use it to see what is on a board and " +
        "to find item ids for edit_image or reference images.")]
    public async Task<CallToolResult> GetBoard(RequestContext<CallToolRequestParams> context,
        [Description("Id of the board (from list_boards).")] string boardId,
        CancellationToken ct = default)
    {
        if (ParseId(boardId) is not { } id)
        {
            return Error(InvalidId(boardId, "boardId", "list_boards"));
        }

        return await reads.GetBoardAsync(User(context), id, ct) is { } board
            ? WithImages(McpText.Board(board), board.Items.Where(i => i.Image is not null).Select(i => (i.Image!, i.Caption ?? i.Generation?.Prompt ?? "Board image")))
            : Error(AssistantErrors.BoardNotFound);
    }

    [McpServerTool(Name = "get_board_feedback", Title = "Read reviewers' feedback", ReadOnly = true, OpenWorld = false)]
    [Description("Reads what reviewers (talent, clients, colleagues) said about a board: each image's verdicts (approved, changes requested, rejected) " +
        "with their notes, each image's comment thread and the board's general comments. Use it to summarise feedback and to propose the next prompt " +
        "or an edit_image of the image that needs changes.")]
    public async Task<CallToolResult> GetBoardFeedback(RequestContext<CallToolRequestParams> context,
        [Description("Id of the board (from list_boards).")] string boardId,
        CancellationToken ct = default)
    {
        if (ParseId(boardId) is not { } id)
        {
            return Error(InvalidId(boardId, "boardId", "list_boards"));
        }

        return await reads.GetBoardAsync(User(context), id, ct) is { } board ? Text(McpText.Feedback(board)) : Error(AssistantErrors.BoardNotFound);
    }

    [McpServerTool(Name = "add_note", Title = "Add a note to a board", Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Adds a text note at the start of a moodboard, e.g. a summary of the feedback, a shot list or the next steps agreed with the user.")]
    public async Task<CallToolResult> AddNote(RequestContext<CallToolRequestParams> context,
        [Description("Id of the board (from list_boards).")] string boardId,
        [Description("The note's text, up to 4,000 characters. Line breaks are kept.")] string text,
        CancellationToken ct = default)
    {
        if (NeedsGenerate(context) is { } refused)
        {
            return refused;
        }

        if (ParseId(boardId) is not { } id)
        {
            return Error(InvalidId(boardId, "boardId", "list_boards"));
        }

        var result = await actions.AddNoteAsync(User(context), id, text, ct);
        return result.Value is { } note ? Text($"Added the note (item_id {note.ItemId}).") : Error(result);
    }

    [McpServerTool(Name = "generate_image", Title = "Generate images", Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description("Starts generating 1–4 new images from a text prompt on one of the user's moodboards and returns a generation_id at once. " +
        "Images take roughly 10–60 seconds: tell the user the image is being made, then call wait_for_generation (or get_generation later) to get " +
        "links to the finished images. Each image costs credits from the user's monthly quota (see get_credits). Prompts are moderated; if one is refused, " +
        "ask the user to rephrase. The new images appear live on the board for everyone who has it open.")]
    public async Task<CallToolResult> GenerateImage(RequestContext<CallToolRequestParams> context,
        [Description("Id of the board to put the images on (from list_boards or create_board).")] string boardId,
        [Description("What the image should show — subject, setting, light, colours, mood, style — 3 to 2,000 characters.")] string prompt,
        [Description("How many variations to make, 1 to 4. Each one costs credits.")] int count = 1,
        [Description("Aspect ratio, one of " + Ratios + ". 3:4 or 4:5 suit portraits, 16:9 landscapes.")] string aspectRatio = "1:1",
        [Description("Optional text drawn on the images as a watermark, up to 40 characters.")] string? watermark = null,
        [Description("Optional ids of images already on this board (item ids from get_board) to use as references for style or content.")] string[]? referenceItemIds = null,
        CancellationToken ct = default)
    {
        if (NeedsGenerate(context) is { } refused)
        {
            return refused;
        }

        if (ParseId(boardId) is not { } id)
        {
            return Error(InvalidId(boardId, "boardId", "list_boards"));
        }

        var user = User(context);
        List<Guid> references = [];
        if (referenceItemIds is { Length: > 0 })
        {
            if (await access.GetAsync(id, user, ct) == BoardPermission.None)
            {
                return Error(AssistantErrors.BoardNotFound);
            }

            var ids = new List<Guid>();
            foreach (var raw in referenceItemIds)
            {
                if (ParseId(raw) is not { } itemId)
                {
                    return Error(InvalidId(raw, "referenceItemIds", "get_board"));
                }

                ids.Add(itemId);
            }

            var images = await reads.ImagesOnBoardAsync(id, ids, ct);
            if (ids.FirstOrDefault(i => !images.ContainsKey(i)) is var missing && missing != Guid.Empty)
            {
                return Error($"referenceItemIds: {missing} is not a finished image on this board. Call get_board to see its images.");
            }

            references = [.. ids.Select(i => images[i].AssetId)];
        }

        return await StartAsync(context, new GenerationInput(id, prompt, count, aspectRatio, references, watermark, Via: AssistantClaims.Origin(context.User!)), ct);
    }

    [McpServerTool(Name = "edit_image", Title = "Edit an image", Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description("Makes 1–4 edited versions of an image that is on a moodboard, following an instruction such as \"make the jacket emerald green\" or " +
        "\"same pose, golden-hour light\". The original stays; the edits are placed right after it and marked as edits. Returns a generation_id at once: " +
        "tell the user, then call wait_for_generation. Costs credits like generate_image.")]
    public async Task<CallToolResult> EditImage(RequestContext<CallToolRequestParams> context,
        [Description("Id of the board the image is on (from list_boards).")] string boardId,
        [Description("Id of the image to edit (an item id from get_board; it must be a finished image).")] string itemId,
        [Description("The edit to make, 3 to 2,000 characters, e.g. \"replace the background with a foggy pine forest\".")] string prompt,
        [Description("How many edited versions to make, 1 to 4.")] int count = 1,
        [Description("Optional aspect ratio, one of " + Ratios + ". Leave it out to keep the image's own shape.")] string? aspectRatio = null,
        [Description("Optional text drawn on the images as a watermark, up to 40 characters.")] string? watermark = null,
        CancellationToken ct = default)
    {
        if (NeedsGenerate(context) is { } refused)
        {
            return refused;
        }

        if (ParseId(boardId) is not { } id)
        {
            return Error(InvalidId(boardId, "boardId", "list_boards"));
        }

        if (ParseId(itemId) is not { } parent)
        {
            return Error(InvalidId(itemId, "itemId", "get_board"));
        }

        var user = User(context);
        if (aspectRatio is null)
        {
            if (await access.GetAsync(id, user, ct) == BoardPermission.None)
            {
                return Error(AssistantErrors.BoardNotFound);
            }

            var images = await reads.ImagesOnBoardAsync(id, [parent], ct);
            if (!images.TryGetValue(parent, out var image))
            {
                return Error("itemId: this is not a finished image on this board. Call get_board to see its images.");
            }

            aspectRatio = AspectRatios.Nearest(image.Width, image.Height);
        }

        return await StartAsync(context, new GenerationInput(id, prompt, count, aspectRatio, [], watermark, parent, Via: AssistantClaims.Origin(context.User!)), ct);
    }

    [McpServerTool(Name = "get_generation", Title = "Check a generation", ReadOnly = true, OpenWorld = false)]
    [Description("Tells how a generation started with generate_image or edit_image is doing: its status (queued, running, succeeded, failed, partial), " +
        "how many images are ready, why any failed, and signed links to the finished images (valid for some hours). Does not wait; use wait_for_generation to wait.")]
    public async Task<CallToolResult> GetGeneration(RequestContext<CallToolRequestParams> context,
        [Description("The generation_id returned by generate_image or edit_image.")] string generationId,
        CancellationToken ct = default)
    {
        if (ParseId(generationId) is not { } id)
        {
            return Error(InvalidId(generationId, "generationId", "generate_image"));
        }

        return await reads.GetGenerationAsync(User(context), id, ct) is { } generation ? Generation(generation, McpText.Generation(generation)) : Error(AssistantErrors.GenerationNotFound);
    }

    [McpServerTool(Name = "wait_for_generation", Title = "Wait for a generation", ReadOnly = true, OpenWorld = false)]
    [Description("Waits until a generation has finished, up to a time limit, sending progress notifications while it waits; then returns its status " +
        "and signed links to the finished images, like get_generation. If it is still running at the limit it returns the current state (not an error): " +
        "tell the user it is still being made and call it again.")]
    public async Task<CallToolResult> WaitForGeneration(RequestContext<CallToolRequestParams> context, IProgress<ProgressNotificationValue> progress,
        [Description("The generation_id returned by generate_image or edit_image.")] string generationId,
        [Description("How long to wait at most, in seconds (1 to 50; default 30).")] int timeoutSeconds = 30,
        CancellationToken ct = default)
    {
        if (ParseId(generationId) is not { } id)
        {
            return Error(InvalidId(generationId, "generationId", "generate_image"));
        }

        var settings = options.CurrentValue;
        var bound = TimeSpan.FromSeconds(Math.Clamp(timeoutSeconds, 1, settings.MaxWaitSeconds));
        var user = User(context);
        var started = clock.GetTimestamp();
        TimeSpan? lastReport = null;
        while (true)
        {
            if (await reads.GetGenerationAsync(user, id, ct) is not { } generation)
            {
                return Error(AssistantErrors.GenerationNotFound);
            }

            var waited = clock.GetElapsedTime(started);
            if (generation.IsFinished)
            {
                // Sent before the result, not just started (IProgress.Report only starts sending): a client drops a
                // notification that arrives after its call has ended, and the final one then went missing now and then.
                if (context.Params?.ProgressToken is { } token)
                {
                    await context.Server.NotifyProgressAsync(token, Progress(generation, waited, bound), cancellationToken: ct);
                }

                return Generation(generation, McpText.Generation(generation));
            }

            if (waited >= bound)
            {
                return Generation(generation,
                    $"Still being made after {bound.TotalSeconds:0} s — this is the state now, not a failure. Call wait_for_generation again to keep waiting.\n\n{McpText.Generation(generation)}");
            }

            // A notification at least every couple of seconds tells the client (and the user) the wait is alive.
            if (lastReport is null || waited - lastReport >= ProgressInterval)
            {
                lastReport = waited;
                progress.Report(Progress(generation, waited, bound));
            }

            var pause = settings.WaitPollInterval < bound - waited ? settings.WaitPollInterval : bound - waited;
            await Task.Delay(pause, clock, ct);
        }
    }

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Finished images, plus a share of the wait that never reaches the next whole image: the value only ever grows, as MCP
    /// requires, whether an image finishes or time passes.
    /// </summary>
    private static ProgressNotificationValue Progress(GenerationDetails generation, TimeSpan waited, TimeSpan bound)
    {
        var states = string.Join(", ", generation.Tasks.GroupBy(t => t.State).Select(g => $"{g.Count()} {g.Key}"));
        return new ProgressNotificationValue
        {
            Progress = (float)(generation.Finished + (generation.IsFinished ? 0 : Math.Min(0.9, waited / bound))),
            Total = generation.Tasks.Count,
            Message = $"{generation.Finished} of {generation.Tasks.Count} image(s) finished ({states}); waited {waited.TotalSeconds:0} s.",
        };
    }

    [McpServerTool(Name = "get_credits", Title = "Check credits", ReadOnly = true, OpenWorld = false)]
    [Description("Tells how many generation credits the user has left this month (quota, used, reserved by images in progress), what an image " +
        "costs and when the quota resets; for admins also the image service account's balance. Use it before generating many images or when a " +
        "generation is refused for credits.")]
    public async Task<CallToolResult> GetCredits(RequestContext<CallToolRequestParams> context, CancellationToken ct = default) =>
        Text(McpText.Credits(await reads.GetCreditsAsync(User(context), ct)));

    private async Task<CallToolResult> StartAsync(RequestContext<CallToolRequestParams> context, GenerationInput input, CancellationToken ct)
    {
        var result = await actions.StartGenerationAsync(User(context), input, ct);
        if (result.Value is not { } started)
        {
            return Error(result);
        }

        return Text($"Started generation {started.Id}: {started.ItemIds.Count} image(s) ({started.Type.Replace('_', ' ')}), {started.Credits} credit(s) reserved. " +
            $"Placeholders are on the board now. It usually takes 10–60 seconds — tell the user the image is being made, then call wait_for_generation " +
            $"with generationId {started.Id}.");
    }

    /// <summary>A generation that ended without any image is a tool error carrying the reasons the studio shows (content policy, credits…).</summary>
    private static CallToolResult Generation(GenerationDetails generation, string text) => generation.Status == "failed"
        ? Error($"No image could be made. {string.Join(" ", generation.Tasks.Select(t => t.Reason).OfType<string>().Distinct())}\n\n{text}")
        : WithImages(text, generation.Tasks.Where(t => t.Image is not null).Select(t => (t.Image!, generation.Prompt)));

    private static CallToolResult WithImages(string text, IEnumerable<(ImageLink Image, string Title)> images) => new()
    {
        Content =
        [
            new TextContentBlock { Text = text },
            .. images.Select((image, index) => new ResourceLinkBlock
            {
                Uri = image.Image.Url,
                Name = $"image-{index + 1}-{image.Image.AssetId:N}",
                Title = image.Title.Length > 80 ? image.Title[..80] + "…" : image.Title,
                Description = $"{image.Image.Width}×{image.Image.Height}; the link works until {image.Image.ExpiresAt:yyyy-MM-dd HH:mm} UTC.",
            }),
        ],
    };

    private static CurrentUser User(RequestContext<CallToolRequestParams> context) => CurrentUser.Require(context.User ?? new ClaimsPrincipal());

    private static CallToolResult? NeedsGenerate(RequestContext<CallToolRequestParams> context) =>
        AssistantClaims.Allows(context.User ?? new ClaimsPrincipal(), TokenScopeText.Generate) ? null : Error(AssistantErrors.NeedsGenerateScope);

    private static Guid? ParseId(string? value) => Guid.TryParse(value?.Trim(), out var id) ? id : null;

    private static string InvalidId(string? value, string field, string source) =>
        $"{field}: “{(value is { Length: > 40 } ? value[..40] + "…" : value)}” is not an id. Ids look like 0193f2c4-…; call {source} to find the right one.";

    private static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };

    private static CallToolResult Error(string message) => new() { IsError = true, Content = [new TextContentBlock { Text = message }] };

    /// <summary>The studio's message; for invalid input, each field's message named as the tool's parameter ("prompt: …").</summary>
    private static CallToolResult Error<T>(AssistantResult<T> result)
    {
        var lines = result.Errors is { Count: > 0 } errors && result.Status == StatusCodes.Status400BadRequest
            ? errors.SelectMany(e => e.Value.Select(message => e.Key.Length == 0 ? message : $"{ToolField(e.Key)}: {message}"))
            : [result.Message ?? result.Title ?? "The request was refused."];
        return Error(string.Join("\n", lines));
    }

    private static string ToolField(string field) => field switch
    {
        "ReferenceAssetIds" => "referenceItemIds",
        "ParentItemId" => "itemId",
        _ => Api.AssistantApi.JsonField(field),
    };
}
