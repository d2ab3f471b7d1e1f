using Preset.Moodboard.Tests.Features.Credits;
using Preset.Moodboard.Tests.Features.Generation;
using Preset.Moodboard.Tests.TestUtilities;
using Preset.Moodboard.Tests.TestUtilities.ScaleOut;

namespace Preset.Moodboard.Tests.ScaleOut;

/// <summary>The generation pipeline's tests, unchanged, on PostgreSQL (EF Core and Hangfire) with images in Azurite.</summary>
[Collection(PostgreSqlAppCollection.Name)]
[Trait("Category", "ScaleOut")]
public sealed class GenerationPipelineOnPostgreSqlTests(PostgreSqlApp app) : GenerationPipelineTests(app);

/// <summary>The quota race (INSERT … ON CONFLICT row lock) on PostgreSQL.</summary>
[Trait("Category", "ScaleOut")]
public sealed class QuotaConcurrencyOnPostgreSqlTests(PostgreSqlApp app) : QuotaConcurrencyTests(app), IClassFixture<PostgreSqlApp>;

/// <summary>The SQLite quota race keeps its own app.</summary>
public sealed class QuotaConcurrencyOnSqliteTests(MoodboardApp app) : QuotaConcurrencyTests(app), IClassFixture<MoodboardApp>;

/// <summary>The race app (an image host, no automatic polling) on PostgreSQL with images in Azurite.</summary>
public sealed class PostgreSqlRaceApp : RaceApp
{
    public PostgreSqlRaceApp()
    {
        OnPostgreSql = true;
        InBlobStorage = true;
    }
}

/// <summary>The impatient app (lost submit answers, attempts sent again) on PostgreSQL.</summary>
public sealed class PostgreSqlImpatientApp : ImpatientApp
{
    public PostgreSqlImpatientApp() => OnPostgreSql = true;
}

/// <summary>Conflicting reports, by callback and by poll, in every order and during a download: the compare-and-set moves on PostgreSQL.</summary>
[Collection(PostgreSqlRaceAppCollection.Name)]
[Trait("Category", "ScaleOut")]
public sealed class ReportConflictOnPostgreSqlTests(PostgreSqlRaceApp app) : ReportConflictTests(app);

/// <summary>Submit jobs racing for one task, lost answers and two attempts delivering: one submit, one charge, on PostgreSQL.</summary>
[Trait("Category", "ScaleOut")]
public sealed class SubmitRaceOnPostgreSqlTests(PostgreSqlImpatientApp app) : SubmitRaceTests(app), IClassFixture<PostgreSqlImpatientApp>;

/// <summary>A burst of concurrent callbacks stored in groups, each group under the receipts lock: one receipt per delivery, one charge, on PostgreSQL.</summary>
[Collection(PostgreSqlRaceAppCollection.Name)]
[Trait("Category", "ScaleOut")]
public sealed class CallbackBurstOnPostgreSqlTests(PostgreSqlRaceApp app) : CallbackBurstTests(app);

[CollectionDefinition(Name)]
public sealed class PostgreSqlRaceAppCollection : ICollectionFixture<PostgreSqlRaceApp>
{
    public const string Name = "PostgreSQL race app";
}
