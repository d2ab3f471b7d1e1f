using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Features.Generation;

/// <summary>What can happen to a task; each event moves it only from the states listed in <see cref="TaskStateMachine"/>.</summary>
public enum TaskEvent
{
    /// <summary>A submit job takes the queued task; only one can.</summary>
    ClaimSubmit,

    /// <summary>NanoBanana answered the submit with a task id.</summary>
    SubmitAccepted,

    /// <summary>The submit was not accepted (busy, unreachable) or its outcome is unknown (timeout, 5xx, crash): back to the queue for a later attempt.</summary>
    SubmitDeferred,

    /// <summary>A callback or poll says the image is still being made.</summary>
    ReportGenerating,

    /// <summary>A callback or poll says the image is ready: the first success is claimed for download.</summary>
    ReportSuccess,

    /// <summary>A callback or poll from the NanoBanana task in charge says it failed; or we give up before a success (refused submit, deadline, lost task).</summary>
    Fail,

    /// <summary>A download waiting for its retry (or left by a dead process) is taken up again.</summary>
    ClaimDownload,

    /// <summary>A download failed for a passing reason: the claim is released and the same addresses are fetched again later.</summary>
    DeferDownload,

    /// <summary>The image is stored and charged.</summary>
    Stored,

    /// <summary>The claimed success cannot be used: unusable address, refused or damaged download, attempts spent, unexpected error.</summary>
    FailDownload,

    /// <summary>The creator cancels a generation that has not been sent yet.</summary>
    Withdraw,

    /// <summary>The creator removes the placeholder: whatever is still running is dropped and refunded (a download in flight discards its files).</summary>
    Cancel,
}

/// <summary>
/// The one table of allowed task transitions. Every state change in the pipeline is a compare-and-set update built from it,
/// so whoever runs concurrently — two submit jobs, a callback and a poll, a retry and a restart — at most one wins each step.
/// <para>Who wins on a conflict:</para>
/// <list type="number">
/// <item>Final states (Succeeded, Failed, Cancelled) are final: every later report is recorded and ignored.</item>
/// <item>The first success wins. Once it is claimed (Downloading) failure and "still generating" reports are ignored; only our own
/// download decides (Stored or FailDownload) — or the creator's Cancel. A failure is also ignored while a success for the task waits
/// in the inbox, so the order in which received callbacks are processed does not matter.</item>
/// <item>A success from any submit attempt's NanoBanana task is accepted; a failure counts only from the task in charge (or while
/// none is known). Another attempt's failure, and any result after the task finished, is recorded as extra and ignored.</item>
/// <item>"Still generating" never moves a task backwards.</item>
/// </list>
/// </summary>
public static class TaskStateMachine
{
    private static readonly GenerationState[] AwaitingResult =
        [GenerationState.Queued, GenerationState.Submitting, GenerationState.Submitted, GenerationState.Generating];

    private static readonly Dictionary<TaskEvent, (GenerationState[] From, GenerationState To)> Table = new()
    {
        [TaskEvent.ClaimSubmit] = ([GenerationState.Queued], GenerationState.Submitting),
        [TaskEvent.SubmitAccepted] = ([GenerationState.Submitting], GenerationState.Submitted),
        [TaskEvent.SubmitDeferred] = ([GenerationState.Submitting], GenerationState.Queued),
        [TaskEvent.ReportGenerating] = ([GenerationState.Queued, GenerationState.Submitting, GenerationState.Submitted], GenerationState.Generating),
        [TaskEvent.ReportSuccess] = (AwaitingResult, GenerationState.Downloading),
        [TaskEvent.Fail] = (AwaitingResult, GenerationState.Failed),
        [TaskEvent.ClaimDownload] = ([GenerationState.Downloading], GenerationState.Downloading),
        [TaskEvent.DeferDownload] = ([GenerationState.Downloading], GenerationState.Downloading),
        [TaskEvent.Stored] = ([GenerationState.Downloading], GenerationState.Succeeded),
        [TaskEvent.FailDownload] = ([GenerationState.Downloading], GenerationState.Failed),
        [TaskEvent.Withdraw] = ([GenerationState.Queued], GenerationState.Cancelled),
        [TaskEvent.Cancel] = (GenerationTask.Unfinished, GenerationState.Cancelled),
    };

    public static IReadOnlyCollection<TaskEvent> Events => Table.Keys;

    public static GenerationState[] From(TaskEvent e) => Table[e].From;

    public static GenerationState To(TaskEvent e) => Table[e].To;

    public static bool Allows(GenerationState state, TaskEvent e) => Table[e].From.Contains(state);

    /// <summary>The state after <paramref name="e"/>, or null when the table does not allow it from <paramref name="state"/>.</summary>
    public static GenerationState? Next(GenerationState state, TaskEvent e) => Allows(state, e) ? To(e) : null;

    /// <summary>
    /// Applies <paramref name="e"/> as one compare-and-set update: only a task still in one of the event's source states (and matching
    /// <paramref name="guard"/>) moves. Returns whether this caller moved it.
    /// </summary>
    public static async Task<bool> MoveAsync(AppDbContext db, Guid taskId, TaskEvent e, DateTime now, CancellationToken ct,
        Action<UpdateSettersBuilder<GenerationTask>>? also = null, System.Linq.Expressions.Expression<Func<GenerationTask, bool>>? guard = null)
    {
        var (from, to) = Table[e];
        var query = db.GenerationTasks.Where(t => t.Id == taskId && from.Contains(t.State));
        if (guard is not null)
        {
            query = query.Where(guard);
        }

        return await query.ExecuteUpdateAsync(s =>
        {
            s.SetProperty(t => t.State, to).SetProperty(t => t.UpdatedAt, now);
            if (GenerationTask.IsFinal(to))
            {
                s.SetProperty(t => t.CompletedAt, now).SetProperty(t => t.LeaseOwner, (string?)null).SetProperty(t => t.LeaseUntil, (DateTime?)null);
            }

            also?.Invoke(s);
        }, ct) > 0;
    }
}
