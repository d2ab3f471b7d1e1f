using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Features.Review;
using SkiaSharp;

namespace Preset.Moodboard.Tests.TestUtilities;

public sealed record AntiforgeryToken(string Token, string Header);

/// <summary>Sharing and reviewing as people do it: links made by the owner, opened by guests in their own cookie jar.</summary>
public static class Sharing
{
    /// <summary>Uploads a real image to the board and returns its item id.</summary>
    public static async Task<Guid> UploadImageAsync(this HttpClient client, Guid boardId, SKColor? color = null)
    {
        var token = await client.GetFromJsonAsync<AntiforgeryToken>("api/antiforgery");
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(TestImages.Encode(400, 300, SKEncodedImageFormat.Jpeg, color));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(content, "files", "photo.jpg");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/boards/{boardId}/uploads") { Content = form };
        request.Headers.Add(token!.Header, token.Token);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = Assert.Single((await response.Content.ReadFromJsonAsync<List<UploadOutcome>>())!);
        Assert.True(outcome.Succeeded, outcome.Error);
        return outcome.ItemId!.Value;
    }

    public static async Task<CreatedLinkResponse> CreateLinkAsync(this HttpClient owner, Guid boardId, string permission = "Review", int days = 14)
    {
        var response = await owner.PostAsJsonAsync($"api/boards/{boardId}/shares/links", new LinkBody(permission, days, null));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CreatedLinkResponse>())!;
    }

    public static async Task ShareWithAsync(this HttpClient owner, Guid boardId, string email, string role)
    {
        var response = await owner.PostAsJsonAsync($"api/boards/{boardId}/shares/people", new InviteBody(email, role));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Opens a review link without an account and joins under a name; the client then carries the guest cookie.</summary>
    public static async Task<HttpClient> JoinAsGuestAsync(this MoodboardApp app, string linkUrl, string name = "Ana Guest")
    {
        var client = app.CreateBrowserlikeClient();
        var path = new Uri(linkUrl).PathAndQuery.TrimStart('/');
        var response = await JoinAsync(client, path, name);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("boards/", StringComparison.Ordinal),
            $"Joining as a guest failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    public static async Task<HttpResponseMessage> JoinAsync(HttpClient client, string path, string name)
    {
        var token = await HttpSignIn.AntiforgeryTokenAsync(client, path);
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "join-review",
            ["__RequestVerificationToken"] = token,
            ["Input.Name"] = name,
        }));
    }

    /// <summary>Opens a view-only link without an account: no name asked, the cookie is set at once.</summary>
    public static async Task<HttpClient> OpenViewLinkAsync(this MoodboardApp app, string linkUrl)
    {
        var client = app.CreateBrowserlikeClient();
        var response = await client.GetAsync(new Uri(linkUrl).PathAndQuery.TrimStart('/'));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}
