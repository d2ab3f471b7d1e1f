using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Admin.Users;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Admin;

public sealed class UserAdministrationTests(MoodboardApp app) : IClassFixture<MoodboardApp>
{
    [Fact]
    public async Task ShouldRefuseToRemoveTheLastAdmin()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var admin = await AdminAsync(administration);

        var result = await administration.SetRoleAsync(admin, admin.Id, Roles.Admin, granted: false);

        Assert.False(result.Succeeded);
        Assert.Equal("This is the last admin. Make someone else an admin first.", result.Message);
        Assert.Contains(Roles.Admin, (await administration.ListAsync()).Single(u => u.Id == admin.Id).Roles);
    }

    [Fact]
    public async Task ShouldChangeRolesAndLetAdminStepDownOnceAnotherAdminExists()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var admin = await AdminAsync(administration);
        var newcomer = await app.CreateUserAsync(Roles.Creator);

        var promoted = await administration.SetRoleAsync(admin, newcomer.Id, Roles.Admin, granted: true);
        var demoted = await administration.SetRoleAsync(admin, newcomer.Id, Roles.Creator, granted: false);
        var steppedDown = await administration.SetRoleAsync(admin, newcomer.Id, Roles.Admin, granted: false);

        Assert.True(promoted.Succeeded);
        Assert.True(demoted.Succeeded);
        Assert.True(steppedDown.Succeeded);
        Assert.Empty((await administration.ListAsync()).Single(u => u.Id == newcomer.Id).Roles);
    }

    [Fact]
    public async Task ShouldRefuseRoleChangesFromNonAdmins()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var creator = await app.CreateUserAsync(Roles.Creator);

        var result = await administration.SetRoleAsync(creator.AsCurrentUser(Roles.Creator), creator.Id, Roles.Admin, granted: true);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task ShouldIssueATemporaryPasswordThatSignsIn()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var admin = await AdminAsync(administration);
        var forgetful = await app.CreateUserAsync(Roles.Talent);

        var (result, password) = await administration.ResetPasswordAsync(admin, forgetful.Id);

        Assert.True(result.Succeeded);
        using var client = await app.SignInAsync(forgetful.Email, password!);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("boards")).StatusCode);
    }

    private static async Task<CurrentUser> AdminAsync(UserAdministration administration)
    {
        var row = (await administration.ListAsync()).Single(u => u.Email == DemoSeeder.Admin.Email);
        return new CurrentUser(row.Id, row.DisplayName, row.Roles);
    }
}
