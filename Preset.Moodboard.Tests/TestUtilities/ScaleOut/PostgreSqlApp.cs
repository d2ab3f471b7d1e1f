namespace Preset.Moodboard.Tests.TestUtilities.ScaleOut;

/// <summary>
/// The real app in process on the shared providers: its own PostgreSQL database (EF Core and Hangfire), its own blob container
/// in Azurite. One instance, so Redis stays off (that is what <see cref="ScaleOutCluster"/> is for).
/// </summary>
public class PostgreSqlApp : MoodboardApp
{
    public PostgreSqlApp()
    {
        OnPostgreSql = true;
        InBlobStorage = true;
        // Only the start-up balance sync: a scheduled one would re-arm the low-credit alert in the middle of a race test.
        With("Credits:BalanceSyncInterval", "1.00:00:00");
    }
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlAppCollection : ICollectionFixture<PostgreSqlApp>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "PostgreSQL app";
}
