using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>A bUnit context with MudBlazor, the app's real authorization policies and a signed-in (or anonymous) user.</summary>
public static class ComponentTestContext
{
    public static BunitContext Create(params string[] roles) => Create(roles.Length == 0 ? null : Principal("u1", "Camille Creator", roles));

    public static BunitContext Create(ClaimsPrincipal? user)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        // bUnit registers placeholders; the real authorization service evaluates the app's real policies.
        ctx.Services.RemoveAll<Microsoft.AspNetCore.Authorization.IAuthorizationService>();
        ctx.Services.RemoveAll<AuthenticationStateProvider>();
        ctx.Services.AddAuthorizationCore(Policies.Configure);
        ctx.Services.AddCascadingAuthenticationState();
        ctx.Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationStateProvider(user ?? new ClaimsPrincipal(new ClaimsIdentity())));
        ctx.Services.AddSingleton(TimeProvider.System);
        return ctx;
    }

    public static ClaimsPrincipal Principal(string id, string name, params string[] roles) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, id),
            new Claim(ClaimTypes.Name, $"{id}@example.test"),
            new Claim("display_name", name),
            .. roles.Select(r => new Claim(ClaimTypes.Role, r)),
        ],
        authenticationType: "Test"));

    private sealed class FixedAuthenticationStateProvider(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
