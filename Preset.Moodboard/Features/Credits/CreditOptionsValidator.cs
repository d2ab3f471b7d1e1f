using Microsoft.Extensions.Options;
using Preset.Moodboard.Features.Credits.Alerts;
using Preset.Moodboard.Features.Credits.Balance;

namespace Preset.Moodboard.Features.Credits;

/// <summary>Stops the app at start-up with the key to fix: a sync interval cron cannot express, or an unusable webhook.</summary>
internal sealed class CreditOptionsValidator : IValidateOptions<CreditOptions>
{
    public ValidateOptionsResult Validate(string? name, CreditOptions options)
    {
        var errors = new List<string>();
        if (BalanceSync.Cron(options.BalanceSyncInterval) is null)
        {
            errors.Add($"Credits:BalanceSyncInterval is {options.BalanceSyncInterval}: use whole minutes from 00:01:00 to 00:59:00 or whole hours up to 24:00:00.");
        }

        var webhook = options.LowCreditWebhook;
        if (webhook.IsConfigured)
        {
            if (LowCreditWebhook.CheckUrl(webhook.Url!, webhook.AllowedPrivateHosts) is { } problem)
            {
                errors.Add($"Credits:LowCreditWebhook:Url cannot be used: {problem}.");
            }

            if (string.IsNullOrWhiteSpace(webhook.Secret) || webhook.Secret.Length < 16)
            {
                errors.Add("Set Credits:LowCreditWebhook:Secret (at least 16 characters, in user secrets or the environment) to sign the low-credit webhook.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
