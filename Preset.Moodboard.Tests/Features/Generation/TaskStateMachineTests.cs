using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation;
using static Preset.Moodboard.Data.Entities.GenerationState;

namespace Preset.Moodboard.Tests.Features.Generation;

/// <summary>The transition table, stated a second time here from the rules, so a change to one without the other fails.</summary>
public sealed class TaskStateMachineTests
{
    private static readonly Dictionary<TaskEvent, (GenerationState[] From, GenerationState To)> Expected = new()
    {
        [TaskEvent.ClaimSubmit] = ([Queued], Submitting),
        [TaskEvent.SubmitAccepted] = ([Submitting], Submitted),
        [TaskEvent.SubmitDeferred] = ([Submitting], Queued),
        [TaskEvent.ReportGenerating] = ([Queued, Submitting, Submitted], Generating),
        [TaskEvent.ReportSuccess] = ([Queued, Submitting, Submitted, Generating], Downloading),
        [TaskEvent.Fail] = ([Queued, Submitting, Submitted, Generating], Failed),
        [TaskEvent.ClaimDownload] = ([Downloading], Downloading),
        [TaskEvent.DeferDownload] = ([Downloading], Downloading),
        [TaskEvent.Stored] = ([Downloading], Succeeded),
        [TaskEvent.FailDownload] = ([Downloading], Failed),
        [TaskEvent.Withdraw] = ([Queued], Cancelled),
        [TaskEvent.Cancel] = ([Queued, Submitting, Submitted, Generating, Downloading], Cancelled),
    };

    public static TheoryData<GenerationState, TaskEvent> EveryStateAndEvent()
    {
        var data = new TheoryData<GenerationState, TaskEvent>();
        foreach (var state in Enum.GetValues<GenerationState>())
        {
            foreach (var e in Enum.GetValues<TaskEvent>())
            {
                data.Add(state, e);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryStateAndEvent))]
    public void ShouldMoveExactlyAsTheRulesSay(GenerationState state, TaskEvent e)
    {
        var (from, to) = Expected[e];

        Assert.Equal(from.Contains(state) ? to : null, TaskStateMachine.Next(state, e));
    }

    [Theory]
    [InlineData(Succeeded)]
    [InlineData(Failed)]
    [InlineData(Cancelled)]
    public void ShouldLeaveAFinalStateForNothing(GenerationState final)
    {
        Assert.All(Enum.GetValues<TaskEvent>(), e => Assert.Null(TaskStateMachine.Next(final, e)));
    }

    [Fact]
    public void ShouldLetNoFailureOrGeneratingReportTakeASuccessBeingDownloaded()
    {
        Assert.Null(TaskStateMachine.Next(Downloading, TaskEvent.Fail));
        Assert.Null(TaskStateMachine.Next(Downloading, TaskEvent.ReportGenerating));
        Assert.Null(TaskStateMachine.Next(Downloading, TaskEvent.ReportSuccess));
        Assert.Equal(Cancelled, TaskStateMachine.Next(Downloading, TaskEvent.Cancel));
    }

    [Fact]
    public void ShouldCountEveryUnfinishedStateAsRunningForTheUi()
    {
        var unfinished = Enum.GetValues<GenerationState>().Where(s => !GenerationTask.IsFinal(s)).ToHashSet();

        Assert.Equal(unfinished, GenerationTask.Unfinished.ToHashSet());
        Assert.Equal(unfinished, TaskStateMachine.From(TaskEvent.Cancel).ToHashSet());
        Assert.Equal(TaskStateMachine.Events.ToHashSet(), Expected.Keys.ToHashSet());
    }
}
