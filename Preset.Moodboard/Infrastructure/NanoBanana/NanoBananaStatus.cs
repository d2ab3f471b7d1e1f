using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Preset.Moodboard.Infrastructure.NanoBanana;

public sealed record NanoBananaStatusSnapshot(DateTime CheckedAt, bool Reachable, int? Credits, string Message);

/// <summary>The last known state of the NanoBanana account, refreshed at most every few seconds.</summary>
public sealed class NanoBananaStatus(IServiceScopeFactory scopes, NanoBananaEndpoint endpoint, TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim gate = new(1, 1);

    public NanoBananaStatusSnapshot? Last { get; private set; }

    public async Task<NanoBananaStatusSnapshot> GetAsync(bool refresh = false, CancellationToken ct = default)
    {
        if (!refresh && Last is { } last && clock.GetUtcNow().UtcDateTime - last.CheckedAt < MaxAge)
        {
            return last;
        }

        await gate.WaitAsync(ct);
        try
        {
            // Whoever waited for the gate may find a fresh answer now: callers at start-up share one call.
            if (!refresh && Last is { } fresh && clock.GetUtcNow().UtcDateTime - fresh.CheckedAt < MaxAge)
            {
                return fresh;
            }

            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<INanoBananaClient>().GetCreditsAsync(ct);
            var where = endpoint.IsEmbedded ? "the embedded NanoBanana service" : $"NanoBanana at {endpoint.BaseAddress}";
            Last = result.Succeeded
                ? new NanoBananaStatusSnapshot(clock.GetUtcNow().UtcDateTime, true, result.Value, $"Connected to {where}; {result.Value} credits left.")
                : new NanoBananaStatusSnapshot(clock.GetUtcNow().UtcDateTime, false, null, Explain(where, result.Error!));
            return Last;
        }
        finally
        {
            gate.Release();
        }
    }

    private static string Explain(string where, NanoBananaError error) => error.Kind switch
    {
        NanoBananaErrorKind.Unauthorized => $"{where} refused the API key ({error.Message}). Check NanoBanana:ApiKey.",
        NanoBananaErrorKind.Network or NanoBananaErrorKind.Timeout or NanoBananaErrorKind.CircuitOpen =>
            $"{where} cannot be reached: {error.Message}. Check NanoBanana:BaseUrl and the network; generation fails until it answers.",
        NanoBananaErrorKind.Maintenance => $"{where} is under maintenance ({error.Message}); generation resumes when it is back.",
        _ => $"{where} answered with an error: {error.Message} (code {error.Code}).",
    };
}

/// <summary>Says at start-up, in the log, whether NanoBanana answers — and what to fix when it does not.</summary>
internal sealed class NanoBananaStartupCheck(NanoBananaStatus status, IHostApplicationLifetime lifetime, ILogger<NanoBananaStartupCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        var snapshot = await status.GetAsync(ct: stoppingToken);
        if (snapshot.Reachable)
        {
            logger.LogInformation("NanoBanana check: {Message}", snapshot.Message);
        }
        else
        {
            logger.LogError("NanoBanana check failed: {Message}", snapshot.Message);
        }
    }
}

/// <summary>Readiness reports NanoBanana as degraded (not unhealthy): boards still work without it.</summary>
internal sealed class NanoBananaHealthCheck(NanoBananaStatus status) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = await status.GetAsync(ct: cancellationToken);
        return snapshot.Reachable ? HealthCheckResult.Healthy(snapshot.Message) : HealthCheckResult.Degraded(snapshot.Message);
    }
}
