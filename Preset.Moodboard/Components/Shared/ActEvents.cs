using Microsoft.AspNetCore.Components;

namespace Preset.Moodboard.Components.Shared;

/// <summary>
/// A click inside a container of plain-markup controls, read in the browser (app.js): which of its controls was clicked
/// (<c>data-act</c>, <c>data-arg</c>) and, on a board, on which card (<c>data-item-id</c>). One handler on the container
/// serves every control, so the controls need no handler, component or closure each.
/// </summary>
public sealed class ActEventArgs : EventArgs
{
    public string? ItemId { get; set; }

    public string? Act { get; set; }

    public string? Arg { get; set; }
}

[EventHandler("onactclick", typeof(ActEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
// Razor finds custom events only on a class named EventHandlers.
public static class EventHandlers
{
}
