namespace Preset.Moodboard.Features.Assistant;

/// <summary>Messages the API and the MCP tools share, so a script and an assistant read the same words.</summary>
public static class AssistantErrors
{
    public const string NeedsGenerateScope =
        "This access token can only read. Starting generations, creating boards, adding notes and uploading need a token with the “generate” scope — create one on your account page.";

    public const string BoardNotFound = "This board doesn't exist or isn't shared with you.";

    public const string GenerationNotFound = "This generation doesn't exist, or its board isn't one you can edit.";
}
