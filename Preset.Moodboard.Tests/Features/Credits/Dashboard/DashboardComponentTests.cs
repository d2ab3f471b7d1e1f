using Bunit;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Credits.Alerts;
using Preset.Moodboard.Features.Credits.Dashboard;
using Preset.Moodboard.Features.Credits.Dashboard.Components;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Credits.Dashboard;

/// <summary>The dashboard's cards and tables render what they are given: balance states, the threshold form, chart tables, failures.</summary>
public sealed class DashboardComponentTests
{
    private static readonly DateTime Now = new(2030, 6, 15, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ShouldShowTheLastKnownBalanceAndSinceWhenNanoBananaIsUnreachable()
    {
        await using var ctx = ComponentTestContext.Create("Admin");

        var card = ctx.Render<BalanceCard>(p => p
            .Add(c => c.Balance, new BalanceView(4812, Now.AddMinutes(-20), Now.AddMinutes(-10), "NanoBanana at https://api.example cannot be reached"))
            .Add(c => c.Now, Now));

        Assert.Equal("4,812", card.Find("[data-testid=balance]").TextContent);
        Assert.Contains("synced 20 min ago", card.Find("[data-testid=balance-synced]").TextContent);
        var unreachable = card.Find("[data-testid=balance-unreachable]").TextContent;
        Assert.Contains("Unreachable since 10 min ago (15 Jun 11:50 UTC) — showing the last known balance.", unreachable);
        Assert.Contains("cannot be reached", unreachable);
    }

    [Fact]
    public async Task ShouldSayNeverSyncedWithoutASnapshotAndHideTheUnreachableNoticeWhenReachable()
    {
        await using var ctx = ComponentTestContext.Create("Admin");

        var never = ctx.Render<BalanceCard>(p => p.Add(c => c.Balance, new BalanceView(null, null, null, null)).Add(c => c.Now, Now));
        var fine = ctx.Render<BalanceCard>(p => p.Add(c => c.Balance, new BalanceView(100, Now, null, null)).Add(c => c.Now, Now));

        Assert.Equal("—", never.Find("[data-testid=balance]").TextContent);
        Assert.Contains("never synced yet", never.Markup);
        Assert.Empty(fine.FindAll("[data-testid=balance-unreachable]"));
    }

    [Fact]
    public async Task ShouldKeepTheThresholdFormOpenWithTheMessageWhenSavingFails()
    {
        await using var ctx = ComponentTestContext.Create("Admin");
        int? saved = null;
        var card = ctx.Render<ThresholdCard>(p => p
            .Add(c => c.State, new LowCreditState(1000, null, 4812))
            .Add(c => c.Now, Now)
            .Add(c => c.WebhookHost, "hooks.example.com")
            .Add(c => c.Save, value =>
            {
                saved = value;
                return Task.FromResult<string?>(value < 0 ? "Enter a threshold between 0 and 10,000,000 credits." : null);
            }));
        Assert.Equal("1,000", card.Find("[data-testid=threshold]").TextContent);
        Assert.Contains("Armed", card.Find("[data-testid=threshold-state]").TextContent);
        Assert.Contains("Webhook to hooks.example.com.", card.Markup);

        await card.Find("[data-testid=threshold-edit]").ClickAsync(new());
        card.Find("#threshold-input").Change("-5");
        await card.Find("form").SubmitAsync();

        Assert.Equal(-5, saved);
        Assert.Contains("Enter a threshold between 0 and 10,000,000 credits.", card.Markup);
        Assert.NotEmpty(card.FindAll("#threshold-input"));
    }

    [Fact]
    public async Task ShouldShowTheSameNumbersInTheTableViewOfAChart()
    {
        await using var ctx = ComponentTestContext.Create("Admin");
        var panel = ctx.Render<ChartPanel>(p => p
            .Add(c => c.Title, "Credits per day")
            .Add(c => c.TestId, "chart-credits")
            .Add(c => c.Labels, ["14 Jun", "15 Jun"])
            .Add(c => c.Series, [new ChartPanel.Line("Charged", [1200, 4]), new ChartPanel.Line("Refunded", [4, null])]));
        Assert.NotEmpty(panel.FindAll(".mud-chart"));

        await panel.Find("[data-testid=chart-credits-table]").ClickAsync(new());

        var rows = panel.FindAll("[data-testid=chart-credits-rows] tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal([["14 Jun", "1,200", "4"], ["15 Jun", "4", "—"]], rows);
        Assert.Equal("true", panel.Find("[data-testid=chart-credits-table]").GetAttribute("aria-pressed"));
    }

    [Theory]
    [InlineData(MudBlazor.ChartType.Bar)]
    [InlineData(MudBlazor.ChartType.StackedBar)]
    [InlineData(MudBlazor.ChartType.Line)]
    public async Task ShouldDrawEveryChartTypeTheDashboardUses(MudBlazor.ChartType type)
    {
        await using var ctx = ComponentTestContext.Create("Admin");

        var panel = ctx.Render<ChartPanel>(p => p
            .Add(c => c.Title, "Chart")
            .Add(c => c.TestId, "chart")
            .Add(c => c.ChartType, type)
            .Add(c => c.Labels, ["14 Jun", "15 Jun", "16 Jun"])
            .Add(c => c.Series, [new ChartPanel.Line("One", [3, null, 5]), new ChartPanel.Line("Two", [1, 2, 0])]));

        Assert.NotEmpty(panel.FindAll(".mud-chart svg"));
    }

    [Fact]
    public async Task ShouldFilterFailuresByKindAndListThisWeeksTopReasons()
    {
        await using var ctx = ComponentTestContext.Create("Admin");
        var board = Guid.NewGuid();
        var panel = ctx.Render<FailuresPanel>(p => p
            .Add(c => c.Now, Now)
            .Add(c => c.Failures, [
                new FailureRow(Guid.NewGuid(), Now.AddMinutes(-5), "Camille", board, "Autumn", "a prompt the service flagged", FailureKinds.Policy, 400, "Flagged by the content policy."),
                new FailureRow(Guid.NewGuid(), Now.AddHours(-2), "Ben", board, "Autumn", "slow one", FailureKinds.TimedOut, null, "Did not finish within 15 minutes."),
                new FailureRow(Guid.NewGuid(), Now.AddHours(-3), "Ben", board, "Autumn", "another slow one", FailureKinds.TimedOut, null, "Did not finish within 15 minutes."),
            ])
            .Add(c => c.Reasons, [new FailureReason(FailureKinds.TimedOut, null, "Did not finish within 15 minutes.", 2), new FailureReason(FailureKinds.Policy, 400, "Flagged by the content policy.", 1)]));

        Assert.Equal(3, panel.FindAll("[data-testid=failures-table] tbody tr").Count);
        Assert.Contains("2× Timed out — Did not finish within 15 minutes.", panel.Find("[data-testid=top-reasons]").TextContent);
        Assert.Contains("Timed out (2)", panel.Find($"[data-testid='failure-filter-{FailureKinds.TimedOut}']").TextContent);

        await panel.Find($"[data-testid='failure-filter-{FailureKinds.Policy}']").ClickAsync(new());

        var row = Assert.Single(panel.FindAll("[data-testid=failures-table] tbody tr"));
        Assert.Contains("Camille", row.TextContent);
        Assert.Contains("Content policy · 400", row.TextContent);
        Assert.Contains("Flagged by the content policy.", row.TextContent);
        Assert.Equal($"boards/{board}", row.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task ShouldShowQueueDepthAndTheOldestWaitingTask()
    {
        await using var ctx = ComponentTestContext.Create("Admin");
        var card = ctx.Render<QueueCard>(p => p
            .Add(c => c.Now, Now)
            .Add(c => c.Queue, new QueueView(new Dictionary<GenerationState, int> { [GenerationState.Queued] = 3, [GenerationState.Generating] = 2 }, Now.AddMinutes(-7), GenerationState.Queued, Guid.Empty)));

        Assert.Equal("5", card.Find("[data-testid=queue-depth]").TextContent);
        Assert.Contains("Oldest waiting: 7 min ago (queued)", card.Find("[data-testid=queue-oldest]").TextContent);
    }
}
