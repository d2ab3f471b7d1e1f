using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Preset.Moodboard.Infrastructure.NanoBanana;

public sealed record NanoBananaStatusSnapshot(DateTime CheckedAt, bool Reachable, int? Credits, string Message);

/// <summary>
/// The last known state of the NanoBanana account, refreshed at most every <see cref="MaxAge"/>. One request at a time (single flight):
/// while it runs, callers get the last known state at once; only a caller with nothing to go on — or one asking for a fresh answer —
/// waits for that one request. A caller on a request path passes <paramref name="wait"/> (<see cref="MaxWait"/>) so a hanging
/// service never holds it longer; background callers wait for the answer.
/// </summary>
public sealed class NanoBananaStatus(IServiceScopeFactory scopes, NanoBananaEndpoint endpoint, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    private readonly Lock sync = new();
    private Task<NanoBananaStatusSnapshot>? refreshing;

    public NanoBananaStatusSnapshot? Last { get; private set; }

    public async Task<NanoBananaStatusSnapshot> GetAsync(bool refresh = false, CancellationToken ct = default, TimeSpan? wait = null)
    {
        var last = Last;
        if (!refresh && last is not null && clock.GetUtcNow().UtcDateTime - last.CheckedAt < MaxAge)
        {
            return last;
        }

        var shared = Refresh();
        if (!refresh && last is not null)
        {
            return last;
        }

        try
        {
            return await shared.WaitAsync(wait ?? Timeout.InfiniteTimeSpan, clock, ct);
        }
        catch (TimeoutException)
        {
            return last ?? new NanoBananaStatusSnapshot(clock.GetUtcNow().UtcDateTime, false, null,
                $"{Where} has not answered within {(wait ?? MaxWait).TotalSeconds:0} s; still waiting for it.");
        }
    }

    private string Where => endpoint.IsEmbedded ? "the embedded NanoBanana service" : $"NanoBanana at {endpoint.BaseAddress}";

    /// <summary>The refresh in flight, or a new one. It runs on its own: a caller that stops waiting does not cancel it for the others.</summary>
    private Task<NanoBananaStatusSnapshot> Refresh()
    {
        lock (sync)
        {
            if (refreshing is { IsCompleted: false } running)
            {
                return running;
            }

            return refreshing = Task.Run(FetchAsync);
        }
    }

    private async Task<NanoBananaStatusSnapshot> FetchAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<INanoBananaClient>().GetCreditsAsync(CancellationToken.None);
        var snapshot = result.Succeeded
            ? new NanoBananaStatusSnapshot(clock.GetUtcNow().UtcDateTime, true, result.Value, $"Connected to {Where}; {result.Value} credits left.")
            : new NanoBananaStatusSnapshot(clock.GetUtcNow().UtcDateTime, false, null, Explain(Where, result.Error!));
        Last = snapshot;
        return snapshot;
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
        var snapshot = await status.GetAsync(ct: cancellationToken, wait: NanoBananaStatus.MaxWait);
        return snapshot.Reachable ? HealthCheckResult.Healthy(snapshot.Message) : HealthCheckResult.Degraded(snapshot.Message);
    }
}
