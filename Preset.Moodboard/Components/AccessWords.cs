namespace Preset.Moodboard.Components;

/// <summary>What a refusal says — one set of words for the status pages and the problem details of every API.</summary>
public static class AccessWords
{
    public const string SignInTitle = "You're not signed in";
    public const string SignInDetail = "Sign in, then try again. Scripts and assistants send a personal access token.";
    public const string NoAccessTitle = "You don't have access";
    public const string NoAccessDetail = "Your account's role or your share of this board doesn't include it. If you think it should, ask the board's owner or an admin.";
    public const string NotFoundTitle = "We couldn't find that";
    public const string NotFoundDetail = "It may have been deleted, or the address is wrong — or it belongs to someone who hasn't shared it with you.";
}
