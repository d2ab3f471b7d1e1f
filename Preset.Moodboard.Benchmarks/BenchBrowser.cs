using Microsoft.Playwright;
using Preset.Moodboard.Data.Seeding;

namespace Preset.Moodboard.Benchmarks;

/// <summary>Debian's headless Chromium, signed in as the demo creator, opening many pages of the app at once.</summary>
internal sealed class BenchBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private readonly List<IBrowserContext> contexts = [];
    private readonly string signedIn;
    private Uri baseAddress = default!;

    private BenchBrowser(IPlaywright playwright, IBrowser browser, string signedIn)
    {
        this.playwright = playwright;
        this.browser = browser;
        this.signedIn = signedIn;
    }

    /// <summary>
    /// Another browser profile, signed in as the demo creator unless <paramref name="storageState"/> says otherwise. Chromium
    /// keeps at most 255 WebSockets per profile and each board page holds two (circuit, board hub), so a few hundred pages need
    /// several profiles, as they would be several people's browsers.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(string? initScript = null, string? storageState = null)
    {
        var options = Options(storageState ?? signedIn);
        options.BaseURL = baseAddress.ToString();
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(120_000);
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }

        contexts.Add(context);
        return context;
    }

    private static BrowserNewContextOptions Options(string? storageState = null) => new()
    {
        ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        // The app honours reduced motion: no shimmer or pulse repainting hundreds of pages on the cores the measured server uses.
        ReducedMotion = ReducedMotion.Reduce,
        StorageState = storageState,
    };

    public static async Task<BenchBrowser> LaunchAsync(Uri baseAddress)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is missing at {ChromiumPath} (apt-get install chromium).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = IdleChromium(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                    "--disable-backgrounding-occluded-windows"],
        });
        var signedIn = await SignInAsync(browser, baseAddress, DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);
        return new BenchBrowser(playwright, browser, signedIn) { baseAddress = baseAddress };
    }

    private static async Task<string> SignInAsync(IBrowser browser, Uri baseAddress, string email, string password)
    {
        var options = Options();
        options.BaseURL = baseAddress.ToString();
        await using var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        await SubmitSignInAsync(page, "Account/Login", email, password);
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        var state = await context.StorageStateAsync();
        await page.CloseAsync();
        return state;
    }

    /// <summary>
    /// Chromium under the idle scheduling policy (SCHED_IDLE, which its renderers inherit; a nice value does not hold, as Chromium
    /// sets its processes' own). The pages stand for viewers on machines of their own: here they share the two cores with the
    /// server being measured, and without this hundreds of renderers took the cores from the server's own work — the benchmark
    /// measured Chromium. They still run whenever the server leaves a core free.
    /// </summary>
    private static string IdleChromium()
    {
        if (OperatingSystem.IsWindows())
        {
            return ChromiumPath;
        }

        var script = Path.Combine(Path.GetTempPath(), "preset-moodboard-bench", "idle-chromium.sh");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        File.WriteAllText(script, $"#!/bin/sh\nexec chrt --idle 0 {ChromiumPath} \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    /// <summary>Opens <paramref name="count"/> pages at <paramref name="path"/>, a few at a time, each waited for until <paramref name="ready"/> holds.</summary>
    public async Task<List<IPage>> OpenAsync(IBrowserContext context, string path, int count, string ready, int parallel = 4)
    {
        var pages = new List<IPage>(count);
        using var gate = new SemaphoreSlim(parallel);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync(path);
                await WaitUntilReadyAsync(page, ready);
                lock (pages)
                {
                    pages.Add(page);
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return pages;
    }

    /// <summary>A page of a profile of its own, signed in through the sign-in form, which then leads to <paramref name="path"/>.</summary>
    public async Task<IPage> OpenSignedInAsync(string email, string password, string path, string ready, string? initScript = null)
    {
        var context = await NewContextAsync(initScript, storageState: NoCookies);
        var page = await context.NewPageAsync();
        await SubmitSignInAsync(page, $"Account/Login?ReturnUrl={Uri.EscapeDataString(new Uri(baseAddress, path).AbsolutePath)}", email, password);
        await WaitUntilReadyAsync(page, ready);
        return page;
    }

    /// <summary>A browser profile signed in as no one.</summary>
    private const string NoCookies = """{"cookies":[],"origins":[]}""";

    private static async Task SubmitSignInAsync(IPage page, string loginUrl, string email, string password)
    {
        await page.GotoAsync(loginUrl);
        await page.FillAsync("input[name='Input.Email']", email);
        await page.FillAsync("input[name='Input.Password']", password);
        await page.ClickAsync("button[type=submit]");
    }

    private static async Task WaitUntilReadyAsync(IPage page, string ready)
    {
        // On a busy machine a hub handshake can time out; the page is loaded again, as a person would.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.WaitForFunctionAsync(ready, null, new PageWaitForFunctionOptions { PollingInterval = 250, Timeout = 60_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                Console.WriteLine($"  a page was not ready after 60 s; loading it again ({attempt})");
                await page.ReloadAsync();
            }
        }
    }

    /// <summary>Writes a Chrome trace of every page (main threads, rendering, display compositor) while <paramref name="work"/> runs.</summary>
    public async Task TraceAsync(string path, Func<Task> work)
    {
        var session = await browser.NewBrowserCDPSessionAsync();
        var events = new List<System.Text.Json.JsonElement>();
        var complete = new TaskCompletionSource();
        session.Event("Tracing.dataCollected").OnEvent += (_, e) =>
        {
            lock (events)
            {
                events.AddRange(e!.Value.GetProperty("value").EnumerateArray().Select(v => v.Clone()));
            }
        };
        session.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
        await session.SendAsync("Tracing.start", new()
        {
            ["categories"] = "devtools.timeline,disabled-by-default-devtools.timeline,blink,cc,gpu,viz,v8,loading,toplevel",
            ["transferMode"] = "ReportEvents",
        });
        try
        {
            await work();
        }
        finally
        {
            await session.SendAsync("Tracing.end");
            await complete.Task.WaitAsync(TimeSpan.FromMinutes(2));
            await using var file = File.Create(path);
            await System.Text.Json.JsonSerializer.SerializeAsync(file, events);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.DisposeAsync();
        }

        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
