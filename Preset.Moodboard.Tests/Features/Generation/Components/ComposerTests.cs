using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Components.Shared;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Generation.Components;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Generation.Components;

/// <summary>The composer rendered with bUnit against the running app's real services and database.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class ComposerTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldShowTheCostBeforeSubmitting()
    {
        var (ctx, composer, state) = await RenderAsync();
        await using var _ = ctx;

        await ChooseAsync(composer.Find("[data-testid='count-3']"));

        Assert.Equal(3, state.Count);
        Assert.Equal("3 images · 12 credits", composer.Find("[data-testid=cost]").TextContent.Trim());
        Assert.Equal("400 of 400 credits left this month", composer.Find("[data-testid=composer-credits-left]").TextContent.Trim());
    }

    [Theory]
    [InlineData("", "Write a prompt first.")]
    [InlineData("ab", "Write at least 3 characters.")]
    public async Task ShouldDisableGenerateAndSayWhy(string prompt, string reason)
    {
        var (ctx, composer, state) = await RenderAsync();
        await using var _ = ctx;

        state.UsePrompt(prompt);
        composer.Render();

        Assert.True(composer.Find("[data-testid=generate]").HasAttribute("disabled"));
        Assert.Equal(reason, composer.Instance.DisabledReason);
    }

    [Fact]
    public async Task ShouldExplainAPromptThatIsTooLong()
    {
        var (ctx, composer, state) = await RenderAsync();
        await using var _ = ctx;

        state.UsePrompt(new string('x', 2001));
        composer.Render();

        Assert.Equal("The prompt is 1 character too long.", composer.Find("[data-testid=disabled-reason]").TextContent.Trim());
    }

    [Fact]
    public async Task ShouldDisableGenerateWhenTheMonthlyQuotaCannotCoverIt()
    {
        var (ctx, composer, state) = await RenderAsync(quota: 4);
        await using var _ = ctx;

        state.UsePrompt("golden hour portrait");
        await ChooseAsync(composer.Find("[data-testid='count-2']"));

        Assert.Equal("Not enough credits this month: 8 needed, 4 left.", composer.Instance.DisabledReason);
        Assert.True(composer.Find("[data-testid=generate]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ShouldShowWhetherTheRequestIsAnEdit()
    {
        var (ctx, composer, state) = await RenderAsync();
        await using var _ = ctx;

        var before = composer.Find("[data-testid=mode]").TextContent.Trim();
        state.AddReference(new ReferenceImage(Guid.NewGuid(), "media/x/thumb"));
        composer.Render();

        Assert.Equal("Text to image", before);
        Assert.Equal("Edit · 1 reference", composer.Find("[data-testid=mode]").TextContent.Trim());
        Assert.Single(composer.FindAll("[data-testid=reference-chip]"));
    }

    [Fact]
    public async Task ShouldAddAndRemoveAPresetPhrase()
    {
        var (ctx, composer, state) = await RenderAsync();
        await using var _ = ctx;
        state.UsePrompt("a red chair");

        await ChooseAsync(composer.FindAll(".preset-chip").First(b => b.TextContent == "Golden hour"));
        var added = state.Prompt;
        await ChooseAsync(composer.FindAll(".preset-chip").First(b => b.TextContent == "Golden hour"));

        Assert.Equal("a red chair, golden hour, warm low sunlight", added);
        Assert.Equal("a red chair", state.Prompt);
    }

    [Fact]
    public async Task ShouldIgnoreAChoiceTheComposerDoesNotOffer()
    {
        var (ctx, composer, state) = await RenderAsync();
        await using var _ = ctx;
        state.UsePrompt("a red chair");
        var ratios = composer.Find("[data-testid='ratio-1:1']").ParentElement!;
        var counts = composer.Find("[data-testid='count-1']").ParentElement!;
        var presets = composer.Find(".preset-chip").ParentElement!;

        // Values a tampered page could send instead of the buttons' own.
        await ratios.TriggerEventAsync("onactclick", new ActEventArgs { Act = "ratio", Arg = "7:1" });
        await counts.TriggerEventAsync("onactclick", new ActEventArgs { Act = "count", Arg = "40" });
        await presets.TriggerEventAsync("onactclick", new ActEventArgs { Act = "preset", Arg = "-1" });
        await presets.TriggerEventAsync("onactclick", new ActEventArgs { Act = "preset", Arg = null });

        Assert.Equal("1:1", state.AspectRatio);
        Assert.Equal(1, state.Count);
        Assert.Equal("a red chair", state.Prompt);
        Assert.Equal("true", composer.Find("[data-testid='ratio-1:1']").GetAttribute("aria-checked"));
    }

    [Fact]
    public async Task ShouldDisableGenerateWithTheModerationMessageAndKeepThePrompt()
    {
        var (ctx, composer, state) = await RenderAsync();
        await using var _ = ctx;
        state.UsePrompt("a nude figure study");
        composer.Render();

        Assert.True(composer.Find("[data-testid=generate]").HasAttribute("disabled"));
        Assert.Equal("“nude” isn't allowed in prompts here — describe the scene without it.", composer.Find("[data-testid=disabled-reason]").TextContent.Trim());
        Assert.Equal("a nude figure study", state.Prompt);
    }

    [Fact]
    public async Task ShouldStartAGenerationAndReportIt()
    {
        StartedGeneration? started = null;
        var (ctx, composer, state) = await RenderAsync(onStarted: s => started = s);
        await using var _ = ctx;
        state.UsePrompt("a blue chair in a white room");
        composer.Render();

        await composer.Find("[data-testid=generate]").ClickAsync(new());

        composer.WaitForAssertion(() => Assert.NotNull(started));
        Assert.Single(started!.Tasks);
        composer.WaitForAssertion(() => Assert.Equal("396 of 400 credits left this month", composer.Find("[data-testid=composer-credits-left]").TextContent.Trim()));
    }

    private async Task<(BunitContext Ctx, IRenderedComponent<Composer> Composer, ComposerState State)> RenderAsync(int? quota = null, Action<StartedGeneration>? onStarted = null)
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        using var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();
        if (quota is { } credits)
        {
            await using var db = await app.OpenDbAsync();
            db.UserQuotas.Add(new UserQuota { UserId = user.Id, MonthlyCredits = credits });
            await db.SaveChangesAsync();
        }

        var ctx = AppComponentContext.Create(app, user, Roles.Creator);
        var state = new ComposerState();
        var composer = ctx.Render<Composer>(p => p
            .Add(c => c.BoardId, board.Id)
            .Add(c => c.User, user.AsCurrentUser(Roles.Creator))
            .Add(c => c.State, state)
            .Add(c => c.OnStarted, EventCallback.Factory.Create<StartedGeneration>(this, s => onStarted?.Invoke(s))));
        return (ctx, composer, state);
    }

    /// <summary>What the browser sends when the button is clicked: its group's one click handler gets the button's act and value.</summary>
    private static Task ChooseAsync(AngleSharp.Dom.IElement button) =>
        button.ParentElement!.TriggerEventAsync("onactclick", new ActEventArgs { Act = button.GetAttribute("data-act"), Arg = button.GetAttribute("data-arg") });
}
