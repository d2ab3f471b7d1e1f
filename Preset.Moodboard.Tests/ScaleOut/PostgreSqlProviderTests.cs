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
