using System.ComponentModel.DataAnnotations;

namespace Preset.Moodboard.Infrastructure.Hosting;

public sealed class AppOptions : IValidatableObject
{
    public const string SectionName = "App";

    /// <summary>Where the SQLite databases, images and job storage live. Empty: the user's local application data folder.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>The address the outside world reaches this app at (callbacks, signed media URLs). Empty: the app's own listening address.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Create the demo users and a sample board on an empty installation. Default: on except in Production.</summary>
    public bool? SeedDemoData { get; set; }

    /// <summary>The role every sign-up after the first gets.</summary>
    [RegularExpression("^(Creator|Talent)$", ErrorMessage = "App:DefaultSignUpRole must be Creator or Talent.")]
    public string DefaultSignUpRole { get; set; } = "Creator";

    public bool AllowSignUp { get; set; } = true;

    /// <summary>Trust X-Forwarded-For/-Proto/-Host from a reverse proxy that terminates TLS — only from <see cref="KnownProxies"/> and <see cref="KnownNetworks"/>.</summary>
    public bool BehindProxy { get; set; }

    /// <summary>Addresses of the reverse proxies whose forwarded headers are believed. With none here nor in <see cref="KnownNetworks"/>: loopback only.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 172.18.0.0/16) of the reverse proxies whose forwarded headers are believed.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// How many instances serve this studio behind one address. Above 1 every piece of state must be shared (PostgreSQL, Hangfire
    /// on PostgreSQL, blob storage, Redis) and <see cref="PublicBaseUrl"/> is required; start-up says which setting is missing.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "App:Instances must be between 1 and 1000.")]
    public int Instances { get; set; } = 1;

    public string ResolveDataDirectory()
    {
        var path = string.IsNullOrWhiteSpace(DataDirectory)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "PresetMoodboard")
            : DataDirectory;
        return Path.GetFullPath(path);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl)
            && !(Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return new ValidationResult("App:PublicBaseUrl must be an absolute http(s) address such as https://moodboard.example.com.", [nameof(PublicBaseUrl)]);
        }

        foreach (var proxy in KnownProxies.Where(p => !System.Net.IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"App:KnownProxies holds “{proxy}”, which is not an IP address (e.g. 10.0.0.5).", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"App:KnownNetworks holds “{network}”, which is not a network in CIDR form (e.g. 172.18.0.0/16).", [nameof(KnownNetworks)]);
        }
    }
}
