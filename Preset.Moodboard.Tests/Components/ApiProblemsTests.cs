using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Components;

/// <summary>Every /api endpoint answers bad requests with RFC 7807 problem details a person can read — never a 500, never an HTML page.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class ApiProblemsTests(MoodboardApp app)
{
    public static TheoryData<string> BadBodies() => ["malformed-json", "wrong-type-json", "text-plain", "oversized-json", "empty"];

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task ShouldAnswerABadBodyOnEveryApiEndpointWithProblemDetails(string body)
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var endpoints = ApiEndpointsTakingABody();
        var wrong = new List<string>();

        foreach (var (method, pattern, takesBody) in endpoints)
        {
            var url = Fill(pattern, board.Id);
            using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = Content(body) };
            // As curl does for large bodies: an endpoint that refuses without reading gets to say so before the body is sent.
            request.Headers.ExpectContinue = true;
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var problem = await ReadProblemAsync(response);
            // An endpoint that takes no body may ignore it and succeed; any refusal must be a readable problem, and nothing a 500.
            var refused = status is >= 400 and < 500;
            if (status >= 500 || (takesBody && !refused) || (refused && string.IsNullOrWhiteSpace(problem?.Title)))
            {
                wrong.Add($"{method} {url}: {status} {response.Content.Headers.ContentType} {problem?.Title} {(problem is null ? await response.Content.ReadAsStringAsync() : "")}");
            }
        }

        Assert.True(endpoints.Count(e => e.TakesBody) >= 3, $"Only {endpoints.Count} endpoints found.");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Theory]
    [InlineData("malformed-json", 400, "The body is not valid JSON.")]
    [InlineData("wrong-type-json", 400, "A value has the wrong type.")]
    [InlineData("text-plain", 415, "Unsupported content type.")]
    [InlineData("oversized-json", 413, "The request is too large.")]
    public async Task ShouldSayWhatIsWrongWithTheBodyOfANewBoard(string body, int status, string title)
    {
        using var client = await app.SignInAsync(Preset.Moodboard.Data.Seeding.DemoSeeder.Creator.Email, Preset.Moodboard.Data.Seeding.DemoSeeder.Creator.Password);

        using var response = await client.PostAsync("api/boards", Content(body));
        var problem = await ReadProblemAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(title, problem!.Title);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Theory]
    [InlineData("api/boards/not-a-guid", 404)]
    [InlineData("api/no-such-thing", 404)]
    public async Task ShouldAnswerAnUnknownApiAddressWithProblemDetails(string path, int status)
    {
        using var client = await app.SignInAsync(Preset.Moodboard.Data.Seeding.DemoSeeder.Creator.Email, Preset.Moodboard.Data.Seeding.DemoSeeder.Creator.Password);

        using var response = await client.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(Preset.Moodboard.Components.AccessWords.NotFoundDetail, (await ReadProblemAsync(response))!.Detail);
    }

    /// <summary>Every /api endpoint that can carry a body, and whether it declares one (JSON-bound parameters).</summary>
    private List<(string Method, string Pattern, bool TakesBody)> ApiEndpointsTakingABody() =>
    [
        .. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(m => m is "POST" or "PUT" or "PATCH")
                .Select(m => (m, e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is not null))),
    ];

    /// <summary>Route values a signed-in creator could send: their own board, a well-formed but unknown token.</summary>
    private static string Fill(string pattern, Guid boardId) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(\w+)(:[^}]*)?\}", m => m.Groups[1].Value switch
        {
            "token" => new string('Q', 43),
            _ when m.Groups[2].Value.Contains("guid") => boardId.ToString(),
            _ => "x",
        });

    private static HttpContent Content(string kind) => kind switch
    {
        "malformed-json" => new StringContent("{\"title\": ", Encoding.UTF8, "application/json"),
        "wrong-type-json" => new StringContent("[1, 2, 3]", Encoding.UTF8, "application/json"),
        "text-plain" => new StringContent("title=hello", Encoding.UTF8, "text/plain"),
        "oversized-json" => new StringContent("{\"title\":\"" + new string('a', 2_000_000) + "\"}", Encoding.UTF8, "application/json"),
        _ => new ByteArrayContent([]) { Headers = { ContentType = new("application/json") } },
    };

    private static async Task<ProblemDetails?> ReadProblemAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        return await response.Content.ReadFromJsonAsync<ProblemDetails>();
    }
}
