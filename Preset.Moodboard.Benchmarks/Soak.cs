using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

namespace Preset.Moodboard.Benchmarks;

/// <summary>
/// The soak: the built app as a separate process on its own data folder, N generations through its API with injected faults
/// (duplicate, reordered, delayed and dropped callbacks, late failures, lost submit answers, broken files, failures), the process
/// killed with SIGKILL and restarted several times along the way — then every task is checked against the ledger, the stored files and
/// the image service's own records: lost, doubled, stuck, unreconciled.
/// </summary>
internal static partial class Soak
{
    /// <summary>Prompt markers of the embedded service and whether the image should arrive.</summary>
    private static readonly (string Markers, bool Arrives)[] Mix =
    [
        ("", true),
        ("[nb:duplicate]", true),
        ("[nb:out-of-order]", true),
        ("[nb:late-failure]", true),
        ("[nb:drop-callback]", true),
        ("[nb:delay-4s]", true),
        ("[nb:duplicate] [nb:out-of-order] [nb:delay-2s]", true),
        ("[nb:accept-slow-4s]", true),
        ("[nb:file-slow-3s]", true),
        ("[nb:answer-slow-1s] [nb:file-slow-2s]", true),
        ("[nb:fail-501]", false),
        ("[nb:fail-500] [nb:duplicate]", false),
        ("[nb:policy]", false),
        ("[nb:cut-file]", false),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Option(args, "--count", 120);
        var restarts = Option(args, "--restarts", 4);
        var port = Option(args, "--port", 5111);
        var settleSeconds = Option(args, "--settle-seconds", 300);
        var data = OptionText(args, "--data") ?? Path.Combine(Path.GetTempPath(), $"preset-moodboard-soak-{Guid.NewGuid():N}");
        var appDll = OptionText(args, "--app") ?? LocateApp();
        var run = Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(data);
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        Console.WriteLine($"Soak: {count} generations, {restarts} kill -9 restarts; app {appDll} on {baseAddress}, data in {data}");

        var app = new AppProcess(appDll, data, baseAddress);
        var clock = Stopwatch.StartNew();
        await app.StartAsync();
        using var client = await SignInAsync(baseAddress);
        var board = (await (await client.PostAsJsonAsync("api/boards", new BoardInput { Title = "Soak" })).Content.ReadFromJsonAsync<BoardDetails>())!;

        // Kill points spread over the run (with a little randomness, to land in submits and downloads in flight), and one more at the end.
        var random = new Random(Option(args, "--seed", 2026));
        var killAt = Enumerable.Range(1, restarts).Select(k => (int)((double)count * k / (restarts + 1)) + random.Next(3)).ToHashSet();
        var expected = new Dictionary<Guid, (bool Arrives, int Images, string Markers)>();
        var rejected = 0;
        for (var i = 0; i < count; i++)
        {
            if (killAt.Contains(i))
            {
                await app.KillAndRestartAsync();
            }

            var (markers, arrives) = Mix[i % Mix.Length];
            var images = i % 5 == 0 ? 2 : 1;
            var response = await client.PostAsJsonAsync($"api/boards/{board.Id}/generations",
                new GenerationBody($"{markers} soak-{run} {i} emerald and rust", images, "1:1"));
            if (!response.IsSuccessStatusCode)
            {
                rejected++;
                Console.WriteLine($"  generation {i} refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                continue;
            }

            foreach (var task in (await response.Content.ReadFromJsonAsync<StartedGeneration>())!.Tasks)
            {
                expected[task.TaskId] = (arrives, 1, markers);
            }

            await Task.Delay(150);
        }

        // One more crash while the tail is still being generated, submitted and downloaded.
        await Task.Delay(1500);
        await app.KillAndRestartAsync();
        var lastRestart = clock.Elapsed;

        var settled = await SettleAsync(data, expected.Keys, TimeSpan.FromSeconds(settleSeconds));
        Console.WriteLine($"  settled {(settled ? "" : "NOT ")}{(clock.Elapsed - lastRestart).TotalSeconds:0} s after the last restart");
        await app.StopAsync();

        var report = await CheckAsync(data, run, expected);
        Console.WriteLine();
        Console.WriteLine($"tasks {expected.Count} (generations {count - rejected}, refused at the door {rejected}), kill -9 restarts {app.Kills}, took {clock.Elapsed.TotalSeconds:0} s");
        Console.WriteLine($"succeeded {report.Succeeded}, failed {report.Failed} (as injected); NanoBanana made {report.VendorTasks} tasks, {report.ExtraVendorTasks} of them extra attempts after a lost submit answer (recorded, not used)");
        Console.WriteLine($"NanoBanana billed {report.VendorBilled} images; creators were charged for {report.CreatorsCharged} (the rest: extra attempts, and results whose file could not be fetched, refunded)");
        Console.WriteLine($"downloads taken up again (crash or retry): {report.Resumed}; submits sent again after an unknown outcome: {report.ResubmittedAfterUnknown}");
        Console.WriteLine($"failure reasons: {string.Join(", ", report.Reasons.Select(r => $"{r.Key} {r.Value}"))}");
        Console.WriteLine();
        Console.WriteLine($"lost {report.Lost}");
        Console.WriteLine($"doubled {report.Doubled}");
        Console.WriteLine($"stuck {report.Stuck}");
        Console.WriteLine($"unreconciled {report.Unreconciled}");
        foreach (var problem in report.Problems.Take(30))
        {
            Console.WriteLine($"  {problem}");
        }

        Console.WriteLine($"(app log: {app.LogPath})");
        return report.Lost + report.Doubled + report.Stuck + report.Unreconciled == 0 ? 0 : 1;
    }

    private sealed record Report(int Succeeded, int Failed, int VendorTasks, int ExtraVendorTasks, int VendorBilled, int CreatorsCharged, int Resumed, int ResubmittedAfterUnknown,
        Dictionary<string, int> Reasons, int Lost, int Doubled, int Stuck, int Unreconciled, List<string> Problems);

    private static async Task<bool> SettleAsync(string data, IEnumerable<Guid> taskIds, TimeSpan timeout)
    {
        var ids = taskIds.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = Open(data);
            if (await db.GenerationTasks.CountAsync(t => ids.Contains(t.Id) && GenerationTask.Unfinished.Contains(t.State)) == 0)
            {
                return true;
            }

            await Task.Delay(1000);
        }

        return false;
    }

    private static async Task<Report> CheckAsync(string data, string run, Dictionary<Guid, (bool Arrives, int Images, string Markers)> expected)
    {
        await using var db = Open(data);
        var ids = expected.Keys.ToList();
        var tasks = await db.GenerationTasks.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id);
        var ledger = (await db.CreditLedger.AsNoTracking().Where(e => e.TaskId != null && ids.Contains(e.TaskId.Value)).ToListAsync()).ToLookup(e => e.TaskId!.Value);
        var items = (await db.BoardItems.AsNoTracking().Where(i => i.GenerationTaskId != null && ids.Contains(i.GenerationTaskId.Value)).ToListAsync()).ToLookup(i => i.GenerationTaskId!.Value);
        var assets = await db.Assets.AsNoTracking().ToDictionaryAsync(a => a.Id);
        var tokens = (await db.CallbackTokens.AsNoTracking().Where(k => ids.Contains(k.TaskId)).ToListAsync()).ToLookup(k => k.TaskId);
        await using var vendor = OpenVendor(data);
        var vendorTasks = await vendor.Tasks.AsNoTracking().Where(t => t.Prompt.Contains($"soak-{run} ")).ToListAsync();
        var media = Path.Combine(data, "media");

        var problems = new List<string>();
        int lost = 0, doubled = 0, stuck = 0, unreconciled = 0;
        foreach (var (id, want) in expected)
        {
            if (!tasks.TryGetValue(id, out var task))
            {
                lost++;
                problems.Add($"lost: task {id} ({want.Markers}) has no row");
                continue;
            }

            var entries = ledger[id].ToList();
            var charges = entries.Count(e => e.Kind == LedgerEntryKind.Charge);
            var refunds = entries.Count(e => e.Kind == LedgerEntryKind.Refund);
            var reserved = entries.Where(e => e.Kind == LedgerEntryKind.Reservation).Sum(e => e.Credits);
            var settledCredits = entries.Where(e => e.Kind != LedgerEntryKind.Reservation).Sum(e => e.Credits);
            var taskItems = items[id].ToList();

            if (GenerationTask.Unfinished.Contains(task.State))
            {
                stuck++;
                problems.Add($"stuck: task {id} ({want.Markers}) is {task.State}: {task.ErrorMessage}");
                continue;
            }

            var stored = taskItems.Where(i => i.AssetId is { } a && assets.ContainsKey(a)
                && File.Exists(Path.Combine(media, assets[a].OriginalKey)) && File.Exists(Path.Combine(media, assets[a].ThumbnailKey))).ToList();
            if (want.Arrives && (task.State != GenerationState.Succeeded || stored.Count == 0))
            {
                lost++;
                problems.Add($"lost: task {id} ({want.Markers}) ended {task.State} ({task.ErrorKind}: {task.ErrorMessage}) with {stored.Count} stored image(s)");
            }

            if (!want.Arrives && task.State == GenerationState.Succeeded)
            {
                unreconciled++;
                problems.Add($"unexpected: task {id} ({want.Markers}) succeeded although its image service task failed");
            }

            if (charges > 1 || refunds > 1 || taskItems.Count > want.Images)
            {
                doubled++;
                problems.Add($"doubled: task {id} ({want.Markers}): {charges} charges, {refunds} refunds, {taskItems.Count} items");
            }

            var settledRight = task.State == GenerationState.Succeeded ? charges == 1 && refunds == 0 : charges == 0 && refunds == 1;
            if (!settledRight || reserved != settledCredits)
            {
                unreconciled++;
                problems.Add($"unreconciled: task {id} ({want.Markers}) {task.State}: reserved {reserved}, settled {settledCredits} ({charges} charges, {refunds} refunds)");
            }
        }

        // The image service's side: every task it made for us is known to the app (by a token's answer or a callback), and each
        // one it delivered is either the image in use or recorded as an extra.
        var known = tokens.SelectMany(g => g).Select(k => k.NanoBananaTaskId).Concat(tasks.Values.Select(t => t.NanoBananaTaskId)).OfType<string>().ToHashSet();
        var inCharge = tasks.Values.Select(t => t.NanoBananaTaskId).OfType<string>().ToHashSet();
        foreach (var unknown in vendorTasks.Where(v => !known.Contains(v.Id) && v.State == EmbeddedTaskState.Succeeded))
        {
            unreconciled++;
            problems.Add($"unreconciled: NanoBanana task {unknown.Id} ({unknown.Prompt}) delivered but is unknown to the app");
        }

        var userLedger = await db.CreditLedger.AsNoTracking().Where(e => e.TaskId != null && ids.Contains(e.TaskId.Value)).ToListAsync();
        if (userLedger.Where(e => e.Kind == LedgerEntryKind.Reservation).Sum(e => e.Credits) != userLedger.Where(e => e.Kind != LedgerEntryKind.Reservation).Sum(e => e.Credits))
        {
            unreconciled++;
            problems.Add("unreconciled: reservations and settlements of the run do not add up");
        }

        var succeeded = tasks.Values.Count(t => t.State == GenerationState.Succeeded);
        return new Report(succeeded, tasks.Values.Count(t => t.State == GenerationState.Failed), vendorTasks.Count,
            vendorTasks.Count(v => v.State == EmbeddedTaskState.Succeeded && !inCharge.Contains(v.Id)),
            vendorTasks.Count(v => v.State == EmbeddedTaskState.Succeeded), tasks.Values.Count(t => t.State == GenerationState.Succeeded && ledger[t.Id].Any(e => e.Kind == LedgerEntryKind.Charge)),
            tasks.Values.Count(t => t.DownloadAttempts > 1), tasks.Values.Count(t => t.SubmitAttempts > 1),
            tasks.Values.Where(t => t.State == GenerationState.Failed).GroupBy(t => t.ErrorKind ?? "?").ToDictionary(g => g.Key, g => g.Count()),
            lost, doubled, stuck, unreconciled, problems);
    }

    private static AppDbContext Open(string data) => new(new DbContextOptionsBuilder<AppDbContext>()
        .UseSqlite(new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "moodboard.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString())
        .Options);

    private static EmbeddedStore OpenVendor(string data) => new(new DbContextOptionsBuilder<EmbeddedStore>()
        .UseSqlite(new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "embedded-nanobanana", "service.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString())
        .Options);

    /// <summary>Signs in as the demo creator through the real form; the cookie survives restarts (the keys live in the data folder).</summary>
    private static async Task<HttpClient> SignInAsync(Uri baseAddress)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var html = await client.GetStringAsync("Account/Login");
        var token = WebUtility.HtmlDecode(TokenInput().Match(html).Groups[1].Value);
        var response = await client.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = DemoSeeder.Creator.Email,
            ["Input.Password"] = DemoSeeder.Creator.Password,
        }));
        return response.StatusCode == HttpStatusCode.Redirect ? client : throw new InvalidOperationException($"Sign-in failed: {(int)response.StatusCode}");
    }

    /// <summary>The app's own build output of the same configuration as this program (bin/Release/net10.0 under Preset.Moodboard).</summary>
    private static string LocateApp()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var (framework, configuration) = (output.Name, output.Parent!.Name);
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Preset.Moodboard.sln")))
            {
                var dll = Path.Combine(dir.FullName, "Preset.Moodboard", "bin", configuration, framework, "Preset.Moodboard.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is not built; run with -c {configuration} or pass --app <path to Preset.Moodboard.dll>.");
            }
        }

        throw new FileNotFoundException("Preset.Moodboard.dll not found; pass --app <path to Preset.Moodboard.dll>.");
    }

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text && int.TryParse(text, out var value) ? value : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    [GeneratedRegex("""name="__RequestVerificationToken"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="__RequestVerificationToken""")]
    private static partial Regex TokenInput();

    /// <summary>The app as its own OS process: started with the soak's settings, killed with SIGKILL, started again on the same data.</summary>
    private sealed class AppProcess(string dll, string data, Uri baseAddress)
    {
        private Process? process;

        public int Kills { get; private set; }

        public string LogPath => Path.Combine(data, "soak-app.log");

        public async Task StartAsync()
        {
            var start = new ProcessStartInfo("dotnet", [dll, "--urls", baseAddress.ToString().TrimEnd('/')])
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var settings = new Dictionary<string, string>
            {
                // Development: plain-http cookies for this client; the embedded service is on there by default.
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["App__DataDirectory"] = data,
                ["App__SeedDemoData"] = "true",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Preset"] = "Information",
                ["Credits__DefaultMonthlyQuota"] = "1000000",
                ["EmbeddedNanoBanana__StartingCredits"] = "1000000",
                ["EmbeddedNanoBanana__CompletionDelay"] = "00:00:01",
                ["EmbeddedNanoBanana__CompletionJitter"] = "00:00:02",
                ["EmbeddedNanoBanana__ImageLongEdge"] = "384",
                ["EmbeddedNanoBanana__CallbackRetryDelay"] = "00:00:00.500",
                ["NanoBanana__AttemptTimeout"] = "00:00:02",
                ["Generation__PollInterval"] = "00:00:05",
                ["Generation__PollJitter"] = "00:00:02",
                ["Generation__UnknownOutcomeRetryDelay"] = "00:00:05",
                ["Generation__SubmitRetryDelay"] = "00:00:01",
                ["Jobs__QueuePollInterval"] = "00:00:00.200",
                ["Jobs__SchedulePollingInterval"] = "00:00:00.500",
            };
            foreach (var (key, value) in settings)
            {
                start.Environment[key] = value;
            }

            process = Process.Start(start)!;
            var log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
            process.OutputDataReceived += (_, e) => Write(log, e.Data);
            process.ErrorDataReceived += (_, e) => Write(log, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    if ((await http.GetAsync("health")).IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }

                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The app exited with {process.ExitCode}; see {LogPath}.");
                }

                await Task.Delay(250);
            }

            throw new TimeoutException($"The app did not answer /health; see {LogPath}.");
        }

        public async Task KillAndRestartAsync()
        {
            // SIGKILL: no shutdown code runs, claims are left as they are.
            process!.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Kills++;
            Console.WriteLine($"  kill -9 #{Kills}; restarting");
            await StartAsync();
        }

        public async Task StopAsync()
        {
            using (var term = Process.Start("kill", ["-TERM", process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
            }
        }

        private static void Write(StreamWriter log, string? line)
        {
            if (line is not null)
            {
                lock (log)
                {
                    log.WriteLine(line);
                }
            }
        }
    }
}
