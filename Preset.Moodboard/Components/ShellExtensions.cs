using Microsoft.AspNetCore.HttpOverrides;
using MudBlazor.Services;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Components;

/// <summary>The Blazor shell: interactive server components, MudBlazor, error and status pages, static assets.</summary>
public static class ShellExtensions
{
    public static void AddShell(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(o =>
        {
            // Bottom left: the right side holds the detail view's actions, the queue and the comment drawers.
            o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft;
            o.SnackbarConfiguration.PreventDuplicates = true;
            o.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        builder.Services.AddApiProblems();
        builder.Services.AddHostedService<StartupSummary>();
        builder.Services.AddSingleton<Layout.ThemeStyles>();

        // X-Forwarded-* are believed only from the proxies named in App:KnownProxies / App:KnownNetworks (loopback when none are).
        var app = builder.Configuration.GetSection(AppOptions.SectionName).Get<AppOptions>() ?? new AppOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            if (app.KnownProxies.Count + app.KnownNetworks.Count > 0)
            {
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
                app.KnownProxies.ForEach(p => o.KnownProxies.Add(System.Net.IPAddress.Parse(p)));
                app.KnownNetworks.ForEach(n => o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(n)));
            }
        });
    }

    public static void UseShell(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AppOptions>>().Value.BehindProxy)
        {
            app.UseForwardedHeaders();
        }

        if (app.Environment.IsDevelopment())
        {
            app.UseMigrationsEndPoint();
        }
        else
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            await next();
        });

        // Pages get a friendly status page; /api answers problem details; other machine endpoints keep their bare status codes.
        app.UseApiProblems();
        app.UseWhen(
            context => !IsMachineEndpoint(context.Request.Path),
            branch => branch.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true));

        // Explicit and after the status pages, so a 403 from authorization is re-executed into a friendly page.
        app.UseRouting();
        app.UseApiBodyLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
    }

    public static void MapShell(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }

    private static bool IsMachineEndpoint(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/hubs")
        || path.StartsWithSegments("/media") || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content");
}
