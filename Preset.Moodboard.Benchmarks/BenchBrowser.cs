using Microsoft.Playwright;
using Preset.Moodboard.Data.Seeding;

namespace Preset.Moodboard.Benchmarks;

/// <summary>Debian's headless Chromium, signed in as the demo creator, opening many pages of the app at once.</summary>
internal sealed class BenchBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private BenchBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context)
    {
        this.playwright = playwright;
        this.browser = browser;
        Context = context;
    }

    public IBrowserContext Context { get; }

    public static async Task<BenchBrowser> LaunchAsync(Uri baseAddress)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is missing at {ChromiumPath} (apt-get install chromium).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                    "--disable-backgrounding-occluded-windows"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("Account/Login");
        await page.FillAsync("input[name='Input.Email']", DemoSeeder.Creator.Email);
        await page.FillAsync("input[name='Input.Password']", DemoSeeder.Creator.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await page.CloseAsync();
        return new BenchBrowser(playwright, browser, context);
    }

    /// <summary>Opens <paramref name="count"/> pages at <paramref name="path"/>, a few at a time, each waited for until <paramref name="ready"/> holds.</summary>
    public async Task<List<IPage>> OpenAsync(string path, int count, string ready, int parallel = 4)
    {
        var pages = new List<IPage>(count);
        using var gate = new SemaphoreSlim(parallel);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var page = await Context.NewPageAsync();
                await page.GotoAsync(path);
                // On a busy machine a hub handshake can time out; the page is loaded again, as a person would.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await page.WaitForFunctionAsync(ready, null, new PageWaitForFunctionOptions { PollingInterval = 250, Timeout = 60_000 });
                        break;
                    }
                    catch (TimeoutException) when (attempt < 3)
                    {
                        Console.WriteLine($"  a page was not ready after 60 s; loading it again ({attempt})");
                        await page.ReloadAsync();
                    }
                }

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

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
