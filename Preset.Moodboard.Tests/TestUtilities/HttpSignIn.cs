using System.Net;
using System.Text.RegularExpressions;

namespace Preset.Moodboard.Tests.TestUtilities;

public static partial class HttpSignIn
{
    /// <summary>A client with its own cookie jar that does not follow redirects, so tests see the 302s.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, CookieContainer> Jars = new();

    public static HttpClient CreateBrowserlikeClient(this MoodboardApp app)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = app.BaseAddress,
        };
        Jars.Add(client, cookies);
        return client;
    }

    /// <summary>The client's cookie jar, to open a SignalR connection as the same signed-in user.</summary>
    public static CookieContainer Cookies(this HttpClient client) => Jars.TryGetValue(client, out var jar) ? jar : throw new InvalidOperationException("Not a browser-like client.");

    /// <summary>Signs in through the real form: fetch the page, post it back with its antiforgery token.</summary>
    public static async Task<HttpClient> SignInAsync(this MoodboardApp app, string email, string password)
    {
        var client = app.CreateBrowserlikeClient();
        var response = await PostLoginAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("Login", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        return client;
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "Account/Login");
        return await client.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        var input = TokenInput().Match(html);
        var value = input.Success ? ValueAttribute().Match(input.Value) : Match.Empty;
        return value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : throw new InvalidOperationException($"No antiforgery token on {path}");
    }

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*>""")]
    private static partial Regex TokenInput();

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex ValueAttribute();
}
