using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Assistant;
using Preset.Moodboard.Features.Review;
using Preset.Moodboard.Tests.TestUtilities;
using SkiaSharp;

namespace Preset.Moodboard.Tests.Features.Assistant;

/// <summary>The versioned HTTP API over real HTTP with personal access tokens (and a browser session), against its own OpenAPI document.</summary>
[Collection(SharedAppCollection.Name)]
public sealed partial class AssistantApiTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldDescribeTheApiWithAnOpenApiDocumentAndAReferencePage()
    {
        using var anonymous = app.ApiClient(null);

        var document = await anonymous.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var reference = await anonymous.GetAsync("api-reference/v1");

        var operations = Operations(document).Select(o => $"{o.Method} {o.Path}").ToList();
        Assert.Equal(
            ["GET /api/v1/boards", "GET /api/v1/boards/{boardId}", "GET /api/v1/credits", "GET /api/v1/generations/{generationId}",
             "POST /api/v1/boards", "POST /api/v1/boards/{boardId}/notes", "POST /api/v1/boards/{boardId}/references", "POST /api/v1/generations"],
            operations.Order());
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("PersonalAccessToken").GetProperty("scheme").GetString());
        Assert.All(Operations(document), o => Assert.True(o.Operation.TryGetProperty("summary", out _), $"{o.Method} {o.Path} has no summary"));
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("text/html", reference.Content.Headers.ContentType!.ToString());
    }

    /// <summary>Reads the document the app generates in this run and fails when a documented operation was not called below.</summary>
    [Fact]
    public async Task ShouldExerciseEveryDocumentedOperation()
    {
        var owner = await app.CreateUserAsync(Roles.Creator);
        var talent = await app.CreateUserAsync(Roles.Talent);
        var calls = new ConcurrentQueue<(string Method, string Path, HttpStatusCode Status)>();
        using var api = new HttpClient(new Recorder(calls) { InnerHandler = new HttpClientHandler() }) { BaseAddress = app.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.CreateTokenAsync(owner, name: "Script"));

        var created = await api.PostAsJsonAsync("api/v1/boards", new CreateBoardRequest("Spring lookbook", "Pastels, soft light"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var board = (await created.Content.ReadFromJsonAsync<BoardListItem>())!;
        Assert.Equal("own", board.Permission);

        var listed = await api.GetFromJsonAsync<List<BoardListItem>>("api/v1/boards?search=lookbook");
        Assert.Contains(listed!, b => b.Id == board.Id);

        using var form = new MultipartFormDataContent();
        var photo = new ByteArrayContent(TestImages.Encode(600, 400, SKEncodedImageFormat.Png));
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(photo, "file", "mood.png");
        var upload = await api.PostAsync($"api/v1/boards/{board.Id}/references", form);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var reference = (await upload.Content.ReadFromJsonAsync<ReferenceUploaded>())!;

        var note = await api.PostAsJsonAsync($"api/v1/boards/{board.Id}/notes", new AddNoteRequest("Keep the palette soft"));
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);

        var start = await api.PostAsJsonAsync("api/v1/generations",
            new CreateGenerationRequest(board.Id, "pastel studio portrait, soft window light", 2, "4:5", "PRESET", [reference.AssetId]));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var started = (await start.Content.ReadFromJsonAsync<GenerationStarted>())!;
        Assert.Equal("edit", started.Type);
        Assert.Equal(2, started.ItemIds.Count);
        Assert.EndsWith($"/api/v1/generations/{started.Id}", start.Headers.Location!.ToString());

        var generation = await WaitForGenerationAsync(api, started.Id);
        Assert.Equal("succeeded", generation.Status);
        Assert.All(generation.Tasks, t => Assert.NotNull(t.Image));
        Assert.True(generation.ViaAssistant);

        // A reviewer's verdict and comment come back with the board's items.
        var ownerSession = await app.SignInAsync(owner.Email, owner.Password);
        await ownerSession.ShareWithAsync(board.Id, talent.Email, "Reviewer");
        var talentSession = await app.SignInAsync(talent.Email, talent.Password);
        var image = generation.Tasks[0].ItemId;
        Assert.True((await talentSession.PutAsJsonAsync($"api/boards/{board.Id}/items/{image}/verdict", new VerdictBody("approved", "This one"))).IsSuccessStatusCode);
        Assert.True((await talentSession.PostAsJsonAsync($"api/boards/{board.Id}/comments", new CommentBody(image, "Lovely skin tones"))).IsSuccessStatusCode);

        var content = (await api.GetFromJsonAsync<BoardContent>($"api/v1/boards/{board.Id}"))!;
        var reviewed = content.Items.Single(i => i.Id == image);
        Assert.Equal(("approved", "This one"), (reviewed.Verdicts.Single().Verdict, reviewed.Verdicts.Single().Note));
        Assert.Equal("Lovely skin tones", reviewed.Comments.Single().Text);
        Assert.Contains(content.Items, i => i is { Kind: "note", Text: "Keep the palette soft" });
        Assert.Equal(4, content.Items.Count);
        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(reviewed.Image!.Url)).StatusCode);

        var credits = (await api.GetFromJsonAsync<CreditsContent>("api/v1/credits"))!;
        Assert.Equal(2 * credits.CreditsPerImage, credits.Used);
        Assert.Null(credits.Account);

        using var anonymousApi = app.ApiClient(null);
        var document = await anonymousApi.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var missing = Operations(document)
            .Where(o => !calls.Any(c => c.Method == o.Method && Template(o.Path).IsMatch(c.Path) && (int)c.Status < 400))
            .Select(o => $"{o.Method} {o.Path}")
            .ToList();
        Assert.True(missing.Count == 0, $"Documented but never exercised: {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData(null, "An access token is needed.")]
    [InlineData("pmb_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "This access token is not known.")]
    [InlineData("not-a-token", "This is not a Preset Moodboard access token.")]
    public async Task ShouldAnswer401WithProblemDetailsForAMissingOrWrongToken(string? token, string message)
    {
        using var api = app.ApiClient(token);

        var response = await api.GetAsync("api/v1/boards");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer realm=\"Preset Moodboard\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Contains(message, problem.Title + " " + problem.Detail);
    }

    [Fact]
    public async Task ShouldAnswer401ForAnExpiredOrRevokedToken()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var revoked = await app.CreateTokenAsync(user, name: "Old laptop");
        var expired = await app.CreateTokenAsync(user, name: "Trial");
        await using (var db = await app.OpenDbAsync())
        {
            await db.AccessTokens.Where(t => t.Name == "Old laptop" && t.UserId == user.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTime.UtcNow));
            await db.AccessTokens.Where(t => t.Name == "Trial" && t.UserId == user.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
        }

        foreach (var (token, words) in new[] { (revoked, "was revoked on"), (expired, "expired on") })
        {
            using var api = app.ApiClient(token);
            var response = await api.GetAsync("api/v1/credits");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains(words, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
            Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task ShouldAnswer403ToAReadTokenThatTriesToChangeThings()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var session = await app.SignInAsync(user.Email, user.Password);
        var board = await session.CreateBoardAsync();
        using var api = app.ApiClient(await app.CreateTokenAsync(user, TokenScopes.Read));

        var generate = await api.PostAsJsonAsync("api/v1/generations", new CreateGenerationRequest(board.Id, "a red chair"));
        var create = await api.PostAsJsonAsync("api/v1/boards", new CreateBoardRequest("Nope", null));
        var read = await api.GetAsync($"api/v1/boards/{board.Id}");

        Assert.Equal(HttpStatusCode.Forbidden, generate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("can only read", (await generate.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Empty(await session.ItemsAsync(board.Id));
    }

    [Fact]
    public async Task ShouldAnswer404ForAnotherUsersBoardAndGeneration()
    {
        var owner = await app.CreateUserAsync(Roles.Creator);
        var ownerSession = await app.SignInAsync(owner.Email, owner.Password);
        var board = await ownerSession.CreateBoardAsync("Private");
        var started = await ownerSession.GenerateAsync(board.Id, "a private red chair");
        using var stranger = app.ApiClient(await app.CreateTokenAsync(await app.CreateUserAsync(Roles.Creator)));

        var responses = new[]
        {
            await stranger.GetAsync($"api/v1/boards/{board.Id}"),
            await stranger.GetAsync($"api/v1/generations/{started.RequestId}"),
            await stranger.PostAsJsonAsync($"api/v1/boards/{board.Id}/notes", new AddNoteRequest("hi")),
            await stranger.PostAsJsonAsync("api/v1/generations", new CreateGenerationRequest(board.Id, "a red chair")),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        foreach (var response in responses)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }

        Assert.Single(await ownerSession.ItemsAsync(board.Id));
    }

    [Fact]
    public async Task ShouldNameTheFieldOfInvalidInput()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var session = await app.SignInAsync(user.Email, user.Password);
        var board = await session.CreateBoardAsync();
        using var api = app.ApiClient(await app.CreateTokenAsync(user));

        var longPrompt = await api.PostAsJsonAsync("api/v1/generations", new CreateGenerationRequest(board.Id, new string('a', 2001)));
        var badRatio = await api.PostAsJsonAsync("api/v1/generations", new CreateGenerationRequest(board.Id, "a red chair", AspectRatio: "7:3"));
        var noTitle = await api.PostAsJsonAsync("api/v1/boards", new CreateBoardRequest(" ", null));
        var emptyNote = await api.PostAsJsonAsync($"api/v1/boards/{board.Id}/notes", new AddNoteRequest(""));

        Assert.Equal(["Keep the prompt to 2000 characters (2001 now)."], (await Validation(longPrompt)).Errors["prompt"]);
        Assert.Equal(["Choose one of the aspect ratios 1:1, 9:16, 16:9, 3:4, 4:3, 3:2, 2:3, 5:4, 4:5, 21:9."], (await Validation(badRatio)).Errors["aspectRatio"]);
        Assert.Equal(["Give the board a title."], (await Validation(noTitle)).Errors["title"]);
        Assert.Equal(["Write something in the note."], (await Validation(emptyNote)).Errors["text"]);
        Assert.Empty(await session.ItemsAsync(board.Id));
    }

    [Fact]
    public async Task ShouldGiveTheStudiosMessageWhenTheQuotaIsSpent()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var session = await app.SignInAsync(user.Email, user.Password);
        var board = await session.CreateBoardAsync();
        await using (var db = await app.OpenDbAsync())
        {
            db.UserQuotas.Add(new UserQuota { UserId = user.Id, MonthlyCredits = 0 });
            await db.SaveChangesAsync();
        }

        using var api = app.ApiClient(await app.CreateTokenAsync(user));
        var response = await api.PostAsJsonAsync("api/v1/generations", new CreateGenerationRequest(board.Id, "a red chair"));
        await using var mcp = await app.ConnectMcpAsync(await app.CreateTokenAsync(user));
        var tool = await mcp.CallToolAsync("generate_image", new Dictionary<string, object?> { ["boardId"] = board.Id, ["prompt"] = "a red chair" });

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.StartsWith("This needs 4 credits but you have 0 of your 0 monthly credits left.", problem.Detail);
        Assert.True(tool.Failed());
        Assert.Equal(problem.Detail, tool.Text());
    }

    [Fact]
    public async Task ShouldAcceptASignedInSessionButAskItForTheAntiforgeryTokenToChangeThings()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var session = await app.SignInAsync(user.Email, user.Password);

        var read = await session.GetAsync("api/v1/credits");
        var withoutToken = await session.PostAsJsonAsync("api/v1/boards", new CreateBoardRequest("From a page", null));
        var antiforgery = (await session.GetFromJsonAsync<AntiforgeryToken>("api/antiforgery"))!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/boards") { Content = JsonContent.Create(new CreateBoardRequest("From a page", null)) };
        request.Headers.Add(antiforgery.Header, antiforgery.Token);
        var withToken = await session.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Contains("personal access token", (await withoutToken.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.Created, withToken.StatusCode);
    }

    [Fact]
    public async Task ShouldNotAcceptATokenOnTheStudiosPrivateEndpoints()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        using var api = app.ApiClient(await app.CreateTokenAsync(user));

        var response = await api.GetAsync("api/boards");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ShouldShowAnAssistantsGenerationLiveOnTheBoardWithItsMark()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var session = await app.SignInAsync(user.Email, user.Password);
        var board = await session.CreateBoardAsync();
        await using var hub = await BoardHubClient.ConnectAsync(app, session);
        await hub.Connection.InvokeAsync("JoinBoard", board.Id);
        using var api = app.ApiClient(await app.CreateTokenAsync(user, name: "Claude Code"));

        var start = await api.PostAsJsonAsync("api/v1/generations", new CreateGenerationRequest(board.Id, "a teal armchair in a sunlit loft"));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);

        var placeholder = await hub.WaitForAsync(i => i.BoardId == board.Id && i.Generation is { ViaAssistant: true, Via: "Claude Code" });
        var finished = await hub.WaitForAsync(i => i.Id == placeholder.Id && i.Image is not null);
        Assert.True(finished.Generation!.ViaAssistant);
    }

    private static async Task<GenerationDetails> WaitForGenerationAsync(HttpClient api, Guid id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        GenerationDetails? generation = null;
        while (DateTime.UtcNow < deadline)
        {
            generation = await api.GetFromJsonAsync<GenerationDetails>($"api/v1/generations/{id}");
            if (generation!.IsFinished)
            {
                return generation;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Generation {id} did not finish: {generation?.Status}");
    }

    private static async Task<ValidationProblemDetails> Validation(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ValidationProblemDetails>())!;
    }

    internal static IEnumerable<(string Method, string Path, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => (method.Name.ToUpperInvariant(), path.Name, method.Value)));

    private static Regex Template(string path) => new($"^{TemplateParameter().Replace(Regex.Escape(path).Replace(@"\{", "{"), "[^/]+")}$");

    [GeneratedRegex(@"\{[^}/]+}")]
    private static partial Regex TemplateParameter();

    /// <summary>Every request the test's client sends, with its answer, to compare against the documented operations.</summary>
    private sealed class Recorder(ConcurrentQueue<(string Method, string Path, HttpStatusCode Status)> calls) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            calls.Enqueue((request.Method.Method, request.RequestUri!.AbsolutePath, response.StatusCode));
            return response;
        }
    }
}
