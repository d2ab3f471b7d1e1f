using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Preset.Moodboard.Infrastructure.NanoBanana;

/// <summary>How we read and write the vendor's JSON: strict names on the way out, forgiving types on the way in.</summary>
public static class NanoBananaJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    internal static bool IsNullWord(string? s) => s is null || s.Length == 0 || s.Equals("null", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A number, a numeric string, null or the string "null".</summary>
public sealed class LenientIntConverter : JsonConverter<int?>
{
    public override bool HandleNull => true;

    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetInt32(out var n):
                return n;
            case JsonTokenType.Number:
                return (int)reader.GetDouble();
            case JsonTokenType.String:
                var s = reader.GetString();
                return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            case JsonTokenType.True:
                return 1;
            case JsonTokenType.False:
                return 0;
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteNumberValue(value.Value);
        }
    }
}

/// <summary>A string, with null, "" and "null" all meaning nothing; numbers are read as their text.</summary>
public sealed class LenientStringConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var s = reader.GetString();
                return NanoBananaJson.IsNullWord(s) ? null : s;
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : reader.GetDouble().ToString(CultureInfo.InvariantCulture);
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>One URL or an array of them; empty strings and "null" are dropped.</summary>
public sealed class UrlListConverter : JsonConverter<IReadOnlyList<string>>
{
    public override bool HandleNull => true;

    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var s = reader.GetString();
            return NanoBananaJson.IsNullWord(s) ? [] : [s!];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return [];
        }

        var urls = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } url && !NanoBananaJson.IsNullWord(url))
            {
                urls.Add(url);
            }
            else
            {
                reader.Skip();
            }
        }

        return urls;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        if (value.Count == 1)
        {
            writer.WriteStringValue(value[0]);
            return;
        }

        writer.WriteStartArray();
        foreach (var url in value)
        {
            writer.WriteStringValue(url);
        }

        writer.WriteEndArray();
    }
}

/// <summary>"YYYY-MM-DD HH:mm:ss" with no zone (read as UTC), ISO 8601, or epoch milliseconds; empty means none.</summary>
public sealed class VendorTimeConverter : JsonConverter<DateTime?>
{
    private const string VendorFormat = "yyyy-MM-dd HH:mm:ss";

    public override bool HandleNull => true;

    public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var s = reader.GetString();
                if (NanoBananaJson.IsNullWord(s))
                {
                    return null;
                }

                if (DateTime.TryParseExact(s, VendorFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var vendor))
                {
                    return vendor;
                }

                return DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var iso) ? iso : null;
            case JsonTokenType.Number when reader.TryGetInt64(out var ms):
                return DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteStringValue("");
        }
        else
        {
            writer.WriteStringValue(value.Value.ToUniversalTime().ToString(VendorFormat, CultureInfo.InvariantCulture));
        }
    }
}
