using Microsoft.AspNetCore.Http;
using WelkinTokenRefresher.Sandbox.Hosting;

namespace WelkinTokenRefresher.Sandbox.Identity;

/// <summary>Maps <c>GET {TokenPath}</c> onto <see cref="ManagedIdentityEmulator"/>.</summary>
internal static class ManagedIdentityEndpoints
{
    public const string TokenPath = "/msi/token";

    public static RequestDelegate Create(ManagedIdentityEmulator emulator, TimeProvider time) => context =>
    {
        var request = context.Request;
        var response = string.Equals(request.Path.Value, TokenPath, StringComparison.Ordinal)
            ? emulator.HandleTokenRequest(request.Method, name => request.Query[name].FirstOrDefault(), request.Headers["X-IDENTITY-HEADER"].FirstOrDefault())
            : new EmulatorResponse(404, [], null);
        return EmulatorResponseWriter.WriteAsync(context, response, time);
    };
}
