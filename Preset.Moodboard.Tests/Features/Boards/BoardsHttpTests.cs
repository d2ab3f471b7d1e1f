using System.Net;
using System.Net.Http.Json;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Boards;

[Collection(SharedAppCollection.Name)]
public sealed class BoardsHttpTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldKeepBoardsInvisibleToOtherCreators()
    {
        var alice = await app.CreateUserAsync("Creator");
        var bob = await app.CreateUserAsync("Creator");
        using var aliceClient = await app.SignInAsync(alice.Email, alice.Password);
        using var bobClient = await app.SignInAsync(bob.Email, bob.Password);
        var board = await CreateAsync(aliceClient, "Alice's private board");

        var bobsList = await bobClient.GetFromJsonAsync<List<BoardSummary>>("api/boards");
        Assert.DoesNotContain(bobsList!, b => b.Id == board.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await bobClient.GetAsync($"api/boards/{board.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bobClient.PutAsJsonAsync($"api/boards/{board.Id}", new BoardInput { Title = "Hijacked" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bobClient.DeleteAsync($"api/boards/{board.Id}")).StatusCode);

        var page = await bobClient.GetAsync($"boards/{board.Id}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("Alice&#x27;s private board", await page.Content.ReadAsStringAsync());

        var stillThere = await aliceClient.GetFromJsonAsync<BoardDetails>($"api/boards/{board.Id}");
        Assert.Equal("Alice's private board", stillThere!.Title);
    }

    [Fact]
    public async Task ShouldShowOwnBoardPage()
    {
        var alice = await app.CreateUserAsync("Creator");
        using var client = await app.SignInAsync(alice.Email, alice.Password);
        var board = await CreateAsync(client, "Studio tests");

        var page = await client.GetAsync($"boards/{board.Id}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Studio tests", await page.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("", "Give the board a title.")]
    [InlineData("   ", "Give the board a title.")]
    [InlineData(null, "Give the board a title.")]
    public async Task ShouldRequireATitle(string? title, string message)
    {
        using var client = await app.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);

        var response = await client.PostAsJsonAsync("api/boards", new BoardInput { Title = title });

        await AssertValidationAsync(response, "Title", message);
    }

    [Fact]
    public async Task ShouldLimitTitleTo120Characters()
    {
        using var client = await app.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);

        var tooLong = await client.PostAsJsonAsync("api/boards", new BoardInput { Title = new string('a', 121) });
        var justRight = await client.PostAsJsonAsync("api/boards", new BoardInput { Title = new string('b', 120) });

        await AssertValidationAsync(tooLong, "Title", "Keep the title to 120 characters or fewer.");
        Assert.Equal(HttpStatusCode.Created, justRight.StatusCode);
    }

    [Fact]
    public async Task ShouldRejectMalformedJson()
    {
        using var client = await app.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);

        var response = await client.PostAsync("api/boards", new StringContent("{\"title\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ShouldStripControlBidiAndZeroWidthCharactersFromTitleAndDescription()
    {
        using var client = await app.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);

        var response = await client.PostAsJsonAsync("api/boards", new BoardInput
        {
            Title = "  Sum\u200Bmer \u202Egnal\u202C look\u0007book\r\n ",
            Description = "Line one\u200D\r\nLine\u2066 two\u0000",
        });
        var board = await response.Content.ReadFromJsonAsync<BoardDetails>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Summer gnal lookbook", board!.Title);
        Assert.Equal("Line one\nLine two", board.Description);
    }

    [Fact]
    public async Task ShouldRefuseATitleMadeOnlyOfInvisibleCharacters()
    {
        using var client = await app.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);

        var response = await client.PostAsJsonAsync("api/boards", new BoardInput { Title = "\u200B\u202E\u2060\u0000" });
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["Give the board a title."], problem!.Errors["Title"]);
    }

    [Fact]
    public async Task ShouldForbidTalentFromCreatingBoards()
    {
        using var client = await app.SignInAsync(DemoSeeder.Talent.Email, DemoSeeder.Talent.Password);

        var response = await client.PostAsJsonAsync("api/boards", new BoardInput { Title = "Not allowed" });
        var page = await client.GetAsync("boards/new");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
    }

    [Fact]
    public async Task ShouldLetTalentOpenButNotChangeASharedBoard()
    {
        using var client = await app.SignInAsync(DemoSeeder.Talent.Email, DemoSeeder.Talent.Password);

        var boards = await client.GetFromJsonAsync<List<BoardSummary>>("api/boards");
        var sample = Assert.Single(boards!, b => b.Title == DemoSeeder.SampleBoardTitle);

        Assert.Equal(BoardPermission.Review, sample.Permission);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"boards/{sample.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync($"api/boards/{sample.Id}", new BoardInput { Title = "Renamed" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"api/boards/{sample.Id}")).StatusCode);
    }

    [Fact]
    public async Task ShouldRenameAndDeleteOwnBoard()
    {
        var carol = await app.CreateUserAsync("Creator");
        using var client = await app.SignInAsync(carol.Email, carol.Password);
        var board = await CreateAsync(client, "Street casting");

        var renamed = await client.PutAsJsonAsync($"api/boards/{board.Id}", new BoardInput { Title = "  Street casting, Lisbon  ", Description = "Day two" });
        var details = await renamed.Content.ReadFromJsonAsync<BoardDetails>();
        var deleted = await client.DeleteAsync($"api/boards/{board.Id}");

        Assert.Equal("Street casting, Lisbon", details!.Title);
        Assert.Equal("Day two", details.Description);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/boards/{board.Id}")).StatusCode);
    }

    [Fact]
    public async Task ShouldFilterBoardsByTitle()
    {
        var dana = await app.CreateUserAsync("Creator");
        using var client = await app.SignInAsync(dana.Email, dana.Password);
        await CreateAsync(client, "Autumn knitwear");
        await CreateAsync(client, "Beach at noon");

        var found = await client.GetFromJsonAsync<List<BoardSummary>>("api/boards?q=knit");

        Assert.Equal(["Autumn knitwear"], found!.Select(b => b.Title));
    }

    private static async Task<BoardDetails> CreateAsync(HttpClient client, string title)
    {
        var response = await client.PostAsJsonAsync("api/boards", new BoardInput { Title = title });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<BoardDetails>())!;
    }

    private static async Task AssertValidationAsync(HttpResponseMessage response, string field, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();
        Assert.Equal([message], problem!.Errors[field]);
    }
}
