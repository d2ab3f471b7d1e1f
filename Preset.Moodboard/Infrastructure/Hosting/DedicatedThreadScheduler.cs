using System.Collections.Concurrent;

namespace Preset.Moodboard.Infrastructure.Hosting;

/// <summary>
/// Runs work on threads of its own, never the thread pool's: SQLite's calls block (its async methods run synchronously), and
/// writers blocking pool threads left requests queued for a free one (callback acks p99 145 ms at 1,000/s). Work awaited from
/// these threads continues on them. (Not at a lower OS priority: tried with nice 10, but on Linux every thread a thread starts
/// inherits its nice value — pool threads injected while it queued work would have stayed at background priority for good.)
/// </summary>
public sealed class DedicatedThreadScheduler : TaskScheduler, IDisposable
{
    [ThreadStatic]
    private static DedicatedThreadScheduler? current;

    private readonly BlockingCollection<Task> queue = [];

    public DedicatedThreadScheduler(string name, int threads)
    {
        for (var i = 0; i < threads; i++)
        {
            new Thread(Run) { IsBackground = true, Name = $"{name} {i + 1}" }.Start();
        }
    }

    public override int MaximumConcurrencyLevel => int.MaxValue;

    /// <summary>Starts <paramref name="work"/> on these threads; what it awaits continues on them.</summary>
    public Task Run(Func<Task> work, CancellationToken ct = default) =>
        Task.Factory.StartNew(work, ct, TaskCreationOptions.DenyChildAttach, this).Unwrap();

    public void Dispose() => queue.CompleteAdding();

    protected override void QueueTask(Task task)
    {
        try
        {
            queue.Add(task);
        }
        catch (InvalidOperationException)
        {
            // Disposed while work was still finishing (shutdown): it finishes on the pool.
            ThreadPool.UnsafeQueueUserWorkItem(_ => TryExecuteTask(task), null);
        }
    }

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => current == this && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks() => queue.ToArray();

    private void Run()
    {
        current = this;
        foreach (var task in queue.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
