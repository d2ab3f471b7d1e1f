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

    public static void Configure(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(CreateBoards, p => p.RequireRole(Roles.Creator));
    }
}
