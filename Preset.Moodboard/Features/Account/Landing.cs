namespace Preset.Moodboard.Features.Account;

/// <summary>Where a user starts: admins on the credit dashboard, creators on their boards, talent on what is shared with them.</summary>
public static class Landing
{
    public const string AdminHome = "/admin/credits";
    public const string CreatorHome = "/boards";
    public const string TalentHome = "/shared";

    public static string For(CurrentUser? user) => user switch
    {
        { IsAdmin: true } => AdminHome,
        { IsCreator: false } => TalentHome,
        _ => CreatorHome,
    };
}
