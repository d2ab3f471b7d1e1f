using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Playwright;
using static Preset.Moodboard.Benchmarks.BenchCallbacks;

namespace Preset.Moodboard.Benchmarks;

/// <summary>
/// Callback → image on screen, measured in the browser: <c>pages</c> board pages are open in headless Chromium, callbacks
/// arrive at a gentle rate, and each page stamps the moment the finished image's element appears in its card. One clock:
/// the send time and the page's stamp are both this machine's wall clock in milliseconds since the epoch. Also counts the
/// database queries the app runs per callback with and without the pages open, which shows whether open tabs re-query.
/// </summary>
internal static class ScreenBenchmark
{
    /// <summary>Stamps, per board item, when an image first appears inside its card.</summary>
    private const string ArrivalProbe = """
        (() => {
          const arrivals = window.__arrivals = {};
          const stamp = img => {
            const card = img.closest('[data-item-id]');
            if (card && img.getAttribute('src') && !(card.dataset.itemId in arrivals)) arrivals[card.dataset.itemId] = performance.timeOrigin + performance.now();
          };
          const scan = node => {
            if (node.nodeType !== 1) return;
            if (node.tagName === 'IMG') stamp(node); else node.querySelectorAll('img').forEach(stamp);
          };
          new MutationObserver(records => {
            for (const r of records) {
              if (r.type === 'attributes') scan(r.target); else r.addedNodes.forEach(scan);
            }
          }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
        })();
        """;

    /// <param name="boardCount">
    /// The pages are spread over this many boards, the callbacks too: every event reaches the pages of its board. (Presence makes
    /// opening N pages on one board cost N² messages.)
    /// </param>
    /// <param name="oneCreator">
    /// Every page is a tab of the creator whose images arrive, instead of one member of the board per page: each event then also
    /// reaches every page through the creator's own group (the queue and its "new image ready" notice) — a stress case, as no one
    /// keeps hundreds of tabs.
    /// </param>
    /// <param name="trace">A file to write a Chrome trace of the pages to while the images arrive (where a page's time goes).</param>
    public static async Task RunAsync(ResultTable table, int pageCount, int boardCount, int rate, int seconds, bool oneCreator, string? trace = null)
    {
        await using var app = new BenchApp();
        app.Start();
        Console.WriteLine($"Screen: app on {app.BaseAddress} (data in {app.DataDirectory})");
        using var queries = new QueryCounter();
        var pushes = new ConcurrentBag<double>();
        using var meter = new MeterListener();
        meter.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "callback_to_push")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meter.SetMeasurementEventCallback<double>((_, value, _, _) => pushes.Add(value));
        meter.Start();

        var resultUrl = await RealResultUrlAsync(app);
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        // Queries per callback with no page open: the pipeline's own work.
        var quiet = await CreateSubmittedTasksAsync(app, 2 * rate * Math.Min(seconds, 5));
        await SendAsync(http, quiet.Take(quiet.Count / 2).ToList(), rate, resultUrl, null);
        await WaitForSuccessAsync(app, [.. quiet.Take(quiet.Count / 2).Select(t => t.Id)], TimeSpan.FromMinutes(2));
        var measured = quiet.Skip(quiet.Count / 2).ToList();
        await Task.Delay(1000);
        queries.Reset();
        await SendAsync(http, measured, rate, resultUrl, null);
        await WaitForSuccessAsync(app, [.. measured.Select(t => t.Id)], TimeSpan.FromMinutes(2));
        await Task.Delay(1000);
        var quietPerCallback = (double)(queries.Count - queries.AccountChecks) / measured.Count;
        var quietTexts = queries.Texts.ToDictionary(k => k.Key, k => k.Value / (double)measured.Count);

        var perBoard = new List<List<BenchTask>>();
        for (var b = 0; b < boardCount; b++)
        {
            perBoard.Add(await CreateSubmittedTasksAsync(app, (rate * seconds + boardCount - 1) / boardCount));
        }

        // Round robin: consecutive callbacks land on different boards.
        var tasks = Enumerable.Range(0, perBoard[0].Count).SelectMany(i => perBoard.Where(p => i < p.Count).Select(p => p[i])).ToList();
        await using var browser = await BenchBrowser.LaunchAsync(app.BaseAddress);
        var clock = Stopwatch.StartNew();
        var boardIds = perBoard.Select(b => b[0].BoardId).ToList();
        var pages = oneCreator ? await OpenAsCreatorAsync(browser, boardIds, pageCount) : await OpenAsMembersAsync(app, browser, boardIds, pageCount);
        Console.WriteLine($"  {pages.Count} board pages open in {clock.Elapsed.TotalSeconds:0} s; {tasks.Count} callbacks at {rate}/s");
        await Task.Delay(2000);
        // The server's share of the two cores (this process: the app and the benchmark's own light loops) with the pages idle.
        var idleCores = await CoresUsedAsync(() => Task.Delay(10_000));
        Console.WriteLine($"  with {pages.Count} idle pages: server {idleCores.Server:0.00} cores, browsers {idleCores.Browsers:0.00} cores");

        pushes.Clear();
        queries.Reset();
        var sentAt = new ConcurrentDictionary<Guid, double>();
        List<double> latencies = [];
        var pushClock = Stopwatch.StartNew();
        async Task PushAsync()
        {
            await SendAsync(http, tasks, rate, resultUrl, sentAt);
            await WaitForSuccessAsync(app, [.. tasks.Select(t => t.Id)], TimeSpan.FromMinutes(2));
            latencies = await CollectAsync(pages, tasks, sentAt, TimeSpan.FromSeconds(30));
        }

        var pushCores = await CoresUsedAsync(() => trace is null ? PushAsync() : browser.TraceAsync(trace, PushAsync));
        Console.WriteLine($"  from the first callback until every page shows every image: server {pushCores.Server:0.00} cores, browsers {pushCores.Browsers:0.00} cores");
        var pushTime = pushClock.Elapsed;
        // Sign-in checks (each page's security stamp, once a minute for its circuit and for its cookie) come with time, not with
        // board events: counted apart.
        var accountChecks = queries.AccountChecks;
        var openPerCallback = (double)(queries.Count - accountChecks) / tasks.Count;
        // Which statements grew with the pages open, per callback: where a re-query comes from.
        foreach (var (text, n) in queries.Texts.Select(k => (k.Key, k.Value / (double)tasks.Count - quietTexts.GetValueOrDefault(k.Key))).OrderByDescending(k => k.Item2).Take(8))
        {
            Console.WriteLine($"    +{n:0.00}/callback  {text}");
        }

        var sorted = latencies.Order().ToArray();
        var expected = pages.Sum(p => tasks.Count(t => t.BoardId == p.BoardId));
        var hub = pushes.Order().ToArray();
        Console.WriteLine($"  on screen: {sorted.Length} of {expected} (page, image) pairs, p50 {Benchmark.Percentile(sorted, 0.5):0} ms, p99 {Benchmark.Percentile(sorted, 0.99):0} ms; hub send p50 {Benchmark.Percentile(hub, 0.5):0} ms");
        Console.WriteLine($"  database queries per callback: {quietPerCallback:0.0} with no page open, {openPerCallback:0.0} with {pages.Count} open; sign-in checks {accountChecks / (double)pages.Count / pushTime.TotalMinutes:0.0} statements per page per minute");

        var missing = expected - sorted.Length;
        var shown = $"{pages.Count} pages on {boardCount} boards, {sorted.Length:#,0} of {expected:#,0} arrivals{(missing > 0 ? $", {missing} never shown" : "")}";
        table.AtMost($"Callback → image on screen p50, {pages.Count} board pages open, {rate} callback{(rate == 1 ? "" : "s")}/s", 300, Benchmark.Percentile(sorted, 0.5), "ms", $"{shown}; server hub send p50 {Benchmark.Percentile(hub, 0.5):0} ms");
        table.AtMost($"Callback → image on screen p99, {pages.Count} board pages open, {rate} callback{(rate == 1 ? "" : "s")}/s", 1000, Benchmark.Percentile(sorted, 0.99), "ms", $"max {sorted.LastOrDefault():0} ms");
        var perPage = Math.Max(0, (openPerCallback - quietPerCallback) / pages.Count);
        table.Add("Database queries per open page per callback (board events carry what changed)", "0",
            $"{perPage:0.00} ({openPerCallback:0.0} per callback with {pages.Count} pages open vs {quietPerCallback:0.0} with none; sign-in checks apart: " +
            $"{accountChecks / (double)pages.Count / pushTime.TotalMinutes:0.0} statements per page per minute)", null, perPage < 0.05);
        table.Add($"Cores used with {pages.Count} board pages open, while images arrive (idle)", "—",
            $"server {pushCores.Server:0.00} ({idleCores.Server:0.00}), the pages' browsers {pushCores.Browsers:0.00} ({idleCores.Browsers:0.00})", null, true);
        if (missing > 0)
        {
            table.Add("Images that never reached an open page", "0", $"{missing}", null, false);
        }
    }

    /// <summary>Cores used while <paramref name="work"/> runs: by this process (the app), and by every Chromium process.</summary>
    private static async Task<(double Server, double Browsers)> CoresUsedAsync(Func<Task> work)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var browsers = BrowserCpu();
        var wall = Stopwatch.StartNew();
        await work();
        self.Refresh();
        return ((self.TotalProcessorTime - cpu) / wall.Elapsed, (BrowserCpu() - browsers) / wall.Elapsed);
    }

    /// <summary>CPU time of the Chromium processes alive now (Linux: /proc), those that ended since are not counted.</summary>
    private static TimeSpan BrowserCpu()
    {
        var ticks = 0L;
        foreach (var dir in OperatingSystem.IsLinux() ? Directory.GetDirectories("/proc") : [])
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                if (stat.IndexOf("(chromium", StringComparison.Ordinal) is var open and >= 0 && open < close)
                {
                    var fields = stat[(close + 2)..].Split(' ');
                    ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended while being read, or is not a process directory.
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static string Ready(Guid boardId) =>
        $"() => window.Blazor && document.documentElement.dataset.circuit === 'up' && document.documentElement.dataset.boardLive === '{boardId}'";

    private static async Task<List<(IPage Page, Guid BoardId)>> OpenAsCreatorAsync(BenchBrowser browser, List<Guid> boardIds, int pageCount)
    {
        var pages = new List<(IPage Page, Guid BoardId)>();
        for (var b = 0; b < boardIds.Count; b++)
        {
            var count = pageCount / boardIds.Count + (b < pageCount % boardIds.Count ? 1 : 0);
            var opened = await browser.OpenAsync(await browser.NewContextAsync(ArrivalProbe), $"boards/{boardIds[b]}", count, Ready(boardIds[b]));
            pages.AddRange(opened.Select(p => (p, boardIds[b])));
        }

        return pages;
    }

    /// <summary>One person per page, each in a browser profile of their own.</summary>
    private static async Task<List<(IPage Page, Guid BoardId)>> OpenAsMembersAsync(BenchApp app, BenchBrowser browser, List<Guid> boardIds, int pageCount)
    {
        var members = await BenchMembers.CreateAsync(app, boardIds, pageCount);
        var pages = new List<(IPage Page, Guid BoardId)>();
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(members.Select(async member =>
        {
            await gate.WaitAsync();
            try
            {
                var page = await browser.OpenSignedInAsync(member.Email, BenchMembers.Password, $"boards/{member.BoardId}", Ready(member.BoardId), ArrivalProbe);
                lock (pages)
                {
                    pages.Add((page, member.BoardId));
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return pages;
    }

    private static async Task SendAsync(HttpClient http, List<BenchTask> tasks, int rate, string resultUrl, ConcurrentDictionary<Guid, double>? sentAt)
    {
        var run = await FixedRateAsync(http, rate, (tasks.Count + rate - 1) / rate, i => (CallbackPath(tasks[i % tasks.Count].Token), Body(tasks[i % tasks.Count], resultUrl)),
            i => sentAt?.TryAdd(tasks[i % tasks.Count].ItemId, (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds));
        if (run.Errors > 0)
        {
            throw new InvalidOperationException($"{run.Errors} callbacks were refused.");
        }
    }

    /// <summary>Per (page, image): stamp in the page minus the moment its callback was sent. Waits until every page has every image, or the timeout.</summary>
    private static async Task<List<double>> CollectAsync(List<(IPage Page, Guid BoardId)> pages, List<BenchTask> tasks, ConcurrentDictionary<Guid, double> sentAt, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var expected = pages.Sum(p => tasks.Count(t => t.BoardId == p.BoardId));
        while (true)
        {
            var latencies = new List<double>();
            // All pages at once, each given a few seconds: a page whose renderer hangs counts as not having shown anything.
            var reads = await Task.WhenAll(pages.Select(async p =>
            {
                try
                {
                    return (p.BoardId, Arrivals: await p.Page.EvaluateAsync<Dictionary<string, double>>("() => window.__arrivals").WaitAsync(TimeSpan.FromSeconds(20)));
                }
                catch (Exception e) when (e is TimeoutException or PlaywrightException)
                {
                    return (p.BoardId, Arrivals: new Dictionary<string, double>());
                }
            }));
            foreach (var (boardId, arrivals) in reads)
            {
                foreach (var task in tasks.Where(t => t.BoardId == boardId))
                {
                    if (arrivals.TryGetValue(task.ItemId.ToString(), out var at) && sentAt.TryGetValue(task.ItemId, out var sent))
                    {
                        latencies.Add(at - sent);
                    }
                }
            }

            if (latencies.Count == expected || DateTime.UtcNow > deadline)
            {
                return latencies;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>Counts the SQL commands EF Core runs in this process (Hangfire's own storage is not EF and is not counted).</summary>
    private sealed class QueryCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly IDisposable subscription;
        private readonly List<IDisposable> listeners = [];
        private long count;
        private long accountChecks;

        public QueryCounter() => subscription = DiagnosticListener.AllListeners.Subscribe(this);

        public long Count => Interlocked.Read(ref count);

        /// <summary>Statements on the sign-in tables (<c>AspNet…</c>).</summary>
        public long AccountChecks => Interlocked.Read(ref accountChecks);

        public ConcurrentDictionary<string, int> Texts { get; } = new();

        public void Reset()
        {
            Interlocked.Exchange(ref count, 0);
            Interlocked.Exchange(ref accountChecks, 0);
            Texts.Clear();
        }

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (listeners)
                {
                    listeners.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuted.Name)
            {
                Interlocked.Increment(ref count);
                if (value.Value is Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData data)
                {
                    var text = data.Command.CommandText.ReplaceLineEndings(" ");
                    if (text.Contains("\"AspNet", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref accountChecks);
                    }

                    Texts.AddOrUpdate(text[..Math.Min(160, text.Length)], 1, (_, n) => n + 1);
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            subscription.Dispose();
            lock (listeners)
            {
                listeners.ForEach(l => l.Dispose());
            }
        }
    }
}
