using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Preset.Moodboard.Infrastructure.Hosting;

/// <summary>
/// Settings that decide which services are registered (providers, stores) are read while the app is being built, so they are
/// checked right there: a bad value stops start-up with a message naming the setting, before anything is half wired.
/// </summary>
public static class StartupOptions
{
    public static T Bind<T>(IConfiguration configuration, string section)
        where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(section, typeof(T), results.Select(r => r.ErrorMessage ?? $"{section} is not valid."));
        }

        return options;
    }

    public static OptionsValidationException Refuse<T>(params string[] failures) => new(typeof(T).Name, typeof(T), failures);
}
