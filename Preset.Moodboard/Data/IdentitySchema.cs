using Microsoft.AspNetCore.Identity;

namespace Preset.Moodboard.Data;

/// <summary>
/// The Identity schema version (passkeys included). Identity reads it from the application's services, so a context made
/// without them — the PostgreSQL migrations context, design-time tools, tests — is given these to build the same model.
/// </summary>
public static class IdentitySchema
{
    public static readonly Version Version = IdentitySchemaVersions.Version3;

    public static IServiceProvider Services { get; } = new ServiceCollection()
        .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = Version)
        .BuildServiceProvider();
}
