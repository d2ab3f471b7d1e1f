using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Infrastructure.Downloads;

namespace Preset.Moodboard.Features.Credits.Alerts;

public sealed record LowCreditPayload(string Event, long AlertId, int Balance, int Threshold, DateTime At);

/// <summary>
/// POSTs a low-credit alert to the configured URL, signed: <c>X-Preset-Signature: sha256=hex(HMAC-SHA256(secret, "{timestamp}.{body}"))</c>
/// with the Unix <c>X-Preset-Timestamp</c>. Quick retries in the HTTP pipeline, slower ones by Hangfire; a delivered alert is never sent again.
/// </summary>
public sealed partial class LowCreditWebhook(
    HttpClient http,
    IDbContextFactory<AppDbContext> dbFactory,
    IOptionsMonitor<CreditOptions> options,
    TimeProvider clock,
    ILogger<LowCreditWebhook> logger)
{
    public const string EventName = "credits.low";

    [AutomaticRetry(Attempts = 8, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task DeliverAsync(long alertId, CancellationToken ct)
    {
        var settings = options.CurrentValue.LowCreditWebhook;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = await db.LowCreditAlerts.FirstOrDefaultAsync(a => a.Id == alertId, ct);
        if (!settings.IsConfigured || alert is null || alert.WebhookDeliveredAt is not null)
        {
            return;
        }

        var body = JsonSerializer.Serialize(new LowCreditPayload(EventName, alert.Id, alert.Balance, alert.Threshold, alert.At), JsonSerializerOptions.Web);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Preset-Event", EventName);
        request.Headers.Add("X-Preset-Delivery", alert.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Preset-Timestamp", timestamp);
        request.Headers.Add("X-Preset-Signature", "sha256=" + Sign(settings.Secret!, timestamp, body));

        string? error;
        try
        {
            using var response = await http.SendAsync(request, ct);
            error = response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode}.";
        }
        catch (HttpRequestException e)
        {
            error = e.InnerException is ForbiddenAddressException forbidden ? forbidden.Message : $"The receiver could not be reached ({e.HttpRequestError}).";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            error = "The receiver did not answer in time.";
        }

        alert.WebhookAttempts++;
        alert.WebhookError = error;
        alert.WebhookDeliveredAt = error is null ? clock.GetUtcNow().UtcDateTime : null;
        await db.SaveChangesAsync(ct);
        if (error is not null)
        {
            LogFailed(alert.Id, error);
            throw new WebhookDeliveryException($"Low-credit webhook {alert.Id} not delivered: {error}");
        }

        LogDelivered(alert.Id);
    }

    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    /// <summary>An error that makes a webhook address unusable, or null when it is a public http(s) address (or an allowed private host).</summary>
    public static string? CheckUrl(string url, IEnumerable<string> allowedPrivateHosts)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "it must be an absolute http:// or https:// address";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "it must not carry a user name or password";
        }

        if (GuardedConnection.IsAllowed(allowedPrivateHosts, uri.Host, uri.Port))
        {
            return null;
        }

        var host = uri.IdnHost.Trim('[', ']');
        var isPrivate = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(host, out var address) && AddressGuard.IsForbidden(address));
        return isPrivate ? "it points at a private, loopback or reserved address" : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Low-credit webhook {AlertId} delivered")]
    private partial void LogDelivered(long alertId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Low-credit webhook {AlertId} failed, will retry: {Reason}")]
    private partial void LogFailed(long alertId, string reason);
}

public sealed class WebhookDeliveryException(string message) : Exception(message);
