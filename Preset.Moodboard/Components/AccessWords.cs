namespace Preset.Moodboard.Components;

/// <summary>What a refusal says — one set of words for the status pages and the problem details of every API.</summary>
public static class AccessWords
{
    public const string SignInTitle = "You're not signed in";
    public const string SignInDetail = "Sign in, then try again. Scripts and assistants send a personal access token.";
    public const string NoAccessTitle = "You don't have access";
    public const string NoAccessDetail = "It needs a role or a share of the board that your account doesn't have. If you think it should, ask an admin or the board's owner.";
    public const string NotFoundTitle = "We couldn't find that";
    public const string NotFoundDetail = "It may have been deleted, or the address is wrong — or it belongs to someone who hasn't shared it with you.";
}
