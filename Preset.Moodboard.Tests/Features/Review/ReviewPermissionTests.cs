using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Review;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Review;

/// <summary>
/// Who may do what on a shared board, over HTTP and the hub: owner, editor, reviewer, link reviewer, link viewer,
/// stranger, and guests whose link was revoked or has expired — against view, verdict, comment, generate, upload,
/// delete and share. Refused calls change nothing.
/// </summary>
[Collection(SharedAppCollection.Name)]
public sealed class ReviewPermissionTests(MoodboardApp app)
{
    private const int Ok = 200, Created = 201, Accepted = 202, NoContent = 204, Forbidden = 403, NotFound = 404;

    private static readonly string[] Actions = ["view", "verdict", "comment", "generate", "upload", "delete", "share"];

    // Expected status per role and action, in the order of Actions.
    private static readonly Dictionary<string, int[]> Expected = new()
    {
        ["owner"] = [Ok, NoContent, Created, Accepted, Ok, NoContent, Created],
        ["editor"] = [Ok, NoContent, Created, Accepted, Ok, NoContent, Forbidden],
        ["reviewer"] = [Ok, NoContent, Created, Forbidden, Forbidden, Forbidden, Forbidden],
        ["link reviewer"] = [Ok, NoContent, Created, Forbidden, Forbidden, Forbidden, Forbidden],
        ["link viewer"] = [Ok, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden],
        ["stranger"] = [NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound],
        ["revoked link"] = [NotFound, NotFound, NotFound, Forbidden, Forbidden, Forbidden, Forbidden],
        ["expired link"] = [NotFound, NotFound, NotFound, Forbidden, Forbidden, Forbidden, Forbidden],
    };

    [Fact]
    public async Task ShouldAllowEachRoleExactlyWhatItMayDoOverHttp()
    {
        var board = await SharedBoardAsync();
        var failures = new List<string>();

        foreach (var (role, client) in board.Clients)
        {
            for (var a = 0; a < Actions.Length; a++)
            {
                var status = await ActAsync(board, role, client, Actions[a]);
                if (status != Expected[role][a])
                {
                    failures.Add($"{role} {Actions[a]}: expected {Expected[role][a]}, got {status}");
                }
            }
        }

        Assert.Empty(failures);
        await using var db = await app.OpenDbAsync();
        var refusedGuests = board.RefusedGuestNames;
        Assert.False(await db.ItemReviews.AnyAsync(r => refusedGuests.Contains(r.ReviewerName)), "A refused caller's verdict was stored.");
        Assert.False(await db.Comments.AnyAsync(c => refusedGuests.Contains(c.AuthorName)), "A refused caller's comment was stored.");
    }

    [Fact]
    public async Task ShouldLetOnlyThoseWithAccessFollowTheBoardOnTheHub()
    {
        var board = await SharedBoardAsync();
        var failures = new List<string>();

        foreach (var (role, client) in board.Clients)
        {
            var mayFollow = Expected[role][0] == Ok;
            await using var hub = await BoardHubClient.ConnectAsync(app, client);
            var joined = await TryJoinAsync(hub.Connection, board.Id);
            if (joined != mayFollow)
            {
                failures.Add($"{role}: {(mayFollow ? "could not follow" : "could follow")} the board");
            }
        }

        Assert.Empty(failures);
    }

    private static async Task<bool> TryJoinAsync(HubConnection connection, Guid boardId)
    {
        try
        {
            await connection.InvokeAsync("JoinBoard", boardId);
            return true;
        }
        catch (HubException)
        {
            return false;
        }
    }

    private static async Task<int> ActAsync(SharedBoard board, string role, HttpClient client, string action)
    {
        var response = action switch
        {
            "view" => await client.GetAsync($"api/boards/{board.Id}/items"),
            "verdict" => await client.PutAsJsonAsync($"api/boards/{board.Id}/items/{board.Image}/verdict", new VerdictBody("approved", $"from {role}")),
            "comment" => await client.PostAsJsonAsync($"api/boards/{board.Id}/comments", new CommentBody(board.Image, $"comment by {role}")),
            "generate" => await client.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody("permission check, a quiet studio still life")),
            "upload" => await UploadAsync(client, board.Id),
            "delete" => await client.DeleteAsync($"api/boards/{board.Id}/items/{board.Deletable[role]}"),
            "share" => await client.PostAsJsonAsync($"api/boards/{board.Id}/shares/links", new LinkBody("Review", 7, null)),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        return (int)response.StatusCode;
    }

    /// <summary>Uploads with an antiforgery token when the caller can get one (signed-in users), without when not.</summary>
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid boardId)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Encode(64, 64, SkiaSharp.SKEncodedImageFormat.Png)), "files", "p.png" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/boards/{boardId}/uploads") { Content = form };
        var tokenResponse = await client.GetAsync("api/antiforgery");
        if (tokenResponse.IsSuccessStatusCode && await tokenResponse.Content.ReadFromJsonAsync<AntiforgeryToken>() is { } token)
        {
            request.Headers.Add(token.Header, token.Token);
        }

        return await client.SendAsync(request);
    }

    private sealed record SharedBoard(Guid Id, Guid Image, Dictionary<string, HttpClient> Clients, Dictionary<string, Guid> Deletable, string[] RefusedGuestNames);

    private async Task<SharedBoard> SharedBoardAsync()
    {
        var owner = await app.CreateUserAsync("Creator");
        var editor = await app.CreateUserAsync("Creator");
        var reviewer = await app.CreateUserAsync("Talent");
        var stranger = await app.CreateUserAsync("Creator");
        var ownerClient = await app.SignInAsync(owner.Email, owner.Password);
        var board = await ownerClient.CreateBoardAsync("Permissions");
        var image = await ownerClient.UploadImageAsync(board.Id);
        await ownerClient.ShareWithAsync(board.Id, editor.Email, "Editor");
        await ownerClient.ShareWithAsync(board.Id, reviewer.Email, "Reviewer");

        var review = await ownerClient.CreateLinkAsync(board.Id);
        var view = await ownerClient.CreateLinkAsync(board.Id, "View");
        var revoked = await ownerClient.CreateLinkAsync(board.Id);
        var expired = await ownerClient.CreateLinkAsync(board.Id);
        var clients = new Dictionary<string, HttpClient>
        {
            ["owner"] = ownerClient,
            ["editor"] = await app.SignInAsync(editor.Email, editor.Password),
            ["reviewer"] = await app.SignInAsync(reviewer.Email, reviewer.Password),
            ["link reviewer"] = await app.JoinAsGuestAsync(review.Url, "Link Reviewer"),
            ["link viewer"] = await app.OpenViewLinkAsync(view.Url),
            ["stranger"] = await app.SignInAsync(stranger.Email, stranger.Password),
            ["revoked link"] = await app.JoinAsGuestAsync(revoked.Url, "Revoked Guest"),
            ["expired link"] = await app.JoinAsGuestAsync(expired.Url, "Expired Guest"),
        };

        Assert.Equal(HttpStatusCode.OK, (await ownerClient.DeleteAsync($"api/boards/{board.Id}/shares/links/{revoked.Link.Id}")).StatusCode);
        await using (var db = await app.OpenDbAsync())
        {
            await db.ShareLinks.Where(l => l.Id == expired.Link.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)));
        }

        var deletable = new Dictionary<string, Guid>();
        foreach (var role in clients.Keys)
        {
            deletable[role] = await ownerClient.UploadImageAsync(board.Id);
        }

        return new SharedBoard(board.Id, image, clients, deletable, ["Revoked Guest", "Expired Guest"]);
    }
}
