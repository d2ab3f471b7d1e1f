using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Preset.Moodboard.Infrastructure.Security;

/// <summary>Unguessable secrets for URLs: 256 random bits, base64url. Only their SHA-256 is ever stored.</summary>
public static class SecretTokens
{
    public const int Length = 43;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(token))).ToLowerInvariant();

    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
