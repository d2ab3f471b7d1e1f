using Microsoft.AspNetCore.Identity;

namespace Preset.Moodboard.Data.Entities;

public sealed class ApplicationUser : IdentityUser
{
    [PersonalData]
    public string DisplayName { get; set; } = "";

    /// <summary>null follows the operating system's preference.</summary>
    public bool? PrefersDarkMode { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Set while an admin has disabled the account: it cannot sign in and its open sessions were ended.</summary>
    public DateTime? DisabledAt { get; set; }
}
