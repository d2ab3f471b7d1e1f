using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

namespace Preset.Moodboard.Benchmarks;

/// <summary>
/// Server memory per open page: the app runs in its own process (its heap holds nothing of the benchmark), N pages are
/// opened in headless Chromium, and dotnet-gcdump — which forces a full, blocking GC — reads the app's managed heap before
/// and after. (after − before) / N is what one open page costs. Measured for an empty MudBlazor page of the same shell,
/// an empty board and a board of 50 images, in one run. Usage: <c>pages [--pages 50] [--images 50] [--top 15]</c>.
/// </summary>
internal static partial class PagesBenchmark
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const double EmptyBoardGoalKb = 350, ImageBoardGoalKb = 400;
    private const string CircuitHost = "Microsoft.AspNetCore.Components.Server.Circuits.CircuitHost";

    public static async Task<int> RunAsync(string[] args)
    {
        var pages = Option(args, "--pages", 50);
        var images = Option(args, "--images", 50);
        var top = Option(args, "--top", 15);

        await using var app = await AppProcess.StartAsync();
        Console.WriteLine($"App (pid {app.Pid}) on {app.BaseAddress}, data in {app.DataDirectory}");

        using var http = await SignInAsync(app.BaseAddress, DemoSeeder.Creator);
        var emptyBoard = await CreateBoardAsync(http, "Bench: empty board");
        var imageBoard = await CreateBoardAsync(http, $"Bench: {images} images");
        await UploadImagesAsync(http, imageBoard, images);
        Console.WriteLine($"Seeded an empty board and a board of {images} images");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = File.Exists(ChromiumPath) ? ChromiumPath : throw new InvalidOperationException($"Chromium is missing at {ChromiumPath} (apt-get install chromium)."),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(60_000);
        await SignInAsync(context, DemoSeeder.Creator);

        const string circuitUp = "() => document.documentElement.dataset.circuit === 'up'";
        const string boardLive = "() => document.documentElement.dataset.boardLive";
        // The "not found" page as a route of its own: the shell around an almost empty body (an unknown address answers a static status page).
        var baseline = await MeasureAsync(app, context, "not-found", circuitUp, pages);
        var empty = await MeasureAsync(app, context, $"boards/{emptyBoard}", boardLive, pages);
        var full = await MeasureAsync(app, context, $"boards/{imageBoard}", boardLive, pages);

        Console.WriteLine($"\nServer managed heap per open page, after a full GC, {pages} pages open in headless Chromium ({Environment.ProcessorCount} cores, {RuntimeInformation()})");
        Console.WriteLine("| measure | goal | result | ratio |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| heap per open page: empty MudBlazor page (baseline, same shell) | — | {Kb(baseline.PerPage)} | — |");
        Console.WriteLine($"| heap per open page: empty board | ≤ {EmptyBoardGoalKb:0} KB | {Kb(empty.PerPage)} | {Ratio(empty.PerPage, EmptyBoardGoalKb)} |");
        Console.WriteLine($"| heap per open page: board with {images} images | ≤ {ImageBoardGoalKb:0} KB | {Kb(full.PerPage)} | {Ratio(full.PerPage, ImageBoardGoalKb)} |");
        Console.WriteLine($"| components kept alive per open page: empty / {images} images | — | {empty.ComponentsPerPage:0} / {full.ComponentsPerPage:0} | — |");

        foreach (var (name, measure) in new[] { ("the shell alone", baseline), ("an empty board", empty), ($"a board of {images} images", full) })
        {
            Console.WriteLine($"\nComponents alive per open page, {name} ({measure.ComponentsPerPage:0}), by type:");
            Console.WriteLine("  " + string.Join(", ", measure.ComponentTypes().Select(c => $"{c.Type} {c.Count:0.#}")));
        }

        foreach (var (name, measure) in new[] { ("the shell alone", baseline), ("an empty board", empty), ($"a board of {images} images", full) })
        {
            Console.WriteLine($"\nTop retained types per open page, {name} (bytes, objects):");
            foreach (var (type, bytes, count) in measure.Top(top))
            {
                Console.WriteLine($"  {bytes,9:N0} B  {count,7:0.0}  {type}");
            }
        }

        return 0;
    }

    private static async Task<Measure> MeasureAsync(AppProcess app, IBrowserContext context, string path, string ready, int count)
    {
        // One page first: JIT, caches and pools filled once per process are not a page's cost.
        await CloseAllAsync(await OpenAsync(context, path, ready, 2));
        var before = await HeapReport.TakeAsync(app.Pid);
        var pages = await OpenAsync(context, path, ready, count);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = await HeapReport.TakeAsync(app.Pid);
        await CloseAllAsync(pages);
        await WaitForCircuitsGoneAsync(app.Pid, before.Count(CircuitHost));
        return new Measure(before, after, count);
    }

    private static async Task<List<IPage>> OpenAsync(IBrowserContext context, string path, string ready, int count)
    {
        var pages = new List<IPage>();
        for (var i = 0; i < count; i++)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(path);
            await page.WaitForFunctionAsync(ready);
            pages.Add(page);
        }

        return pages;
    }

    private static async Task CloseAllAsync(List<IPage> pages)
    {
        foreach (var page in pages)
        {
            // Closing runs the page's unload handlers: Blazor tells the server, which ends the circuit at once.
            await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        }
    }

    /// <summary>Closed pages' circuits must be gone before the next measure starts, or they would count in its baseline and leave during it.</summary>
    private static async Task WaitForCircuitsGoneAsync(int pid, long expected)
    {
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            var open = (await HeapReport.TakeAsync(pid)).Count(CircuitHost);
            if (open <= expected)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{open - expected} circuits of closed pages still alive after 4 minutes.");
            }

            await Task.Delay(TimeSpan.FromSeconds(5));
        }
    }

    private static async Task<HttpClient> SignInAsync(Uri baseAddress, DemoAccount account)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var html = await http.GetStringAsync("Account/Login");
        var token = TokenInput().Match(html) is { Success: true } input && ValueAttribute().Match(input.Value) is { Success: true } value
            ? WebUtility.HtmlDecode(value.Groups[1].Value)
            : throw new InvalidOperationException("No antiforgery token on the sign-in page.");
        var response = await http.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = account.Email,
            ["Input.Password"] = account.Password,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("Login", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"Sign-in as {account.Email} failed: {(int)response.StatusCode}.");
        }

        return http;
    }

    private static async Task SignInAsync(IBrowserContext context, DemoAccount account)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("Account/Login");
        await page.FillAsync("input[name='Input.Email']", account.Email);
        await page.FillAsync("input[name='Input.Password']", account.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await page.CloseAsync();
    }

    private static async Task<Guid> CreateBoardAsync(HttpClient http, string title)
    {
        var response = await http.PostAsJsonAsync("api/boards", new { title });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CreatedBoard>())!.Id;
    }

    private static async Task UploadImagesAsync(HttpClient http, Guid boardId, int count)
    {
        string[] ratios = ["2:3", "4:5", "1:1", "3:2", "16:9", "3:4"];
        for (var start = 0; start < count; start += 10)
        {
            var antiforgery = (await http.GetFromJsonAsync<AntiforgeryToken>("api/antiforgery"))!;
            using var form = new MultipartFormDataContent();
            for (var i = start; i < Math.Min(count, start + 10); i++)
            {
                var (width, height) = ImageRenderer.SizeFor(ratios[i % ratios.Length], 512);
                var content = new ByteArrayContent(ImageRenderer.RenderText($"bench image {i + 1}, editorial portrait, warm autumn light", width, height, null));
                content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                form.Add(content, "files", $"bench-{i + 1}.png");
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/boards/{boardId}/uploads") { Content = form };
            request.Headers.Add(antiforgery.Header, antiforgery.Token);
            var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Upload failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    private static string Kb(double bytes) => $"{bytes / 1024:N0} KB";

    private static string Ratio(double bytes, double goalKb) => (bytes / 1024 / goalKb).ToString("0.00", CultureInfo.InvariantCulture);

    private static string RuntimeInformation() => $".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*>""")]
    private static partial Regex TokenInput();

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex ValueAttribute();

    private sealed record CreatedBoard(Guid Id);

    private sealed record AntiforgeryToken(string Token, string Header);

    private sealed record Measure(HeapReport Before, HeapReport After, int Pages)
    {
        public double PerPage => (double)(After.HeapBytes - Before.HeapBytes) / Pages;

        public double ComponentsPerPage =>
            (double)(After.Count("Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState") - Before.Count("Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState")) / Pages;

        /// <summary>The component types among the objects a page added (names resolved in the app's and its libraries' assemblies).</summary>
        public IEnumerable<(string Type, double Count)> ComponentTypes() =>
            After.Types.Keys
                .Where(t => ComponentTypeNames.Value.Contains(t))
                .Select(t => (Type: t[(t.LastIndexOf('.') + 1)..], Count: (double)(After.Count(t) - Before.Count(t)) / Pages))
                .Where(c => c.Count >= 0.5)
                .OrderByDescending(c => c.Count).ThenBy(c => c.Type, StringComparer.Ordinal);

        private static readonly Lazy<HashSet<string>> ComponentTypeNames = new(() =>
            [.. new[] { typeof(DemoSeeder).Assembly, typeof(MudBlazor.MudButton).Assembly, typeof(Microsoft.AspNetCore.Components.ComponentBase).Assembly,
                        typeof(Microsoft.AspNetCore.Components.Web.HeadOutlet).Assembly, typeof(Microsoft.AspNetCore.Components.Authorization.AuthorizeView).Assembly,
                        typeof(Microsoft.AspNetCore.Components.Forms.EditForm).Assembly }
                .SelectMany(a => a.GetTypes())
                .Where(t => typeof(Microsoft.AspNetCore.Components.IComponent).IsAssignableFrom(t) && t.FullName is not null)
                .Select(t => t.FullName!.Replace('+', '.'))]);

        public IEnumerable<(string Type, double Bytes, double Count)> Top(int n) =>
            After.Types.Keys.Union(Before.Types.Keys)
                .Select(t => (Type: t, Bytes: (double)(After.Bytes(t) - Before.Bytes(t)) / Pages, Count: (double)(After.Count(t) - Before.Count(t)) / Pages))
                .OrderByDescending(r => r.Bytes)
                .Take(n);
    }

    /// <summary>The app on Kestrel in a process of its own: the Release build of Preset.Moodboard next to this benchmark.</summary>
    private sealed class AppProcess : IAsyncDisposable
    {
        private readonly Process process;

        private AppProcess(Process process, Uri baseAddress, string dataDirectory)
        {
            this.process = process;
            BaseAddress = baseAddress;
            DataDirectory = dataDirectory;
        }

        public int Pid => process.Id;

        public Uri BaseAddress { get; }

        public string DataDirectory { get; }

        public static async Task<AppProcess> StartAsync()
        {
            var project = FindProjectDirectory();
            var configuration = typeof(PagesBenchmark).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var dll = Path.Combine(project, "bin", configuration, "net10.0", "Preset.Moodboard.dll");
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: build the solution in {configuration} first.");
            }

            var port = FreePort();
            var data = Path.Combine(Path.GetTempPath(), "preset-moodboard-bench", Guid.NewGuid().ToString("N"));
            var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
            {
                WorkingDirectory = project,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                // Development: the sign-in cookie is Secure outside it, and this runs over plain http on loopback.
                Environment =
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Development",
                    ["App__DataDirectory"] = data,
                    ["App__SeedDemoData"] = "true",
                    ["EmbeddedNanoBanana__Enabled"] = "true",
                    ["Logging__LogLevel__Default"] = "Error",
                },
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("The app did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[app] {e.Data}"); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}/"), data);
            using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The app exited with code {process.ExitCode}.");
                }

                try
                {
                    if ((await http.GetAsync("health")).IsSuccessStatusCode)
                    {
                        return app;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                if (DateTime.UtcNow > deadline)
                {
                    await app.DisposeAsync();
                    throw new TimeoutException("The app did not answer /health within 2 minutes.");
                }

                await Task.Delay(500);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean up.
            }
        }

        private static string FindProjectDirectory()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var project = Path.Combine(dir.FullName, "Preset.Moodboard");
                if (File.Exists(Path.Combine(project, "Preset.Moodboard.csproj")))
                {
                    return project;
                }
            }

            throw new InvalidOperationException("Preset.Moodboard/ not found above the benchmark's folder.");
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    /// <summary>A `dotnet-gcdump report` of the app: a full blocking GC, then bytes and objects per type.</summary>
    private sealed partial class HeapReport
    {
        private HeapReport(long heapBytes, Dictionary<string, (long Bytes, long Count)> types)
        {
            HeapBytes = heapBytes;
            Types = types;
        }

        public long HeapBytes { get; }

        public Dictionary<string, (long Bytes, long Count)> Types { get; }

        public long Bytes(string type) => Types.GetValueOrDefault(type).Bytes;

        public long Count(string type) => Types.GetValueOrDefault(type).Count;

        public static async Task<HeapReport> TakeAsync(int pid)
        {
            var (tool, prefix) = FindTool();
            var start = new ProcessStartInfo(tool, [.. prefix, "report", "-p", pid.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet-gcdump failed ({process.ExitCode}): {errors}{output}");
            }

            return Parse(output);
        }

        // The report lists, per type (large objects grouped by size), the average object size and the object count.
        private static HeapReport Parse(string report)
        {
            long heap = -1;
            var types = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
            foreach (var line in report.Split('\n'))
            {
                if (line.Contains("GC Heap bytes", StringComparison.Ordinal))
                {
                    heap = Number(line.Replace("GC Heap bytes", "", StringComparison.Ordinal));
                    continue;
                }

                var match = Row().Match(line);
                if (!match.Success)
                {
                    continue;
                }

                var size = Number(match.Groups[1].Value);
                var count = Number(match.Groups[2].Value);
                var name = match.Groups[3].Value.Trim();
                var type = SizeGroup().Replace(name, "");
                var (bytes, objects) = types.GetValueOrDefault(type);
                types[type] = (bytes + size * count, objects + count);
            }

            return heap >= 0 ? new HeapReport(heap, types) : throw new InvalidOperationException("dotnet-gcdump's report has no 'GC Heap bytes' line.");
        }

        private static long Number(string text) => long.Parse(text.Replace(",", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);

        // The repository's tool manifest has it (dotnet tool restore); a global install works too.
        private static (string Tool, string[] Prefix) FindTool()
        {
            var global = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
            return File.Exists(global) ? (global, []) : ("dotnet", ["tool", "run", "dotnet-gcdump", "--"]);
        }

        [GeneratedRegex(@"^\s*([\d,]+)\s+([\d,]+)\s+(\D.*?)\s*$")]
        private static partial Regex Row();

        [GeneratedRegex(@"\s*\(Bytes > [^)]*\)|\s*\[[^\]]*\]$")]
        private static partial Regex SizeGroup();
    }
}
