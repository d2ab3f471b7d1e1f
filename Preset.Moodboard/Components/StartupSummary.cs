using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Infrastructure.Hosting;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Components;

/// <summary>
/// Once the app listens: one block with what an operator needs to start — the address, the data folder, which NanoBanana is
/// called and, where demo data is seeded, the accounts to sign in with. Replaces the host's own start-up lines.
/// </summary>
internal sealed partial class StartupSummary(
    IServer server,
    IHostApplicationLifetime lifetime,
    IHostEnvironment environment,
    IOptions<AppOptions> app,
    IOptions<NanoBananaOptions> nanoBanana,
    ILogger<StartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => LogReady(logger, Describe()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal string Describe()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var text = new StringBuilder("Preset Moodboard is ready").AppendLine();
        text.AppendLine($"  open         {string.Join("  ", addresses.Select(a => a.Replace("://[::]", "://localhost", StringComparison.Ordinal)))}");
        text.AppendLine($"  data folder  {app.Value.ResolveDataDirectory()}");
        text.AppendLine($"  NanoBanana   {(nanoBanana.Value.UsesEmbeddedService ? "embedded stand-in (no key, no internet; placeholder images)" : nanoBanana.Value.BaseUrl)}");
        text.AppendLine($"  environment  {environment.EnvironmentName}");
        if (app.ShouldSeedDemoData(environment))
        {
            text.Append("  demo accounts");
            foreach (var account in new[] { DemoSeeder.Creator, DemoSeeder.Talent, DemoSeeder.Admin })
            {
                text.AppendLine().Append($"    {account.Role,-8} {account.Email} / {account.Password}");
            }
        }

        return text.ToString().TrimEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Summary}")]
    private static partial void LogReady(ILogger logger, string summary);
}
