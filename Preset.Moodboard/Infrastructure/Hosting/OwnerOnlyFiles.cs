using System.Runtime.InteropServices;

namespace Preset.Moodboard.Infrastructure.Hosting;

/// <summary>
/// The data folder holds the database, sign-in keys and every image: on Unix the process creates files readable by its own user only
/// (umask 077: folders 0700, files 0600), and the data folder itself is made 0700 even when it already existed.
/// </summary>
internal static partial class OwnerOnlyFiles
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void RestrictNewFiles()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            _ = Umask(0b000_111_111);
        }
    }

    public static DirectoryInfo CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }

        var folder = Directory.CreateDirectory(path, OwnerOnlyFolder);
        if ((folder.UnixFileMode & ~OwnerOnlyFolder) != 0)
        {
            folder.UnixFileMode = OwnerOnlyFolder;
        }

        return folder;
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
