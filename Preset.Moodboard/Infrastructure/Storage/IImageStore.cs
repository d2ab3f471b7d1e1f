namespace Preset.Moodboard.Infrastructure.Storage;

public sealed record StoredFile(string Key, DateTime LastModifiedUtc);

/// <summary>Where image bytes live. A key is written once and its bytes never change.</summary>
public interface IImageStore
{
    Task SaveAsync(string key, byte[] bytes, CancellationToken ct = default);
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct = default);
    Task<bool> ExistsAsync(string key, CancellationToken ct = default);
    Task DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>Every stored file, including leftovers of interrupted writes.</summary>
    IAsyncEnumerable<StoredFile> ListAsync(CancellationToken ct = default);
}

/// <summary>The embedded default: files under the data folder.</summary>
public sealed class LocalDiskImageStore(string root) : IImageStore
{
    /// <summary>What an interrupted write leaves behind.</summary>
    public const string TemporarySuffix = ".tmp";

    private readonly string root = Path.GetFullPath(root);

    public async Task SaveAsync(string key, byte[] bytes, CancellationToken ct = default)
    {
        var path = PathFor(key);
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write aside and move, so a reader never sees half a file.
        var temporary = path + "." + Guid.NewGuid().ToString("N") + TemporarySuffix;
        try
        {
            await File.WriteAllBytesAsync(temporary, bytes, ct);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct = default)
    {
        var path = PathFor(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true) : null);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) => Task.FromResult(File.Exists(PathFor(key)));

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        File.Delete(PathFor(key));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredFile> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            var info = new FileInfo(path);
            if (info.Exists)
            {
                yield return new StoredFile(Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'), info.LastWriteTimeUtc);
            }
        }

        await Task.CompletedTask;
    }

    private string PathFor(string key)
    {
        var full = Path.GetFullPath(Path.Combine(root, key));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : throw new ArgumentException("Invalid storage key.", nameof(key));
    }
}
