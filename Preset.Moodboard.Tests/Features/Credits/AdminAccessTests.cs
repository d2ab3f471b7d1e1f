using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Credits.Alerts;
using Preset.Moodboard.Features.Credits.Quotas;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Credits;

/// <summary>A creator and a talent signed in once for every row of the table (signing in hashes a password: slow on purpose).</summary>
public sealed class NonAdminClients : IAsyncLifetime
{
    public MoodboardApp App { get; } = new();

    public Dictionary<string, HttpClient> Clients { get; } = [];

    public TestUser Target { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        Target = await App.CreateUserAsync(Roles.Creator);
        foreach (var role in new[] { Roles.Creator, Roles.Talent })
        {
            var user = await App.CreateUserAsync(role);
            Clients[role] = await App.SignInAsync(user.Email, user.Password);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in Clients.Values)
        {
            client.Dispose();
        }

        await ((IAsyncLifetime)App).DisposeAsync();
    }
}

/// <summary>Every admin page and endpoint: 403 for creators and talent, 401 (or the sign-in page) for visitors, open to admins.</summary>
public sealed class AdminAccessTests(NonAdminClients fixture) : IClassFixture<NonAdminClients>
{

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "admin/credits" },
        { "GET", "admin/users" },
        { "GET", "admin/jobs" },
        { "GET", "api/admin/credits" },
        { "POST", "api/admin/credits/sync" },
        { "PUT", "api/admin/credits/threshold" },
        { "GET", "api/admin/users" },
        { "PUT", "api/admin/users/{user}/quota" },
        { "POST", "api/admin/users/{user}/quota/reset" },
        { "POST", "api/admin/users/{user}/disable" },
        { "POST", "api/admin/users/{user}/enable" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ShouldForbidEveryAdminPageAndEndpointToCreatorsAndTalent(string method, string path)
    {
        var target = fixture.Target;
        foreach (var (role, client) in fixture.Clients)
        {
            var response = await SendAsync(client, method, path.Replace("{user}", target.Id));

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role} got {(int)response.StatusCode} for {method} {path}");
        }

        using var visitor = fixture.App.CreateBrowserlikeClient();
        var anonymous = await SendAsync(visitor, method, path.Replace("{user}", target.Id));
        Assert.True(anonymous.StatusCode is HttpStatusCode.Unauthorized || (anonymous.StatusCode == HttpStatusCode.Redirect && anonymous.Headers.Location!.OriginalString.Contains("Account/Login")),
            $"A visitor got {(int)anonymous.StatusCode} for {method} {path}");
    }

    [Fact]
    public async Task ShouldLetAdminsUseTheCreditEndpointsAndExplainBadInput()
    {
        using var admin = await fixture.App.SignInAsync(DemoSeeder.Admin.Email, DemoSeeder.Admin.Password);
        var creator = await fixture.App.CreateUserAsync(Roles.Creator);

        var dashboard = await admin.GetAsync("api/admin/credits");
        var sync = await admin.PostAsync("api/admin/credits/sync", null);
        var negative = await admin.PutAsJsonAsync("api/admin/credits/threshold", new { threshold = -1 });
        var threshold = await admin.PutAsJsonAsync("api/admin/credits/threshold", new { threshold = 250 });
        var absurdQuota = await admin.PutAsJsonAsync($"api/admin/users/{creator.Id}/quota", new { monthlyCredits = 5_000_000 });
        var quota = await admin.PutAsJsonAsync($"api/admin/users/{creator.Id}/quota", new { monthlyCredits = 40 });
        var unknownUser = await admin.PutAsJsonAsync("api/admin/users/nobody/quota", new { monthlyCredits = 40 });

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Equal("Enter a threshold between 0 and 10,000,000 credits, or leave it empty to switch the alert off.",
            (await negative.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["Threshold"][0]);
        Assert.Equal("Threshold set to 250 credits.", (await threshold.Content.ReadFromJsonAsync<ThresholdResult>())!.Message);
        Assert.Equal(HttpStatusCode.BadRequest, absurdQuota.StatusCode);
        Assert.Equal("Enter a quota between 0 and 1,000,000 credits, or leave it empty for the default.",
            (await absurdQuota.Content.ReadFromJsonAsync<ValidationProblemDetails>())!.Errors["MonthlyCredits"][0]);
        Assert.Equal(40, (await quota.Content.ReadFromJsonAsync<QuotaResult>())!.Usage!.Quota);
        Assert.Equal(HttpStatusCode.BadRequest, unknownUser.StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path) => method switch
    {
        "GET" => client.GetAsync(path),
        "POST" => client.PostAsync(path, null),
        _ => client.PutAsJsonAsync(path, new { threshold = 10, monthlyCredits = 10 }),
    };
}
