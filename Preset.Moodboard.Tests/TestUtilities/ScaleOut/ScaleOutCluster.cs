using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Preset.Moodboard.Data;

namespace Preset.Moodboard.Tests.TestUtilities.ScaleOut;

/// <summary>
/// Three instances of the app (A, B, C) as separate processes sharing one PostgreSQL database (EF Core and Hangfire), one Redis
/// (backplane, keys, presence, notices) and one Azurite container, plus a fourth process that plays NanoBanana: the app's
/// embedded service, run alone. Every instance calls that NanoBanana; callbacks name B (<c>App:PublicBaseUrl</c>), the way a
/// load balancer would send them to one instance.
/// </summary>
public sealed class ScaleOutCluster : IAsyncLifetime
{
    public const string NanoBananaKey = "scale-out-test-key-0123456789";

    public AppProcess A { get; private set; } = default!;
    public AppProcess B { get; private set; } = default!;
    public AppProcess C { get; private set; } = default!;
    public AppProcess NanoBanana { get; private set; } = default!;

    public IReadOnlyList<AppProcess> Instances => [A, B, C];

    public string ConnectionString { get; private set; } = "";

    public ScaleOutServices Services { get; private set; } = default!;

    public string Container { get; } = ScaleOutServices.NewContainerName();

    /// <summary>An image host every instance may download from, for callbacks a test sends itself.</summary>
    public ImageServer Images { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Services = await ScaleOutServices.GetAsync();
        ConnectionString = await Services.NewDatabaseAsync();
        Images = await ImageServer.StartAsync();

        var bPort = AppProcess.FreePort();
        NanoBanana = new AppProcess("nanobanana", new Dictionary<string, string>
        {
            ["App:SeedDemoData"] = "false",
            ["EmbeddedNanoBanana:ApiKey"] = NanoBananaKey,
            ["EmbeddedNanoBanana:StartingCredits"] = "100000",
            ["EmbeddedNanoBanana:CompletionDelay"] = "00:00:02",
            ["EmbeddedNanoBanana:CompletionJitter"] = "00:00:01",
            ["EmbeddedNanoBanana:CallbackTimeout"] = "00:00:05",
            ["EmbeddedNanoBanana:CallbackRetryDelay"] = "00:00:00.500",
        });
        var shared = new Dictionary<string, string>
        {
            ["App:Instances"] = "3",
            ["App:PublicBaseUrl"] = $"http://127.0.0.1:{bPort}/",
            ["Data:Provider"] = "PostgreSql",
            ["ConnectionStrings:Moodboard"] = ConnectionString,
            ["Media:Store"] = "AzureBlob",
            ["Media:AzureBlob:ConnectionString"] = Services.Blobs,
            ["Media:AzureBlob:Container"] = Container,
            ["Redis:Configuration"] = Services.Redis,
            ["Redis:ChannelPrefix"] = $"test-{Guid.NewGuid():N}",
            ["NanoBanana:BaseUrl"] = $"http://127.0.0.1:{NanoBanana.Port}/embedded-nanobanana/",
            ["NanoBanana:ApiKey"] = NanoBananaKey,
            ["Downloads:AllowedPrivateHosts:0"] = $"127.0.0.1:{NanoBanana.Port}",
            ["Downloads:AllowedPrivateHosts:1"] = Images.HostAndPort,
            ["Generation:PollInterval"] = "00:00:03",
            ["Generation:PollJitter"] = "00:00:01",
            ["Jobs:QueuePollInterval"] = "00:00:00.200",
            ["Jobs:SchedulePollingInterval"] = "00:00:00.500",
            ["Jobs:InvisibilityTimeout"] = "00:00:15",
            ["Jobs:WorkerCount"] = "3",
        };

        A = new AppProcess("a", With(shared, ("App:SeedDemoData", "true")));
        B = new AppProcess("b", With(shared, ("App:SeedDemoData", "false")), bPort);
        C = new AppProcess("c", With(shared, ("App:SeedDemoData", "false")));
        // A first: it migrates and seeds the demo accounts; then the others (and NanoBanana) side by side.
        await Task.WhenAll(A.StartAsync(), NanoBanana.StartAsync());
        await Task.WhenAll(B.StartAsync(), C.StartAsync());
    }

    public AppDbContext OpenDb() => new(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>A browser-like client (own cookie jar, no redirects followed) on one instance, signed in through the real form.</summary>
    public static async Task<(HttpClient Client, CookieContainer Cookies)> SignInAsync(AppProcess instance, string email, string password)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = instance.BaseAddress };
        var response = await HttpSignIn.PostLoginAsync(client, email, password);
        return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("Login", StringComparison.Ordinal) != true
            ? (client, cookies)
            : throw new InvalidOperationException($"Sign-in as {email} on {instance.Name} failed: {(int)response.StatusCode} {response.Headers.Location}");
    }

    /// <summary>A new account through the real sign-up form on one instance (a Creator); the client is signed in.</summary>
    public static async Task<(HttpClient Client, CookieContainer Cookies, string Email)> SignUpAsync(AppProcess instance, string name)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = instance.BaseAddress };
        var email = $"{name.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()}{Guid.NewGuid():N}"[..24] + "@example.test";
        var token = await HttpSignIn.AntiforgeryTokenAsync(client, "Account/Register");
        var response = await client.PostAsync("Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["__RequestVerificationToken"] = token,
            ["Input.DisplayName"] = name,
            ["Input.Email"] = email,
            ["Input.Password"] = TestUsers.Password,
            ["Input.ConfirmPassword"] = TestUsers.Password,
        }));
        return response.StatusCode == HttpStatusCode.Redirect
            ? (client, cookies, email)
            : throw new InvalidOperationException($"Sign-up on {instance.Name} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Waits until the four processes together use less than 30 % of one core, and the whole machine less than half of one,
    /// for two seconds running: what a freshly started .NET process does in its first minute (compiling hot code again,
    /// optimised), or whatever else shares the two cores at the end of a full run (the test host's collections, PostgreSQL's
    /// housekeeping), is not what a latency measurement of the studio is about. One that never quiets down is a fault: this throws.
    /// </summary>
    /// <returns>How long it took, and the CPU time of the instances and of the machine in the last quiet second.</returns>
    public async Task<(TimeSpan Waited, TimeSpan Busy, TimeSpan MachineBusy)> SettleAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(120);
        var started = DateTime.UtcNow;
        var processes = Instances.Append(NanoBanana).ToList();
        var busy = TimeSpan.Zero;
        var machineBusy = TimeSpan.Zero;
        var quietSeconds = 0;
        while (DateTime.UtcNow - started < limit)
        {
            var before = processes.Sum(p => p.CpuTime.TotalMilliseconds);
            var machineBefore = MachineBusyTime();
            await Task.Delay(1000);
            busy = TimeSpan.FromMilliseconds(processes.Sum(p => p.CpuTime.TotalMilliseconds) - before);
            machineBusy = MachineBusyTime() - machineBefore;
            quietSeconds = busy < TimeSpan.FromMilliseconds(300) && machineBusy < TimeSpan.FromMilliseconds(500) ? quietSeconds + 1 : 0;
            if (quietSeconds == 2)
            {
                return (DateTime.UtcNow - started, busy, machineBusy);
            }
        }

        throw new TimeoutException($"The machine never quieted down: the instances still used {busy.TotalMilliseconds:0} ms of CPU a second "
            + $"and the machine {machineBusy.TotalMilliseconds:0} ms after {limit.TotalSeconds:0} s.");
    }

    /// <summary>CPU time every core of the machine spent not idle since boot (Linux: /proc/stat, in 1/100 s).</summary>
    private static TimeSpan MachineBusyTime()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        var idle = fields[3] + fields[4];
        return TimeSpan.FromMilliseconds((fields.Sum() - idle) * 10);
    }

    /// <summary>Starts an instance again after a test killed it (same port, same settings).</summary>
    public Task EnsureRunningAsync(AppProcess instance) => instance.IsRunning ? Task.CompletedTask : instance.StartAsync();

    public async Task DisposeAsync()
    {
        await Task.WhenAll(Instances.Append(NanoBanana).Where(p => p is not null).Select(p => p.DisposeAsync().AsTask()));
        if (Images is not null)
        {
            await Images.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
    }

    private static Dictionary<string, string> With(Dictionary<string, string> shared, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>(shared);
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }
}

/// <summary>
/// Runs after every other collection, alone: four app processes and a browser fill both cores of a CI machine, and the suite
/// measures latency across instances.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScaleOutCollection : ICollectionFixture<ScaleOutCluster>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Scale-out cluster";
}
