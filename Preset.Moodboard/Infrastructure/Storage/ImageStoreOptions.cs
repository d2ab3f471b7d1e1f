using System.ComponentModel.DataAnnotations;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Infrastructure.Storage;

public enum ImageStoreKind
{
    Local,
    AzureBlob,
}

/// <summary>Where images are kept: <c>Media:Store</c> = <c>Local</c> (the data folder, default) or <c>AzureBlob</c>.</summary>
public sealed class ImageStoreOptions : IValidatableObject
{
    public const string SectionName = "Media";

    public string Store { get; set; } = nameof(ImageStoreKind.Local);

    public AzureBlobOptions AzureBlob { get; set; } = new();

    public ImageStoreKind ParsedStore => Enum.Parse<ImageStoreKind>(Store, ignoreCase: true);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SettingNames.TryParse<ImageStoreKind>(Store, out var store))
        {
            yield return new ValidationResult($"Media:Store is “{Store}”; it must be Local (the data folder, the default) or AzureBlob.", [nameof(Store)]);
            yield break;
        }

        if (store == ImageStoreKind.AzureBlob && string.IsNullOrWhiteSpace(AzureBlob.ConnectionString))
        {
            yield return new ValidationResult(
                "Media:Store is AzureBlob but Media:AzureBlob:ConnectionString is empty. Set it (environment variable Media__AzureBlob__ConnectionString) to the storage account's connection string, or Azurite's.",
                [nameof(AzureBlob)]);
        }

        if (store == ImageStoreKind.AzureBlob && string.IsNullOrWhiteSpace(AzureBlob.Container))
        {
            yield return new ValidationResult("Media:AzureBlob:Container must name a container, e.g. moodboard-media.", [nameof(AzureBlob)]);
        }
    }
}

public sealed class AzureBlobOptions
{
    /// <summary>A storage account (or Azurite) connection string: a secret, from user secrets or the environment.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The container images go to; created at start-up when missing.</summary>
    public string Container { get; set; } = "moodboard-media";
}
