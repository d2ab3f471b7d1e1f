using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Assistant.Tokens;

namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>Personal access tokens made through the app's own service, and clients that use them: the HTTP API and the MCP client over real HTTP.</summary>
public static class Assistants
{
    public static async Task<string> CreateTokenAsync(this MoodboardApp app, TestUser user, TokenScopes scopes = TokenScopes.Read | TokenScopes.Generate,
        int days = 30, string name = "Test assistant")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AccessTokens>().CreateAsync(user.AsCurrentUser(), name, scopes, days);
        return result.Created?.Secret ?? throw new InvalidOperationException(result.Error);
    }

    /// <summary>A client for /api/v1 carrying the token as a bearer header (no cookies).</summary>
    public static HttpClient ApiClient(this MoodboardApp app, string? token)
    {
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static async Task<McpClient> ConnectMcpAsync(this MoodboardApp app, string? token)
    {
        var headers = new Dictionary<string, string>();
        if (token is not null)
        {
            headers["Authorization"] = $"Bearer {token}";
        }

        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(app.BaseAddress, "mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        });
        return await McpClient.CreateAsync(transport);
    }

    public static bool Failed(this CallToolResult result) => result.IsError == true;

    public static string Text(this CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    public static IReadOnlyList<string> Links(this CallToolResult result) => [.. result.Content.OfType<ResourceLinkBlock>().Select(l => l.Uri)];
}
