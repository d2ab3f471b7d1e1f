using Microsoft.AspNetCore.Authentication;
using Microsoft.OpenApi;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Assistant.Api;
using Preset.Moodboard.Features.Assistant.Mcp;
using Preset.Moodboard.Features.Assistant.Tokens;
using Scalar.AspNetCore;

namespace Preset.Moodboard.Features.Assistant;

/// <summary>Assistants and scripts: personal access tokens, the HTTP API under /api/v1 (with its OpenAPI document and reference page) and the MCP server at /mcp.</summary>
public static class AssistantExtensions
{
    public const string McpPath = "/mcp";
    public const string ReferencePath = "/api-reference";
    public const string SecuritySchemeName = "PersonalAccessToken";

    public static void AddAssistant(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AssistantOptions>().BindConfiguration(AssistantOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<AccessTokens>();
        services.AddScoped<AssistantReads>();
        services.AddScoped<AssistantActions>();

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(AccessTokenDefaults.Scheme, "Personal access token", null);
        // On /api/v1 and /mcp a bearer token speaks for the caller; a browser's session cookie still works on /api/v1 when no token is sent.
        services.PostConfigure<PolicySchemeOptions>(AccountExtensions.ViewerScheme, o =>
        {
            var accountOrGuest = o.ForwardDefaultSelector;
            o.ForwardDefaultSelector = context => IsAssistantPath(context.Request.Path)
                && (AccessTokenHandler.HasBearer(context.Request) || !context.Request.Cookies.ContainsKey(AccountExtensions.AccountCookie))
                    ? AccessTokenDefaults.Scheme
                    : accountOrGuest?.Invoke(context);
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(AssistantPolicies.Mcp, p => p.AddAuthenticationSchemes(AccessTokenDefaults.Scheme).RequireAuthenticatedUser()
                .RequireClaim(System.Security.Claims.ClaimTypes.NameIdentifier))
            .AddPolicy(AssistantPolicies.Read, p => p.RequireClaim(System.Security.Claims.ClaimTypes.NameIdentifier)
                .RequireAssertion(c => AssistantClaims.Allows(c.User, TokenScopeText.Read)))
            .AddPolicy(AssistantPolicies.Generate, p => p.RequireClaim(System.Security.Claims.ClaimTypes.NameIdentifier)
                .RequireAssertion(c => AssistantClaims.Allows(c.User, TokenScopeText.Generate)));
        services.AddRateLimiter(o => o.AddPolicy<string, AssistantRateLimit>(AssistantRateLimit.Policy));

        services.AddOpenApi(AssistantApi.DocumentName, o =>
        {
            o.ShouldInclude = description => description.GroupName == AssistantApi.DocumentName;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Preset Moodboard API",
                    Version = "v1",
                    Description = "Boards, generations, reviews and credits for scripts and assistants. Authenticate with a personal access token " +
                        "(Account → Access tokens) as `Authorization: Bearer pmb_…`; a `read` token may read, a `generate` token may also change things. " +
                        "Errors are RFC 7807 problem details; each token may make a limited number of requests a minute (429 with Retry-After beyond it).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "pmb_…",
                    Description = "A personal access token from Account → Access tokens.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, document)] = [] }];
                return Task.CompletedTask;
            });
        });

        services.AddMcpServer(o =>
            {
                o.ServerInfo = new ModelContextProtocol.Protocol.Implementation { Name = "preset-moodboard", Title = "Preset Moodboard", Version = "1.0" };
                o.ServerInstructions =
                    "Preset Moodboard is the user's AI moodboard studio. Typical flow: list_boards (or create_board) to find a board; generate_image or " +
                    "edit_image to start images — tell the user they are being made — then wait_for_generation and share the image links. Use " +
                    "get_board_feedback to read what reviewers said and propose the next prompt or edit; add_note to leave a summary on the board; " +
                    "get_credits before generating many images. Refusals (moderation, quota, content policy, credits) come back as tool errors with " +
                    "the message to relay to the user.";
            })
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<MoodboardTools>();
    }

    public static void MapAssistant(this WebApplication app)
    {
        app.MapAssistantApi();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, o => o
                .WithTitle("Preset Moodboard API")
                .AddPreferredSecuritySchemes(SecuritySchemeName)
                // Everything the page needs is served from here: no hosted fonts, AI agent, telemetry or SDK upsell.
                .DisableDefaultFonts()
                .DisableAgent()
                .DisableMcp()
                .DisableTelemetry()
                .HideDeveloperTools())
            .AllowAnonymous();
        // The status-code pages would turn the 401 an MCP client needs (to ask for a token) into a page.
        app.MapMcp(McpPath)
            .RequireAuthorization(AssistantPolicies.Mcp)
            .RequireRateLimiting(AssistantRateLimit.Policy)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute());
    }

    public static bool IsAssistantPath(PathString path) => path.StartsWithSegments(AssistantApi.Prefix) || path.StartsWithSegments(McpPath);
}

public static class AssistantPolicies
{
    /// <summary>/mcp: a personal access token and nothing else.</summary>
    public const string Mcp = "Assistant.Mcp";

    /// <summary>/api/v1 reads: a token with the read scope, or a signed-in session.</summary>
    public const string Read = "Assistant.Read";

    /// <summary>/api/v1 changes: a token with the generate scope, or a signed-in session (with an antiforgery token).</summary>
    public const string Generate = "Assistant.Generate";
}
