using System.Net;
using Preset.Moodboard.Tests.TestUtilities;
using Preset.Moodboard.Tests.TestUtilities.ScaleOut;

namespace Preset.Moodboard.Tests.ScaleOut;

/// <summary>Bad provider settings stop start-up with a message naming the setting; an unreachable Redis only marks the app not ready.</summary>
[Trait("Category", "ScaleOut")]
public sealed class ScaleOutConfigurationTests
{
    public static TheoryData<string[], string[]> Refused => new()
    {
        { ["Data:Provider=PostgreSql"], ["ConnectionStrings:Moodboard"] },
        { ["Data:Provider=Oracle"], ["Data:Provider", "Oracle"] },
        { ["Jobs:Storage=Redis"], ["Jobs:Storage", "Redis"] },
        { ["Jobs:Storage=PostgreSql"], ["Jobs:Storage is PostgreSql", "ConnectionStrings:Jobs"] },
        { ["Media:Store=S3"], ["Media:Store", "S3"] },
        { ["Media:Store=AzureBlob"], ["Media:AzureBlob:ConnectionString"] },
        { ["Media:Store=AzureBlob", "Media:AzureBlob:ConnectionString=not a connection string"], ["Media:AzureBlob:ConnectionString"] },
        { ["Redis:Configuration=,,=="], ["Redis:Configuration"] },
        {
            ["App:Instances=3"],
            ["App:PublicBaseUrl", "Redis:Configuration", "Data:Provider=PostgreSql", "Jobs:Storage=PostgreSql", "Media:Store=AzureBlob", "NanoBanana:BaseUrl"]
        },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ShouldRefuseToStartNamingTheSetting(string[] settings, string[] named)
    {
        await using var app = new MoodboardApp();
        foreach (var setting in settings)
        {
            var (key, value) = (setting[..setting.IndexOf('=')], setting[(setting.IndexOf('=') + 1)..]);
            app.With(key, value);
        }

        var refused = await Assert.ThrowsAnyAsync<Exception>(app.InitializeAsync);

        var message = refused.ToString();
        Assert.All(named, setting => Assert.Contains(setting, message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShouldRefuseABlobContainerThatCannotBeCreated()
    {
        var services = await ScaleOutServices.GetAsync();
        await using var app = new MoodboardApp()
            .With("Media:Store", "AzureBlob")
            .With("Media:AzureBlob:ConnectionString", services.Blobs)
            .With("Media:AzureBlob:Container", "Not_A_Valid_Container!");

        var refused = await Assert.ThrowsAnyAsync<Exception>(app.InitializeAsync);

        Assert.Contains("Not_A_Valid_Container!", refused.ToString(), StringComparison.Ordinal);
        Assert.Contains("Media:AzureBlob:Container", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShouldReportNotReadyWithoutCrashingWhenRedisIsUnreachable()
    {
        var services = await ScaleOutServices.GetAsync();
        await using var app = new MoodboardApp()
            .With("App:PublicBaseUrl", "http://127.0.0.1:5999/")
            .With("Data:Provider", "PostgreSql")
            .With("ConnectionStrings:Moodboard", await services.NewDatabaseAsync())
            .With("Media:Store", "AzureBlob")
            .With("Media:AzureBlob:ConnectionString", services.Blobs)
            .With("Media:AzureBlob:Container", ScaleOutServices.NewContainerName())
            .With("Redis:Configuration", $"127.0.0.1:{AppProcess.FreePort()},connectTimeout=500,syncTimeout=1000,asyncTimeout=1000")
            .With("NanoBanana:BaseUrl", "http://127.0.0.1:9/")
            .With("NanoBanana:ApiKey", "unused-key");
        await app.InitializeAsync();
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        var ready = await http.GetAsync("health/ready");
        var readyAgain = await http.GetAsync("health/ready");
        var alive = await http.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

    }
}
