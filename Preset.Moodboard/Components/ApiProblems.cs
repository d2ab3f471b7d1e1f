using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Preset.Moodboard.Components;

/// <summary>
/// Every /api answer that is not a success is RFC 7807 problem details with words a person understands: unreadable JSON, a wrong
/// content type, a body over the limit, a missing route — and, for a bug, a 500 that says so without the stack trace.
/// </summary>
internal static partial class ApiProblems
{
    /// <summary>JSON bodies larger than this are refused (endpoints that take more declare their own limit).</summary>
    public const long MaxJsonBodyBytes = 1024 * 1024;

    public static void AddApiProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Answers without a body of their own (status code pages, framework refusals) get words a person understands.
            var problem = context.ProblemDetails;
            if (problem.Detail is not null || problem.Status is not { } status
                || (problem.Title is not null && problem.Title != Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status)))
            {
                return;
            }

            (problem.Title, problem.Detail) = problem.Status switch
            {
                StatusCodes.Status400BadRequest => ("The request could not be read.", "Check the address, the query and the body against the API description."),
                StatusCodes.Status401Unauthorized => (AccessWords.SignInTitle, AccessWords.SignInDetail),
                StatusCodes.Status403Forbidden => (AccessWords.NoAccessTitle, AccessWords.NoAccessDetail),
                StatusCodes.Status404NotFound => (AccessWords.NotFoundTitle, AccessWords.NotFoundDetail),
                StatusCodes.Status405MethodNotAllowed => ("Method not allowed.", $"This address does not accept {context.HttpContext.Request.Method} requests."),
                StatusCodes.Status413PayloadTooLarge => ("The request is too large.", "Send less data in one request."),
                StatusCodes.Status415UnsupportedMediaType => ("Unsupported content type.", "Send the body as JSON, with the header Content-Type: application/json."),
                StatusCodes.Status429TooManyRequests => ("Too many requests.", "Slow down and try again in a moment."),
                _ => (problem.Title, null),
            };
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Binding failures (bad JSON, wrong content type) become exceptions the handler below turns into problem details.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
    }

    public static void UseApiProblems(this IApplicationBuilder app) =>
        app.UseWhen(context => IsApi(context.Request.Path), api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = exception => Classify(exception).Status,
                SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException or InvalidDataException,
            });
            api.UseStatusCodePages();
        });

    /// <summary>
    /// After routing: an /api endpoint without its own body limit accepts at most <see cref="MaxJsonBodyBytes"/>; a body announced larger
    /// is refused before it is read (a client that waits for "100 Continue" then never sends it).
    /// </summary>
    public static void UseApiBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!IsApi(context.Request.Path))
            {
                await next(context);
                return;
            }

            // Endpoints that declare their own limit (uploads, callbacks) answer it themselves, in their own words.
            var declared = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
            if (declared is null && context.Request.ContentLength > MaxJsonBodyBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status413PayloadTooLarge,
                        Title = "The request is too large.",
                        Detail = $"This address accepts at most {MaxJsonBodyBytes / 1024} KB in one request.",
                    },
                });
                return;
            }

            if (declared is null && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = MaxJsonBodyBytes;
            }

            await next(context);
        });

    public static bool IsApi(PathString path) => path.StartsWithSegments("/api");

    internal static (int Status, string Title, string Detail) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or InvalidDataException =>
            (StatusCodes.Status413PayloadTooLarge, "The request is too large.", "Send less data in one request."),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
            (StatusCodes.Status415UnsupportedMediaType, "Unsupported content type.", "Send the body as JSON, with the header Content-Type: application/json."),
        BadHttpRequestException { InnerException: JsonException json } when json.Message.Contains("could not be converted", StringComparison.Ordinal) =>
            (StatusCodes.Status400BadRequest, "A value has the wrong type.", $"The value of {FieldOf(json)} is not of the expected kind (a number, text, a list, an id…)."),
        BadHttpRequestException { InnerException: JsonException json } =>
            (StatusCodes.Status400BadRequest, "The body is not valid JSON.", Describe(json)),
        BadHttpRequestException { StatusCode: var status } bad when bad.Message.Contains("was not provided", StringComparison.Ordinal) =>
            (status, "A value is missing.", "The request needs a JSON body with the fields this endpoint expects."),
        BadHttpRequestException { StatusCode: var status } =>
            (status, "The request could not be read.", "Check the address, the query and the body against the API description."),
        _ => (StatusCodes.Status500InternalServerError, "Something went wrong on our side.", "Nothing was changed by the failed part of the request. Try again; if it keeps failing, tell an admin."),
    };

    private static string FieldOf(JsonException json) =>
        string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "the body" : $"“{json.Path.TrimStart('$', '.')}”";

    /// <summary>Where the JSON went wrong, without echoing what was sent.</summary>
    private static string Describe(JsonException json) =>
        json.LineNumber is { } line && json.BytePositionInLine is { } position
            ? $"It could not be read at line {line + 1}, position {position + 1}{(string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "" : $" (field {json.Path})")}. Check quotes, commas and brackets, and that each field has the right type."
            : "Check quotes, commas and brackets, and that each field has the right type.";

    private sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (!IsApi(context.Request.Path) || context.Response.HasStarted)
            {
                return false;
            }

            var (status, title, detail) = Classify(exception);
            if (status >= 500)
            {
                LogUnexpected(exception, context.Request.Method, context.Request.Path);
            }

            context.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
            });
        }

        [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error answering {Method} {Path}")]
        private partial void LogUnexpected(Exception exception, string method, string path);
    }
}
