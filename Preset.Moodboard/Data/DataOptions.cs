using System.ComponentModel.DataAnnotations;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Which database the app keeps its state in: SQLite in the data folder (the default) or a shared PostgreSQL.</summary>
public sealed class DataOptions : IValidatableObject
{
    public const string SectionName = "Data";

    /// <summary><c>Sqlite</c> (default) or <c>PostgreSql</c>; the connection string is <c>ConnectionStrings:Moodboard</c>.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    public DatabaseProvider ParsedProvider => SettingNames.TryParse<DatabaseProvider>(Provider, out var provider)
        ? provider
        : throw new InvalidOperationException($"Unknown Data:Provider “{Provider}”.");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SettingNames.TryParse<DatabaseProvider>(Provider, out _))
        {
            yield return new ValidationResult($"Data:Provider is “{Provider}”; it must be Sqlite (the default) or PostgreSql.", [nameof(Provider)]);
        }
    }
}
