using Preset.Moodboard.Features.Generation;

namespace Preset.Moodboard.Features.Boards.Components;

public enum ItemAction
{
    Caption,
    Delete,
    Retry,
    EditPrompt,
    UseAsReference,
    ReusePrompt,
    SetCover,
    MoveFirst,
    CopyColor,
}

public sealed record ItemActionArgs(ItemAction Action, BoardItemView Item, string? Text = null);
