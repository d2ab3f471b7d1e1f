namespace Preset.Moodboard.Tests.TestUtilities.ScaleOut;

/// <summary>
/// The real app in process on the shared providers: its own PostgreSQL database (EF Core and Hangfire), its own blob container
/// in Azurite. One instance, so Redis stays off (that is what <see cref="ScaleOutCluster"/> is for).
/// </summary>
public class PostgreSqlApp : MoodboardApp
{
    public string ConnectionString { get; private set; } = "";

    public string Container { get; } = ScaleOutServices.NewContainerName();

    public override async Task InitializeAsync()
    {
        var services = await ScaleOutServices.GetAsync();
        ConnectionString = await services.NewDatabaseAsync();
        With("Data:Provider", "PostgreSql");
        With("ConnectionStrings:Moodboard", ConnectionString);
        With("Media:Store", "AzureBlob");
        With("Media:AzureBlob:ConnectionString", services.Blobs);
        With("Media:AzureBlob:Container", Container);
        await base.InitializeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlAppCollection : ICollectionFixture<PostgreSqlApp>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "PostgreSQL app";
}
