using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation;

namespace Preset.Moodboard.Features.Studio;

/// <summary>The items a board page shows, kept in board order as live events arrive. No I/O: a test drives it directly.</summary>
public sealed class BoardItemList(Guid boardId)
{
    private List<BoardItemView>? items;

    /// <summary>null until the first load.</summary>
    public IReadOnlyList<BoardItemView>? Items => items;

    public IReadOnlyList<BoardItemView> Images => items?.Where(i => i.Image is not null).ToList() ?? [];

    public void Load(IEnumerable<BoardItemView> loaded) => items = [.. loaded.OrderBy(i => i.Position)];

    /// <summary>Applies changed items; returns the generations that finished (succeeded or failed) with this change.</summary>
    public IReadOnlyList<BoardItemView> Merge(IEnumerable<BoardItemView> changed)
    {
        if (items is null)
        {
            return [];
        }

        var finishedNow = new List<BoardItemView>();
        foreach (var item in changed.Where(i => i.BoardId == boardId))
        {
            var index = items.FindIndex(i => i.Id == item.Id);
            var before = index >= 0 ? items[index].Generation?.State : null;
            if (index >= 0 && IsLateNews(items[index], item))
            {
                continue;
            }

            if (index >= 0)
            {
                items[index] = item;
            }
            else
            {
                items.Add(item);
            }

            if (before != item.Generation?.State && item.Generation?.State is GenerationState.Succeeded or GenerationState.Failed)
            {
                finishedNow.Add(item);
            }
        }

        items.Sort((a, b) => a.Position.CompareTo(b.Position));
        return finishedNow;
    }

    /// <summary>
    /// An earlier state of a generation that already finished here: events of several instances (or a claim announced while
    /// its result is stored) can arrive out of order, and a finished task never moves again (a retry is a new task).
    /// </summary>
    private static bool IsLateNews(BoardItemView shown, BoardItemView arriving) =>
        shown.Generation is { } was && arriving.Generation is { } now && was.TaskId == now.TaskId && was.TaskId != Guid.Empty
        && GenerationTask.IsFinal(was.State) && !GenerationTask.IsFinal(now.State);

    public void Remove(IEnumerable<Guid> ids)
    {
        var gone = ids.ToHashSet();
        items?.RemoveAll(i => gone.Contains(i.Id));
    }

    /// <summary>Shows a drag's result at once; the saved order comes back over the hub.</summary>
    public bool Move(Guid itemId, int index)
    {
        if (items?.FirstOrDefault(i => i.Id == itemId) is not { } item)
        {
            return false;
        }

        items.Remove(item);
        items.Insert(Math.Clamp(index, 0, items.Count), item);
        return true;
    }

    public BoardItemView? Find(Guid itemId) => items?.FirstOrDefault(i => i.Id == itemId);
}
