using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Generation;

/// <summary>What the generation service refuses, with which message — and that nothing reaches NanoBanana then.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class GenerationValidationTests(MoodboardApp app)
{
    [Theory]
    [InlineData("", 1, "1:1", "Prompt", "Write a prompt: describe the image you want.")]
    [InlineData("ab", 1, "1:1", "Prompt", "Write at least 3 characters.")]
    [InlineData("a red chair", 0, "1:1", "Count", "Choose between 1 and 4 images.")]
    [InlineData("a red chair", 5, "1:1", "Count", "Choose between 1 and 4 images.")]
    [InlineData("a red chair", 1, "7:3", "AspectRatio", "Choose one of the aspect ratios 1:1, 9:16, 16:9, 3:4, 4:3, 3:2, 2:3, 5:4, 4:5, 21:9.")]
    public async Task ShouldExplainInvalidInput(string prompt, int count, string ratio, string field, string message)
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var response = await client.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody(prompt, count, ratio));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Equal([message], problem!.Errors[field]);
        Assert.Empty(await client.ItemsAsync(board.Id));
    }

    [Fact]
    public async Task ShouldLimitPromptLength()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var response = await client.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody(new string('a', 2001)));

        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Equal(["Keep the prompt to 2000 characters (2001 now)."], problem!.Errors["Prompt"]);
    }

    [Fact]
    public async Task ShouldRefuseAFlaggedPromptLocallyAndSendNothing()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var before = await EmbeddedTaskCountAsync();

        var response = await client.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody("a NUDE figure study"));
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("This prompt mentions “nude”, which isn't allowed here. Describe the scene without it and try again.", problem!.Title);
        Assert.Empty(await client.ItemsAsync(board.Id));
        Assert.Equal(before, await EmbeddedTaskCountAsync());
    }

    [Fact]
    public async Task ShouldRefuseReferencesTheCreatorCannotSee()
    {
        var (aliceClient, aliceBoard) = await app.NewCreatorWithBoardAsync();
        await aliceClient.GenerateAsync(aliceBoard.Id, "alice's private image");
        var aliceAsset = (await aliceClient.WaitForFinishedAsync(aliceBoard.Id, 1))[0].Image!.AssetId;
        var (bobClient, bobBoard) = await app.NewCreatorWithBoardAsync();

        var response = await bobClient.PostAsJsonAsync($"api/boards/{bobBoard.Id}/generations", new GenerationBody("edit it", ReferenceAssetIds: [aliceAsset]));
        var stolen = await bobClient.GetAsync($"media/{aliceAsset}/original");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("isn't yours to use", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
    }

    [Fact]
    public async Task ShouldEditWithAReferenceAndRecordTheLineage()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        await client.GenerateAsync(board.Id, "plain studio portrait, charcoal");
        var parent = (await client.WaitForFinishedAsync(board.Id, 1))[0];

        var started = await client.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody("make the backdrop emerald", 1, "3:4", ParentItemId: parent.Id));
        var items = await client.WaitForFinishedAsync(board.Id, 2);
        var child = items.Single(i => i.Id != parent.Id);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(parent.Id, child.ParentItemId);
        Assert.Equal(Preset.Moodboard.Data.Entities.GenerationType.Edit, child.Generation!.Type);
        Assert.Equal(Preset.Moodboard.Data.Entities.GenerationState.Succeeded, child.Generation.State);
        Assert.True(child.Position > parent.Position, "The edit lands right after its parent.");
    }

    [Fact]
    public async Task ShouldAnswer400WhenTheImageToEditIsOnAnotherBoardOrAnotherUsersBoard()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var ownOtherBoard = await client.CreateBoardAsync("Another board of mine");
        await client.GenerateAsync(ownOtherBoard.Id, "plain studio portrait, charcoal");
        var mine = (await client.WaitForFinishedAsync(ownOtherBoard.Id, 1))[0];
        var (strangerClient, strangerBoard) = await app.NewCreatorWithBoardAsync();
        await strangerClient.GenerateAsync(strangerBoard.Id, "someone else's portrait");
        var theirs = (await strangerClient.WaitForFinishedAsync(strangerBoard.Id, 1))[0];

        foreach (var parent in new[] { mine.Id, theirs.Id, Guid.NewGuid() })
        {
            var response = await client.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody("make it emerald", ParentItemId: parent));
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("The image to edit is not on this board (or has no image yet).", problem!.Detail);
            Assert.Equal(["Pick an image on this board that is ready."], problem.Errors["ParentItemId"]);
        }

        Assert.Empty(await client.ItemsAsync(board.Id));
    }

    [Theory]
    [InlineData("a nu\u200Bde figure study", "nude")]
    [InlineData("a n\u00ADude figure study", "nude")]
    [InlineData("a ｎｕｄｅ figure study", "nude")]
    [InlineData("a nud\u0435 figure study", "nude")]
    [InlineData("a n\u03C5de figure study", "nude")]
    [InlineData("p\u03BFrn style lighting", "porn")]
    [InlineData("a nüde figure study", "nude")]
    [InlineData("a n4ked figure study", "naked")]
    [InlineData("p0rn style lighting", "porn")]
    [InlineData("G\u200DO\u200DR\u200DE everywhere", "gore")]
    public async Task ShouldRefuseABlockedTermHiddenByInvisibleOrLookAlikeCharacters(string prompt, string term)
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var response = await client.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody(prompt));
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal($"This prompt mentions “{term}”, which isn't allowed here. Describe the scene without it and try again.", problem!.Title);
        Assert.Empty(await client.ItemsAsync(board.Id));
    }

    [Theory]
    [InlineData("a studio portrait")]
    [InlineData("nudeness of the beige palette is not a word match")]
    [InlineData("4k render of a red chair, 1990s film")]
    public void ShouldLetOrdinaryPromptsThroughTheNormalisedModeration(string prompt)
    {
        Assert.Null(app.Services.GetRequiredService<PromptModeration>().FindBlockedTerm(prompt));
    }

    [Fact]
    public async Task ShouldNotLetTalentGenerate()
    {
        using var talent = await app.SignInAsync(DemoSeeder.Talent.Email, DemoSeeder.Talent.Password);
        var sample = (await talent.GetFromJsonAsync<List<Preset.Moodboard.Features.Boards.BoardSummary>>("api/boards"))!.Single(b => b.Title == DemoSeeder.SampleBoardTitle);

        var response = await talent.PostAsJsonAsync($"api/boards/{sample.Id}/generations", new GenerationBody("a red chair"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ShouldAnswer404ForSomeoneElsesBoard()
    {
        var (_, board) = await app.NewCreatorWithBoardAsync();
        var (stranger, _) = await app.NewCreatorWithBoardAsync();

        var generate = await stranger.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody("a red chair"));
        var items = await stranger.GetAsync($"api/boards/{board.Id}/items");

        Assert.Equal(HttpStatusCode.NotFound, generate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, items.StatusCode);
    }

    [Fact]
    public async Task ShouldRefuseWhenTheMonthlyQuotaIsSpent()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        await SetQuotaAsync(client, 6);

        var first = await client.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody("one image, four credits"));
        var second = await client.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody("another four credits"));
        var problem = await second.Content.ReadFromJsonAsync<ProblemDetails>();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.PaymentRequired, second.StatusCode);
        Assert.Equal("This needs 4 credits but you have 2 of your 6 monthly credits left. Ask an admin to raise your quota.", problem!.Title);
    }

    [Fact]
    public async Task ShouldServeSignedReferenceUrlsAnonymouslyUntilTheyExpireAndNeverWhenTampered()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        await client.GenerateAsync(board.Id, "reference to share");
        var asset = (await client.WaitForFinishedAsync(board.Id, 1))[0].Image!.AssetId;
        var urls = app.Services.GetRequiredService<Preset.Moodboard.Features.Media.MediaUrls>();
        using var anonymous = new HttpClient();

        var valid = await anonymous.GetAsync(urls.Public(asset, TimeSpan.FromMinutes(5)));
        var expiredUrl = urls.Public(asset, TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        var expired = await anonymous.GetAsync(expiredUrl);
        var tampered = await anonymous.GetAsync(urls.Public(asset, TimeSpan.FromMinutes(5))[..^4] + "AAAA");
        var privateUrl = await anonymous.GetAsync(new Uri(app.BaseAddress, $"media/{asset}/original"));

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, privateUrl.StatusCode);
    }

    private async Task SetQuotaAsync(HttpClient client, int credits)
    {
        var me = await client.GetFromJsonAsync<List<Preset.Moodboard.Features.Boards.BoardSummary>>("api/boards");
        await using var db = await app.OpenDbAsync();
        var ownerId = await db.Boards.Where(b => b.Id == me![0].Id).Select(b => b.OwnerId).FirstAsync();
        db.UserQuotas.Add(new Preset.Moodboard.Data.Entities.UserQuota { UserId = ownerId, MonthlyCredits = credits });
        await db.SaveChangesAsync();
    }

    private async Task<int> EmbeddedTaskCountAsync()
    {
        await using var store = await app.Services.GetRequiredService<IDbContextFactory<EmbeddedStore>>().CreateDbContextAsync();
        return await store.Tasks.CountAsync();
    }

}
