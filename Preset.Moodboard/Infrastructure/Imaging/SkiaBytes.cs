using System.Runtime.InteropServices;
using SkiaSharp;

namespace Preset.Moodboard.Infrastructure.Imaging;

/// <summary>
/// Lets Skia read image bytes where they are. <see cref="SKData.CreateCopy(byte[])"/> would make a second copy of every
/// image in native memory (25 MB for a large download) for each look at it.
/// </summary>
internal static class SkiaBytes
{
    /// <summary>The bytes, pinned until Skia lets go of them; no copy.</summary>
    public static SKData Wrap(byte[] bytes)
    {
        var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        return SKData.Create(handle.AddrOfPinnedObject(), bytes.Length, static (_, context) => ((GCHandle)context!).Free(), handle);
    }
}
