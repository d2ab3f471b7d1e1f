using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards.Live;

namespace Preset.Moodboard.Features.Review;

public sealed record NotificationView(long Id, NotificationKind Kind, Guid BoardId, Guid? ItemId, string Text, DateTime CreatedAt, bool Read)
{
    /// <summary>Where clicking it goes: the image in the board's detail view, or the board.</summary>
    public string Href => ItemId is { } item ? $"boards/{BoardId}?item={item}" : $"boards/{BoardId}";
}

/// <summary>The bell: what happened on boards that concerns a user, pushed live to their open tabs.</summary>
public sealed class Notifications(IDbContextFactory<AppDbContext> dbFactory, BoardEvents events, TimeProvider clock)
{
    public const int Shown = 30;

    public async Task AddAsync(string userId, NotificationKind kind, Guid boardId, Guid? itemId, string text, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        text = text.Length <= 500 ? text : text[..499] + "…";
        var notification = new Notification { UserId = userId, Kind = kind, BoardId = boardId, ItemId = itemId, Text = text, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Notifications.Add(notification);
        await db.SaveChangesAsync(ct);
        await events.ToUserAsync(userId, ShareMessages.Notification, View(notification), ct);
    }

    public async Task<IReadOnlyList<NotificationView>> RecentAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Notifications.AsNoTracking().Where(n => n.UserId == userId)
            .OrderByDescending(n => n.Id).Take(Shown).ToListAsync(ct);
        return [.. rows.Select(View)];
    }

    public async Task<int> UnreadCountAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
    }

    public async Task MarkReadAsync(string userId, long? id = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null && (id == null || n.Id == id))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }

    private static NotificationView View(Notification n) => new(n.Id, n.Kind, n.BoardId, n.ItemId, n.Text, n.CreatedAt, n.ReadAt is not null);
}
