using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Tests.TestUtilities;
using Preset.Moodboard.Tests.TestUtilities.ScaleOut;
using Xunit.Abstractions;

namespace Preset.Moodboard.Tests.ScaleOut;

/// <summary>
/// Three instances behind one address, as separate processes on PostgreSQL, Redis and Azurite: live updates cross instances,
/// every task ends exactly once when an instance is killed, and what used to live in one process (presence, access
/// revocation, ended sessions) reaches every instance.
/// </summary>
[Collection(ScaleOutCollection.Name)]
[Trait("Category", "ScaleOut")]
public sealed class ScaleOutTests(ScaleOutCluster cluster, BrowserFixture browser, ITestOutputHelper output)
{
    private const string Creator = "creator@preset.demo";
    private const string CreatorPassword = "Creator#2026";

    // Records, in the browser, when each board image was put on the page and when it had loaded (epoch ms, same clock as the
    // server's on this machine).
    private const string ImageObserver = """
        window.__imagesSeen = {};
        window.__imagesAdded = {};
        new MutationObserver(() => {
          for (const img of document.querySelectorAll('.item-card__image img')) {
            if (img.dataset.seenHooked) continue;
            img.dataset.seenHooked = '1';
            window.__imagesAdded[img.src] = Date.now();
            const mark = () => { if (img.naturalWidth > 0 && !window.__imagesSeen[img.src]) window.__imagesSeen[img.src] = Date.now(); };
            if (img.complete) mark(); else img.addEventListener('load', mark);
          }
        }).observe(document, { childList: true, subtree: true });
        """;

    [Fact]
    public async Task ShouldShowAnImageOnInstanceCWithinOneSecondOfItsCallbackReachingInstanceB()
    {
        await EnsureAllRunningAsync();
        var (api, _) = await ScaleOutCluster.SignInAsync(cluster.A, Creator, CreatorPassword);
        var board = await api.CreateBoardAsync("Across instances");
        var page = await NewPageAsync(cluster.C);
        await page.AddInitScriptAsync(ImageObserver);
        await page.SignInAsync(Creator, CreatorPassword);
        await page.GotoAsync($"boards/{board.Id}");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");

        // Four images first warm up each path (code loaded and compiled past its first, slow tier, connections opened): a fresh
        // process's first images are start-up cost, not the latency of a running studio. The measured ones come after them.
        await api.GenerateAsync(board.Id, "warm-up sketch, charcoal", count: 4);
        await page.WaitForFunctionAsync("() => Object.keys(window.__imagesSeen).length >= 4", null, new() { Timeout = 60_000 });
        var callbacksBefore = cluster.Instances.Select(i => i.RequestsTo("POST", "/api/nanobanana/callback/")).ToList();

        // Two measured generations, one image each, one after the other: each measures the path on a quiet machine, not the
        // embedded NanoBanana drawing the next image while B stores this one.
        var taskIds = new List<Guid>();
        foreach (var round in new[] { 1, 2 })
        {
            var (waited, busy, machineBusy) = await cluster.SettleAsync();
            output.WriteLine($"round {round}: quiet after {waited.TotalSeconds:0.0} s (in the last second {busy.TotalMilliseconds:0} ms of CPU for the instances, {machineBusy.TotalMilliseconds:0} ms for the machine)");
            var started = await api.GenerateAsync(board.Id, $"emerald velvet portrait across three instances, take {round}", count: 1);
            taskIds.AddRange(started.Tasks.Select(t => t.TaskId));
            await page.WaitForFunctionAsync($"() => Object.keys(window.__imagesSeen).length >= {4 + round}", null, new() { Timeout = 60_000 });
        }

        await page.ScreenshotAsync("scale-out-instance-c");
        var seen = await page.EvaluateAsync<Dictionary<string, double>>("() => window.__imagesSeen");
        var added = await page.EvaluateAsync<Dictionary<string, double>>("() => window.__imagesAdded");

        await using var db = cluster.OpenDb();
        var tasks = await db.GenerationTasks.Where(t => taskIds.Contains(t.Id)).ToListAsync();
        var assets = await AssetsAsync(db, tasks);
        var receipts = await db.CallbackReceipts.Where(r => taskIds.Contains(r.TaskId)).ToListAsync();
        Assert.All(tasks, t => Assert.Equal(GenerationState.Succeeded, t.State));
        foreach (var task in tasks)
        {
            var receipt = receipts.Where(r => r.TaskId == task.Id).MinBy(r => r.ReceivedAt)!;
            var receivedAt = receipt.ReceivedAt;
            var assetId = assets[task.Id];
            var shownAt = seen.Single(s => s.Key.Contains(assetId.ToString(), StringComparison.OrdinalIgnoreCase)).Value;
            var addedAt = added.Single(s => s.Key.Contains(assetId.ToString(), StringComparison.OrdinalIgnoreCase)).Value;
            var delay = DateTimeOffset.FromUnixTimeMilliseconds((long)shownAt) - new DateTimeOffset(receivedAt, TimeSpan.Zero);
            output.WriteLine($"task {task.Id}: callback received by B at {receivedAt:HH:mm:ss.fff}, task completed at {task.CompletedAt:HH:mm:ss.fff}, "
                + $"image on C's page at {DateTimeOffset.FromUnixTimeMilliseconds((long)addedAt):HH:mm:ss.fff}, loaded at {DateTimeOffset.FromUnixTimeMilliseconds((long)shownAt):HH:mm:ss.fff}: "
                + $"{delay.TotalMilliseconds:0} ms after the callback (receipt processed at {receipt.ProcessedAt:HH:mm:ss.fff})");
            foreach (var (instance, name) in cluster.Instances.Zip(["A", "B", "C"]))
            {
                foreach (var line in instance.Output.Where(l => l.Contains(task.Id.ToString(), StringComparison.OrdinalIgnoreCase) || (task.NanoBananaTaskId is { } remote && l.Contains(remote, StringComparison.Ordinal))))
                {
                    output.WriteLine($"  {name}: {line}");
                }
            }
            Assert.InRange(delay, TimeSpan.FromMilliseconds(-50), TimeSpan.FromSeconds(1));
        }

        // NanoBanana called back B only (the public address); A took the request, C served the browser.
        var callbacks = cluster.Instances.Select((i, n) => i.RequestsTo("POST", "/api/nanobanana/callback/") - callbacksBefore[n]).ToList();
        Assert.Equal(0, callbacks[0]);
        Assert.True(callbacks[1] >= 2, $"B received {callbacks[1]} callbacks");
        Assert.Equal(0, callbacks[2]);
        await AssertEndedExactlyOnceAsync(taskIds);
    }

    [Fact]
    public async Task ShouldEndEveryTaskExactlyOnceWhenAnInstanceIsKilledMidRun()
    {
        await EnsureAllRunningAsync();
        var (api, _) = await ScaleOutCluster.SignInAsync(cluster.A, Creator, CreatorPassword);
        var board = await api.CreateBoardAsync("Kill -9");
        var balanceBefore = await NanoBananaBalanceAsync();

        var requests = await Task.WhenAll(Enumerable.Range(0, 3).Select(n => api.GenerateAsync(board.Id, $"golden hour street portrait, take {n}", count: 4)));
        var taskIds = requests.SelectMany(r => r.Tasks).Select(t => t.TaskId).ToList();

        // Once NanoBanana has every task, kill -9 the instance its callbacks go to: its hub connections, Hangfire workers and inbox
        // die with it; callbacks fail until NanoBanana gives up; polling by the other instances and the sweeper finish the work.
        await WaitForAsync(async () =>
        {
            await using var db = cluster.OpenDb();
            return await db.GenerationTasks.CountAsync(t => taskIds.Contains(t.Id) && t.NanoBananaTaskId != null) == taskIds.Count;
        }, TimeSpan.FromSeconds(60), "every task submitted");
        cluster.B.Kill();
        output.WriteLine($"B killed; tasks then: {await StatesAsync(taskIds)}");

        await WaitForAsync(async () =>
        {
            await using var db = cluster.OpenDb();
            var states = await db.GenerationTasks.Where(t => taskIds.Contains(t.Id)).Select(t => t.State).ToListAsync();
            return states.Count == taskIds.Count && states.All(GenerationTask.IsFinal);
        }, TimeSpan.FromMinutes(3), "every task finished");

        await using (var db = cluster.OpenDb())
        {
            var tasks = await db.GenerationTasks.Where(t => taskIds.Contains(t.Id)).ToListAsync();
            var assets = await AssetsAsync(db, tasks);
            Assert.All(tasks, t => Assert.Equal(GenerationState.Succeeded, t.State));
            var container = new BlobServiceClient(cluster.Services.Blobs).GetBlobContainerClient(cluster.Container);
            foreach (var task in tasks)
            {
                var asset = await db.Assets.SingleAsync(a => a.Id == assets[task.Id]);
                Assert.True((await container.GetBlobClient(asset.OriginalKey).ExistsAsync()).Value, $"original of {task.Id} in blob storage");
                Assert.True((await container.GetBlobClient(asset.ThumbnailKey).ExistsAsync()).Value, $"thumbnail of {task.Id} in blob storage");
            }
        }

        await AssertEndedExactlyOnceAsync(taskIds);
        // Submitted once each: NanoBanana charged exactly one image per task.
        Assert.Equal(taskIds.Count * 4, balanceBefore - await NanoBananaBalanceAsync());
        await cluster.EnsureRunningAsync(cluster.B);
    }

    [Fact]
    public async Task ShouldStoreAndProcessEachCallbackOnceWhenCopiesRaceIntoEveryInstance()
    {
        await EnsureAllRunningAsync();
        var (api, _) = await ScaleOutCluster.SignInAsync(cluster.A, Creator, CreatorPassword);
        var board = await api.CreateBoardAsync("Callbacks on every instance");
        List<(GenerationTask Task, string Token)> tasks;
        await using (var setup = cluster.OpenDb())
        {
            tasks = await GenerationProbe.SubmittedTasksAsync(setup, board.Id, 8);
        }

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 100 });
        // Each success three times, once to each instance, all at once; then more distinct progress reports than a task may keep.
        var successes = await Task.WhenAll(tasks.SelectMany(t => cluster.Instances.Select(instance => PostCallbackAsync(http, instance, t.Token,
            GenerationProbe.SuccessCallback(t.Task.NanoBananaTaskId!, cluster.Images.Url($"raced-{t.Task.Id:N}"))))));
        var progress = await Task.WhenAll(tasks.SelectMany(t => Enumerable.Range(0, 24).Select(n =>
        {
            var body = GenerationProbe.GeneratingCallback(t.Task.NanoBananaTaskId!);
            body["msg"] = $"still working ({n})";
            return PostCallbackAsync(http, cluster.Instances[n % 3], t.Token, body);
        })));

        Assert.All(successes.Concat(progress), status => Assert.Equal(HttpStatusCode.OK, status));
        var ids = tasks.Select(t => t.Task.Id).ToList();
        await WaitForAsync(async () =>
        {
            await using var db = cluster.OpenDb();
            return await db.GenerationTasks.CountAsync(t => ids.Contains(t.Id) && t.State == GenerationState.Succeeded) == ids.Count
                && !await db.CallbackReceipts.AnyAsync(r => ids.Contains(r.TaskId) && r.ProcessedAt == null);
        }, TimeSpan.FromSeconds(60), "every task succeeded and every receipt processed");

        await using var check = cluster.OpenDb();
        var receipts = await check.CallbackReceipts.AsNoTracking().Where(r => ids.Contains(r.TaskId)).ToListAsync();
        Assert.All(receipts.GroupBy(r => r.TaskId), perTask =>
        {
            // Twenty distinct callbacks kept (the default limit), however the instances raced; the success once, with two copies counted.
            Assert.Equal(20, perTask.Count());
            Assert.Equal(2, Assert.Single(perTask, r => r.Body.Contains("resultImageUrl\":\"http", StringComparison.Ordinal)).Duplicates);
        });
        Assert.Equal(ids.Count, receipts.Select(r => r.TaskId).Distinct().Count());
        await AssertEndedExactlyOnceAsync(ids);
        Assert.All(tasks, t => Assert.Equal(1, cluster.Images.Requests($"raced-{t.Task.Id:N}")));
    }

    [Fact]
    public async Task ShouldShowPresenceAndCutOffRevokedAccessAcrossInstances()
    {
        await EnsureAllRunningAsync();
        var (owner, ownerCookies) = await ScaleOutCluster.SignInAsync(cluster.A, Creator, CreatorPassword);
        var board = await owner.CreateBoardAsync("Presence across instances");
        var (_, reviewerCookies, reviewerEmail) = await ScaleOutCluster.SignUpAsync(cluster.C, "Rita Reviewer");
        await owner.ShareWithAsync(board.Id, reviewerEmail, "Reviewer");

        await using var ownerHub = await HubAsync(cluster.B, ownerCookies);
        await using var reviewerHub = await HubAsync(cluster.C, reviewerCookies);
        await ownerHub.Connection.InvokeAsync("JoinBoard", board.Id);
        await reviewerHub.Connection.InvokeAsync("JoinBoard", board.Id);

        // The owner, connected to B, sees the reviewer connected to C.
        await ownerHub.WaitForAsync(BoardMessages.PresenceChanged, p => p.GetArrayLength() == 2 && p.EnumerateArray().Any(v => v.GetProperty("name").GetString() == "Rita Reviewer"));

        // Removing the reviewer through A cuts off the reviewer's connection on C.
        var removed = await owner.DeleteAsync($"api/boards/{board.Id}/shares/people/{await UserIdAsync(reviewerEmail)}");
        Assert.True(removed.IsSuccessStatusCode, await removed.Content.ReadAsStringAsync());
        await reviewerHub.WaitForAsync(BoardMessages.AccessChanged, id => id.GetGuid() == board.Id);
        await ownerHub.WaitForAsync(BoardMessages.PresenceChanged, p => p.GetArrayLength() == 1);

        // …and it no longer receives the board's events.
        var before = reviewerHub.Count("reviewChanged") + reviewerHub.Count("threadChanged");
        var comment = await owner.PostAsJsonAsync($"api/boards/{board.Id}/comments", new { text = "Only for people still on the board" });
        Assert.True(comment.IsSuccessStatusCode, await comment.Content.ReadAsStringAsync());
        await ownerHub.WaitForAsync("threadChanged", _ => true);
        await Task.Delay(500);
        Assert.Equal(before, reviewerHub.Count("reviewChanged") + reviewerHub.Count("threadChanged"));
    }

    [Fact]
    public async Task ShouldEndADisabledUsersConnectionsOnEveryInstance()
    {
        await EnsureAllRunningAsync();
        var (admin, _) = await ScaleOutCluster.SignInAsync(cluster.A, "admin@preset.demo", "Admin#2026");
        var (user, cookiesOnB, email) = await ScaleOutCluster.SignUpAsync(cluster.B, "Dana Disabled");
        var (_, cookiesOnC) = await ScaleOutCluster.SignInAsync(cluster.C, email, TestUsers.Password);
        await using var onB = await HubAsync(cluster.B, cookiesOnB);
        await using var onC = await HubAsync(cluster.C, cookiesOnC);

        var disabled = await admin.PostAsync($"api/admin/users/{await UserIdAsync(email)}/disable", null);
        Assert.True(disabled.IsSuccessStatusCode, await disabled.Content.ReadAsStringAsync());

        await onB.WaitForClosedAsync();
        await onC.WaitForClosedAsync();
        var refused = await user.GetAsync("api/boards");
        Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, $"{refused.StatusCode}");
    }

    private async Task EnsureAllRunningAsync()
    {
        foreach (var instance in cluster.Instances)
        {
            await cluster.EnsureRunningAsync(instance);
        }
    }

    private async Task<IPage> NewPageAsync(AppProcess instance)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = instance.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    private async Task AssertEndedExactlyOnceAsync(IReadOnlyCollection<Guid> taskIds)
    {
        await using var db = cluster.OpenDb();
        var ledger = await db.CreditLedger.Where(e => e.TaskId != null && taskIds.Contains(e.TaskId.Value)).ToListAsync();
        var tasks = await db.GenerationTasks.Where(t => taskIds.Contains(t.Id)).ToListAsync();
        foreach (var task in tasks)
        {
            var entries = ledger.Where(e => e.TaskId == task.Id).ToList();
            Assert.Equal(1, entries.Count(e => e.Kind == LedgerEntryKind.Reservation));
            var settled = entries.Where(e => e.Kind is LedgerEntryKind.Charge or LedgerEntryKind.Refund).ToList();
            Assert.Single(settled);
            Assert.Equal(task.State == GenerationState.Succeeded ? LedgerEntryKind.Charge : LedgerEntryKind.Refund, settled[0].Kind);
            Assert.Equal(entries.Single(e => e.Kind == LedgerEntryKind.Reservation).Credits, settled[0].Credits);
        }

        // The single-node reconciliation: what was reserved is exactly what was charged plus what was refunded.
        Assert.Equal(ledger.Where(e => e.Kind == LedgerEntryKind.Reservation).Sum(e => e.Credits),
            ledger.Where(e => e.Kind != LedgerEntryKind.Reservation).Sum(e => e.Credits));

        // No orphans anywhere in the studio: every reservation has its task, and none is left open once its task has ended.
        Assert.False(await db.CreditLedger.AnyAsync(e => e.Kind == LedgerEntryKind.Reservation && e.TaskId != null && !db.GenerationTasks.Any(t => t.Id == e.TaskId)));
        Assert.False(await db.CreditLedger.AnyAsync(e => e.Kind == LedgerEntryKind.Reservation && e.TaskId != null
            && db.GenerationTasks.Any(t => t.Id == e.TaskId && (t.State == GenerationState.Succeeded || t.State == GenerationState.Failed))
            && !db.CreditLedger.Any(s => s.TaskId == e.TaskId && (s.Kind == LedgerEntryKind.Charge || s.Kind == LedgerEntryKind.Refund))));
    }

    private static async Task<Dictionary<Guid, Guid>> AssetsAsync(Preset.Moodboard.Data.AppDbContext db, IReadOnlyList<GenerationTask> tasks)
    {
        var itemIds = tasks.Select(t => t.BoardItemId).ToList();
        var items = await db.BoardItems.Where(i => itemIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.AssetId);
        return tasks.ToDictionary(t => t.Id, t => items[t.BoardItemId] ?? throw new InvalidOperationException($"Task {t.Id} has no image."));
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = cluster.OpenDb();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    private async Task<string> StatesAsync(IReadOnlyCollection<Guid> taskIds)
    {
        await using var db = cluster.OpenDb();
        var states = await db.GenerationTasks.Where(t => taskIds.Contains(t.Id)).Select(t => t.State).ToListAsync();
        return string.Join(", ", states.GroupBy(s => s).Select(g => $"{g.Count()} {g.Key}"));
    }

    private async Task<int> NanoBananaBalanceAsync()
    {
        using var http = new HttpClient { BaseAddress = cluster.NanoBanana.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", ScaleOutCluster.NanoBananaKey);
        var answer = await http.GetFromJsonAsync<JsonElement>("embedded-nanobanana/api/v1/common/credit");
        return answer.GetProperty("data").GetInt32();
    }

    private static async Task<HttpStatusCode> PostCallbackAsync(HttpClient http, AppProcess instance, string token, System.Text.Json.Nodes.JsonObject body)
    {
        using var response = await http.PostAsync(new Uri(instance.BaseAddress, $"api/nanobanana/callback/{token}"),
            new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
    }

    private static async Task<HubClient> HubAsync(AppProcess instance, CookieContainer cookies)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(instance.BaseAddress, BoardHub.Path.TrimStart('/')), o => o.Cookies = cookies)
            .Build();
        var client = new HubClient(connection);
        await connection.StartAsync();
        return client;
    }

    /// <summary>A board hub connection that records every message it gets, and when it was closed.</summary>
    private sealed class HubClient : IAsyncDisposable
    {
        private static readonly string[] Names = [BoardMessages.PresenceChanged, BoardMessages.AccessChanged, BoardMessages.ItemsChanged, "reviewChanged", "threadChanged", "notification", "sharesChanged"];
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string Name, JsonElement Payload)> messages = new();
        private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HubClient(HubConnection connection)
        {
            Connection = connection;
            foreach (var name in Names)
            {
                connection.On<JsonElement>(name, payload => messages.Enqueue((name, payload)));
            }

            connection.Closed += _ =>
            {
                closed.TrySetResult();
                return Task.CompletedTask;
            };
        }

        public HubConnection Connection { get; }

        public int Count(string name) => messages.Count(m => m.Name == name);

        public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool> match, TimeSpan? timeout = null)
        {
            var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
            while (DateTime.UtcNow < deadline)
            {
                foreach (var (messageName, payload) in messages)
                {
                    if (messageName == name && match(payload))
                    {
                        return payload;
                    }
                }

                await Task.Delay(50);
            }

            throw new TimeoutException($"No matching {name} among {Count(name)} received.");
        }

        public async Task WaitForClosedAsync(TimeSpan? timeout = null) =>
            await closed.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }
}
