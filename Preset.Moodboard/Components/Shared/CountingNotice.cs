using MudBlazor;

namespace Preset.Moodboard.Components.Shared;

/// <summary>
/// A notice that adds up: news on the same subject while its notice is still on screen replaces it with the sum ("2 new images
/// are ready") rather than stacking another or, in the same words, being dropped as a duplicate.
/// </summary>
public sealed class CountingNotice(ISnackbar snackbar)
{
    private Snackbar? shown;
    private object? subject;
    private int count;

    public void Add(object subject, int added, Func<int, string> message, Severity severity, Action<SnackbarOptions>? configure = null)
    {
        var same = shown is not null && Equals(this.subject, subject) && snackbar.ShownSnackbars.Contains(shown);
        count = same ? count + added : added;
        if (same)
        {
            snackbar.Remove(shown!);
        }

        this.subject = subject;
        shown = snackbar.Add(message(count), severity, configure);
    }
}
