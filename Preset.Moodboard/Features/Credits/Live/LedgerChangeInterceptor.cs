using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Features.Credits;

/// <summary>
/// Announces every ledger write (reservation, charge, refund — whoever writes it) once it is committed, so the owner's credits
/// and the admins' dashboard move without each writer having to remember to say so.
/// </summary>
internal sealed class LedgerChangeInterceptor(CreditEvents events) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, HashSet<string>> pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            Publish(eventData.Context);
        }

        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            Publish(eventData.Context);
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            Take(eventData.Context);
        }
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    internal void Publish(DbContext? context)
    {
        if (Take(context) is { Count: > 0 } users)
        {
            _ = events.UsersCreditsChangedAsync(users);
        }
    }

    internal HashSet<string>? Take(DbContext? context)
    {
        if (context is null)
        {
            return null;
        }

        lock (pending)
        {
            return pending.TryGetValue(context, out var users) && pending.Remove(context) ? users : null;
        }
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var users = context.ChangeTracker.Entries<CreditLedgerEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.UserId).ToList();
        if (users.Count == 0)
        {
            return;
        }

        lock (pending)
        {
            pending.GetOrCreateValue(context).UnionWith(users);
        }
    }
}

/// <summary>The committed (or rolled back) half of <see cref="LedgerChangeInterceptor"/>.</summary>
internal sealed class LedgerTransactionInterceptor(LedgerChangeInterceptor changes) : DbTransactionInterceptor
{
    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => changes.Publish(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        changes.Publish(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => changes.Take(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        changes.Take(eventData.Context);
        return Task.CompletedTask;
    }
}
