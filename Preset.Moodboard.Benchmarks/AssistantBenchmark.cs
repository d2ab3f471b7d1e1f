using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Assistant.Tokens;

using static Preset.Moodboard.Benchmarks.BenchTiming;

namespace Preset.Moodboard.Benchmarks;

/// <summary>
/// `--assistant`: what a script or an assistant waits for, over real HTTP on loopback — the bare 200-OK baseline, the token check
/// alone, /api/v1 reads with a token, and MCP tool calls (stateless streamable HTTP) on a board of `--items` images and notes.
/// </summary>
internal static class AssistantBenchmark
{
    public static async Task RunAsync(int items, int runs)
    {
        await using var app = new BenchApp();
        app.Start();
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var (user, boardId) = await SeedAsync(dbFactory, items);
        string secret;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            secret = (await scope.ServiceProvider.GetRequiredService<AccessTokens>().CreateAsync(user, "Benchmark", TokenScopes.Read | TokenScopes.Generate, 1)).Created!.Secret;
        }

        Console.WriteLine($"Board with {items} items ({items * 3 / 4} images, the rest notes); {runs} runs each, after a warm-up");
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Print("bare 200-OK", await TimeAsync(runs, () => http.GetAsync(BenchApp.BaselinePath), warmUp: 20));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<AccessTokens>();
            Print("token check alone (AuthenticateAsync)", await TimeAsync(runs, () => tokens.AuthenticateAsync(secret, "api"), warmUp: 20));
        }

        Print("GET /api/v1/credits", await TimeAsync(runs, () => Ok(http.GetAsync("api/v1/credits")), warmUp: 20));
        Print($"GET /api/v1/boards/{{id}} ({items} items)", await TimeAsync(runs, () => Ok(http.GetAsync($"api/v1/boards/{boardId}")), warmUp: 20));

        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(app.BaseAddress, "mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {secret}" },
        });
        await using var mcp = await McpClient.CreateAsync(transport);
        Print("MCP get_credits", await TimeAsync(runs, async () => await mcp.CallToolAsync("get_credits", new Dictionary<string, object?>()), warmUp: 20));
        Print($"MCP get_board ({items} items)", await TimeAsync(runs, async () => await mcp.CallToolAsync("get_board", new Dictionary<string, object?> { ["boardId"] = boardId }), warmUp: 20));
    }

    private static async Task<HttpResponseMessage> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        return response;
    }

    private static async Task<(CurrentUser User, Guid BoardId)> SeedAsync(IDbContextFactory<AppDbContext> dbFactory, int items)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var creator = await db.Users.SingleAsync(u => u.Email == DemoSeeder.Creator.Email);
        var now = DateTime.UtcNow;
        var board = new Board { OwnerId = creator.Id, Title = "Benchmark board", CreatedAt = now, UpdatedAt = now };
        var asset = new Asset
        {
            OwnerId = creator.Id, ContentHash = new string('a', 64), ContentType = "image/jpeg", Width = 1024, Height = 768,
            OriginalKey = "originals/bench.jpg", ThumbnailKey = "thumbs/bench.webp", DominantColors = ["#C8553D", "#2F2A24"], CreatedAt = now,
        };
        db.Boards.Add(board);
        db.Assets.Add(asset);
        for (var i = 0; i < items; i++)
        {
            var image = i % 4 != 3;
            db.BoardItems.Add(new BoardItem
            {
                BoardId = board.Id, Kind = image ? BoardItemKind.Image : BoardItemKind.Note, Position = i, AssetId = image ? asset.Id : null,
                Source = image ? ImageSource.Upload : null, Text = image ? null : $"Note {i}", CreatedById = creator.Id, CreatedAt = now, UpdatedAt = now,
            });
        }

        await db.SaveChangesAsync();
        return (new CurrentUser(creator.Id, creator.DisplayName, new HashSet<string> { Roles.Creator }), board.Id);
    }
}
