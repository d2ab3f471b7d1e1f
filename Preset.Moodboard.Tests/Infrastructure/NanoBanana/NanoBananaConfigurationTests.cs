using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Infrastructure.NanoBanana;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Infrastructure.NanoBanana;

public sealed class NanoBananaConfigurationTests
{
    [Fact]
    public async Task ShouldRefuseToStartWithABaseUrlButNoKeyAndNameTheMissingKey()
    {
        await using var app = new MoodboardApp().With("NanoBanana:BaseUrl", "https://api.nanobananaapi.ai");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(((IAsyncLifetime)app).InitializeAsync);

        Assert.Contains("NanoBanana:ApiKey is not set", error.Message);
        Assert.Contains("NanoBanana__ApiKey", error.Message);
    }

    [Fact]
    public async Task ShouldStartWithAnUnreachableServiceAndSayWhatIsWrongWithoutLoggingTheKey()
    {
        const string key = "fake-secret-key-0123456789";
        var logs = new LogSink();
        await using var app = new MoodboardApp { Logs = logs }
            .With("NanoBanana:BaseUrl", "http://127.0.0.1:1")
            .With("NanoBanana:ApiKey", key)
            .With("NanoBanana:MaxRetries", "1");
        await ((IAsyncLifetime)app).InitializeAsync();
        using var http = app.CreateBrowserlikeClient();

        var ready = await http.GetStringAsync("health/ready");
        var status = await app.Services.GetRequiredService<NanoBananaStatus>().GetAsync();
        var submit = await app.Services.GetRequiredService<INanoBananaClient>().SubmitAsync(new ImageJob("p", "https://cb", []));

        Assert.Equal("Degraded", ready);
        Assert.False(status.Reachable);
        Assert.Contains("NanoBanana at http://127.0.0.1:1/ cannot be reached", status.Message);
        Assert.Equal(NanoBananaErrorKind.Network, submit.Error!.Kind);
        await logs.WaitForAsync(l => l.Contains("NanoBanana check failed") && l.Contains("cannot be reached"));
        Assert.Contains(logs.Lines, l => l.Contains("Authorization"));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShouldNotServeTheEmbeddedServiceWhenARealOneIsConfigured()
    {
        await using var app = new MoodboardApp().With("NanoBanana:BaseUrl", "http://127.0.0.1:1").With("NanoBanana:ApiKey", "k");
        await ((IAsyncLifetime)app).InitializeAsync();
        using var http = app.CreateBrowserlikeClient();

        var response = await http.GetAsync("embedded-nanobanana/api/v1/common/credit");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
