using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Admin.Users;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Admin;

/// <summary>A disabled account cannot sign in, its cookie stops working and its live connections end at once; enabling restores it.</summary>
public sealed class DisableAccountTests(MoodboardApp app) : IClassFixture<MoodboardApp>
{
    [Fact]
    public async Task ShouldEndTheHubConnectionAndCookieOfADisabledUserAndRefuseSignIn()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        using var client = await app.SignInAsync(user.Email, user.Password);
        await using var hub = await BoardHubClient.ConnectAsync(app, client);
        var closed = new TaskCompletionSource();
        hub.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        using var admin = await app.SignInAsync(DemoSeeder.Admin.Email, DemoSeeder.Admin.Password);

        var disabled = await admin.PostAsync($"api/admin/users/{user.Id}/disable", null);

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/boards")).StatusCode);
        var again = await HttpSignIn.PostLoginAsync(app.CreateBrowserlikeClient(), user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("This account has been disabled. Ask an admin to enable it again.", await again.Content.ReadAsStringAsync());
        await using var reconnect = new HubConnectionBuilder().WithUrl(new Uri(app.BaseAddress, "hubs/board"), o => o.Cookies = client.Cookies()).Build();
        await Assert.ThrowsAnyAsync<Exception>(() => reconnect.StartAsync());

        var enabled = await admin.PostAsync($"api/admin/users/{user.Id}/enable", null);

        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        using var back = await app.SignInAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("api/boards")).StatusCode);
    }

    [Fact]
    public async Task ShouldNeverDisableYourselfOrTheLastEnabledAdmin()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var seeded = (await administration.ListAsync()).Single(u => u.Email == DemoSeeder.Admin.Email);
        var admin = new CurrentUser(seeded.Id, seeded.DisplayName, seeded.Roles);
        var second = await app.CreateUserAsync(Roles.Admin);

        var self = await administration.DisableAsync(admin, admin.Id);
        var other = await administration.DisableAsync(admin, second.Id);
        // With the other admin disabled, the seeded admin is the last enabled one: it cannot step down either.
        var stepDown = await administration.SetRoleAsync(admin, admin.Id, Roles.Admin, granted: false);
        var byCreator = await administration.DisableAsync(new CurrentUser("x", "x", new HashSet<string> { Roles.Creator }), second.Id);

        Assert.Equal("You can't disable your own account.", self.Message);
        Assert.True(other.Succeeded);
        Assert.Equal("This is the last admin. Make someone else an admin first.", stepDown.Message);
        Assert.False(byCreator.Succeeded);
        Assert.True((await administration.ListAsync()).Single(u => u.Id == second.Id).IsDisabled);
        Assert.True((await administration.EnableAsync(admin, second.Id)).Succeeded);
    }
}
