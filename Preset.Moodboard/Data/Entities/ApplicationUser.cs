using Microsoft.AspNetCore.Identity;

namespace Preset.Moodboard.Data.Entities;

public sealed class ApplicationUser : IdentityUser
{
    [PersonalData]
    public string DisplayName { get; set; } = "";

    /// <summary>null follows the operating system's preference.</summary>
    public bool? PrefersDarkMode { get; set; }

    public DateTime CreatedAt { get; set; }
}
