using Microsoft.AspNetCore.Components;

namespace Preset.Moodboard.Features.Boards.Components;

/// <summary>
/// A click inside the board grid, read in the browser (app.js): which card, and which of its controls (<c>data-act</c>,
/// <c>data-arg</c>). One handler on the grid serves every card, so cards need no handler, component or closure each.
/// </summary>
public sealed class CardEventArgs : EventArgs
{
    public string? ItemId { get; set; }

    public string? Act { get; set; }

    public string? Arg { get; set; }
}

[EventHandler("oncardclick", typeof(CardEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
// Razor finds custom events only on a class named EventHandlers.
public static class EventHandlers
{
}
