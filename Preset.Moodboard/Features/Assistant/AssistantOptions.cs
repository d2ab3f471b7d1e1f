using System.ComponentModel.DataAnnotations;

namespace Preset.Moodboard.Features.Assistant;

public sealed class AssistantOptions
{
    public const string SectionName = "Assistant";

    /// <summary>Requests a token (or a signed-in caller) may make per minute to /api/v1 and /mcp together before 429.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>How long the signed image links handed to assistants and scripts stay valid.</summary>
    public TimeSpan ImageLinkLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The longest wait_for_generation may wait in one call (MCP clients give up on tool calls after a minute or so).</summary>
    [Range(1, 300)]
    public int MaxWaitSeconds { get; set; } = 50;

    /// <summary>How often a waiting tool looks at the generation again.</summary>
    public TimeSpan WaitPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    [Range(1, 3650)]
    public int MaxTokenLifetimeDays { get; set; } = 365;

    /// <summary>Unrevoked, unexpired tokens one person may hold.</summary>
    [Range(1, 1000)]
    public int MaxActiveTokensPerUser { get; set; } = 25;
}
