using System.Text.Json;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Tests.Infrastructure.NanoBanana;

public sealed class ParsingTests
{
    public static TheoryData<string> ExampleFiles() => [.. Examples.All()];

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void ShouldParseEveryDocumentedExample(string file)
    {
        var json = Examples.Read(file);

        var envelope = JsonSerializer.Deserialize<Envelope<JsonElement>>(json, NanoBananaJson.Options);

        if (file.StartsWith("generate-request", StringComparison.Ordinal))
        {
            var request = JsonSerializer.Deserialize<GenerateRequest>(json, NanoBananaJson.Options)!;
            Assert.False(string.IsNullOrEmpty(request.Prompt));
            Assert.StartsWith("https://", request.CallBackUrl);
        }
        else
        {
            Assert.NotNull(envelope!.Code);
            Assert.False(string.IsNullOrEmpty(envelope.Msg));
        }
    }

    [Fact]
    public void ShouldReadSuccessCallback()
    {
        var outcome = TaskOutcomes.ParseCallback(Examples.Read("callback-success.json"))!;

        Assert.Equal(RemoteTaskState.Succeeded, outcome.State);
        Assert.Equal("9e4286b7b27960dfeb8e1d279b50b28d", outcome.TaskId);
        Assert.Equal(["https://tempfile.aiquickdraw.com/r/9e4286b7b27960dfeb8e1d279b50b28d_1756467493.jpg"], outcome.ResultUrls);
    }

    [Theory]
    [InlineData("callback-content-policy.json", NanoBananaErrorKind.ContentPolicy, 400, "Your prompt has been flagged for violating content policy")]
    [InlineData("callback-internal-error.json", NanoBananaErrorKind.ServerError, 500, "Internal error, please try again later")]
    [InlineData("callback-generation-failed.json", NanoBananaErrorKind.GenerationFailed, 501, "Image generation task failed")]
    public void ShouldReadFailureCallbacksWithTheVendorsMessage(string file, NanoBananaErrorKind kind, int code, string message)
    {
        var outcome = TaskOutcomes.ParseCallback(Examples.Read(file))!;

        Assert.Equal(RemoteTaskState.Failed, outcome.State);
        Assert.Equal(new NanoBananaError(kind, code, message), outcome.Error);
        Assert.Empty(outcome.ResultUrls);
    }

    [Fact]
    public void ShouldReadTaskDetailsInEveryState()
    {
        var generating = Details("record-info-generating.json");
        var success = Details("record-info-success.json");
        var failed = Details("record-info-generate-failed.json");

        Assert.Equal(RemoteTaskState.Generating, generating.State);
        Assert.Equal(RemoteTaskState.Succeeded, success.State);
        Assert.Equal(["https://ourserver.com/image/result.jpg"], success.ResultUrls);
        Assert.Equal(RemoteTaskState.Failed, failed.State);
        Assert.Equal(new NanoBananaError(NanoBananaErrorKind.GenerationFailed, 501, "Image generation task failed"), failed.Error);
    }

    [Fact]
    public void ShouldReadVendorTimesAsUtcAndEmptyTimesAsNone()
    {
        var success = Envelope(Examples.Read("record-info-success.json")).Data!;
        var generating = Envelope(Examples.Read("record-info-generating.json")).Data!;

        Assert.Equal(new DateTime(2026, 1, 6, 8, 17, 4, DateTimeKind.Utc), success.CompleteTime);
        Assert.Equal(DateTimeKind.Utc, success.CreateTime!.Value.Kind);
        Assert.Null(generating.CompleteTime);
    }

    [Fact]
    public void ShouldReadErrorEnvelopesInsideHttp200()
    {
        var credits = JsonSerializer.Deserialize<Envelope<int?>>(Examples.Read("error-envelope-http200-insufficient-credits.json"), NanoBananaJson.Options)!;
        var notFound = Envelope(Examples.Read("record-info-not-found.json"));

        Assert.Equal(NanoBananaErrorKind.InsufficientCredits, NanoBananaError.FromCode(credits.Code!.Value, credits.Msg).Kind);
        Assert.Equal("Credits insufficient", credits.Msg);
        Assert.Equal(NanoBananaErrorKind.NotFound, NanoBananaError.FromCode(notFound.Code!.Value, notFound.Msg).Kind);
        Assert.Null(notFound.Data);
    }

    [Fact]
    public void ShouldReadCreditBalance()
    {
        var credits = JsonSerializer.Deserialize<Envelope<int?>>(Examples.Read("credit-response.json"), NanoBananaJson.Options)!;

        Assert.Equal(100, credits.Data);
    }

    [Theory]
    [InlineData("""{"errorCode": null, "errorMessage": null, "originImageUrl": null}""")]
    [InlineData("""{"errorCode": "null", "errorMessage": "null", "originImageUrl": "null"}""")]
    [InlineData("""{"errorCode": "", "errorMessage": "", "originImageUrl": ""}""")]
    public void ShouldTreatNullAndTheStringNullAlike(string fields)
    {
        var json = $$$"""{"code":200,"msg":"success","data":{"taskId":"t1","successFlag":0,"response":{"originImageUrl":null,"resultImageUrl":""},{{{fields[1..^1]}}}}}""";

        var details = Envelope(json).Data!;

        Assert.Null(details.ErrorCode);
        Assert.Null(details.ErrorMessage);
    }

    [Theory]
    [InlineData("\"501\"")]
    [InlineData("501")]
    public void ShouldReadErrorCodeAsNumberOrString(string errorCode)
    {
        var json = $$$"""{"code":200,"msg":"success","data":{"taskId":"t1","successFlag":3,"errorCode":{{{errorCode}}},"errorMessage":"boom"}}""";

        Assert.Equal(501, Envelope(json).Data!.ErrorCode);
    }

    [Fact]
    public void ShouldIgnoreUnknownFieldsAndReadOperationType()
    {
        var json = """{"code":"200","msg":"success","extra":{"x":1},"data":{"taskId":"t1","operationType":"TEXTTOIAMGE","successFlag":"1","response":{"resultImageUrl":"https://r/1.jpg","future":true}}}""";

        var envelope = Envelope(json);

        Assert.Equal(200, envelope.Code);
        Assert.Equal(RemoteTaskState.Succeeded, TaskOutcomes.FromDetails(envelope.Data!).State);
    }

    [Fact]
    public void ShouldReadTaskDetailsShapedCallbackWhoseTopCodeIs200EvenOnFailure()
    {
        var json = """{"code":200,"msg":"success","data":{"taskId":"t9","successFlag":3,"errorCode":400,"errorMessage":"Your prompt was flagged by the content policy","response":{"resultImageUrl":""}}}""";

        var outcome = TaskOutcomes.ParseCallback(json)!;

        Assert.Equal(RemoteTaskState.Failed, outcome.State);
        Assert.Equal(NanoBananaErrorKind.ContentPolicy, outcome.Error!.Kind);
    }

    [Fact]
    public void ShouldReadTaskDetailsShapedSuccessCallback()
    {
        var json = """{"code":200,"msg":"success","data":{"taskId":"t9","successFlag":1,"response":{"resultImageUrl":"https://r/9.jpg"}}}""";

        Assert.Equal(["https://r/9.jpg"], TaskOutcomes.ParseCallback(json)!.ResultUrls);
    }

    [Theory]
    [InlineData("""{"resultImageUrl":["https://r/1.jpg","https://r/2.jpg"]}""")]
    [InlineData("""{"resultImageUrl":"https://r/1.jpg","resultImageUrls":["https://r/1.jpg","https://r/2.jpg"]}""")]
    [InlineData("""{"resultUrls":["https://r/1.jpg","https://r/2.jpg"]}""")]
    public void ShouldReadSeveralResultUrlsInAnyShape(string info)
    {
        var json = $$$"""{"code":200,"msg":"ok","data":{"taskId":"t2","info":{{{info}}}}}""";

        Assert.Equal(["https://r/1.jpg", "https://r/2.jpg"], TaskOutcomes.ParseCallback(json)!.ResultUrls);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"code":200}""")]
    [InlineData("""{"code":200,"data":{"info":{"resultImageUrl":"https://r"}}}""")]
    [InlineData("[1,2,3]")]
    public void ShouldRejectMalformedCallbacks(string body) => Assert.Null(TaskOutcomes.ParseCallback(body));

    [Theory]
    [InlineData(400, "Parameter error", NanoBananaErrorKind.Validation)]
    [InlineData(400, "Your prompt has been flagged for violating content policy", NanoBananaErrorKind.ContentPolicy)]
    [InlineData(401, null, NanoBananaErrorKind.Unauthorized)]
    [InlineData(402, null, NanoBananaErrorKind.InsufficientCredits)]
    [InlineData(404, null, NanoBananaErrorKind.NotFound)]
    [InlineData(422, null, NanoBananaErrorKind.Validation)]
    [InlineData(429, null, NanoBananaErrorKind.RateLimited)]
    [InlineData(455, null, NanoBananaErrorKind.Maintenance)]
    [InlineData(500, null, NanoBananaErrorKind.ServerError)]
    [InlineData(501, null, NanoBananaErrorKind.GenerationFailed)]
    [InlineData(505, null, NanoBananaErrorKind.FeatureDisabled)]
    public void ShouldClassifyEveryDocumentedCode(int code, string? message, NanoBananaErrorKind kind) =>
        Assert.Equal(kind, NanoBananaError.FromCode(code, message).Kind);

    private static Envelope<TaskDetails> Envelope(string json) => JsonSerializer.Deserialize<Envelope<TaskDetails>>(json, NanoBananaJson.Options)!;

    private static RemoteTaskOutcome Details(string file) => TaskOutcomes.FromDetails(Envelope(Examples.Read(file)).Data!);
}
