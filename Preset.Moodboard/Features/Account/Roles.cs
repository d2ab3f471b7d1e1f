namespace Preset.Moodboard.Features.Account;

public static class Roles
{
    public const string Creator = "Creator";
    public const string Talent = "Talent";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Creator, Talent, Admin];
}

public static class Policies
{
    public const string Admin = "Admin";
    public const string CreateBoards = "CreateBoards";

    /// <summary>Signed in, or a share-link guest: board pages, the board hub, media and review endpoints.</summary>
    public const string BoardViewer = "BoardViewer";

    public static void Configure(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        // The default ([Authorize], RequireAuthorization()) is a signed-in account: a share-link guest has no user id.
        options.DefaultPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireClaim(System.Security.Claims.ClaimTypes.NameIdentifier)
            .Build();
        options.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(CreateBoards, p => p.RequireRole(Roles.Creator));
        options.AddPolicy(BoardViewer, p => p.RequireAuthenticatedUser());
    }
}
