using System.Globalization;
using System.Text.Json.Serialization;

namespace Preset.Moodboard.Infrastructure.NanoBanana;

/// <summary>The vendor's spelling: "IAMGE" is the real enum value.</summary>
public static class NanoBananaTaskType
{
    public const string TextToImage = "TEXTTOIAMGE";
    public const string ImageToImage = "IMAGETOIAMGE";

    /// <summary>The integration guide's spelling, accepted when read.</summary>
    public const string TextToImageGuide = "TEXTTOIMAGE";
    public const string ImageToImageGuide = "IMAGETOIMAGE";
}

public static class AspectRatios
{
    public static readonly IReadOnlyList<string> All = ["1:1", "9:16", "16:9", "3:4", "4:3", "3:2", "2:3", "5:4", "4:5", "21:9"];

    public static bool IsValid(string? ratio) => ratio is not null && All.Contains(ratio);

    /// <summary>Width over height of a ratio such as "16:9".</summary>
    public static double Value(string ratio)
    {
        var parts = ratio.Split(':');
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    /// <summary>The supported ratio closest to an image's own proportions.</summary>
    public static string Nearest(int width, int height) =>
        All.MinBy(r => Math.Abs(Math.Log(Value(r) / ((double)width / height))))!;
}

/// <summary>POST /api/v1/nanobanana/generate, in the vendor's field names.</summary>
public sealed record GenerateRequest(
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("callBackUrl")] string CallBackUrl,
    [property: JsonPropertyName("numImages")] int? NumImages = null,
    [property: JsonPropertyName("imageUrls")] IReadOnlyList<string>? ImageUrls = null,
    [property: JsonPropertyName("watermark")] string? Watermark = null,
    [property: JsonPropertyName("image_size")] string? ImageSize = null);

/// <summary>{ code, msg, data } — the envelope of every answer, error or not.</summary>
public sealed record Envelope<T>(
    [property: JsonPropertyName("code"), JsonConverter(typeof(LenientIntConverter))] int? Code,
    [property: JsonPropertyName("msg"), JsonConverter(typeof(LenientStringConverter))] string? Msg,
    [property: JsonPropertyName("data")] T? Data);

public sealed record GenerateData([property: JsonPropertyName("taskId"), JsonConverter(typeof(LenientStringConverter))] string? TaskId);

public sealed record TaskResponse
{
    [JsonPropertyName("resultImageUrl"), JsonConverter(typeof(UrlListConverter))]
    public IReadOnlyList<string> ResultImageUrl { get; init; } = [];

    [JsonPropertyName("resultImageUrls"), JsonConverter(typeof(UrlListConverter))]
    public IReadOnlyList<string> ResultImageUrls { get; init; } = [];

    [JsonPropertyName("resultUrls"), JsonConverter(typeof(UrlListConverter))]
    public IReadOnlyList<string> ResultUrls { get; init; } = [];

    [JsonPropertyName("originImageUrl"), JsonConverter(typeof(LenientStringConverter))]
    public string? OriginImageUrl { get; init; }

    /// <summary>Every result URL the answer carries, whatever field and shape it used.</summary>
    public IReadOnlyList<string> AllResultUrls => [.. ResultImageUrl.Concat(ResultImageUrls).Concat(ResultUrls).Distinct(StringComparer.Ordinal)];
}

/// <summary>GET record-info's data, and the newer task-details-shaped callback's data.</summary>
public sealed record TaskDetails
{
    [JsonPropertyName("taskId"), JsonConverter(typeof(LenientStringConverter))]
    public string? TaskId { get; init; }

    [JsonPropertyName("paramJson"), JsonConverter(typeof(LenientStringConverter))]
    public string? ParamJson { get; init; }

    [JsonPropertyName("createTime"), JsonConverter(typeof(VendorTimeConverter))]
    public DateTime? CreateTime { get; init; }

    [JsonPropertyName("completeTime"), JsonConverter(typeof(VendorTimeConverter))]
    public DateTime? CompleteTime { get; init; }

    [JsonPropertyName("response")]
    public TaskResponse? Response { get; init; }

    [JsonPropertyName("successFlag"), JsonConverter(typeof(LenientIntConverter))]
    public int? SuccessFlag { get; init; }

    [JsonPropertyName("errorCode"), JsonConverter(typeof(LenientIntConverter))]
    public int? ErrorCode { get; init; }

    [JsonPropertyName("errorMessage"), JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorMessage { get; init; }

    /// <summary>The first callback shape: data.info.resultImageUrl.</summary>
    [JsonPropertyName("info")]
    public TaskResponse? Info { get; init; }
}
