using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Features.Account;

public static class AccountExtensions
{
    public const string ViewerScheme = "AccountOrGuest";
    public const string AccountCookie = "preset.auth";

    public static void AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<AccountRegistration>();
        services.AddScoped<UserPreferences>();
        services.AddSingleton<UserSessions>();
        services.AddHostedService<UserSessionsListener>();
        services.AddSingleton<UserSessionsHubFilter>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, UserSessionsCircuitHandler>();
        services.Configure<HubOptions>(o => o.AddFilter<UserSessionsHubFilter>());

        var authentication = services.AddAuthentication(o =>
            {
                o.DefaultScheme = ViewerScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            });
        // A request with the account cookie is that account; without it, a share-link guest cookie is that guest.
        authentication.AddPolicyScheme(ViewerScheme, "Account or share-link guest", o => o.ForwardDefaultSelector = context =>
            !context.Request.Cookies.ContainsKey(AccountCookie) && context.Request.Cookies.ContainsKey(GuestClaims.CookieName)
                ? GuestClaims.Scheme
                : IdentityConstants.ApplicationScheme);
        authentication.AddCookie(GuestClaims.Scheme, o =>
        {
            o.Cookie.Name = GuestClaims.CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.ExpireTimeSpan = TimeSpan.FromDays(30);
            o.SlidingExpiration = true;
            o.LoginPath = "/Account/Login";
            // A guest who wanders onto an account-only page is sent to sign in, not told "no access".
            o.AccessDeniedPath = "/Account/Login";
            o.Events.OnRedirectToLogin = ctx => Challenge(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => Challenge(ctx, StatusCodes.Status403Forbidden, guest: true);
        });
        authentication.AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/Account/Login";
                o.LogoutPath = "/Account/Logout";
                o.AccessDeniedPath = "/Account/AccessDenied";
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.SlidingExpiration = true;
                o.Cookie.Name = AccountCookie;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = builder.Environment.IsDevelopment()
                    ? CookieSecurePolicy.SameAsRequest
                    : CookieSecurePolicy.Always;
                o.Events.OnRedirectToLogin = ctx => Challenge(ctx, StatusCodes.Status401Unauthorized);
                var validate = o.Events.OnValidatePrincipal;
                o.Events.OnValidatePrincipal = async ctx =>
                {
                    // A disabled account's cookie stops working on the next request, not at the next stamp check.
                    var userId = ctx.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
                    if (userId is not null && ctx.HttpContext.RequestServices.GetRequiredService<UserSessions>().IsRevoked(userId))
                    {
                        ctx.RejectPrincipal();
                        await ctx.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                        return;
                    }

                    await validate(ctx);
                };
                o.Events.OnRedirectToAccessDenied = ctx => Challenge(ctx, StatusCodes.Status403Forbidden);
                // Signing in honours ?ReturnUrl= itself: only a plain local path (a header cannot carry anything else).
                o.Events.OnRedirectToReturnUrl = ctx =>
                {
                    ctx.Response.Redirect(IdentityRedirectManager.SafeLocal(ctx.RedirectUri, "/"));
                    return Task.CompletedTask;
                };
            }));

        services.AddIdentityCore<ApplicationUser>(o =>
            {
                o.SignIn.RequireConfirmedAccount = false;
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(10);
                o.Stores.SchemaVersion = Data.IdentitySchema.Version;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager<AppSignInManager>()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();

        // Role changes reach signed-in users within a minute instead of the default half hour.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAuthorization(Policies.Configure);
    }

    public static void MapAccounts(this WebApplication app)
    {
        var account = app.MapGroup("/Account");
        account.MapPost("/Logout", async (SignInManager<ApplicationUser> signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(IdentityRedirectManager.SafeLocal(returnUrl, "/Account/Login"));
        });
    }

    // API callers get a status code; browsers asking for a page go to sign-in, or see a 403 page.
    private static Task Challenge(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status, bool guest = false)
    {
        var isApi = ctx.Request.Path.StartsWithSegments("/api") || ctx.Request.Path.StartsWithSegments("/hubs") || ctx.Request.Path.StartsWithSegments("/media");
        if ((status == StatusCodes.Status401Unauthorized || guest) && !isApi)
        {
            ctx.Response.Redirect(ctx.RedirectUri);
        }
        else
        {
            ctx.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }
}
