using System.ComponentModel.DataAnnotations;
using StackExchange.Redis;

namespace Preset.Moodboard.Infrastructure.ScaleOut;

/// <summary>
/// <c>Redis:Configuration</c> turns on what several instances share through Redis: the SignalR backplane, the Data Protection
/// key ring, who is on which board and cross-instance notices (access revoked, sessions ended). Empty: all of it stays in process.
/// </summary>
public sealed class RedisSettings : IValidatableObject
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379,password=…</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key and channel, so several apps can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "moodboard";

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);

    public ConfigurationOptions ToConfigurationOptions()
    {
        var options = ConfigurationOptions.Parse(Configuration!);
        // Start (and keep serving) while Redis is away: the health check reports it and the client reconnects by itself.
        options.AbortOnConnectFail = false;
        options.ClientName ??= "preset-moodboard";
        return options;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled)
        {
            ValidationResult? failure = null;
            try
            {
                ConfigurationOptions.Parse(Configuration!);
            }
            catch (Exception e) when (e is ArgumentException or RedisConnectionException)
            {
                failure = new ValidationResult($"Redis:Configuration is not a valid StackExchange.Redis configuration string ({e.Message}); e.g. redis:6379,password=….", [nameof(Configuration)]);
            }

            if (failure is not null)
            {
                yield return failure;
            }
        }

        if (string.IsNullOrWhiteSpace(ChannelPrefix) || ChannelPrefix.Any(char.IsWhiteSpace))
        {
            yield return new ValidationResult("Redis:ChannelPrefix must be a word without spaces, e.g. moodboard.", [nameof(ChannelPrefix)]);
        }
    }
}
