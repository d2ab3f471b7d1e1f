using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Assistant;

/// <summary>The MCP server as an assistant uses it: the C# MCP client over real HTTP against the app on Kestrel, with a personal access token.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class McpServerTests(MoodboardApp app)
{
    private static readonly string[] ToolNames =
        ["add_note", "create_board", "edit_image", "generate_image", "get_board", "get_board_feedback", "get_credits", "get_generation", "list_boards", "wait_for_generation"];

    [Fact]
    public async Task ShouldListEveryToolWithADescriptionAndParameters()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(user));

        var tools = await mcp.ListToolsAsync();

        Assert.Equal(ToolNames, tools.Select(t => t.Name).Order());
        Assert.All(tools, t => Assert.True(t.Description.Length > 80, $"{t.Name} needs a description a model can act on"));
        var generate = tools.Single(t => t.Name == "generate_image").JsonSchema;
        Assert.Contains("\"prompt\"", generate.GetRawText());
        Assert.Contains("boardId", generate.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ShouldGenerateThenWaitUntilTheImageExists()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(user, name: "Claude Desktop"));
        var created = await mcp.CallToolAsync("create_board", new Dictionary<string, object?> { ["title"] = "Lisbon autumn" });
        var boardId = BoardIdIn(created.Text());

        var started = await mcp.CallToolAsync("generate_image", new Dictionary<string, object?>
        {
            ["boardId"] = boardId, ["prompt"] = "golden hour portrait on a tiled Lisbon street", ["aspectRatio"] = "3:4",
        });
        Assert.False(started.Failed(), started.Text());
        var generationId = GenerationIdIn(started.Text());
        var progress = new ConcurrentQueue<ProgressNotificationValue>();
        // Every progress notification of the session: the client's per-call handler ends with the call and drops a notification
        // it gets to just after the result (the final one went missing so under load), which says nothing of the server.
        await using var listening = mcp.RegisterNotificationHandler(NotificationMethods.ProgressNotification, (notification, _) =>
        {
            if (notification.Params?.Deserialize<ProgressNotificationParams>(McpJsonUtilities.DefaultOptions) is { } report)
            {
                progress.Enqueue(report.Progress);
            }

            return ValueTask.CompletedTask;
        });
        var done = await mcp.CallToolAsync("wait_for_generation", new Dictionary<string, object?> { ["generationId"] = generationId, ["timeoutSeconds"] = 30 },
            new SynchronousProgress(_ => { }));

        Assert.False(done.Failed(), done.Text());
        Assert.Contains("succeeded; 1 of 1 image(s) ready", done.Text());
        var link = Assert.Single(done.Links());
        Assert.Contains(link, done.Text());
        // The last notification may be handled just after the result: wait for it (bounded, and failing).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!progress.Any(r => r.Progress >= 1))
        {
            Assert.True(DateTime.UtcNow < deadline, $"No final progress report; got {string.Join(", ", progress.Select(r => r.Progress))}.");
            await Task.Delay(50);
        }

        var reports = progress.ToList();
        Assert.Equal(reports.Select(r => r.Progress).Order(), reports.Select(r => r.Progress));
        Assert.Equal((1f, 1f), (reports[^1].Progress, reports[^1].Total ?? 0));
        Assert.Contains("1 of 1 image(s) finished", reports[^1].Message);
        // The link is signed and expiring, and opens without any session or token.
        using var anonymous = new HttpClient();
        var image = await anonymous.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.StartsWith("image/", image.Content.Headers.ContentType!.MediaType);
        // Never image bytes in the result.
        Assert.DoesNotContain(done.Content, c => c is ModelContextProtocol.Protocol.ImageContentBlock);

        await using var db = await app.OpenDbAsync();
        var request = await db.GenerationRequests.AsNoTracking().SingleAsync(r => r.Id == generationId);
        Assert.Equal("Claude Desktop", request.Via);
        Assert.Contains(await db.CreditLedger.AsNoTracking().Where(e => e.RequestId == generationId).Select(e => e.Kind).ToListAsync(), k => k == LedgerEntryKind.Charge);
    }

    [Fact]
    public async Task ShouldAnswerEveryToolAsTheStudioWould()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync("Editorial");
        var uploaded = await client.UploadImageAsync(board.Id);
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(user));

        var boards = await mcp.CallToolAsync("list_boards", new Dictionary<string, object?> { ["search"] = "Edit" });
        Assert.Contains($"board_id {board.Id}", boards.Text());

        var note = await mcp.CallToolAsync("add_note", new Dictionary<string, object?> { ["boardId"] = board.Id, ["text"] = "Shot list: three looks" });
        Assert.False(note.Failed(), note.Text());

        var read = await mcp.CallToolAsync("get_board", new Dictionary<string, object?> { ["boardId"] = board.Id });
        Assert.Contains("Note (item_id", read.Text());
        Assert.Contains("Shot list: three looks", read.Text());
        Assert.Contains($"Image (item_id {uploaded}", read.Text());
        Assert.Single(read.Links());

        var edit = await mcp.CallToolAsync("edit_image", new Dictionary<string, object?>
        {
            ["boardId"] = board.Id, ["itemId"] = uploaded, ["prompt"] = "same frame, emerald tones",
        });
        Assert.False(edit.Failed(), edit.Text());
        var generationId = GenerationIdIn(edit.Text());
        var status = await mcp.CallToolAsync("get_generation", new Dictionary<string, object?> { ["generationId"] = generationId });
        Assert.Contains($"Generation {generationId} on board {board.Id}", status.Text());
        await mcp.CallToolAsync("wait_for_generation", new Dictionary<string, object?> { ["generationId"] = generationId, ["timeoutSeconds"] = 30 });
        var items = await client.ItemsAsync(board.Id);
        Assert.Contains(items, i => i.ParentItemId == uploaded && i.Image is not null && i.Generation!.ViaAssistant);

        var feedback = await mcp.CallToolAsync("get_board_feedback", new Dictionary<string, object?> { ["boardId"] = board.Id });
        Assert.Contains("No feedback on “Editorial” yet", feedback.Text());

        var credits = await mcp.CallToolAsync("get_credits", new Dictionary<string, object?>());
        Assert.Matches(@"This month: [\d,]+ of [\d,]+ credits left", credits.Text());
        Assert.DoesNotContain("account balance", credits.Text());
    }

    [Fact]
    public async Task ShouldGiveAdminsTheAccountBalance()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(admin, TokenScopes.Read));

        var credits = await mcp.CallToolAsync("get_credits", new Dictionary<string, object?>());

        Assert.Matches(@"Image service account balance \(admin view\): [\d,]+ credits", credits.Text());
    }

    [Fact]
    public async Task ShouldReturnReviewersFeedbackForTheNextPrompt()
    {
        var owner = await app.CreateUserAsync(Roles.Creator);
        var talent = await app.CreateUserAsync(Roles.Talent);
        var ownerClient = await app.SignInAsync(owner.Email, owner.Password);
        var board = await ownerClient.CreateBoardAsync("Casting");
        var item = await ownerClient.UploadImageAsync(board.Id);
        await ownerClient.ShareWithAsync(board.Id, talent.Email, "Reviewer");
        var talentClient = await app.SignInAsync(talent.Email, talent.Password);
        Assert.True((await talentClient.PutAsJsonAsync($"api/boards/{board.Id}/items/{item}/verdict",
            new Preset.Moodboard.Features.Review.VerdictBody("changes_requested", "warmer light please"))).IsSuccessStatusCode);
        Assert.True((await talentClient.PostAsJsonAsync($"api/boards/{board.Id}/comments",
            new Preset.Moodboard.Features.Review.CommentBody(null, "Love the styling overall"))).IsSuccessStatusCode);
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(owner, TokenScopes.Read));

        var feedback = await mcp.CallToolAsync("get_board_feedback", new Dictionary<string, object?> { ["boardId"] = board.Id });

        Assert.False(feedback.Failed());
        Assert.Contains($"{talent.DisplayName}: changes requested — “warmer light please”", feedback.Text());
        Assert.Contains("Love the styling overall", feedback.Text());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("pmb_not-a-real-token-at-all-0000000000000000000")]
    [InlineData("ghp_somebody-elses-token")]
    public async Task ShouldRefuseAMissingOrWrongToken(string? token)
    {
        var refusal = await Assert.ThrowsAnyAsync<Exception>(() => app.ConnectMcpAsync(token));

        Assert.Contains("401", Describe(refusal));
        using var http = app.ApiClient(token);
        var response = await InitializeAsync(http);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ShouldRefuseAnExpiredOrRevokedTokenOnItsNextRequest()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var token = await app.CreateTokenAsync(user);
        await using var mcp = await app.ConnectMcpAsync(token);
        Assert.False((await mcp.CallToolAsync("list_boards", new Dictionary<string, object?>())).Failed());

        await using (var db = await app.OpenDbAsync())
        {
            await db.AccessTokens.Where(t => t.UserId == user.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTime.UtcNow));
        }

        var revoked = await Assert.ThrowsAnyAsync<Exception>(() => mcp.CallToolAsync("list_boards", new Dictionary<string, object?>()).AsTask());
        Assert.Contains("401", Describe(revoked));

        var expiring = await app.CreateTokenAsync(user, days: 1);
        await using (var db = await app.OpenDbAsync())
        {
            await db.AccessTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        }

        using var http = app.ApiClient(expiring);
        var response = await InitializeAsync(http);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ShouldRefuseATokenOfADisabledAccount()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var token = await app.CreateTokenAsync(user);
        await using (var db = await app.OpenDbAsync())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisabledAt, DateTime.UtcNow));
        }

        using var http = app.ApiClient(token);
        var response = await InitializeAsync(http);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("disabled", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ShouldRefuseChangesWithAReadToken()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(user, TokenScopes.Read));

        foreach (var (tool, arguments) in new (string, Dictionary<string, object?>)[]
                 {
                     ("generate_image", new() { ["boardId"] = board.Id, ["prompt"] = "a red chair" }),
                     ("edit_image", new() { ["boardId"] = board.Id, ["itemId"] = Guid.NewGuid(), ["prompt"] = "a red chair" }),
                     ("create_board", new() { ["title"] = "Nope" }),
                     ("add_note", new() { ["boardId"] = board.Id, ["text"] = "Nope" }),
                 })
        {
            var result = await mcp.CallToolAsync(tool, arguments);
            Assert.True(result.Failed(), tool);
            Assert.Contains("can only read", result.Text());
        }

        Assert.Empty(await client.ItemsAsync(board.Id));
    }

    [Fact]
    public async Task ShouldNotShowAnotherUsersBoard()
    {
        var owner = await app.CreateUserAsync(Roles.Creator);
        var ownerClient = await app.SignInAsync(owner.Email, owner.Password);
        var board = await ownerClient.CreateBoardAsync("Private");
        var stranger = await app.CreateUserAsync(Roles.Creator);
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(stranger));

        foreach (var (tool, arguments) in new (string, Dictionary<string, object?>)[]
                 {
                     ("get_board", new() { ["boardId"] = board.Id }),
                     ("get_board_feedback", new() { ["boardId"] = board.Id }),
                     ("add_note", new() { ["boardId"] = board.Id, ["text"] = "hello" }),
                     ("generate_image", new() { ["boardId"] = board.Id, ["prompt"] = "a red chair" }),
                 })
        {
            var result = await mcp.CallToolAsync(tool, arguments);
            Assert.True(result.Failed(), tool);
            Assert.Equal("This board doesn't exist or isn't shared with you.", result.Text());
        }

        Assert.DoesNotContain(board.Id.ToString(), (await mcp.CallToolAsync("list_boards", new Dictionary<string, object?>())).Text());
        Assert.Empty(await ownerClient.ItemsAsync(board.Id));
    }

    [Theory]
    [InlineData(2001, "1:1", "prompt: Keep the prompt to 2000 characters (2001 now).")]
    [InlineData(20, "7:3", "aspectRatio: Choose one of the aspect ratios 1:1, 9:16, 16:9, 3:4, 4:3, 3:2, 2:3, 5:4, 4:5, 21:9.")]
    public async Task ShouldNameTheFieldOfInvalidInput(int promptLength, string ratio, string message)
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(user));

        var result = await mcp.CallToolAsync("generate_image", new Dictionary<string, object?>
        {
            ["boardId"] = board.Id, ["prompt"] = new string('a', promptLength), ["aspectRatio"] = ratio,
        });

        Assert.True(result.Failed());
        Assert.Equal(message, result.Text());
        Assert.Empty(await client.ItemsAsync(board.Id));
    }

    [Fact]
    public async Task ShouldRelayTheStudiosModerationMessage()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(user));

        var result = await mcp.CallToolAsync("generate_image", new Dictionary<string, object?> { ["boardId"] = board.Id, ["prompt"] = "a nude figure study" });

        Assert.True(result.Failed());
        Assert.Equal("This prompt mentions “nude”, which isn't allowed here. Describe the scene without it and try again.", result.Text());
    }

    [Fact]
    public async Task ShouldReturnTheStateAtTheBoundWhenAGenerationNeverFinishes()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(user));
        var started = await mcp.CallToolAsync("generate_image", new Dictionary<string, object?> { ["boardId"] = board.Id, ["prompt"] = "a slow red chair [nb:slow-30s]" });
        var generationId = GenerationIdIn(started.Text());

        var progress = new ConcurrentQueue<ProgressNotificationValue>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await mcp.CallToolAsync("wait_for_generation", new Dictionary<string, object?> { ["generationId"] = generationId, ["timeoutSeconds"] = 3 },
            new SynchronousProgress(progress.Enqueue));
        watch.Stop();

        Assert.False(result.Failed(), result.Text());
        Assert.StartsWith("Still being made after 3 s", result.Text());
        Assert.Contains("0 of 1 image(s) ready", result.Text());
        Assert.InRange(watch.Elapsed.TotalSeconds, 2.5, 15);
        // Notifications kept coming while nothing finished, each a little further on.
        var reports = progress.ToList();
        Assert.True(reports.Count >= 2, $"{reports.Count} progress notification(s)");
        Assert.All(reports.Zip(reports.Skip(1)), pair => Assert.True(pair.Second.Progress > pair.First.Progress));
        Assert.All(reports, r => Assert.InRange(r.Progress, 0f, 0.9f));
    }

    [Theory]
    [InlineData("[nb:policy]", "This prompt was flagged by the image service's content policy — try describing the scene without the flagged details.")]
    [InlineData("[nb:submit-402-body]", "The image service account is out of credits — ask an admin to top up. Nothing was charged.")]
    public async Task ShouldReportAFailedGenerationAsAToolErrorWithTheStudiosReason(string marker, string reason)
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(user));
        var started = await mcp.CallToolAsync("generate_image", new Dictionary<string, object?> { ["boardId"] = board.Id, ["prompt"] = $"a red chair {marker}" });
        var generationId = GenerationIdIn(started.Text());

        var result = await mcp.CallToolAsync("wait_for_generation", new Dictionary<string, object?> { ["generationId"] = generationId, ["timeoutSeconds"] = 30 });

        Assert.True(result.Failed(), result.Text());
        Assert.StartsWith($"No image could be made. {reason}", result.Text());
        var items = await client.ItemsAsync(board.Id);
        Assert.Equal(reason, Assert.Single(items).Generation!.Reason);
    }

    [Fact]
    public async Task ShouldExplainAMalformedId()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(user));

        var result = await mcp.CallToolAsync("get_board", new Dictionary<string, object?> { ["boardId"] = "my autumn board" });

        Assert.True(result.Failed());
        Assert.Equal("boardId: “my autumn board” is not an id. Ids look like 0193f2c4-…; call list_boards to find the right one.", result.Text());
    }

    internal static Guid BoardIdIn(string text) => Guid.Parse(System.Text.RegularExpressions.Regex.Match(text, @"board_id ([0-9a-f-]{36})").Groups[1].Value);

    internal static Guid GenerationIdIn(string text) => Guid.Parse(System.Text.RegularExpressions.Regex.Match(text, @"Started generation ([0-9a-f-]{36})").Groups[1].Value);

    private static string Describe(Exception exception) => exception is HttpRequestException { StatusCode: { } status }
        ? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : exception.ToString();

    /// <summary>What any MCP client sends first, as raw HTTP, to see the status and headers the server answers with.</summary>
    internal static Task<HttpResponseMessage> InitializeAsync(HttpClient http)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return http.SendAsync(request);
    }

    private sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}
