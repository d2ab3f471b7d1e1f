using System.Collections.Concurrent;

namespace Preset.Moodboard.Features.Boards.Live;

/// <summary>Someone with a board open right now, as the avatars in the header show them.</summary>
public sealed record PresenceView(string Key, string Name, string Initials, bool IsGuest, BoardPermission Permission);

/// <summary>A hub connection on a board, wherever it is connected.</summary>
public sealed record PresenceRecord(string ConnectionId, BoardViewer Viewer, BoardPermission Permission);

/// <summary>A live hub connection: who it belongs to and which boards it follows with which rights.</summary>
public sealed class PresenceEntry(string connectionId, BoardViewer viewer)
{
    public string ConnectionId { get; } = connectionId;
    public BoardViewer Viewer { get; } = viewer;
    public ConcurrentDictionary<Guid, BoardPermission> Boards { get; } = new();
}

/// <summary>
/// The hub connections of this process and the boards they follow: for presence avatars, and to find the connections
/// to cut off when someone's access to a board ends.
/// </summary>
public sealed class BoardPresence
{
    private readonly ConcurrentDictionary<string, PresenceEntry> connections = new();

    public PresenceEntry Connect(string connectionId, BoardViewer viewer) => connections.GetOrAdd(connectionId, id => new PresenceEntry(id, viewer));

    public void Join(string connectionId, Guid boardId, BoardPermission permission)
    {
        if (connections.TryGetValue(connectionId, out var entry))
        {
            entry.Boards[boardId] = permission;
        }
    }

    public bool Leave(string connectionId, Guid boardId) => connections.TryGetValue(connectionId, out var entry) && entry.Boards.TryRemove(boardId, out _);

    /// <summary>Forgets a connection and returns the boards it was following.</summary>
    public IReadOnlyList<Guid> Disconnect(string connectionId) =>
        connections.TryRemove(connectionId, out var entry) ? [.. entry.Boards.Keys] : [];

    public IReadOnlyList<PresenceEntry> On(Guid boardId) => [.. connections.Values.Where(e => e.Boards.ContainsKey(boardId))];

    public IReadOnlyList<PresenceEntry> All() => [.. connections.Values];

    /// <summary>One avatar per person, owner and editors first.</summary>
    public IReadOnlyList<PresenceView> Viewers(Guid boardId) =>
        ViewersOf(On(boardId).Select(e => new PresenceRecord(e.ConnectionId, e.Viewer, e.Boards.GetValueOrDefault(boardId))));

    /// <summary>One avatar per person, owner and editors first, from the connections on a board (of this instance or all).</summary>
    public static IReadOnlyList<PresenceView> ViewersOf(IEnumerable<PresenceRecord> connections) => [.. connections
        .GroupBy(e => e.Viewer.Key)
        .Select(g => (g.First().Viewer, Permission: g.Max(e => e.Permission)))
        .OrderByDescending(x => x.Permission).ThenBy(x => x.Viewer.DisplayName, StringComparer.CurrentCultureIgnoreCase)
        .Select(x => new PresenceView(x.Viewer.PublicKey, x.Viewer.DisplayName, Initials(x.Viewer.DisplayName), x.Viewer.IsGuest, x.Permission))];

    public static string Initials(string name)
    {
        var parts = name.Split([' ', '@', '.', '-', '_'], StringSplitOptions.RemoveEmptyEntries);
        var initials = string.Concat(parts.Take(2).Select(p => char.ToUpperInvariant(p[0])));
        return initials.Length == 0 ? "?" : initials;
    }
}
