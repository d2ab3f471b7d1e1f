using System.Text.Json;
using System.Text.Json.Nodes;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Tests.Infrastructure.NanoBanana;

public sealed class WireFormatTests
{
    [Fact]
    public void ShouldSendTextToImageExactlyAsDocumented()
    {
        var job = new ImageJob("A serene mountain landscape at sunset with a lake reflecting the orange sky", "https://your-callback-url.com/callback", [], "16:9");

        var sent = JsonSerializer.SerializeToNode(NanoBananaClient.ToWire(job), NanoBananaJson.Options);

        AssertSameJson(Examples.Read("generate-request-text.json"), sent);
    }

    [Fact]
    public void ShouldSendEditExactlyAsDocumented()
    {
        var job = new ImageJob("Turn the jacket deep emerald green and add soft window light from the left", "https://your-callback-url.com/callback",
            ["https://example.com/input-image.jpg"], "3:4", 1, "Preset");

        var sent = JsonSerializer.SerializeToNode(NanoBananaClient.ToWire(job), NanoBananaJson.Options);

        AssertSameJson(Examples.Read("generate-request-edit.json"), sent);
    }

    [Fact]
    public void ShouldUseTheVendorsSpellingAndFieldNames()
    {
        var json = JsonSerializer.Serialize(NanoBananaClient.ToWire(new ImageJob("x", "https://cb", ["https://i"], "1:1", 2, "w")), NanoBananaJson.Options);

        Assert.Contains("\"type\":\"IMAGETOIAMGE\"", json);
        Assert.Contains("\"callBackUrl\":", json);
        Assert.Contains("\"image_size\":", json);
        Assert.Contains("\"numImages\":2", json);
        Assert.Contains("\"imageUrls\":", json);
        Assert.DoesNotContain("callbackUrl", json);
    }

    [Fact]
    public void ShouldLeaveOutImageUrlsAndEmptyWatermarkForTextToImage()
    {
        var node = JsonSerializer.SerializeToNode(NanoBananaClient.ToWire(new ImageJob("x", "https://cb", [], null, 1, "  ")), NanoBananaJson.Options)!.AsObject();

        Assert.Equal("TEXTTOIAMGE", (string?)node["type"]);
        Assert.False(node.ContainsKey("imageUrls"));
        Assert.False(node.ContainsKey("watermark"));
        Assert.False(node.ContainsKey("image_size"));
    }

    private static void AssertSameJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"Expected {expected}\nbut sent {actual?.ToJsonString()}");
}
