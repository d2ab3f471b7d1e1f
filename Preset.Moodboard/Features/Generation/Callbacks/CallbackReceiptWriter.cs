using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Infrastructure.Hosting;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation.Callbacks;

/// <summary>A callback as it arrived, before it is known whether its token is good.</summary>
internal sealed record CallbackDelivery(string TokenHash, RemoteTaskOutcome Outcome, string Body, string BodyHash, string? RemoteAddress, DateTime ReceivedAt);

internal enum ReceiptVerdict
{
    /// <summary>Stored; handed to the inbox worker unless the task had already finished.</summary>
    New,

    /// <summary>The same delivery again: its receipt counted it.</summary>
    Duplicate,

    /// <summary>The task has its maximum of distinct callbacks: acknowledged and dropped.</summary>
    OverLimit,

    UnknownToken,

    /// <summary>The body names another NanoBanana task than the one the token speaks for.</summary>
    OtherTask,
}

internal sealed record ReceiptAnswer(ReceiptVerdict Verdict, long ReceiptId = 0, Guid TaskId = default, bool Finished = false, string? InCharge = null);

/// <summary>
/// Stores callback receipts for every request waiting at the moment in one transaction (group commit), and answers each only
/// after that commit. The token look-up is part of the same transaction, so a token is always judged as it stands — revoked,
/// finished or live — with no cache to keep in step across instances. While a group is written the next one gathers; the first
/// request that finds no writer running becomes the writer.
/// </summary>
internal sealed partial class CallbackReceiptWriter(
    IDbContextFactory<AppDbContext> dbFactory,
    CallbackInbox inbox,
    ReceiptTraffic traffic,
    IOptionsMonitor<GenerationOptions> options,
    ILogger<CallbackReceiptWriter> logger)
{
    /// <summary>Enough to turn thousands of commits a second into tens; small enough to keep each transaction short.</summary>
    public const int MaxGroup = 256;

    /// <summary>One thread of its own: the group writes block on SQLite, which must not take the pool's threads from requests.</summary>
    private static readonly DedicatedThreadScheduler Writer = new("Callback receipts", 1);

    private readonly ConcurrentQueue<Pending> waiting = new();
    private int writing;

    public Task<ReceiptAnswer> StoreAsync(CallbackDelivery delivery)
    {
        var pending = new Pending(delivery);
        waiting.Enqueue(pending);
        if (Interlocked.CompareExchange(ref writing, 1, 0) == 0)
        {
            traffic.Writing();
            _ = Writer.Run(DrainAsync);
        }

        return pending.Answer.Task;
    }

    private async Task DrainAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (true)
        {
            while (group.Count < MaxGroup && waiting.TryDequeue(out var next))
            {
                group.Add(next);
            }

            if (group.Count == 0)
            {
                Volatile.Write(ref writing, 0);
                // A request may have queued after the last look and before the flag was cleared: take it up, unless another writer did.
                if (waiting.IsEmpty || Interlocked.CompareExchange(ref writing, 1, 0) != 0)
                {
                    traffic.Written();
                    return;
                }

                continue;
            }

            await WriteGroupAsync(group);
            group.Clear();
        }
    }

    private async Task WriteGroupAsync(List<Pending> group)
    {
        try
        {
            Answer(group, await WriteAsync(group));
        }
        catch (Exception e) when (group.Count > 1 && e is DbUpdateException or InvalidOperationException)
        {
            // Most likely another instance stored one of these deliveries at the same moment (the unique index refused it):
            // each is written again on its own, so one bad apple costs the others nothing.
            LogGroupRetried(e, group.Count);
            foreach (var pending in group)
            {
                await WriteGroupAsync([pending]);
            }
        }
        catch (DbUpdateException)
        {
            // The unique (task, body hash) index: the same delivery raced in on another connection.
            group[0].Answer.TrySetResult(new ReceiptAnswer(ReceiptVerdict.Duplicate));
        }
        catch (Exception e)
        {
            foreach (var pending in group)
            {
                pending.Answer.TrySetException(e);
            }
        }
    }

    private void Answer(List<Pending> group, IReadOnlyList<ReceiptAnswer> answers)
    {
        for (var i = 0; i < group.Count; i++)
        {
            var answer = answers[i];
            if (answer.Verdict == ReceiptVerdict.New && !answer.Finished)
            {
                inbox.Post(answer.ReceiptId);
            }

            group[i].Answer.TrySetResult(answer);
        }
    }

    /// <summary>
    /// One transaction for the group: tokens, duplicates, limits, new receipts. One writer at a time across every instance (SQLite's
    /// write lock, taken at the start; on PostgreSQL an advisory lock), so counts and token adoptions are never raced.
    /// </summary>
    private async Task<IReadOnlyList<ReceiptAnswer>> WriteAsync(List<Pending> group)
    {
        var limit = options.CurrentValue.MaxReceiptsPerTask;
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.LockAsync("callback-receipts");
        var hashes = group.Select(p => p.Delivery.TokenHash).Distinct().ToList();
        // One list parameter (EF.Parameter): the statement is the same for every group size, so it is never translated again.
        var tokens = await db.CallbackTokens.AsNoTracking().Where(k => EF.Parameter(hashes).Contains(k.Hash))
            .Join(db.GenerationTasks, k => k.TaskId, t => t.Id, (k, t) => new Issued(k.Hash, k.TaskId, k.Attempt, k.NanoBananaTaskId, t.State, t.NanoBananaTaskId))
            .ToDictionaryAsync(k => k.Hash);
        var taskIds = tokens.Values.Select(k => k.TaskId).Distinct().ToList();
        var stored = await db.CallbackReceipts.Where(r => EF.Parameter(taskIds).Contains(r.TaskId)).Select(r => new { r.TaskId, r.BodyHash }).ToListAsync();
        var counts = stored.GroupBy(r => r.TaskId).ToDictionary(g => g.Key, g => g.Count());
        var seen = stored.Select(r => (r.TaskId, r.BodyHash)).ToHashSet();
        var added = new Dictionary<(Guid, string?), CallbackReceipt>();
        var answers = new List<(ReceiptVerdict Verdict, CallbackReceipt? Receipt, Issued? Issued)>(group.Count);

        foreach (var delivery in group.Select(p => p.Delivery))
        {
            if (!tokens.TryGetValue(delivery.TokenHash, out var issued))
            {
                answers.Add((ReceiptVerdict.UnknownToken, null, null));
                continue;
            }

            // Each attempt's token speaks for one NanoBanana task: the one its submit was answered with, or else the first that uses it.
            if (issued.NanoBananaTaskId is null)
            {
                var adopting = delivery.Outcome.TaskId;
                await db.CallbackTokens.Where(k => k.Hash == issued.Hash && k.NanoBananaTaskId == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.NanoBananaTaskId, adopting));
                issued = tokens[issued.Hash] = issued with { NanoBananaTaskId = delivery.Outcome.TaskId };
            }

            if (!string.Equals(delivery.Outcome.TaskId, issued.NanoBananaTaskId, StringComparison.Ordinal))
            {
                answers.Add((ReceiptVerdict.OtherTask, null, issued));
                continue;
            }

            if (added.TryGetValue((issued.TaskId, delivery.BodyHash), out var twin))
            {
                twin.Duplicates++;
                twin.LastReceivedAt = delivery.ReceivedAt;
                answers.Add((ReceiptVerdict.Duplicate, null, issued));
                continue;
            }

            if (seen.Contains((issued.TaskId, delivery.BodyHash)))
            {
                var (taskId, bodyHash, at) = (issued.TaskId, delivery.BodyHash, delivery.ReceivedAt);
                await db.CallbackReceipts.Where(r => r.TaskId == taskId && r.BodyHash == bodyHash)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Duplicates, r => r.Duplicates + 1).SetProperty(r => r.LastReceivedAt, at));
                answers.Add((ReceiptVerdict.Duplicate, null, issued));
                continue;
            }

            if (counts.GetValueOrDefault(issued.TaskId) >= limit)
            {
                answers.Add((ReceiptVerdict.OverLimit, null, issued));
                continue;
            }

            var finished = GenerationTask.IsFinal(issued.State);
            var superseded = finished && issued.InCharge is not null && !string.Equals(issued.InCharge, delivery.Outcome.TaskId, StringComparison.Ordinal);
            var receipt = new CallbackReceipt
            {
                TaskId = issued.TaskId,
                Attempt = issued.Attempt,
                NanoBananaTaskId = delivery.Outcome.TaskId,
                Body = delivery.Body,
                BodyHash = delivery.BodyHash,
                RemoteAddress = delivery.RemoteAddress,
                ReceivedAt = delivery.ReceivedAt,
                ProcessedAt = finished ? delivery.ReceivedAt : null,
                Outcome = superseded ? $"Superseded: the task used NanoBanana task {issued.InCharge}"
                    : finished ? "Ignored: task already finished"
                    : null,
            };
            db.CallbackReceipts.Add(receipt);
            added[(issued.TaskId, delivery.BodyHash)] = receipt;
            counts[issued.TaskId] = counts.GetValueOrDefault(issued.TaskId) + 1;
            answers.Add((ReceiptVerdict.New, receipt, issued));
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return [.. answers.Select(a => new ReceiptAnswer(a.Verdict, a.Receipt?.Id ?? 0, a.Issued?.TaskId ?? default,
            a.Issued is { } i && GenerationTask.IsFinal(i.State), a.Issued?.InCharge))];
    }

    private sealed record Issued(string Hash, Guid TaskId, int Attempt, string? NanoBananaTaskId, GenerationState State, string? InCharge);

    private sealed class Pending(CallbackDelivery delivery)
    {
        public CallbackDelivery Delivery { get; } = delivery;

        public TaskCompletionSource<ReceiptAnswer> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group of {Count} callback receipts could not be stored together; storing each on its own")]
    private partial void LogGroupRetried(Exception exception, int count);
}
