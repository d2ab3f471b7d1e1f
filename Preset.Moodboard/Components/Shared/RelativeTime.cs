namespace Preset.Moodboard.Components.Shared;

public static class RelativeTime
{
    public static string Format(DateTime utc, DateTime nowUtc)
    {
        var span = nowUtc - utc;
        return span switch
        {
            { TotalSeconds: < 45 } => "just now",
            { TotalMinutes: < 60 } => $"{Math.Max(1, (int)span.TotalMinutes)} min ago",
            { TotalHours: < 24 } => $"{(int)span.TotalHours} h ago",
            { TotalDays: < 7 } => $"{(int)span.TotalDays} d ago",
            _ when utc.Year == nowUtc.Year => utc.ToString("d MMM"),
            _ => utc.ToString("d MMM yyyy"),
        };
    }
}
